import { describe, expect, it } from "vitest";
import { francAll } from "franc";
import { rankLanguages } from "../src/trigram-ranking.ts";
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
