/** Small text helpers shared by the clean stage: whitespace, tokens, scripts. */

/** CJK ideographs, kana and hangul syllables: each one is a token of its own. */
export const CJK_CHAR = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u{20000}-\u{2fa1f}]/u;
const CJK_CLASS = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2fa1f}";
const TOKEN_RE = new RegExp(`[${CJK_CLASS}]|(?:(?![${CJK_CLASS}])[\\p{L}\\p{N}_])+`, "gu");

const SPACE_RUN = /[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+/g;
/** What SPACE_RUN would change: any of its characters but a lone space. */
const NOT_A_LONE_SPACE = /[^\S ]|[\u200b-\u200d\u2060]| {2}/;

/** Collapse runs of whitespace (including NBSP and zero-width chars) to one space and trim. */
export function normalizeSpace(s: string): string {
  // Most text is already spaced with lone spaces: then only its ends can change.
  return NOT_A_LONE_SPACE.test(s) ? s.replace(SPACE_RUN, " ").trim() : s.trim();
}

/** Per BMP code unit: 0 not yet classified, 1 word character, 2 CJK (a token alone), 3 other. */
const CHAR_CLASS = new Uint8Array(65536);
const WORD_CHAR = /[\p{L}\p{N}_]/u;

function classify(c: number): number {
  let k = CHAR_CLASS[c] ?? 0;
  if (k === 0) {
    const ch = String.fromCharCode(c);
    k = CJK_CHAR.test(ch) ? 2 : WORD_CHAR.test(ch) ? 1 : 3;
    CHAR_CLASS[c] = k;
  }
  return k;
}

/**
 * Number of tokens: word runs, each CJK character counted alone (the corpus metric's tokens).
 * A scan over char codes with a lazily filled class table: no regex match objects per token.
 */
export function countTokens(s: string): number {
  let n = 0;
  let inWord = false;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    let k: number;
    if (c < 128) k = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ? 1 : 3;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      // Astral: classify the whole code point (CJK extension B.. or a letter).
      const cp = s.codePointAt(i) ?? c;
      const ch = String.fromCodePoint(cp);
      k = CJK_CHAR.test(ch) ? 2 : WORD_CHAR.test(ch) ? 1 : 3;
      i++;
    } else k = classify(c);
    if (k === 1) {
      if (!inWord) {
        n++;
        inWord = true;
      }
    } else {
      inWord = false;
      if (k === 2) n++;
    }
  }
  return n;
}

/** The tokens themselves (same definition as countTokens). */
export function tokenize(s: string): string[] {
  return s.match(TOKEN_RE) ?? [];
}

/** Share of CJK characters among letters (0..1). */
export function cjkRatio(s: string): number {
  let cjk = 0;
  let letters = 0;
  for (const ch of s) {
    if (CJK_CHAR.test(ch)) {
      cjk++;
      letters++;
    } else if (/\p{L}/u.test(ch)) letters++;
  }
  return letters === 0 ? 0 : cjk / letters;
}
