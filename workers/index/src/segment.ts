/**
 * Text segmented by us for full-text search on the bare Elasticsearch core (which has no cjk or
 * language analyzers): words separated by spaces, lower-cased, indexed with the built-in
 * `whitespace` analyzer. Chinese is cut into words by jieba (with the gazetteer's names in its
 * dictionary), Japanese into overlapping character bigrams (what the cjk analyzer does),
 * Vietnamese into syllables with tone marks placed one way (hòa = hoá), everything else into
 * letter/digit runs. Queries are segmented by the same function, so they meet the same tokens.
 */
import { cut } from "@tidings/extract/jieba";
import { normVietSyllable } from "@tidings/extract/normalize";

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+|[\p{L}\p{M}\p{N}]+/gu;

/** Longest text segmented (characters): beyond it, the original text field still has everything. */
export const MAX_SEGMENTED_CHARS = 200_000;

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The language whose rules segment a query best, from its script alone. */
export function queryLanguage(text: string): string {
  if (KANA.test(text)) return "ja";
  if (HAN.test(text)) return "zh";
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(text)) return "vi";
  return "";
}

export function segmentForIndex(text: string, language: string): string {
  const input = text.slice(0, MAX_SEGMENTED_CHARS).normalize("NFC").toLowerCase();
  const tokens: string[] = [];
  for (const m of input.matchAll(RUN)) {
    const run = m[0];
    if (HAN.test(run) || KANA.test(run)) {
      if (language === "zh" && !KANA.test(run)) {
        for (const w of cut(run)) if (w.trim()) tokens.push(w);
      } else {
        tokens.push(...bigrams(run));
      }
    } else if (language === "vi") {
      tokens.push(normVietSyllable(run));
    } else {
      tokens.push(run);
    }
  }
  return tokens.join(" ");
}
