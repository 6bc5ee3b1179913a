/**
 * Length-preserving normalisation for matching: the normalised string has the same length as the
 * (NFC) input so that match offsets index the original sentence. Case-folding, full-width ASCII,
 * Traditional -> Simplified Chinese (OpenCC), Vietnamese tone-mark placement (hòa = hoà).
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

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/u;
const VOWEL = /[aeiouyAEIOUY]/;

/** Put a Vietnamese syllable's tone mark on its last vowel (any fixed rule works: both sides use it). */
export function normVietSyllable(syl: string): string {
  const d = syl.normalize("NFD");
  const m = TONES.exec(d);
  if (!m) return syl;
  const base = d.replace(TONES, "");
  let pos = -1;
  for (let i = 0; i < base.length; i++) if (VOWEL.test(base[i]!)) pos = i;
  if (pos < 0) return syl;
  let j = pos + 1;
  while (j < base.length && /[\u0302\u0306\u031B]/u.test(base[j]!)) j++;
  const out = (base.slice(0, j) + m[0] + base.slice(j)).normalize("NFC");
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
export function isCjk(ch: string | undefined): boolean {
  return !!ch && (CJK.test(ch) || /[\u3040-\u30ff]/u.test(ch));
}
export function isHangul(ch: string | undefined): boolean {
  return !!ch && /[\uac00-\ud7af\u1100-\u11ff]/u.test(ch);
}
