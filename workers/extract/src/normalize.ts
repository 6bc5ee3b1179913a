/**
 * Length-preserving normalisation for matching: the normalised string has the same length as the
 * (NFC) input so that match offsets index the original sentence. Case-folding, full-width ASCII,
 * Traditional -> Simplified Chinese (OpenCC), Vietnamese tone-mark placement (hoà -> hòa).
 */
import * as OpenCC from "opencc-js";

let t2s: ((s: string) => string) | undefined;
function toSimplified(s: string): string {
  const conv = (t2s ??= OpenCC.Converter({ from: "t", to: "cn" }));
  const out = conv(s);
  if (out.length === s.length) return out;
  let r = "";
  for (const ch of s) { const c = conv(ch); r += c.length === ch.length ? c : ch; }
  return r;
}

/** The five Vietnamese tone marks (combining): grave, acute, tilde, hook above, dot below. */
const TONES = /[\u0300\u0301\u0303\u0309\u0323]/u;
/** Vowel-quality marks (combining): circumflex (â ê ô), breve (ă), horn (ơ ư). */
const QUALITY = /[\u0302\u0306\u031B]/u;
const VOWELS = "aeiouy";

/**
 * A Vietnamese syllable with its tone mark where standard spelling puts it, so that both
 * placements in use ("hòa"/"hoà", "thủy"/"thuỷ") become one form and what the index keeps is
 * what people write. Matching (extract) and segmentation for the index (index) both go through
 * here, and a query is segmented the same way. The rules, on the vowel nucleus (the vowels after
 * the onset, where "qu" and "gi" before another vowel belong to the onset):
 *  1. on the vowel with a quality mark (ă â ê ô ơ ư), the last one if two ("người", "được");
 *  2. else on the last vowel when a consonant ends the syllable ("hoàng", "toán");
 *  3. else on the only vowel, the first of two ("hòa", "mùa", "giải", "thủy": the older of the
 *     two conventions, the more common one in the press), the middle of three ("ngoài", "khuỷu").
 * Length-preserving (NFC in, NFC out, same length) or the syllable comes back as it was.
 */
export function normVietSyllable(syl: string): string {
  let out = vietSyllables.get(syl);
  if (out === undefined) {
    if (vietSyllables.size >= VIET_CACHE_MAX) vietSyllables.clear();
    out = placeTone(syl);
    vietSyllables.set(syl, out);
  }
  return out;
}

// Placing a tone costs a few µs a syllable, and Vietnamese text repeats a few thousand distinct
// syllables: the answers are remembered, bounded (cleared when full; the cache changes nothing
// but time). Extract normalises every sentence and the index segments every text through here.
const VIET_CACHE_MAX = 100_000;
const vietSyllables = new Map<string, string>();

function placeTone(syl: string): string {
  const d = syl.normalize("NFD");
  const m = TONES.exec(d);
  if (!m) return syl;
  const base = d.replace(TONES, "");
  // Letters of the toneless syllable: where each ends (after its own marks), vowel or not.
  const letters: Array<{ end: number; lower: string; vowel: boolean; marked: boolean }> = [];
  for (let i = 0; i < base.length;) {
    let j = i + 1;
    while (j < base.length && /\p{M}/u.test(base[j]!)) j++;
    const lower = base[i]!.toLowerCase();
    letters.push({ end: j, lower, vowel: VOWELS.includes(lower), marked: QUALITY.test(base.slice(i + 1, j)) });
    i = j;
  }
  let first = letters.findIndex((l) => l.vowel);
  if (first < 0) return syl;
  const next = letters[first + 1];
  const onsetGlide = first > 0 && next?.vowel && !letters[first]!.marked &&
    ((letters[first - 1]!.lower === "q" && letters[first]!.lower === "u") || (letters[first - 1]!.lower === "g" && letters[first]!.lower === "i"));
  if (onsetGlide) first++;
  let last = first;
  while (last + 1 < letters.length && letters[last + 1]!.vowel) last++;
  const nucleus = letters.slice(first, last + 1);
  const closed = last + 1 < letters.length;
  const marked = nucleus.filter((l) => l.marked);
  const target = marked.length > 0 ? marked[marked.length - 1]!
    : nucleus.length === 1 ? nucleus[0]!
    : closed ? nucleus[nucleus.length - 1]!
    : nucleus.length === 2 ? nucleus[0]! : nucleus[1]!;
  const out = (base.slice(0, target.end) + m[0] + base.slice(target.end)).normalize("NFC");
  return out.length === syl.length ? out : syl;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** ASCII, Cyrillic (no combining marks) and general punctuation: per-character lower-casing is all the work. */
/** Any character outside printable ASCII, Cyrillic letters and general punctuation (whose per-character lower-casing is plain toLowerCase). */
const NOT_SIMPLE = /[^\t\n\r\u0020-\u007f\u0400-\u0482\u048a-\u04ff\u2000-\u206f]/;

export function normalizeForMatch(text: string, lang = ""): string {
  if (lang !== "vi" && !NOT_SIMPLE.test(text)) return text.toLowerCase();
  let out = "";
  for (const ch of text) {
    let c = ch;
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) c = String.fromCodePoint(code - 0xfee0);
    else if (ch === "\u3000") c = " ";
    const lower = c.toLowerCase();
    if (lower.length === c.length) c = lower;
    if (c.length !== ch.length) c = ch;
    out += c;
  }
  if (lang === "zh" || CJK.test(out)) {
    if (/[\u3400-\u9fff]/u.test(out)) out = toSimplified(out);
  }
  if (lang === "vi" || /[\u00c0-\u024f\u1e00-\u1eff]/u.test(out) || /\p{M}/u.test(out)) {
    out = out.replace(/[\p{L}\p{M}]+/gu, (w) => normVietSyllable(w));
  }
  return out;
}

export function isLetter(ch: string | undefined): boolean {
  return !!ch && /[\p{L}\p{M}\p{N}]/u.test(ch) && !CJK.test(ch) && !/[\u3040-\u30ff]/u.test(ch);
}

/** isLetter per UTF-16 code unit, filled in as units are met: 0 not yet asked, 1 letter, 2 not. */
const LETTER_UNIT = new Uint8Array(0x10000);

/** isLetter of the code unit at `i` of `s` (false outside it), without a regex per call. */
export function isLetterAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  let k = LETTER_UNIT[c]!;
  if (k === 0) LETTER_UNIT[c] = k = isLetter(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}
export function isCjk(ch: string | undefined): boolean {
  return !!ch && (CJK.test(ch) || /[\u3040-\u30ff]/u.test(ch));
}
export function isHangul(ch: string | undefined): boolean {
  return !!ch && /[\uac00-\ud7af\u1100-\u11ff]/u.test(ch);
}
