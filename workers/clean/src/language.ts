/**
 * Language identification: script rules first (Han/Kana/Hangul, Cyrillic, Arabic, Thai, ...,
 * Vietnamese by its diacritics), then franc's trigram model (trigram-ranking.ts) restricted to
 * the script's languages, refined by function words on short texts and by the declared language
 * as a prior.
 */
import type { LanguageGuess } from "@tidings/shared/article";
import {
  ARABIC_CANDIDATES, CYRILLIC_CANDIDATES, DEVANAGARI_CANDIDATES, FUNCTION_WORDS, ISO3_TO_1,
  LATIN_CANDIDATES, SIGNATURE_LETTERS,
} from "./lang-codes.ts";
import { hanVariantCounts } from "./han-variants.ts";
import { rankLanguages } from "./trigram-ranking.ts";

/** Longest sample looked at (franc itself stops at 2048 characters). */
const SAMPLE = 800;

interface ScriptCounts {
  latin: number; han: number; kana: number; hangul: number; cyrillic: number; greek: number;
  arabic: number; hebrew: number; thai: number; devanagari: number; georgian: number;
  armenian: number; bengali: number; tamil: number; other: number; viet: number; total: number;
}

const VIET_ONLY = /[ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;

function countScripts(text: string): ScriptCounts {
  const c: ScriptCounts = {
    latin: 0, han: 0, kana: 0, hangul: 0, cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, thai: 0,
    devanagari: 0, georgian: 0, armenian: 0, bengali: 0, tamil: 0, other: 0, viet: 0, total: 0,
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x41) continue;
    if (cp < 0x250) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp >= 0xc0) {
        c.latin++;
        if (cp >= 0xc0 && VIET_ONLY.test(ch)) c.viet++;
      } else continue;
    } else if (cp >= 0x1e00 && cp <= 0x1eff) {
      c.latin++;
      if (VIET_ONLY.test(ch)) c.viet++;
    } else if (cp >= 0x370 && cp <= 0x3ff) c.greek++;
    else if (cp >= 0x400 && cp <= 0x52f) c.cyrillic++;
    else if (cp >= 0x530 && cp <= 0x58f) c.armenian++;
    else if (cp >= 0x590 && cp <= 0x5ff) c.hebrew++;
    else if ((cp >= 0x600 && cp <= 0x6ff) || (cp >= 0x750 && cp <= 0x77f) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) c.arabic++;
    else if (cp >= 0x900 && cp <= 0x97f) c.devanagari++;
    else if (cp >= 0x980 && cp <= 0x9ff) c.bengali++;
    else if (cp >= 0xb80 && cp <= 0xbff) c.tamil++;
    else if (cp >= 0xe00 && cp <= 0xe7f) c.thai++;
    else if (cp >= 0x10a0 && cp <= 0x10ff) c.georgian++;
    else if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9d)) c.kana++;
    else if ((cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f)) c.han++;
    else if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f)) c.hangul++;
    else if (/\p{L}/u.test(ch)) c.other++;
    else continue;
    c.total++;
  }
  return c;
}

function normDeclared(declared: string | undefined): string | undefined {
  if (!declared) return undefined;
  const m = /^\s*([a-z]{2,3})(?:[-_]|$)/i.exec(declared);
  if (!m?.[1]) return undefined;
  const code = m[1].toLowerCase();
  if (code.length === 3) return ISO3_TO_1[code] ?? undefined;
  if (code === "nb" || code === "nn") return "no";
  return code;
}

function declaredScript(declared: string | undefined): string | undefined {
  if (!declared) return undefined;
  if (/hant|-(tw|hk|mo)\b/i.test(declared)) return "Hant";
  if (/hans|-(cn|sg)\b/i.test(declared)) return "Hans";
  return undefined;
}

/** Pick among franc's candidates, adding function-word evidence and the declared prior. */
function pickWithFranc(
  text: string,
  only: string[],
  declared: string | undefined,
  fallback: string,
): { language: string; confidence: number } {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const ranked = rankLanguages(sample, only, 1);
  const scores = new Map<string, number>();
  for (const [code3, score] of ranked) {
    const code1 = ISO3_TO_1[code3];
    if (!code1 || code3 === "und") continue;
    if ((scores.get(code1) ?? -1) < score) scores.set(code1, score);
  }
  if (scores.size === 0) return { language: fallback, confidence: 0.3 };
  const words = sample.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const short = words.length < 40;
  if (short) {
    const distinct = new Set(words);
    for (const [lang, list] of Object.entries(FUNCTION_WORDS)) {
      if (!scores.has(lang)) continue;
      let hits = 0;
      for (const w of list) if (distinct.has(w)) hits++;
      if (hits > 0) scores.set(lang, (scores.get(lang) ?? 0) + (0.3 * hits) / Math.sqrt(Math.max(1, distinct.size / 4)));
    }
    for (const [re, lang] of SIGNATURE_LETTERS) {
      if (re.test(sample) && scores.has(lang)) scores.set(lang, (scores.get(lang) ?? 0) + 0.08);
    }
  }
  // With nothing declared, short Latin texts lean to the web's most frequent language.
  if (!declared && short && scores.has("en") && words.length < 15) scores.set("en", (scores.get("en") ?? 0) + 0.3);
  if (declared && scores.has(declared)) {
    scores.set(declared, (scores.get(declared) ?? 0) + (short ? 0.35 : 0.05));
  }
  let best = fallback;
  let bestScore = -Infinity;
  let second = -Infinity;
  for (const [lang, s] of scores) {
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = lang;
    } else if (s > second) second = s;
  }
  const margin = second === -Infinity ? 1 : Math.max(0, bestScore - second);
  const lengthFactor = Math.min(1, words.length / 30);
  const confidence = Math.min(0.99, 0.5 + 0.3 * lengthFactor + margin * 0.8);
  return { language: best, confidence: round2(confidence) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Guess the language of a text. `declared` (from `<html lang>`, a meta tag or the caller) is a
 * prior: it wins close calls and decides when the text is too short to tell.
 */
export function detectLanguage(text: string, opts: { declared?: string } = {}): LanguageGuess {
  const declared = normDeclared(opts.declared);
  const sample = text.length > SAMPLE * 2 ? text.slice(0, SAMPLE * 2) : text;
  const c = countScripts(sample);
  if (c.total < 2 || (c.total < 4 && c.han + c.kana + c.hangul === 0)) {
    return declared ? { language: declared, confidence: 0.2 } : { language: "und", confidence: 0 };
  }
  const cjk = c.han + c.kana + c.hangul;
  const t = c.total;
  // East Asian scripts
  if (cjk / t >= 0.3 || (cjk >= 2 && c.latin < 3 * cjk && cjk / t >= 0.15)) {
    const conf = round2(Math.min(0.99, 0.6 + 0.4 * Math.min(1, cjk / 20)));
    if (c.hangul > 0 && c.hangul >= c.kana && c.hangul * 2 >= c.han) return { language: "ko", confidence: conf, script: "Kore" };
    if (c.kana > 0 && (c.kana >= 2 || c.kana / cjk >= 0.05) && c.kana / cjk >= 0.03) return { language: "ja", confidence: conf, script: "Jpan" };
    if (c.hangul > c.han) return { language: "ko", confidence: conf, script: "Kore" };
    if (declared === "ja" && c.kana === 0 && cjk < 30) return { language: "ja", confidence: 0.5, script: "Jpan" };
    if (declared === "ko" && cjk < 30) return { language: "ko", confidence: 0.5, script: "Kore" };
    const v = hanVariantCounts(sample);
    let script: string;
    if (v.traditional > v.simplified) script = "Hant";
    else if (v.simplified > v.traditional) script = "Hans";
    else script = declaredScript(opts.declared) ?? "Hans";
    return { language: "zh", confidence: conf, script };
  }
  const major = Math.max(c.latin, c.cyrillic, c.greek, c.arabic, c.hebrew, c.thai, c.devanagari, c.georgian, c.armenian, c.bengali, c.tamil);
  const fixed = (language: string, script: string): LanguageGuess => ({
    language,
    confidence: round2(Math.min(0.99, 0.6 + 0.4 * Math.min(1, major / 40))),
    script,
  });
  if (major === c.greek) return fixed("el", "Grek");
  if (major === c.hebrew) return fixed(/[\u05f0-\u05f2]/u.test(sample) ? "yi" : "he", "Hebr");
  if (major === c.thai) return fixed("th", "Thai");
  if (major === c.georgian) return fixed("ka", "Geor");
  if (major === c.armenian) return fixed("hy", "Armn");
  if (major === c.bengali) return fixed("bn", "Beng");
  if (major === c.tamil) return fixed("ta", "Taml");
  if (major === c.arabic) {
    if (/[ٹڈڑںےۓ]/u.test(sample)) return fixed("ur", "Arab");
    const r = pickWithFranc(sample, ARABIC_CANDIDATES, declared, /[پچژگکی]/u.test(sample) ? "fa" : "ar");
    return { ...r, script: "Arab" };
  }
  if (major === c.devanagari) return { ...pickWithFranc(sample, DEVANAGARI_CANDIDATES, declared, "hi"), script: "Deva" };
  if (major === c.cyrillic) {
    if (c.cyrillic < 40) {
      if (/[іїєґ]/iu.test(sample) && !/[ыэъё]/iu.test(sample)) return fixed("uk", "Cyrl");
      if (/[ў]/iu.test(sample)) return fixed("be", "Cyrl");
      if (/[ыэё]/iu.test(sample) && !/[іїєґў]/iu.test(sample)) {
        return { language: "ru", confidence: round2(Math.min(0.95, 0.7 + c.cyrillic / 100)), script: "Cyrl" };
      }
    }
    return { ...pickWithFranc(sample, CYRILLIC_CANDIDATES, declared, "ru"), script: "Cyrl" };
  }
  // Latin script
  if (c.viet >= 3 ? c.viet / c.latin >= 0.02 : c.viet >= 1 && c.latin < 60 && /[ơưđ]|[ạ-ỹ]/iu.test(sample) && c.viet / c.latin >= 0.04) {
    return fixed("vi", "Latn");
  }
  if ((/þ/iu.test(sample) || /ð/iu.test(sample)) && /[áíúýæö]/iu.test(sample) && !/[øå]/iu.test(sample)) return fixed("is", "Latn");
  return { ...pickWithFranc(sample, LATIN_CANDIDATES, declared, declared ?? "en"), script: "Latn" };
}
