import type { TranslateRequest, TranslateResult, TranslationProvider } from "./provider.ts";

/**
 * The default provider: passes text through untouched and says so (`translated: false`,
 * reason "stub"), by design until a real machine translation service is configured.
 */
export class StubProvider implements TranslationProvider {
  readonly name = "stub";

  async supports(): Promise<boolean> {
    return true;
  }

  async translate(request: TranslateRequest): Promise<TranslateResult> {
    return {
      texts: request.texts, provider: this.name, model: "passthrough-v1",
      source: request.source, target: request.target, translated: false, reason: "stub",
    };
  }
}
