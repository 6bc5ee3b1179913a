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

/**
 * The version of what segmentForIndex makes of a text. Bump it with any change that alters its
 * output for some text (a dictionary, a rule; version 2: Vietnamese tone marks where standard
 * spelling puts them; version 3: a source's title and text are segmented only where
 * sourceNeedsSegmentedCopy says so). Each index records the version its documents were segmented
 * with (templates.ts), so that a deployment upgraded past a change learns that its older documents
 * need `tidings reindex`, which segments them again.
 */
export const SEGMENTATION_VERSION = 3;

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
// The two kinds of run, written once: RUN and wordRunsWithoutCjk's classes must agree exactly,
// or the shortcut would segment differently from the general path.
const CJK_CLASS = "[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}ー]";
const WORD_CLASS = "[\\p{L}\\p{M}\\p{N}]";
const RUN = new RegExp(`${CJK_CLASS}+|${WORD_CLASS}+`, "gu");

// One character's class, for wordRunsWithoutCjk: a separator, a letter/mark/digit (RUN's second
// half), or Han/kana (its first half). Cached per UTF-16 code unit of the Basic Multilingual
// Plane as met (0: not yet known); characters beyond it are asked of the regular expressions.
const SEPARATOR = 1;
const WORD_CHAR = 2;
const CJK_CHAR = 3;
const IS_WORD_CHAR = new RegExp(`^${WORD_CLASS}$`, "u");
const IS_CJK_CHAR = new RegExp(`^${CJK_CLASS}$`, "u");
const bmpClass = new Uint8Array(0x10000);

function classify(ch: string): number {
  if (IS_CJK_CHAR.test(ch)) return CJK_CHAR;
  return IS_WORD_CHAR.test(ch) ? WORD_CHAR : SEPARATOR;
}

/** Whether a surrogate pair starts at `i` (`code`: the code unit there): one code point beyond the BMP. */
function pairAt(input: string, i: number, code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff && i + 1 < input.length && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

/** The class of the code point at `i`, a pair when pairAt says so (BMP classes cached in bmpClass). */
function classAt(input: string, i: number, code: number, pair: boolean): number {
  if (pair) return classify(input.slice(i, i + 2));
  let cls = bmpClass[code]!;
  if (cls === 0) cls = bmpClass[code] = classify(input[i]!);
  return cls;
}

/**
 * What `input.match(/[\p{L}\p{M}\p{N}]+/gu)` finds (RUN's matches in text without Han or
 * kana), or undefined as soon as a Han or kana character shows up. One pass over the text: the
 * two Unicode-property regular expressions took 0.34 ms over an average English article
 * (9,700 characters), most of segmentForIndex's time.
 */
export function wordRunsWithoutCjk(input: string): string[] | undefined {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < input.length; ) {
    const code = input.charCodeAt(i);
    const pair = pairAt(input, i, code);
    const cls = classAt(input, i, code, pair);
    if (cls === CJK_CHAR) return undefined;
    if (cls === WORD_CHAR) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(input.slice(start, i));
      start = -1;
    }
    i += pair ? 2 : 1;
  }
  if (start >= 0) words.push(input.slice(start));
  return words;
}

/** Longest text segmented (characters): beyond it, the original text field still has everything. */
export const MAX_SEGMENTED_CHARS = 200_000;

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Whether a text holds a Han or kana character (CJK_CLASS), by the same cached per-character
 * classes as wordRunsWithoutCjk: the regular expression took 0.07 ms over an average source's
 * text in the index worker's profile, a tenth of what segmenting a Chinese one costs.
 */
export function hasHanOrKana(input: string): boolean {
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 0x2e80) continue; // below the CJK radicals: no Han or kana (the common case)
    const pair = pairAt(input, i, code);
    if (classAt(input, i, code, pair) === CJK_CHAR) return true;
    if (pair) i++;
  }
  return false;
}

/**
 * Whether a source's title and text get segmented copies (`title_seg`, `text_seg`): only when
 * segmentForIndex finds other words in them than the standard analyzer finds in `title` and
 * `text`, that is when they hold Han or kana (which the standard analyzer cuts into single
 * characters), are Vietnamese (tone marks placed one way), or are not in NFC (the copy is
 * normalised, so "é" written as e + U+0301 still meets a query typed the usual way; the standard
 * analyzer does not normalise). In any other text its words are
 * the letter and digit runs the standard analyzer finds too, and a copy only doubled
 * Elasticsearch's work: indexing 3,000 corpus sources took 1.03-1.23 ms of its CPU a document
 * with copies of every text and 0.60-0.65 with copies of these only, and 40 against 25 MB of
 * store. Searching every language at once means `text` and `text_seg` together (README).
 */
export function sourceNeedsSegmentedCopy(title: string, text: string, language: string): boolean {
  return language === "vi" || hasHanOrKana(title) || hasHanOrKana(text) || title.normalize("NFC") !== title || text.normalize("NFC") !== text;
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
  // Most text has no Han or kana at all (every English, Russian or German article): then RUN's
  // first half never matches, its tokens are the letter/digit runs, and one pass finds them
  // (segmentRuns gives the same, see segment.test.ts).
  const words = wordRunsWithoutCjk(input);
  if (words) return (language === "vi" ? words.map(normVietSyllable) : words).join(" ");
  return segmentRuns(input, language);
}

/** The general path of segmentForIndex, over text already normalised and lower-cased. */
export function segmentRuns(input: string, language: string): string {
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
