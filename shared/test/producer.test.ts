import { describe, expect, it } from "vitest";
import { parseRunState, type SourceRunState } from "../src/batches.ts";
import { decideRepeat } from "../src/producer.ts";

describe("decideRepeat: what an enqueue does with a URL seen before", () => {
  const now = 1_000_000_000;
  const hour = 3_600_000;
  const max = 24 * hour;
  it.each<[string, SourceRunState | undefined, ReturnType<typeof decideRepeat>]>([
    ["never queued (or its state expired)", undefined, "queue"],
    ["its last run failed: a new batch is a new chance", { state: "failed", since: now - 1000 }, "queue"],
    ["queued a minute ago: in flight", { state: "queued", since: now - 60_000 }, "join"],
    ["queued just under the limit ago: still in flight", { state: "queued", since: now - max }, "join"],
    ["queued longer ago than the limit: that run is taken for lost", { state: "queued", since: now - max - 1 }, "queue"],
    ["indexed", { state: "indexed", since: now - 1000 }, "attach-done"],
    ["indexed long ago", { state: "indexed", since: now - 60 * 24 * hour }, "attach-done"],
    ["skipped (not an article)", { state: "skipped", since: now - 1000 }, "attach-done"],
  ])("%s", (_case, run, expected) => {
    expect(decideRepeat(run, now, max)).toBe(expected);
  });
});

describe("parseRunState", () => {
  it.each<[string | null, SourceRunState | undefined]>([
    ["queued 1733400000000", { state: "queued", since: 1733400000000 }],
    ["indexed 5", { state: "indexed", since: 5 }],
    ["failed 0", { state: "failed", since: 0 }],
    ["skipped 12", { state: "skipped", since: 12 }],
    [null, undefined],
    ["", undefined],
    ["running 12", undefined],
    ["queued", undefined],
    ["queued soon", undefined],
  ])("%j", (raw, expected) => {
    expect(parseRunState(raw)).toEqual(expected);
  });
});
