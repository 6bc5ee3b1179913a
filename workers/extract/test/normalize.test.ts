import { describe, expect, it } from "vitest";
import { isLetter, isLetterAt } from "../src/normalize.ts";

describe("isLetterAt", () => {
  it("is isLetter of the code unit at an index, false outside the string", () => {
    const text = "Kim Jong-un 金正恩 Шойгу, Hà Nội 대사 カタカナ 42 é\u0301 𠀀💥!";
    for (let i = -2; i <= text.length + 1; i++) {
      expect(isLetterAt(text, i), `index ${i}`).toBe(isLetter(text[i]));
    }
    // Asked twice (the second time from its cache), the answer is the same.
    for (let i = 0; i < text.length; i++) expect(isLetterAt(text, i)).toBe(isLetter(text[i]));
  });

  it.each([
    ["a", true], ["Ж", true], ["7", true], ["한", true], ["金", false], ["カ", false], [" ", false], ["-", false],
  ])("%s -> %s", (ch, letter) => {
    expect(isLetterAt(ch, 0)).toBe(letter);
  });
});
