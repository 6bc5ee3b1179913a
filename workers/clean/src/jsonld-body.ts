/**
 * schema.org articleBody as a second opinion on the main text: used when it is plausible (long
 * enough, written in the same words as the page) and the DOM extraction found much less.
 */
import { decodeHTML } from "entities";
import { countTokens, normalizeSpace, tokenize } from "./text-utils.ts";

/** Paragraphs of an articleBody string (which sometimes carries HTML). */
export function articleBodyParagraphs(body: string): string[] {
  const s = body.length > 500_000 ? body.slice(0, 500_000) : body;
  const stripped = /<\/?[a-z][^>]*>/i.test(s)
    ? s.replace(/<\/?(?:p|div|br|li|h\d|blockquote)[^>]*>/gi, "\n").replace(/<[^>]*>/g, "")
    : s;
  // Publishers often HTML-escape the JSON string ("Çorum&#39;un", "&Ccedil;"): decode it once.
  const text = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(stripped) ? decodeHTML(stripped) : stripped;
  return text
    .split(/\n+/)
    .map((p) => normalizeSpace(p))
    .filter((p) => p.length > 0);
}

/** Share of b's tokens that also occur in a (bag of words). */
function containment(a: readonly string[], b: readonly string[]): number {
  if (b.length === 0) return 0;
  const set = new Set(a.map((t) => t.toLowerCase()));
  let hit = 0;
  for (const t of b) if (set.has(t.toLowerCase())) hit++;
  return hit / b.length;
}

export function chooseBody(domParagraphs: string[], articleBody: string | undefined): string[] {
  if (!articleBody) return domParagraphs;
  const ldParas = articleBodyParagraphs(articleBody);
  const ldTokens = countTokens(ldParas.join(" "));
  if (ldTokens < 30) return domParagraphs;
  const domText = domParagraphs.join(" ");
  const domTokens = countTokens(domText);
  if (domTokens >= 0.7 * ldTokens) return domParagraphs;
  // The DOM found little: trust articleBody if what the DOM found is (mostly) inside it.
  if (domTokens === 0 || containment(tokenize(articleBody), tokenize(domText)) >= 0.6) return ldParas;
  return domParagraphs;
}
