import { describe, expect, it } from "vitest";
import { normalizeSpace } from "../src/text-utils.ts";

describe("normalizeSpace", () => {
  it.each([
    ["", ""],
    ["   ", ""],
    ["already spaced", "already spaced"],
    [" lone spaces at the ends ", "lone spaces at the ends"],
    ["two  spaces", "two spaces"],
    ["line\nbreaks\r\nand\ttabs", "line breaks and tabs"],
    ["no\u00a0break\u3000ideographic", "no break ideographic"],
    ["zero\u200bwidth\u200d and\u2060joiners", "zero width and joiners"],
    ["\ufeffbyte order mark", "byte order mark"],
    ["\u2028line separator\u2029", "line separator"],
    ["金正恩 与普京", "金正恩 与普京"],
  ])("%j -> %j", (input, output) => {
    expect(normalizeSpace(input)).toBe(output);
  });
});
