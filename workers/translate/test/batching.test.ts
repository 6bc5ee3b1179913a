import { describe, expect, it } from "vitest";
import { assemble, charCount, planBatches } from "../src/batching.ts";

/** "Translate" each segment by upper-casing it, then rebuild. */
const roundTrip = (texts: string[], maxChars: number, maxItems?: number, language?: string) => {
  const plan = planBatches(texts, { maxChars, ...(maxItems ? { maxItems } : {}), ...(language ? { language } : {}) });
  return { plan, out: assemble(plan, plan.segments.map((s) => s.toUpperCase())) };
};

describe("planBatches", () => {
  it("packs texts in order into requests under the char budget", () => {
    const texts = ["aaaa", "bbbb", "cccc", "dddd", "ee"];
    const { plan, out } = roundTrip(texts, 9);
    expect(plan.segments).toEqual(texts);
    expect(plan.batches).toEqual([[0, 1], [2, 3], [4]]);
    for (const b of plan.batches) expect(b.reduce((n, i) => n + charCount(plan.segments[i]!), 0)).toBeLessThanOrEqual(9);
    expect(out).toEqual(["AAAA", "BBBB", "CCCC", "DDDD", "EE"]);
    expect(plan.batches.flat()).toEqual(plan.segments.map((_, i) => i)); // every segment once, in order
  });

  it("caps the number of texts per request", () => {
    const { plan } = roundTrip(["a", "b", "c", "d", "e"], 1000, 2);
    expect(plan.batches).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("puts everything in one request when it fits", () => {
    expect(roundTrip(["one", "two"], 100).plan.batches).toEqual([[0, 1]]);
  });

  it("splits an over-long text by sentences, merging them back up to the budget", () => {
    const text = "First sentence here. Second one is here. Third sentence now. Fourth and last.";
    const { plan, out } = roundTrip([text], 45, undefined, "en");
    expect(plan.segments).toEqual(["First sentence here. Second one is here.", "Third sentence now. Fourth and last."]);
    expect(plan.segments.every((s) => charCount(s) <= 45)).toBe(true);
    expect(plan.batches).toEqual([[0], [1]]);
    expect(out).toEqual([text.toUpperCase()]); // the space between the two pieces is kept
  });

  it("splits Chinese at sentence ends without spaces", () => {
    const text = "朝鲜与俄罗斯举行会谈。双方签署了协议。联合国安理会表示关切。";
    const { plan, out } = roundTrip([text], 12, undefined, "zh");
    expect(plan.segments).toEqual(["朝鲜与俄罗斯举行会谈。", "双方签署了协议。", "联合国安理会表示关切。"]);
    expect(out).toEqual([text]);
  });

  it("cuts a sentence over the budget at spaces, and a run without spaces at characters", () => {
    const { plan, out } = roundTrip(["alpha beta gamma delta", "x".repeat(25)], 11);
    expect(plan.segments).toEqual(["alpha beta", "gamma delta", "x".repeat(11), "x".repeat(11), "xxx"]);
    expect(out).toEqual(["ALPHA BETA GAMMA DELTA", "X".repeat(25)]);
  });

  it("keeps line breaks and surrounding whitespace as they were, untranslated", () => {
    const text = "  line one\n\nline two \n line three  ";
    const { plan, out } = roundTrip([text], 100);
    expect(plan.segments).toEqual(["line one", "line two", "line three"]);
    expect(out).toEqual(["  LINE ONE\n\nLINE TWO \n LINE THREE  "]);
  });

  it("sends nothing for empty or blank texts and keeps their place", () => {
    const { plan, out } = roundTrip(["", "  ", "text"], 100);
    expect(plan.segments).toEqual(["text"]);
    expect(out).toEqual(["", "  ", "TEXT"]);
  });

  it("counts code points, not UTF-16 units", () => {
    expect(charCount("𠀀𠀁a")).toBe(3);
    const { plan } = roundTrip(["𠀀".repeat(5)], 2);
    expect(plan.segments).toEqual(["𠀀𠀀", "𠀀𠀀", "𠀀"]);
  });
});
