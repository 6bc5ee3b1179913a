/**
 * The translate stage's logic: route an article to the provider or skip it with a reason, and
 * return the provenance that lands on the source record. The extract stage keeps reading the
 * original text (it is multilingual); the translation is for readers.
 */
import type { CleanedArticle, TranslationInfo } from "@tidings/shared";
import type { TranslationProvider } from "./provider.ts";

export async function translateArticle(article: CleanedArticle, provider: TranslationProvider, target: string): Promise<TranslationInfo> {
  const source = article.language;
  const base = { provider: provider.name, source_language: source, target_language: target };
  if (source === target) return { ...base, translated: false, reason: "same_language" };
  if (source === "und") return { ...base, translated: false, reason: "unknown_language" };
  if (article.paragraphs.length === 0 && !article.title) return { ...base, translated: false, reason: "empty" };
  if (!(await provider.supports(source, target))) return { ...base, translated: false, reason: "unsupported_pair" };
  const result = await provider.translate({ source, target, texts: [article.title ?? "", ...article.paragraphs] });
  const info: TranslationInfo = { ...base, provider: result.provider, translated: result.translated };
  if (result.model) info.model = result.model;
  if (result.reason) info.reason = result.reason;
  if (result.translated) {
    info.title = result.texts[0] ?? "";
    info.text = result.texts.slice(1).join("\n\n");
  }
  return info;
}
