import { describe, expect, it } from "vitest";
import { flushWaitFromEnv } from "../src/worker.ts";

describe("TIDINGS_INDEX_FLUSH_MS", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["500", 500],
    [" 0 ", 0],
  ])("%j -> %j", (raw, want) => {
    expect(flushWaitFromEnv(raw === undefined ? {} : { TIDINGS_INDEX_FLUSH_MS: raw })).toBe(want);
  });
  it.each(["-1", "1.5", "abc", "60001"])("refuses %j, naming the variable", (raw) => {
    expect(() => flushWaitFromEnv({ TIDINGS_INDEX_FLUSH_MS: raw })).toThrow("TIDINGS_INDEX_FLUSH_MS");
  });
});
