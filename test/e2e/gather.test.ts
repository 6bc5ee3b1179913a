/**
 * gather.ts on real Redis: an idle worker told to gather waits after the first arrival, so jobs
 * that arrive meanwhile start together; without it, each job starts as it arrives. A fresh queue
 * per test.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { gatherArrivals } from "@tidings/shared/gather";

const PREFIX = "tidings-test-gather";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("gatherArrivals", () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const o of opened.reverse()) await o.close();
    opened.length = 0;
  });

  /** Adds three jobs 60 ms apart to an idle worker; returns each job's wait (added -> started). */
  async function waits(gatherMs: number): Promise<number[]> {
    const name = `q${Date.now()}${Math.round(Math.random() * 1e6)}`;
    const connection = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
    const queue = new Queue(name, { connection, prefix: PREFIX });
    const started = new Map<string, number>();
    const worker = new Worker(name, async (job) => void started.set(job.id!, Date.now()), { connection, prefix: PREFIX, concurrency: 4 });
    gatherArrivals(worker, gatherMs);
    opened.push({ close: () => connection.quit() }, queue, worker);
    await worker.waitUntilReady();
    await sleep(300); // the queue is found empty: the worker blocks, waiting for an arrival
    const added: Array<[string, number]> = [];
    for (let i = 0; i < 3; i++) {
      const job = await queue.add("j", { i }, { removeOnComplete: true });
      added.push([job.id!, Date.now()]);
      await sleep(60);
    }
    const deadline = Date.now() + 10_000;
    while (started.size < 3 && Date.now() < deadline) await sleep(20);
    expect(started.size).toBe(3);
    return added.map(([id, at]) => started.get(id)! - at);
  }

  it("starts jobs that arrive while it gathers together, after the gathering time", async () => {
    const [first, second, third] = (await waits(400)) as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(350); // the first arrival waited for the others
    expect(second).toBeLessThan(first); // the later ones joined it
    expect(third).toBeLessThan(second);
    expect(first - third).toBeGreaterThanOrEqual(100); // ... in the same wake-up: ~120 ms apart
  });

  it("without gathering, each job starts as it arrives", async () => {
    const w = await waits(0);
    expect(Math.max(...w)).toBeLessThan(250);
  });

  it("a worker closed while it gathers starts nothing: the arrival stays waiting", async () => {
    const name = `q${Date.now()}${Math.round(Math.random() * 1e6)}`;
    const connection = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
    const queue = new Queue(name, { connection, prefix: PREFIX });
    let ran = 0;
    const worker = new Worker(name, async () => void ran++, { connection, prefix: PREFIX, concurrency: 4 });
    gatherArrivals(worker, 1000);
    opened.push({ close: () => connection.quit() }, queue);
    await worker.waitUntilReady();
    await sleep(300);
    await queue.add("j", {});
    await sleep(200); // the worker has woken up and is gathering
    const t0 = Date.now();
    await worker.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(ran).toBe(0);
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it("refuses a Worker it cannot wrap, unless turned off", () => {
    expect(() => gatherArrivals({} as Worker, 50)).toThrow(/TIDINGS_GATHER_MS=0/);
    expect(() => gatherArrivals({} as Worker, 0)).not.toThrow();
  });
});
