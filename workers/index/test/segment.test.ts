import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { segmentedFields } from "../src/documents.ts";
import { hasHanOrKana, MAX_SEGMENTED_CHARS, segmentForIndex, segmentRuns, sourceNeedsSegmentedCopy, wordRunsWithoutCjk } from "../src/segment.ts";

const FIXTURE_PAGES = new URL("../../../test/fixtures/pages/", import.meta.url);

describe("segmentForIndex", () => {
  it.each([
    ["North Korea's KCNA said: 2 missiles (Hwasong-18) were launched!", "en", "north korea s kcna said 2 missiles hwasong 18 were launched"],
    ["Шойгу прибыл в Пхеньян; КНДР и Россия — «союзники».", "ru", "шойгу прибыл в пхеньян кндр и россия союзники"],
    ["Nordkoreas Außenminister traf Lawrow in Moskau.", "de", "nordkoreas außenminister traf lawrow in moskau"],
    // One placement of tone marks for both spellings (hòa = hoà), in the index and in queries,
    // and it is standard spelling.
    ["Hòa bình và hoà giải: Triều Tiên phóng tên lửa đạn đạo.", "vi", "hòa bình và hòa giải triều tiên phóng tên lửa đạn đạo"],
    ["朝鲜与俄罗斯签署全面战略伙伴关系条约", "zh", "朝鲜 与 俄罗斯 签署 全面 战略伙伴 关系 条约"],
    ["北朝鮮がミサイルを発射した", "ja", "北朝 朝鮮 鮮が がミ ミサ サイ イル ルを を発 発射 射し した"],
    ["金正恩 Kim Jong Un 会见 Putin", "zh", "金正恩 kim jong un 会见 putin"],
    ["a朝鲜 and ーabc", "en", "a朝 朝鲜 and ー abc"],
    ["북한이 탄도미사일을 발사했다", "ko", "북한이 탄도미사일을 발사했다"],
    ["Việt Nam 越南 Hà Nội", "vi", "việt nam 越南 hà nội"],
    ["", "en", ""],
    ["—", "en", ""],
  ])("%s (%s)", (text, language, expected) => {
    expect(segmentForIndex(text, language)).toBe(expected);
  });

  // The one-pass path for text without Han or kana must give what the general path gives.
  it.each(readdirSync(FIXTURE_PAGES).filter((f) => /\.(html|txt)$/.test(f)))("takes a shortcut only where it changes nothing: %s", (file) => {
    const text = readFileSync(new URL(file, FIXTURE_PAGES), "latin1") + " " + readFileSync(new URL(file, FIXTURE_PAGES), "utf8");
    const withoutCjk = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]/gu, " ");
    for (const language of ["en", "vi", "zh", "ja", "ru"]) {
      for (const t of [text, withoutCjk]) {
        expect(segmentForIndex(t, language)).toBe(segmentRuns(t.slice(0, MAX_SEGMENTED_CHARS).normalize("NFC").toLowerCase(), language));
      }
    }
  });
});

describe("sourceNeedsSegmentedCopy", () => {
  // A source gets title_seg and text_seg only where they hold other words than the standard
  // analyzer finds in title and text.
  it.each([
    ["Kim meets Putin", "North Korea's KCNA said 2 missiles were launched.", "en", false],
    ["Шойгу в Пхеньяне", "КНДР и Россия — союзники.", "ru", false],
    ["북한, 미사일 발사", "북한이 탄도미사일을 발사했다", "ko", false],
    ["", "", "de", false],
    // Vietnamese: tone marks are placed one way in the copy (hoà = hòa), so it is kept.
    ["Hoà bình", "Triều Tiên phóng tên lửa.", "vi", true],
    ["朝俄签署条约", "朝鲜与俄罗斯签署全面战略伙伴关系条约", "zh", true],
    ["北朝鮮", "ミサイルを発射した", "ja", true],
    // Han or kana anywhere counts, whatever the language label says.
    ["Kim meets Putin", "Pyongyang (平壤) said", "en", true],
    ["北韩", "North Korea said", "en", true],
    ["北한", "탄도미사일 ー", "ko", true],
    // Decomposed text: the copy is in NFC, `text` is not, so only the copy meets an NFC query.
    ["Außenminister", "Nordkoreas Außenminister traf Lawrow in Moskau", "de", false],
    ["Café", "Lawrow traf Choe im Cafe\u0301 in Moskau", "de", true],
    ["Cafe\u0301", "Lawrow traf Choe in Moskau", "de", true],
  ])("%s / %s (%s): %s", (title, text, language, expected) => {
    expect(sourceNeedsSegmentedCopy(title, text, language)).toBe(expected);
  });

  it("decides the fields segmentedFields makes for a source", () => {
    expect(segmentedFields("sources", { title: "Kim meets Putin", text: "Kim met Putin.", language: "en" })).toEqual({ title_seg: undefined, text_seg: undefined });
    expect(segmentedFields("sources", { title: "金正恩会见普京", text: "朝鲜与俄罗斯签署条约", language: "zh" }))
      .toEqual({ title_seg: segmentForIndex("金正恩会见普京", "zh"), text_seg: segmentForIndex("朝鲜与俄罗斯签署条约", "zh") });
    expect(segmentedFields("sources", { text: "Hoà bình", language: "vi" })).toEqual({ title_seg: undefined, text_seg: "hòa bình" });
    // Events and mentions keep their segmented evidence in every language: `tidings query`
    // searches evidence_seg for all of them.
    expect(segmentedFields("mentions", { sentence: "Kim met Putin.", language: "en" })).toEqual({ sentence_seg: "kim met putin" });
  });
});

describe("wordRunsWithoutCjk", () => {
  // Characters that test the edges of /[\p{L}\p{M}\p{N}]+/gu: ASCII, Latin with combining marks,
  // Cyrillic, Hangul, digits of other scripts, spaces and punctuation of several kinds, astral
  // letters and digits (surrogate pairs), an astral symbol, and lone surrogates.
  const POOL = [
    "a", "Z", "7", " ", "-", "'", ".", "\u00a0", "\u200b", "é", "e\u0301", "ð", "ß", "ộ", "Ж", "ё", "한", "٣", "५", "—", "«", "№",
    "\u{1d49c}", "\u{1d7d8}", "\u{1f1f0}", "\u{10400}", "\ud800", "\udc00", "_", "\t", "\n", "²", "Ⅻ",
  ];
  function* strings(count: number): Generator<string> {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < count; k++) {
      let t = "";
      const n = Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) t += POOL[Math.floor(rand() * POOL.length)];
      yield t;
    }
  }

  it("finds exactly what the regular expression finds, on 5,000 random strings", () => {
    for (const t of strings(5000)) expect(wordRunsWithoutCjk(t), JSON.stringify(t)).toEqual(t.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
  });

  it.each(["朝", "ー", "カ", "ひ", "\u{20000}"])("gives up on Han or kana (%s)", (ch) => {
    expect(wordRunsWithoutCjk(`abc ${ch} def`)).toBeUndefined();
  });
  it("hasHanOrKana says what the regular expression says, on every BMP character and astral edges", () => {
    const re = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      if (hasHanOrKana(`ab${ch}`) !== re.test(ch)) expect(hasHanOrKana(`ab${ch}`), c.toString(16)).toBe(re.test(ch));
    }
    for (const t of ["\u{20000}", "\u{2a6d6}", "\u{1b001}", "\u{1f600}", "\u{10400}", "\ud840", "\ud840x", "x\udc00"]) expect(hasHanOrKana(t), JSON.stringify(t)).toBe(re.test(t));
    for (const t of strings(2000)) expect(hasHanOrKana(t)).toBe(re.test(t));
  });
});
