import { describe, expect, it } from "vitest";
import { eventIdOf, sourceIdOf } from "../src/ids.ts";
import { InvalidPayloadError, jobIdFor, parsePayload, toWire, type JobEnvelope } from "../src/jobs.ts";
import { nextQueue, QueueName } from "../src/queues.ts";

const envelope: JobEnvelope = {
  v: 1, source_id: sourceIdOf("https://example.test/a"), url: "https://example.test/a", input_url: "https://example.test/a",
  batch_id: "b_1", correlation_id: "c_1", run: "lx2a", enqueued_at: "2024-01-01T00:00:00.000Z",
};

describe("payload validation", () => {
  it("accepts a valid fetch payload", () => {
    expect(parsePayload(QueueName.Fetch, { envelope })).toEqual({ envelope });
  });

  it.each([
    ["no envelope", {}],
    ["bad source id", { envelope: { ...envelope, source_id: "nope" } }],
    ["wrong version", { envelope: { ...envelope, v: 2 } }],
    ["not an object", "hello"],
  ])("rejects %s", (_name, data) => {
    expect(() => parsePayload(QueueName.Fetch, data)).toThrow(InvalidPayloadError);
  });

  it("rejects an index payload of unknown kind", () => {
    expect(() => parsePayload(QueueName.Index, { kind: "other", envelope })).toThrow(InvalidPayloadError);
  });
});

describe("payloads on the wire", () => {
  const page = { requested_url: envelope.url, final_url: envelope.url, http_status: 200, content_type: "text/html", kind: "html", charset: "utf-8", fetched_at: "2024-01-01T00:00:00.000Z", bytes: 10 };
  const paragraphs = ["朝鲜领导人金正恩抵达符拉迪沃斯托克。", "Second paragraph."];
  const article = { paragraphs, text: paragraphs.join("\n\n"), language: "zh", language_confidence: 0.9, authors: [] };

  it("leave out an article's text and get it back when parsed", () => {
    const wire = toWire({ envelope, page, article });
    expect(wire.article).not.toHaveProperty("text");
    const back = parsePayload(QueueName.Translate, JSON.parse(JSON.stringify(wire)));
    expect(back.article.text).toBe(article.text);
    expect(back.article.paragraphs).toEqual(paragraphs);
  });

  it("keep a text that is not the paragraphs joined", () => {
    const odd = { ...article, text: "something else" };
    expect(toWire({ envelope, page, article: odd }).article.text).toBe("something else");
  });

  it("leave payloads without an article alone", () => {
    const p = { envelope };
    expect(toWire(p)).toBe(p);
  });
});

describe("job ids", () => {
  it("key every stage's job by source and run", () => {
    // A URL's run is the same job at each stage wherever it is handed on from (a retry re-adds
    // it as a no-op); a new run of the URL (a later enqueue) is a new job at every stage, fetch
    // included: whether a URL is already in flight is the batch store's run state, not a job id.
    expect(jobIdFor(QueueName.Fetch, { envelope })).toBe(jobIdFor(QueueName.Fetch, { envelope: { ...envelope, batch_id: "b_2" } }));
    expect(jobIdFor(QueueName.Fetch, { envelope })).not.toBe(jobIdFor(QueueName.Fetch, { envelope: { ...envelope, run: "zz" } }));
    const clean = jobIdFor(QueueName.Clean, { envelope } as never);
    expect(clean).not.toBe(jobIdFor(QueueName.Clean, { envelope: { ...envelope, run: "zz" } } as never));
    for (const id of [clean, jobIdFor(QueueName.Index, { kind: "failure", envelope } as never)]) expect(id).not.toContain(":");
  });

  it("next stage is decided in one place", () => {
    expect(nextQueue(QueueName.Fetch)).toBe(QueueName.Clean);
    expect(nextQueue(QueueName.Extract)).toBe(QueueName.Index);
    expect(nextQueue(QueueName.Index)).toBeUndefined();
  });
});

describe("event ids", () => {
  const date = { value: "2023-09-13", precision: "day" as const };
  it("depend on type, actors by role and date, not on names or order", () => {
    const a = eventIdOf("CONSULT", [{ role: "source", country: "PRK" }, { role: "target", country: "RUS" }], date);
    const b = eventIdOf("CONSULT", [{ role: "target", country: "RUS" }, { role: "source", country: "PRK" }, { role: "source", country: "PRK" }], date);
    expect(a).toBe(b);
    expect(a).not.toBe(eventIdOf("CONSULT", [{ role: "source", country: "RUS" }, { role: "target", country: "PRK" }], date));
    expect(a).not.toBe(eventIdOf("ACCUSE", [{ role: "source", country: "PRK" }, { role: "target", country: "RUS" }], date));
    expect(a).not.toBe(eventIdOf("CONSULT", [{ role: "source", country: "PRK" }, { role: "target", country: "RUS" }], { value: "2023-09", precision: "month" }));
  });
});
