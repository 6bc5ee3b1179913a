/** Small text helpers shared by the clean stage: whitespace, tokens, scripts. */

/** CJK ideographs, kana and hangul syllables: each one is a token of its own. */
export const CJK_CHAR = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u{20000}-\u{2fa1f}]/u;
const CJK_CLASS = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2fa1f}";
const TOKEN_RE = new RegExp(`[${CJK_CLASS}]|(?:(?![${CJK_CLASS}])[\\p{L}\\p{N}_])+`, "gu");

/** Collapse runs of whitespace (including NBSP and zero-width chars) to one space and trim. */
export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+/g, " ").trim();
}

/** Number of tokens: word runs, each CJK character counted alone (the corpus metric's tokens). */
export function countTokens(s: string): number {
  let n = 0;
  TOKEN_RE.lastIndex = 0;
  while (TOKEN_RE.exec(s) !== null) n++;
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
