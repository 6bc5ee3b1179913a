/**
 * The translation provider interface. A provider translates a batch of texts from one language
 * to another and says what it did (provenance), so nothing downstream mistakes source-language
 * text for a translation.
 */

export interface TranslateRequest {
  /** ISO 639-1 of the texts. */
  source: string;
  /** ISO 639-1 to translate into. */
  target: string;
  /** Title first, then paragraphs, by convention of the stage. */
  texts: string[];
}

export interface TranslateResult {
  /** One per request text, in the same order. */
  texts: string[];
  provider: string;
  /** Model or version of what translated (e.g. "libretranslate", "passthrough-v1"). */
  model?: string;
  /** Language of the texts and language of the result, as the request named them. */
  source: string;
  target: string;
  translated: boolean;
  /** Why nothing was translated, when translated is false. */
  reason?: string;
  /** What it cost: texts served from the cache, requests made, characters sent. */
  stats?: TranslateStats;
}

export interface TranslateStats {
  texts: number;
  cached: number;
  requests: number;
  chars: number;
}

export interface TranslationProvider {
  readonly name: string;
  /** Whether the provider can translate this pair (may ask the server once and cache). */
  supports(source: string, target: string): Promise<boolean>;
  translate(request: TranslateRequest): Promise<TranslateResult>;
}
