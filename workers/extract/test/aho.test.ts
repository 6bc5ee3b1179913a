import { describe, expect, it } from "vitest";
import { AhoCorasick, type AcMatch } from "../src/aho.ts";

/**
 * Every occurrence of every pattern by brute force, in the matcher's documented order: by end,
 * longest first at one end, patterns added twice in the order they were added.
 */
function bruteForce(patterns: readonly string[], text: string): AcMatch<number>[] {
  const found: (AcMatch<number> & { len: number })[] = [];
  patterns.forEach((p, k) => {
    if (!p) return;
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
      // A pattern never starts or ends inside a surrogate pair (the matcher walks code points).
      const splitsPair = (i: number) => i > 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800;
      if (splitsPair(at) || splitsPair(at + p.length)) continue;
      found.push({ start: at, end: at + p.length, payload: k, len: p.length });
    }
  });
  found.sort((a, b) => a.end - b.end || b.len - a.len || a.payload - b.payload);
  return found.map(({ start, end, payload }) => ({ start, end, payload }));
}

function matcherOf(patterns: readonly string[]): AhoCorasick<number> {
  const m = new AhoCorasick<number>();
  patterns.forEach((p, k) => m.add(p, k));
  return m;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("AhoCorasick", () => {
  it.each([
    ["overlapping and nested", ["he", "she", "his", "hers"], "ushers and his shelf"],
    ["a pattern inside another, same end", ["korea", "north korea", "rea"], "north korea and south korea"],
    ["the same pattern twice keeps both payloads, in order", ["putin", "putin", "tin"], "putin"],
    ["Han characters", ["朝鲜", "金正恩", "朝", "俄罗斯", "罗斯"], "朝鲜最高领导人金正恩与俄罗斯总统普京"],
    ["astral characters", ["𠀀𠀁", "𠀁", "💥x"], "a𠀀𠀁b💥x𠀁"],
    ["no match at all", ["xyz"], "abcdef"],
    ["characters in no pattern reset the walk", ["abc"], "ab-abc a.bc abc"],
  ])("%s", (_, patterns, text) => {
    expect(matcherOf(patterns).search(text)).toEqual(bruteForce(patterns, text));
  });

  it("matches brute force on random patterns and texts (nodes with many transitions too)", () => {
    const next = rng(7);
    const alphabet = ["a", "b", "c", "d", " ", "é", "朝", "鲜", "𠀀", ..."efghijklmnopqrstuvwxyz"];
    const word = (max: number) => Array.from({ length: 1 + Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]!).join("");
    for (let round = 0; round < 40; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 60) }, () => word(5));
      const m = matcherOf(patterns);
      for (let t = 0; t < 10; t++) {
        const text = word(200);
        expect(m.search(text), `${JSON.stringify(patterns)} in ${JSON.stringify(text)}`).toEqual(bruteForce(patterns, text));
      }
    }
  });

  it("searchWhereStarts gives search()'s matches that start where allowed, in the same order", () => {
    const next = rng(11);
    const alphabet = ["a", "b", " ", "-", "é", "朝", "鲜", "𠀀", ..."cdefghijklmnop"];
    const word = (max: number) => Array.from({ length: 1 + Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]!).join("");
    // Word starts: not a Latin letter right after a Latin letter (the extract stage's rule for names).
    const latin = (c: string | undefined) => !!c && /[a-pé]/.test(c);
    const wordStart = (t: string, i: number) => !(latin(t[i]) && latin(t[i - 1]));
    for (let round = 0; round < 40; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 40) }, () => word(5));
      const m = matcherOf(patterns);
      for (let t = 0; t < 10; t++) {
        const text = word(200);
        const expected = m.search(text).filter((x) => wordStart(text, x.start));
        expect(m.searchWhereStarts(text, wordStart), `${JSON.stringify(patterns)} in ${JSON.stringify(text)}`).toEqual(expected);
      }
    }
    expect(matcherOf(["ab", "b"]).searchWhereStarts("ab", (_, i) => i === 1)).toEqual([{ start: 1, end: 2, payload: 1 }]);
  });

  it("can be searched before build() and after more patterns are added", () => {
    const m = matcherOf(["ab"]);
    expect(m.search("xab")).toEqual([{ start: 1, end: 3, payload: 0 }]);
    m.add("xa", 1);
    expect(m.search("xab")).toEqual([{ start: 0, end: 2, payload: 1 }, { start: 1, end: 3, payload: 0 }]);
  });
});
