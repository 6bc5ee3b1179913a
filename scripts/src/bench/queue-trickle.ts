/**
 * What a job costs the queue when jobs trickle in rather than wait in a backlog, and what
 * gathering arrivals (shared/src/gather.ts, TIDINGS_GATHER_MS) wins back.
 *
 * Every stage downstream of the slowest one receives its jobs one at a time, at the pipeline's
 * rate, so each job wakes an idle worker. This runs a no-op worker (concurrency 8, like the
 * translate stage) on a fresh queue three ways:
 *
 *   backlog   all `jobs` added first (addBulk), then the worker starts
 *   trickle   the worker waits; jobs are added one by one at `ratePerS`
 *   gathered  the same trickle, the worker gathering arrivals for `gatherMs`
 *
 * and reports CPU per job: this process (the worker and, in the trickle rows, the producer's
 * queue.add calls, the same in both rows) and Redis (its own used_cpu counters).
 */
import { performance } from "node:perf_hooks";
import { Queue, Worker } from "bullmq";
import { createRedis, type Config } from "@tidings/shared";
import { gatherArrivals } from "@tidings/shared/gather";
import type { QueueTrickle, TrickleRow } from "./report.ts";
import { redisCpuMs } from "./service-cpu.ts";
import { closeBenchQueue } from "./stages.ts";
import { round } from "./stats.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runOnce(config: Config, mode: TrickleRow["mode"], jobs: number, ratePerS: number, gatherMs: number): Promise<TrickleRow> {
  const connection = createRedis(config, "worker");
  const workerConnection = createRedis(config, "worker");
  const name = `trickle-${mode}-${Date.now()}`;
  const queue = new Queue(name, { connection, prefix: config.queuePrefix, defaultJobOptions: { removeOnComplete: { count: config.keepCompleted } } });
  let worker: Worker | undefined;
  try {
    const data = { url: "http://bench.invalid/p/0", pad: "x".repeat(2000) };
    if (mode === "backlog") {
      for (let i = 0; i < jobs; i += 1000) await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, () => ({ name: "noop", data })));
    }
    let done = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    worker = new Worker(name, async () => undefined, { connection: workerConnection, prefix: config.queuePrefix, concurrency: 8, autorun: false });
    if (mode === "gathered") gatherArrivals(worker, gatherMs);
    worker.on("completed", () => {
      if (++done >= jobs) resolveAll();
    });
    await worker.waitUntilReady();
    if (mode !== "backlog") {
      void worker.run();
      await sleep(200); // let it find the queue empty and block, waiting for an arrival
    }
    const redis0 = (await redisCpuMs(connection)) ?? NaN;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (mode === "backlog") void worker.run();
    else {
      for (let i = 0; i < jobs; i++) {
        const wait = t0 + (i * 1000) / ratePerS - performance.now();
        if (wait > 0) await sleep(wait);
        await queue.add("noop", data);
      }
    }
    await all;
    const cpu = process.cpuUsage(cpu0);
    const redisMs = ((await redisCpuMs(connection)) ?? NaN) - redis0;
    return {
      mode, jobs, rate_per_s: mode === "backlog" ? null : ratePerS, gather_ms: mode === "gathered" ? gatherMs : 0,
      process_cpu_ms_per_job: round((cpu.user + cpu.system) / 1000 / jobs, 3),
      redis_cpu_ms_per_job: round(redisMs / jobs, 3),
    };
  } finally {
    await closeBenchQueue(worker, queue, [workerConnection, connection]);
  }
}

export async function benchQueueTrickle(config: Config, jobs = 600, ratePerS = 100): Promise<QueueTrickle> {
  const gatherMs = config.gatherMs > 0 ? config.gatherMs : 100;
  const rows: TrickleRow[] = [];
  for (const mode of ["backlog", "trickle", "gathered"] as const) rows.push(await runOnce(config, mode, jobs, ratePerS, gatherMs));
  return { rows };
}
