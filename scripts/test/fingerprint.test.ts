import { describe, expect, it } from "vitest";
import { eventLine, sourceLine } from "../src/bench/fingerprint.ts";

describe("results fingerprint lines", () => {
  it("key sources by URL path, so the page server's port does not matter", () => {
    const a = sourceLine({ url: "http://127.0.0.1:40001/p/17?x=1", status: "indexed", language: "zh", event_ids: ["e2", "e1"] });
    const b = sourceLine({ url: "http://127.0.0.1:53117/p/17?x=1", status: "indexed", language: "zh", event_ids: ["e1", "e2"] });
    expect(a).toBe(b);
    expect(sourceLine({ url: "http://127.0.0.1:40001/p/18?x=1", status: "indexed", language: "zh", event_ids: ["e1", "e2"] })).not.toBe(a);
  });

  it("tell events apart by what they say, not by array order", () => {
    const e = { id: "ev1", type: "CONSULT", date: { value: "2023-09-13", precision: "day" }, actor_ids: ["country:RUS", "country:PRK"], num_sources: 3, num_mentions: 4, languages: ["zh", "en"] };
    expect(eventLine(e)).toBe(eventLine({ ...e, actor_ids: ["country:PRK", "country:RUS"], languages: ["en", "zh"] }));
    expect(eventLine({ ...e, num_sources: 2 })).not.toBe(eventLine(e));
  });
});
