import { describe, expect, it } from "vitest";
import type { ExtractedEvent } from "@tidings/shared";
import { dateRange, isoDateOrUndefined, mergeEvent, sameEvent } from "../src/documents.ts";

function event(sourceId: string, sentence = "Kim met Putin."): ExtractedEvent {
  return {
    id: "e1", type: "CONSULT", cameo: "040", quad: 1, intensity: 1, modality: "asserted", confidence: 0.7,
    actors: [{ role: "source", name: "North Korea", id: "country:PRK", country: "PRK", mention: "朝鲜" },
      { role: "target", name: "Russia", id: "country:RUS", country: "RUS", mention: "俄罗斯" }],
    date: { value: "2023-09-13", precision: "day" },
    evidence: [{ source_id: sourceId, url: `https://x.test/${sourceId}`, language: "zh", published: "2023-09-14", sentence, offset: [0, sentence.length] }],
  };
}

describe("mergeEvent", () => {
  const now = "2024-01-01T00:00:00.000Z";
  it("starts an event from its first report", () => {
    const d = mergeEvent(undefined, event("s1"), { id: "s1", language: "zh", seen: "2023-09-14", mentions: 1 }, now);
    expect(d).toMatchObject({ num_sources: 1, num_mentions: 1, languages: ["zh"], source_countries: ["PRK"], target_countries: ["RUS"], date_start: "2023-09-13" });
  });

  it("adds a second source once, however often it is replayed", () => {
    const first = mergeEvent(undefined, event("s1"), { id: "s1", language: "zh", seen: "2023-09-14", mentions: 1 }, now);
    const second = mergeEvent(first, event("s2"), { id: "s2", language: "en", seen: "2023-09-13", mentions: 1 }, now);
    const replay = mergeEvent(second, event("s2"), { id: "s2", language: "en", seen: "2023-09-13", mentions: 1 }, "2025-01-01T00:00:00.000Z");
    expect(second).toMatchObject({ num_sources: 2, languages: ["en", "zh"], first_seen: "2023-09-13", last_seen: "2023-09-14" });
    expect(sameEvent(second, replay)).toBe(true);
    const replayFirst = mergeEvent(second, event("s1"), { id: "s1", language: "zh", seen: "2023-09-14", mentions: 1 }, now);
    expect(sameEvent(second, replayFirst)).toBe(true);
  });
});

describe("dates", () => {
  it.each([
    [{ value: "2023-09-13", precision: "day" }, "2023-09-13", "2023-09-13"],
    [{ value: "2024-02", precision: "month" }, "2024-02-01", "2024-02-29"],
    [{ value: "2019", precision: "year" }, "2019-01-01", "2019-12-31"],
  ] as const)("range of %j", (date, start, end) => {
    expect(dateRange(date)).toEqual({ start, end });
  });

  it.each([
    ["2023-09-23", "2023-09-23"],
    ["2023-09-23T10:00:00+08:00", "2023-09-23T02:00:00.000Z"],
    ["99999-01-01", undefined],
    ["yesterday", undefined],
    ["2023-13-45", undefined],
    [undefined, undefined],
  ])("isoDateOrUndefined(%j) = %j", (input, expected) => {
    expect(isoDateOrUndefined(input)).toBe(expected);
  });
});
