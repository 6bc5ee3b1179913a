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
import type { CleanedArticle, TranslationInfo } from "@tidings/shared";
import type { TranslateResult, TranslationProvider } from "./provider.ts";

/** The primary language subtag, lower-cased: "en-US" -> "en", "zh-Hans" -> "zh". */
export function baseLanguage(code: string): string {
  return (code.trim().toLowerCase().split(/[-_]/)[0] ?? "");
}

export interface TranslateArticleOptions {
  /** Told what the provider returned (e.g. its stats, for logs). */
  onResult?: (result: TranslateResult) => void;
}

export async function translateArticle(
  article: CleanedArticle, provider: TranslationProvider, target: string, opts: TranslateArticleOptions = {},
): Promise<TranslationInfo> {
  const source = article.language;
  const base = { provider: provider.name, source_language: source, target_language: target };
  if (baseLanguage(source) === baseLanguage(target)) return { ...base, translated: false, reason: "same_language" };
  if (!source || source === "und") return { ...base, translated: false, reason: "unknown_language" };
  const paragraphs = article.paragraphs.filter((p) => p.trim() !== "");
  if (paragraphs.length === 0 && !article.title?.trim()) return { ...base, translated: false, reason: "empty" };
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
