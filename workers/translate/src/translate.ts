/**
 * The translate stage's logic: route an article to the provider or skip it with a reason, and
 * return the provenance that lands on the source record. The extract stage keeps reading the
 * original text (it is multilingual); the translation is for readers.
 *
 * Skipped, with the reason recorded (translated: false):
 *  - same_language     the article is already in the target language
 *  - unknown_language  the language could not be detected ("und")
 *  - empty             no title and no paragraphs
 *  - unsupported_pair  the provider cannot translate this pair (asked before any text is sent,
 *                      or refused by the server when sent)
 *  - stub              the stub provider passed the text through
 */
import { baseLanguage, translationNotNeeded, type CleanedArticle, type TranslationInfo } from "@tidings/shared";
import type { TranslateResult, TranslationProvider } from "./provider.ts";

export { baseLanguage };

export interface TranslateArticleOptions {
  /** Told what the provider returned (e.g. its stats, for logs). */
  onResult?: (result: TranslateResult) => void;
}

export async function translateArticle(
  article: CleanedArticle, provider: TranslationProvider, target: string, opts: TranslateArticleOptions = {},
): Promise<TranslationInfo> {
  // Same language, unknown language, nothing to translate: no provider is asked. (Such articles
  // normally skip this stage altogether: see follow-up.ts in the shared package.)
  const notNeeded = translationNotNeeded(article, provider.name, target);
  if (notNeeded) return notNeeded;
  const source = article.language;
  const base = { provider: provider.name, source_language: source, target_language: target };
  const paragraphs = article.paragraphs.filter((p) => p.trim() !== "");
  if (!(await provider.supports(source, target))) return { ...base, translated: false, reason: "unsupported_pair" };
  let result: TranslateResult;
  try {
    result = await provider.translate({ source, target, texts: [article.title ?? "", ...paragraphs] });
  } catch (err) {
    // The server said no after all (its languages changed since it was asked): the article is
    // still indexed, untranslated, with the reason.
    if ((err as { reason?: unknown })?.reason === "unsupported_pair") return { ...base, translated: false, reason: "unsupported_pair" };
    throw err;
  }
  opts.onResult?.(result);
  const info: TranslationInfo = { ...base, provider: result.provider, translated: result.translated };
  if (result.model) info.model = result.model;
  if (result.reason) info.reason = result.reason;
  if (result.translated) {
    const title = result.texts[0] ?? "";
    if (title) info.title = title;
    info.text = result.texts.slice(1).join("\n\n");
  }
  return info;
}
