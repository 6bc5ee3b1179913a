import type { JobsOptions } from "bullmq";
import { describe, expect, it } from "vitest";
import { attemptsBefore, bundleJobId, FollowUpBundler, isBundle, jobsAtOnce, withoutAttemptsBefore } from "../src/bundles.ts";
import { sourceIdOf } from "../src/ids.ts";
import type { AnyPayload, JobEnvelope } from "../src/jobs.ts";
import { QueueName } from "../src/queues.ts";

const payload = (n: number): AnyPayload => {
  const url = `https://example.test/${n}`;
  const envelope: JobEnvelope = {
    v: 1, source_id: sourceIdOf(url), url, input_url: url, batch_id: "b_1", correlation_id: `c_${n}`, run: "lx2a",
    enqueued_at: "2024-01-01T00:00:00.000Z",
  };
  return { envelope };
};

/** A bundler whose jobs are recorded instead of added (the add itself is the producer's, tested on Redis). */
function recording(maxItems: number, waitMs: number, fail?: Error) {
  const added: { queue: QueueName; ids: string[]; opts: JobsOptions }[] = [];
  const bundler = new FollowUpBundler(async (queue, payloads, opts) => {
    if (fail) throw fail;
    added.push({ queue, ids: payloads.map((p) => p.envelope.correlation_id), opts });
  }, { maxItems, waitMs });
  return { bundler, added };
}

describe("jobsAtOnce", () => {
  it.each([
    // URL slots, hands outputs on in bundles -> BullMQ jobs at once
    [2, true, 4],
    [16, true, 32],
    [1, true, 2],
    [64, false, 64], // index: nothing handed on
    [2, false, 2], // bundling off
  ])("%i URLs, bundling %s -> %i jobs", (slots, bundles, jobs) => expect(jobsAtOnce(slots, bundles)).toBe(jobs));
});

describe("FollowUpBundler", () => {
  it("hands a full bundle on at once, and each submission resolves only after its job is added", async () => {
    const { bundler, added } = recording(3, 10_000);
    const order: string[] = [];
    const subs = [1, 2, 3].map((n) => bundler.submit(QueueName.Extract, payload(n)).then(() => order.push(`resolved ${n}`)));
    expect(order).toEqual([]); // the add is asynchronous: nothing resolved before it finished
    await Promise.all(subs);
    expect(added).toEqual([{ queue: QueueName.Extract, ids: ["c_1", "c_2", "c_3"], opts: {} }]);
    expect(order).toEqual(["resolved 1", "resolved 2", "resolved 3"]);
  });

  it("hands a partial bundle on after waitMs, and keeps one open bundle per queue", async () => {
    const { bundler, added } = recording(8, 30);
    const t0 = Date.now();
    await Promise.all([
      bundler.submit(QueueName.Translate, payload(1), { removeOnComplete: { count: 5 } }),
      bundler.submit(QueueName.Extract, payload(2)),
      bundler.submit(QueueName.Translate, payload(3)),
    ]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(added).toEqual([
      { queue: QueueName.Translate, ids: ["c_1", "c_3"], opts: { removeOnComplete: { count: 5 } } },
      { queue: QueueName.Extract, ids: ["c_2"], opts: {} },
    ]);
  });

  it("starts a new bundle after one leaves", async () => {
    const { bundler, added } = recording(2, 20);
    await Promise.all([1, 2, 3, 4, 5].map((n) => bundler.submit(QueueName.Index, payload(n))));
    expect(added.map((a) => a.ids)).toEqual([["c_1", "c_2"], ["c_3", "c_4"], ["c_5"]]);
  });

  it("with maxItems 1 adds every payload as its own job at once", async () => {
    const { bundler, added } = recording(1, 10_000);
    await bundler.submit(QueueName.Clean, payload(1));
    await bundler.submit(QueueName.Clean, payload(2));
    expect(added.map((a) => a.ids)).toEqual([["c_1"], ["c_2"]]);
  });

  it("rejects every submission of a bundle that could not be added", async () => {
    const { bundler } = recording(2, 10, new Error("redis said no"));
    const results = await Promise.allSettled([bundler.submit(QueueName.Extract, payload(1)), bundler.submit(QueueName.Extract, payload(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ message: "redis said no" });
  });
});

describe("bundle data", () => {
  it("tells a bundle from one payload", () => {
    expect(isBundle({ items: [] })).toBe(true);
    expect(isBundle({ items: [payload(1)] })).toBe(true);
    expect(isBundle(payload(1))).toBe(false);
    expect(isBundle({ items: "x" })).toBe(false);
    expect(isBundle(null)).toBe(false);
  });

  it("derives a bundle's id from its items' ids, in order", () => {
    const a = bundleJobId(QueueName.Extract, [payload(1), payload(2)]);
    expect(a).toMatch(/^bundle-extract-[0-9a-f]{32}$/);
    expect(bundleJobId(QueueName.Extract, [payload(1), payload(2)])).toBe(a);
    expect(bundleJobId(QueueName.Extract, [payload(2), payload(1)])).not.toBe(a);
    expect(bundleJobId(QueueName.Index, [payload(1), payload(2)])).not.toBe(bundleJobId(QueueName.Extract, [payload(1), payload(2)]));
  });

  it.each([
    [{ envelope: {} }, 0],
    [{ envelope: {}, attempts_before: 2 }, 2],
    [{ envelope: {}, attempts_before: -1 }, 0],
    [{ envelope: {}, attempts_before: "3" }, 0],
    [{ envelope: {}, attempts_before: 1.5 }, 0],
    [null, 0],
  ])("reads the attempts a payload had before it left its bundle: %j -> %i", (data, expected) => {
    expect(attemptsBefore(data)).toBe(expected);
  });

  it("drops the attempts count from what travels on, and leaves other payloads as they are", () => {
    const p = payload(1);
    expect(withoutAttemptsBefore({ ...p, attempts_before: 2 })).toEqual(p);
    expect(withoutAttemptsBefore(p)).toBe(p);
  });
});
