import { describe, expect, it } from "vitest";
import { francAll } from "franc";
import { rankLanguages, scriptBits, trigramCounts, trigramKey } from "../src/trigram-ranking.ts";
import { asTuples } from "trigram-utils";
import { ARABIC_CANDIDATES, CYRILLIC_CANDIDATES, DEVANAGARI_CANDIDATES, LATIN_CANDIDATES } from "../src/lang-codes.ts";

/** Texts of every kind the detector sees: bodies, titles, snippets, mixed scripts, junk. */
const TEXTS = [
  "The ministers met in Pyongyang on Tuesday to sign a treaty on military cooperation between the two countries.",
  "Die Außenminister trafen sich am Dienstag in Berlin, um über neue Sanktionen gegen Russland zu beraten.",
  "Le président a annoncé mardi de nouvelles sanctions contre la Corée du Nord après le tir d'un missile.",
  "El gobierno anunció el martes nuevas sanciones contra Corea del Norte tras el lanzamiento de un misil.",
  "Il governo ha annunciato martedì nuove sanzioni contro la Corea del Nord dopo il lancio di un missile.",
  "Regeringen meddelade på tisdagen nya sanktioner mot Nordkorea efter en robotuppskjutning.",
  "Hükümet salı günü Kuzey Kore'ye yönelik yeni yaptırımlar açıkladı.",
  "Rząd ogłosił we wtorek nowe sankcje wobec Korei Północnej po wystrzeleniu rakiety.",
  "Kim Jong Un visits Moscow",
  "Putin und Kim",
  "Лидеры двух стран подписали договор о всеобъемлющем стратегическом партнёрстве в Пхеньяне.",
  "Уряд оголосив нові санкції проти Північної Кореї після запуску ракети.",
  "وقع الزعيمان معاهدة شراكة استراتيجية شاملة في بيونغ يانغ يوم الثلاثاء.",
  "दोनों नेताओं ने मंगलवार को प्योंगयांग में एक व्यापक रणनीतिक साझेदारी संधि पर हस्ताक्षर किए।",
  "朝鲜与俄罗斯签署全面战略伙伴关系条约",
  "북한과 러시아가 포괄적 전략적 동반자 관계 조약에 서명했다",
  "Mixed 中文 and English text with 한국어 too",
  "İstanbul'da İİİ büyük toplantı",
  "12345 -- 678 !!! ???",
  "ab",
  "",
  "x".repeat(3000),
  "Word ".repeat(600),
];

describe("rankLanguages is francAll, faster", () => {
  for (const [name, only] of [["Latin", LATIN_CANDIDATES], ["Cyrillic", CYRILLIC_CANDIDATES], ["Arabic", ARABIC_CANDIDATES], ["Devanagari", DEVANAGARI_CANDIDATES]] as const) {
    it.each(TEXTS.map((t) => [t.slice(0, 40), t]))(`${name}: %s`, (_label, text) => {
      for (const minLength of [1, 10]) expect(rankLanguages(text, only, minLength)).toEqual(francAll(text, { only: [...only], minLength }));
    });
  }
});

/** A small deterministic generator (mulberry32; tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Texts drawn from a few letters of each script with spaces, digits, punctuation, line breaks and
 * astral characters, so trigrams repeat within a text (counts above 1) and some are in no model.
 */
const ALPHABETS = ["etaoinshrdlu", "ăâđêôơưàảãáạ", "äöüßéèàç", "абвгдеёжзийк", "ابتثجحخد", "कखगघचछजझ", "中文朝鲜", "𠀀𠀁😀"];
const PUNCTUATION = [" ", " ", " ", "\n", ".", ",", "!", "7", "-", "«", "»", "\t", "'"];

function randomText(seed: number): string {
  const next = rng(seed);
  const main = ALPHABETS[Math.floor(next() * ALPHABETS.length)]!;
  const chars = [...main];
  let text = "";
  const length = 5 + Math.floor(next() * 400);
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.2) text += PUNCTUATION[Math.floor(next() * PUNCTUATION.length)];
    else if (r < 0.25) text += [...ALPHABETS[Math.floor(next() * ALPHABETS.length)]!][0];
    else text += chars[Math.floor(next() * Math.min(chars.length, 3 + (seed % 9)))];
  }
  return seed % 3 === 0 ? text.toUpperCase() : text;
}

describe("rankLanguages on generated texts", () => {
  it("ranks 400 generated texts in every script as francAll does", () => {
    for (let seed = 1; seed <= 400; seed++) {
      const text = randomText(seed);
      for (const only of [LATIN_CANDIDATES, CYRILLIC_CANDIDATES, ARABIC_CANDIDATES, DEVANAGARI_CANDIDATES]) {
        expect(rankLanguages(text, only, 1), `seed ${seed}: ${JSON.stringify(text.slice(0, 60))}`).toEqual(francAll(text, { only: [...only], minLength: 1 }));
      }
    }
  });
});

describe("rankLanguages on text that lower-casing lengthens", () => {
  it("counts every trigram when İ (one unit, two in lower case) takes the sample past 2,048 distinct trigrams, and the next call is unaffected", () => {
    const letters = [...Array(0x250 - 0xe0).keys()].map((i) => String.fromCharCode(0xe0 + i)).filter((c) => /\p{Ll}/u.test(c));
    const next = rng(7);
    let long = "";
    while (long.length < 2100) long += next() < 0.05 ? "İ" : letters[Math.floor(next() * letters.length)];
    const sample = long.slice(0, 2048);
    const expected = new Map(asTuples(sample).map(([tri, n]) => [trigramKey(tri, 0), n]));
    expect(expected.size).toBeGreaterThan(2050);
    expect(trigramCounts(sample)).toEqual(expected);
    expect(trigramCounts(sample)).toEqual(expected); // nothing left over from the call before
    const after = "Le président a annoncé mardi de nouvelles sanctions.";
    for (const text of [long, after, long.slice(1), after]) {
      expect(rankLanguages(text, LATIN_CANDIDATES, 1)).toEqual(francAll(text, { only: [...LATIN_CANDIDATES], minLength: 1 }));
    }
  });
});

describe("trigram keys and counts", () => {
  it("tells trigrams apart by all three code units", () => {
    expect(trigramKey("abc", 0)).not.toBe(trigramKey("abd", 0));
    expect(trigramKey("\uffff\uffff\uffff", 0)).toBe(0xffff * 2 ** 32 + 0xffff * 2 ** 16 + 0xffff);
    expect(trigramKey("xa\ud840b", 1)).toBe(0x61 * 2 ** 32 + 0xd840 * 2 ** 16 + 0x62); // half of a surrogate pair is a unit like any other
  });

  it.each([
    ["repeats", "ab ab ab"],
    ["punctuation and digits cleaned away", "Hello, World! 1234 hello world"],
    ["astral characters split into units", "𠀀𠀁 𠀀𠀁 😀😀"],
    ["nothing left after cleaning", "123 !!"],
    ["empty", ""],
    ["one letter", "a"],
    ["long text", "Lorem ipsum dolor sit amet ".repeat(80)],
  ])("counts franc's trigrams: %s", (_label, text) => {
    const expected = new Map(asTuples(text).map(([tri, n]) => [trigramKey(tri, 0), n]));
    expect(trigramCounts(text)).toEqual(expected);
  });
});

describe("script of a code point", () => {
  it("no expression matches half of a surrogate pair alone (so counting code points is exact)", () => {
    for (let c = 0xd800; c <= 0xdfff; c++) expect(scriptBits(String.fromCharCode(c)), c.toString(16)).toBe(0);
  });

  it("finds the scripts of BMP and astral characters", () => {
    expect(scriptBits("a")).not.toBe(0);
    expect(scriptBits("朝")).not.toBe(0);
    expect(scriptBits("𠀀")).not.toBe(0); // Han, astral
    expect(scriptBits("😀")).toBe(0);
    expect(scriptBits(" ")).toBe(0);
  });
});
