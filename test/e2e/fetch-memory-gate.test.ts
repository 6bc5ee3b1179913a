/**
 * Backpressure on the fetch stage (workers/fetch/src/memory-gate.ts) on real Redis: a fetch
 * worker whose Redis is above TIDINGS_FETCH_PAUSE_REDIS_MB takes no jobs, and takes them again
 * once Redis is below the resume mark. "Above" is made by a limit below what Redis uses anyway.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Worker } from "bullmq";
import { createRedis, loadConfig, Producer, QueueName, type JobEnvelope } from "@tidings/shared";
import { createFetchWorker } from "@tidings/fetch/worker";
import { MemoryGate } from "@tidings/fetch/memory-gate";
import { WebServer } from "@tidings/scripts/demo/web-server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("fetch memory gate", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
  });

  async function setUp(env: Record<string, string>) {
    const web = await new WebServer({ fixtures: true, seeds: false, corpusPages: 0 }).start();
    closers.push(() => web.stop());
    const saved = process.env.TIDINGS_FETCH_ALLOW_HOSTS;
    process.env.TIDINGS_FETCH_ALLOW_HOSTS = `127.0.0.1:${web.port}`;
    closers.push(async () => {
      if (saved === undefined) delete process.env.TIDINGS_FETCH_ALLOW_HOSTS;
      else process.env.TIDINGS_FETCH_ALLOW_HOSTS = saved;
    });
    const config = loadConfig({
      REDIS_URL: inject("redisUrl"), TIDINGS_QUEUE_PREFIX: `t-gate-${Date.now().toString(36)}${Math.round(Math.random() * 1e6)}`,
      TIDINGS_GATHER_MS: "0", LOG_LEVEL: "error", ...env,
    });
    const connection = createRedis(config, "worker");
    const producer = new Producer(connection, config);
    closers.push(async () => {
      await producer.close();
      const keys = await connection.keys(`${config.queuePrefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      await connection.quit();
    });
    const urls = web.pages.slice(0, 3).map((p) => web.url(p.path));
    return { config, connection, producer, urls };
  }

  const urlsIn = async (producer: Producer, queue: QueueName): Promise<string[]> =>
    (await producer.queue(queue).getJobs(["waiting", "prioritized", "delayed"]))
      .flatMap((j) => (Array.isArray(j.data.items) ? j.data.items : [j.data]))
      .map((d: { envelope: JobEnvelope }) => d.envelope.url).sort();

  it("takes no fetch jobs while Redis uses more than TIDINGS_FETCH_PAUSE_REDIS_MB", async () => {
    // 1 MB: below what any Redis uses, so the gate is shut from the first check.
    const { config, connection, producer, urls } = await setUp({ TIDINGS_FETCH_PAUSE_REDIS_MB: "1" });
    const worker = createFetchWorker({ connection, config, producer }, { politeness: { hostConcurrency: 8, hostDelayMs: 0 } });
    closers.push(() => worker.close());
    const deadline = Date.now() + 5000;
    while (!worker.isPaused() && Date.now() < deadline) await sleep(20);
    expect(worker.isPaused()).toBe(true);
    await producer.enqueue(urls.map((url) => ({ url })), { label: "gate shut" });
    await sleep(1500);
    expect(await urlsIn(producer, QueueName.Fetch)).toEqual([...urls].sort());
    expect(await urlsIn(producer, QueueName.Clean)).toEqual([]);
  });

  it("pauses above the limit and resumes below the resume mark", async () => {
    const { config, connection, producer, urls } = await setUp({ TIDINGS_FETCH_PAUSE_REDIS_MB: "0" });
    const worker: Worker = createFetchWorker({ connection, config, producer }, { politeness: { hostConcurrency: 8, hostDelayMs: 0 } });
    closers.push(() => worker.close());
    const gate = new MemoryGate(connection, worker, { pauseAboveBytes: 1, intervalMs: 100 }).start();
    closers.push(async () => gate.stop());
    const deadline = Date.now() + 5000;
    while (!worker.isPaused() && Date.now() < deadline) await sleep(20);
    expect(worker.isPaused()).toBe(true);
    await producer.enqueue(urls.map((url) => ({ url })), { label: "gate" });
    await sleep(800);
    expect(await urlsIn(producer, QueueName.Clean)).toEqual([]);
    // Room again: the worker resumes and fetches the batch.
    gate.setOptions({ pauseAboveBytes: 1024 ** 5, intervalMs: 100 });
    const until = Date.now() + 15_000;
    while ((await urlsIn(producer, QueueName.Clean)).length < urls.length && Date.now() < until) await sleep(100);
    expect(worker.isPaused()).toBe(false);
    expect(await urlsIn(producer, QueueName.Clean)).toEqual([...urls].sort());
  });
});
