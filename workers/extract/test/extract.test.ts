import { describe, expect, it } from "vitest";
import { extractCandidates, extractEvents, findDates, normalizeForMatch, resolveActors, cameoOf } from "../src/index.ts";
import { normVietSyllable } from "../src/normalize.ts";

function run(lang: string, text: string, published = "2024-05-15") {
  const paragraphs = text.split(/\n\n/);
  const input = { article: { paragraphs, text: paragraphs.join("\n\n"), language: lang, language_confidence: 1, authors: [] }, source: { id: "s1", url: "https://example.test/a", published } };
  return { events: extractEvents(input), candidates: extractCandidates(input) };
}
const countries = (e: { actors: { role: string; country: string }[] }, role: string) => e.actors.filter((a) => a.role === role).map((a) => a.country).sort();

// Short sentences written for these tests, one or more per PLOVER category covered.
const CASES: { lang: string; text: string; type: string; source: string[]; target: string[]; date?: string; modality?: string }[] = [
  { lang: "zh", text: "日本首相岸田文雄周二在东京会见了越南总理范明政。", type: "CONSULT", source: ["JPN"], target: ["VNM"], date: "2024-05-14" },
  { lang: "zh", text: "中国外交部5月10日召见了菲律宾驻华大使。", type: "ACCUSE", source: ["CHN"], target: ["PHL"], date: "2024-05-10" },
  { lang: "zh", text: "美国国务卿布林肯对朝鲜发射导弹表示严重关切。", type: "ACCUSE", source: ["USA"], target: ["PRK"] },
  { lang: "zh", text: "欧盟敦促俄罗斯立即停火。", type: "REQUEST", source: ["IGO"], target: ["RUS"] },
  { lang: "zh", text: "朝鲜昨天向日本海发射了两枚弹道导弹。", type: "MOBILIZE", source: ["PRK"], target: [], date: "2024-05-14" },
  { lang: "zh", text: "美国宣布对伊朗实施制裁。", type: "SANCTION", source: ["USA"], target: ["IRN"] },
  { lang: "zh", text: "俄罗斯外交部否认向朝鲜提供武器。", type: "REJECT", source: ["RUS"], target: ["PRK"] },
  // signing binds both named parties: reciprocal (each is source and target)
  { lang: "zh", text: "越南和老挝签署了边境合作协议。", type: "AGREE", source: ["LAO", "VNM"], target: ["LAO", "VNM"] },
  { lang: "vi", text: "Ngày 12/5, Thủ tướng Nhật Bản Fumio Kishida đã hội đàm với Tổng thống Hàn Quốc Yoon Suk-yeol tại Seoul.", type: "CONSULT", source: ["JPN"], target: ["KOR"], date: "2024-05-12" },
  { lang: "vi", text: "Bộ Ngoại giao Trung Quốc lên án Mỹ về vụ bán vũ khí cho Đài Loan.", type: "ACCUSE", source: ["CHN"], target: ["USA"] },
  { lang: "vi", text: "Liên hợp quốc kêu gọi Israel mở cửa khẩu cho hàng viện trợ.", type: "REQUEST", source: ["IGO"], target: ["ISR"] },
  { lang: "vi", text: "Mỹ cảnh báo Nga về hậu quả nghiêm trọng.", type: "THREATEN", source: ["USA"], target: ["RUS"] },
  { lang: "vi", text: "Triều Tiên hôm qua phóng một tên lửa đạn đạo.", type: "MOBILIZE", source: ["PRK"], target: [], date: "2024-05-14" },
  { lang: "vi", text: "Nga bác bỏ cáo buộc của Ukraine.", type: "REJECT", source: ["RUS"], target: ["UKR"] },
  { lang: "en", text: "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing on Thursday.", type: "CONSULT", source: ["RUS"], target: ["CHN"], date: "2024-05-09" },
  { lang: "en", text: "South Korea's foreign ministry summoned the Russian ambassador.", type: "ACCUSE", source: ["KOR"], target: ["RUS"] },
  { lang: "en", text: "The United States imposed sanctions on North Korea.", type: "SANCTION", source: ["USA"], target: ["PRK"] },
  { lang: "en", text: "Japan urged China to release the detained citizens.", type: "REQUEST", source: ["JPN"], target: ["CHN"] },
  { lang: "en", text: "Vietnam and Laos signed a border agreement.", type: "AGREE", source: ["LAO", "VNM"], target: ["LAO", "VNM"] },
  { lang: "en", text: "China and South Korea agreed to resume the dialogue.", type: "AGREE", source: ["CHN"], target: ["KOR"] },
  { lang: "ko", text: "한국 외교부는 러시아 대사를 초치했다.", type: "ACCUSE", source: ["KOR"], target: ["RUS"] },
  { lang: "ru", text: "Россия осудила Японию за размещение ракет.", type: "ACCUSE", source: ["RUS"], target: ["JPN"] },
  // Japanese (lexicon added as a data file only)
  { lang: "ja", text: "北朝鮮は14日、弾道ミサイルを発射した。", type: "MOBILIZE", source: ["PRK"], target: [], date: "2024-05-14" },
  { lang: "ja", text: "日本政府は北朝鮮に厳重に抗議した。", type: "ACCUSE", source: ["JPN"], target: ["PRK"] },
  { lang: "ja", text: "岸田文雄首相は14日、韓国の尹錫悦大統領と会談した。", type: "CONSULT", source: ["JPN"], target: ["KOR"], date: "2024-05-14" },
  { lang: "ja", text: "米国は北朝鮮に対し制裁を科した。", type: "SANCTION", source: ["USA"], target: ["PRK"] },
  { lang: "ja", text: "日米韓の3カ国は14日、電話協議を行い、一連の発射を強く非難した。", type: "CONSULT", source: ["JPN", "KOR", "USA"], target: [], date: "2024-05-14" },
  // Korean
  { lang: "ko", text: "북한은 어제 동해상으로 탄도미사일을 발사했다.", type: "MOBILIZE", source: ["PRK"], target: [], date: "2024-05-14" },
  { lang: "ko", text: "외교부는 북한의 도발을 규탄했다.", type: "ACCUSE", source: ["KOR"], target: ["PRK"] },
  { lang: "ko", text: "윤석열 대통령은 14일 기시다 총리와 정상회담을 가졌다.", type: "CONSULT", source: ["KOR"], target: ["JPN"], date: "2024-05-14" },
  { lang: "ko", text: "러시아는 한국의 주장을 부인했다.", type: "REJECT", source: ["RUS"], target: ["KOR"] },
  { lang: "ko", text: "김홍균 외교부 제1차관은 러시아가 즉각 이를 중단할 것을 촉구했다.", type: "REQUEST", source: ["KOR"], target: ["RUS"] },
  // Russian
  { lang: "ru", text: "Министр обороны России Сергей Шойгу в среду провёл переговоры с Ким Чен Ыном в Пхеньяне.", type: "CONSULT", source: ["RUS"], target: ["PRK"], date: "2024-05-15" },
  { lang: "ru", text: "КНДР вчера запустила баллистическую ракету.", type: "MOBILIZE", source: ["PRK"], target: [], date: "2024-05-14" },
  { lang: "ru", text: "Лавров встретился с министром иностранных дел КНДР Цой Сон Хи в Москве 16 января.", type: "CONSULT", source: ["RUS"], target: ["PRK"], date: "2024-01-16" },
  // a person resolves to the country he serves at the event date; a reported verb after "said … and" keeps the speaker
  { lang: "en", text: "South Korea's ambassador said the deal helped North Korea, and urged Russia to stop all military cooperation.", type: "REQUEST", source: ["KOR"], target: ["RUS"] },
  { lang: "ko", text: "푸틴 러시아 대통령은 지난 14일 김정은 국무위원장과 조약에 서명했다.", type: "AGREE", source: ["PRK", "RUS"], target: ["PRK", "RUS"], date: "2024-05-14" },
];

describe("events by PLOVER category (zh, vi, en, ja, ko, ru)", () => {
  for (const c of CASES) {
    it(`${c.lang}: ${c.text}`, () => {
      const { events } = run(c.lang, c.text);
      const e = events.find((x) => x.type === c.type);
      expect(e, JSON.stringify(events.map((x) => [x.type, x.actors.map((a) => a.country)]))).toBeDefined();
      expect(countries(e!, "source")).toEqual(c.source);
      expect(countries(e!, "target")).toEqual(c.target.sort());
      if (c.date) expect(e!.date.value).toBe(c.date);
      expect(e!.cameo).toMatch(/^\d{3}$/);
      expect(e!.evidence[0]!.offset[1]).toBeGreaterThan(e!.evidence[0]!.offset[0]);
    });
  }
});

describe("modality", () => {
  const M: [string, string, string][] = [
    ["zh", "朝鲜领导人金正恩计划本月访问俄罗斯。", "planned"],
    ["vi", "Tổng thống Nga Vladimir Putin sẽ thăm Việt Nam.", "planned"],
    ["en", "Putin will visit North Korea next month.", "planned"],
    ["zh", "俄罗斯没有召见日本大使。", "denied"],
    ["vi", "Nga không triệu tập đại sứ Nhật Bản.", "denied"],
    ["zh", "如果朝鲜进行核试验,美国将实施制裁。", "conditional"],
    ["en", "If Iran attacked, Israel would impose sanctions.", "conditional"],
    ["ja", "岸田文雄首相は来月、韓国を訪問する予定だ。", "planned"],
    ["ja", "日本は北朝鮮に抗議しなかった。", "denied"],
    ["ko", "정부는 러시아 대사를 초치하지 않았다.", "denied"],
    ["ru", "Путин планирует посетить КНДР.", "planned"],
    ["ru", "Россия не осудила Японию.", "denied"],
    ["en", "Putin did not meet Kim Jong Un on Friday.", "denied"],
  ];
  for (const [lang, text, modality] of M) {
    it(`${lang}: ${text} -> ${modality}`, () => {
      const { candidates, events } = run(lang, text);
      expect(candidates.some((c) => c.modality === modality)).toBe(true);
      if (modality === "denied" || modality === "conditional") expect(events.filter((e) => e.modality === modality)).toEqual([]);
    });
  }
});

describe("dates resolved against the publication date", () => {
  const D: [string, string, string, string, string][] = [
    ["zh", "2023-09-23", "上周三(13日)", "2023-09-13", "day"],
    ["zh", "2023-09-23", "周二(19日)", "2023-09-19", "day"],
    ["zh", "2023-09-23", "周五", "2023-09-22", "day"],
    ["zh", "2023-09-06", "2019年4月", "2019-04", "month"],
    ["zh", "2023-09-06", "本月", "2023-09", "month"],
    ["zh", "2023-09-06", "7月", "2023-07", "month"],
    ["zh", "2024-06-19", "6月18日", "2024-06-18", "day"],
    ["zh", "2024-01-05", "12月30日", "2023-12-30", "day"],
    ["vi", "2021-03-29", "ngày 29/3", "2021-03-29", "day"],
    ["vi", "2023-11-09", "ngày 9-11", "2023-11-09", "day"],
    ["vi", "2023-11-09", "29-3-2021", "2021-03-29", "day"],
    ["vi", "2023-11-09", "hôm qua", "2023-11-08", "day"],
    ["vi", "2023-11-09", "tuần trước", "2023-11", "month"],
    ["en", "2023-09-23", "last Friday", "2023-09-22", "day"],
    ["en", "2023-09-23", "last week", "2023-09", "month"],
    ["en", "2024-01-11", "on Wednesday", "2024-01-10", "day"],
    ["en", "2024-01-17", "on Tuesday", "2024-01-16", "day"],
    ["zh", "2023-09-14", "昨天", "2023-09-13", "day"],
    ["zh", "2024-01-14", "去年12月", "2023-12", "month"],
    ["vi", "2023-10-20", "hôm qua", "2023-10-19", "day"],
    ["vi", "2024-03-18", "sáng nay", "2024-03-18", "day"],
    ["vi", "2024-03-18", "thứ năm tuần trước", "2024-03-14", "day"],
    ["ru", "2023-07-27", "в среду", "2023-07-26", "day"],
    ["ru", "2023-07-27", "26 июля", "2023-07-26", "day"],
    ["ru", "2023-07-27", "вчера", "2023-07-26", "day"],
    ["ko", "2024-06-21", "어제(20일)", "2024-06-20", "day"],
    ["ko", "2024-06-21", "지난 19일", "2024-06-19", "day"],
    ["ko", "2024-06-21", "어제", "2024-06-20", "day"],
    ["ja", "2023-12-18", "昨日夜", "2023-12-17", "day"],
    ["ja", "2023-12-18", "18日", "2023-12-18", "day"],
    ["ja", "2023-12-18", "先週水曜日", "2023-12-13", "day"],
  ];
  for (const [lang, pub, text, value, precision] of D) {
    it(`${lang} ${text} @${pub}`, () => {
      const d = findDates(normalizeForMatch(text, lang), text, lang, pub)[0];
      expect(d?.value).toBe(value);
      expect(d?.vague ? "month" : d?.precision).toBe(precision);
    });
  }
  it("falls back to the publication date without a mention", () => {
    const { events } = run("en", "Japan urged China to release the detained citizens.", "2024-02-02");
    expect(events[0]!.date).toEqual({ value: "2024-02-02", precision: "day" });
  });
});

describe("actor resolution", () => {
  const A: [string, string, string, string, string | undefined, string?][] = [
    ["zh", "朝方表示反对。", "PRK", "country:PRK", "GOV"],
    ["vi", "Bình Nhưỡng tuyên bố.", "PRK", "country:PRK", "GOV"],
    ["zh", "普京表示。", "RUS", "Q7747", "GOV", "2023-09-01"],
    ["zh", "北韩表示。", "PRK", "country:PRK", undefined],
    ["zh", "韓國外交部表示。", "KOR", "country:KOR", "GOV"],
    ["en", "Pyongyang said.", "PRK", "country:PRK", "GOV"],
    ["en", "The DPRK said.", "PRK", "country:PRK", undefined],
    ["vi", "Phía Nga cho biết.", "RUS", "country:RUS", "GOV"],
    ["zh", "联合国安理会表示。", "IGO", "igo:UNSC", undefined],
    ["zh", "俄罗斯国防部表示。", "RUS", "country:RUS", "MIL"],
    ["zh", "韩国国家情报院表示。", "KOR", "country:KOR", "SPY"],
    ["vi", "Hoà bình và hòa bình.", "", "", undefined],
  ];
  for (const [lang, text, country, id, sector, date] of A) {
    it(`${lang}: ${text}`, () => {
      const actors = resolveActors(text, lang, date ?? "2023-09-01").filter((a) => !("loc" in a));
      if (!country) { expect(actors).toEqual([]); return; }
      expect(actors[0]?.country).toBe(country);
      expect(actors[0]?.id).toBe(id);
      if (sector) expect(actors[0]?.sector).toBe(sector);
    });
  }
  it("a person resolves to the role held at the event date", () => {
    expect(resolveActors("Putin said.", "en", "2010-01-01")[0]?.sector).toBe("GOV");
    expect(resolveActors("Shoigu said.", "en", "2020-01-01")[0]?.sector).toBe("MIL");
    expect(resolveActors("Shoigu said.", "en", "2024-08-01")[0]?.sector).toBe("GOV");
  });
  it("Vietnamese tone placement is normalised (hòa = hoà)", () => {
    expect(normalizeForMatch("hòa", "vi")).toBe(normalizeForMatch("hoà", "vi"));
    expect(normalizeForMatch("thủy", "vi")).toBe(normalizeForMatch("thuỷ", "vi"));
  });
  // Where standard spelling puts the tone mark; a syllable already spelt so comes back unchanged.
  it.each([
    ["giải", "giải"], ["Triều", "Triều"], ["lửa", "lửa"], ["đạo", "đạo"], ["Nội", "Nội"],
    ["người", "người"], ["được", "được"], ["rượu", "rượu"], ["cứu", "cứu"], ["tiếng", "tiếng"],
    ["hoàng", "hoàng"], ["toán", "toán"], ["quốc", "quốc"], ["quý", "quý"], ["quà", "quà"],
    ["gìn", "gìn"], ["già", "già"], ["giữa", "giữa"], ["ngoài", "ngoài"], ["khuỷu", "khuỷu"],
    // Two conventions for oa, oe, uy at the end of a syllable: one form, the older one.
    ["hoà", "hòa"], ["hòa", "hòa"], ["khoẻ", "khỏe"], ["thuỷ", "thủy"], ["HOÀ", "HÒA"],
    // No tone mark, or not a syllable: as it was.
    ["Việt", "Việt"], ["nam", "nam"], ["đ", "đ"], ["", ""],
  ])("normVietSyllable(%s) = %s", (input, expected) => {
    expect(normVietSyllable(input.normalize("NFC"))).toBe(expected.normalize("NFC"));
  });
});

describe("story dates and background", () => {
  it("an undated report takes the story's day, not the publication date", () => {
    const text = "The United States, South Korea and Japan on Wednesday accused Russia of firing missiles.\n\nRussia's deputy ambassador rejected the accusations.";
    const { events } = run("en", text, "2024-01-11");
    const reject = events.find((e) => e.type === "REJECT");
    expect(reject?.date.value).toBe("2024-01-10");
  });
  it("lần thứ ba (the third time) is not a Tuesday", () => {
    expect(findDates(normalizeForMatch("Đây là lần thứ ba", "vi"), "Đây là lần thứ ba", "vi", "2024-03-18")).toEqual([]);
  });
  it("condemning a launch targets the launcher", () => {
    const { events } = run("ja", "北朝鮮は18日、弾道ミサイルを発射した。\n\n日米韓は一連の発射を強く非難した。", "2023-12-18");
    const acc = events.find((e) => e.type === "ACCUSE");
    expect(countries(acc!, "target")).toEqual(["PRK"]);
  });
});

describe("one event per real-world event", () => {
  it("merges mentions of the same meeting and keeps all evidence", () => {
    const text = "朝鲜领导人金正恩上周三(13日)在俄罗斯会见了俄罗斯总统普京。\n\n金正恩上周与普京举行了会谈。";
    const { events } = run("zh", text, "2023-09-23");
    const consult = events.filter((e) => e.type === "CONSULT");
    expect(consult).toHaveLength(1);
    expect(consult[0]!.date.value).toBe("2023-09-13");
    expect(consult[0]!.evidence).toHaveLength(2);
    expect(text.slice(...consult[0]!.evidence[1]!.offset)).toBe(consult[0]!.evidence[1]!.sentence);
  });
});

describe("PLOVER -> CAMEO table", () => {
  it("maps categories and modes", () => {
    expect(cameoOf("CONSULT", "visit").cameo).toBe("042");
    expect(cameoOf("SANCTION").quad).toBe(4);
    expect(cameoOf("AID", "weapons").cameo).toBe("072");
  });
});
