import { describe, expect, it } from "vitest";
import { effectivePauseBytes, parseInfoMemory, shouldPause } from "../src/memory-gate.ts";

describe("memory gate", () => {
  it("reads used_memory and maxmemory from INFO memory", () => {
    const info = "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_rss:9000000\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n";
    expect(parseInfoMemory(info)).toEqual({ used: 1048576, max: 0 });
    expect(parseInfoMemory(info.replace("maxmemory:0", "maxmemory:2147483648"))).toEqual({ used: 1048576, max: 2147483648 });
    expect(parseInfoMemory("used_memory:5\n")).toEqual({ used: 5, max: 0 });
    expect(() => parseInfoMemory("# Memory\r\n")).toThrow(/used_memory/);
  });

  it.each([
    ["no maxmemory: the configured limit", 2048, 0, 2048],
    ["a larger maxmemory: the configured limit", 2048, 10_000, 2048],
    ["a smaller maxmemory: 80% of it", 2048, 1000, 800],
  ])("pause limit with %s", (_case, configured, max, expected) => {
    expect(effectivePauseBytes(configured, max)).toBe(expected);
  });

  it.each([
    // paused, used, pause above, resume below -> paused after
    [false, 900, 1000, 800, false],
    [false, 1000, 1000, 800, false],
    [false, 1001, 1000, 800, true],
    [true, 1001, 1000, 800, true],
    [true, 900, 1000, 800, true], // between the marks: stays paused (no flapping)
    [true, 800, 1000, 800, true],
    [true, 799, 1000, 800, false],
  ])("paused=%s at %d (pause above %d, resume below %d) -> %s", (paused, used, above, below, expected) => {
    expect(shouldPause(paused, used, above, below)).toBe(expected);
  });
});
