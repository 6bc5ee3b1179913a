import { StubProvider } from "./stub.ts";
import type { TranslationProvider } from "./provider.ts";

/** The provider named by TIDINGS_TRANSLATE_PROVIDER. */
export function createProvider(name: string): TranslationProvider {
  switch (name) {
    case "stub": return new StubProvider();
    default: throw new Error(`translation provider "${name}" is not available (known: stub)`);
  }
}
