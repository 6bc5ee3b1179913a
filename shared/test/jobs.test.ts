import { describe, expect, it } from "vitest";
import { eventIdOf, sourceIdOf } from "../src/ids.ts";
import { InvalidPayloadError, jobIdFor, parsePayload, type JobEnvelope } from "../src/jobs.ts";
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

describe("job ids", () => {
  it("dedupe fetches of one URL across batches, and key later stages by run", () => {
    expect(jobIdFor(QueueName.Fetch, { envelope })).toBe(jobIdFor(QueueName.Fetch, { envelope: { ...envelope, batch_id: "b_2", run: "zz" } }));
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
