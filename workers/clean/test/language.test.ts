import { describe, it, expect } from "vitest";
import { detectLanguage } from "../src/language.ts";

describe("detectLanguage", () => {
  const cases: [string, string, string | undefined][] = [
    ["朝鲜最高领导人金正恩和俄罗斯总统普京举行会晤", "zh", "Hans"],
    ["國際新聞：韓國外交部召見俄羅斯大使", "zh", "Hant"],
    ["東京で首脳会談が開かれた", "ja", "Jpan"],
    ["한국 외교부는 러시아 대사를 초치했다", "ko", "Kore"],
    ["Ученые выявили, что купание в бассейне опасно для легких", "ru", "Cyrl"],
    ["Україна отримає нові системи протиповітряної оборони", "uk", "Cyrl"],
    ["Mỹ, Hàn lo Triều Tiên hợp tác với Nga", "vi", "Latn"],
    ["Restaurants to be rated for hygiene", "en", "Latn"],
    ["Healthy Eating Tips", "en", "Latn"],
    ["Nennen wir ihn doch Golf von Nordamerika", "de", "Latn"],
    ["Le gouvernement a présenté une nouvelle loi sur les retraites", "fr", "Latn"],
    ["El presidente del Gobierno anunció nuevas medidas para la vivienda", "es", "Latn"],
    ["الرئيس يستقبل وزير الخارجية في القصر", "ar", "Arab"],
    ["นายกรัฐมนตรีเดินทางเยือนญี่ปุ่น", "th", "Thai"],
  ];
  it.each(cases)("%s -> %s", (text, lang, script) => {
    const g = detectLanguage(text);
    expect(g.language).toBe(lang);
    if (script) expect(g.script).toBe(script);
    expect(g.confidence).toBeGreaterThan(0);
  });

  it("returns und for too little text, or the declared language", () => {
    expect(detectLanguage("ok").language).toBe("und");
    expect(detectLanguage("12 34").language).toBe("und");
    expect(detectLanguage("ok", { declared: "de-DE" }).language).toBe("de");
  });

  it("uses the declared language as a prior on close calls", () => {
    expect(detectLanguage("Breaking news today", { declared: "en" }).language).toBe("en");
    expect(detectLanguage("中国", { declared: "ja" }).language).toBe("ja");
  });
});
