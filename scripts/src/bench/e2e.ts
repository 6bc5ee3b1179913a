/**
 * The end-to-end run: worker processes per stage (`tidings worker --stages <stage>`, N each),
 * one batch of URLs on the local page server, measured from the first enqueue to the last
 * source ended. While it runs: batch progress every 250 ms (end-to-end and sustained rate) with
 * each stage's CPU so far (and the services' every second), so the report can show CPU per
 * article by quarter of the run (warm-up against the steady state); Redis used_memory and the
 * URLs in flight every 500 ms, the workers' peak RSS. At the end:
 * the workers' CPU time (from /proc), queue waits of the retained completed jobs, and the index
 * operations Elasticsearch performed.
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { PIPELINE, Producer, createRedis, randomId, type BatchProgress, type Config, type ElasticsearchClient } from "@tidings/shared";
import type { PageServer } from "./page-server.ts";
import { cpuMs, peakRssKb, spawnStageWorker, stopStageWorker, type StageProcess } from "./processes.ts";
import type { E2eResult, E2eStage } from "./report.ts";
import { resultsFingerprint } from "./fingerprint.ts";
import { machineCpuBetween, readCpuTimes } from "./machine-cpu.ts";
import { esCpuMs, redisCpuMs } from "./service-cpu.ts";
import { indexOps } from "./stages.ts";
import { busyTime, cpuPerArticleByPart, crossingTime, jobsOf, memoryPer1000, middleRate, round, summarize, type CpuSample, type MemorySample, type ProgressSample } from "./stats.ts";

export interface E2eOptions {
  urls: number;
  procsPerStage: number;
  timeoutMs: number;
  /** URLs run through the workers, and waited for, before the measured batch (BenchOptions.warmupUrls). */
  warmupUrls: number;
  log: (line: string) => void;
}

/** Environment of the worker processes: this run's prefixes, the local server opened, politeness relaxed for it. */
export function workerEnv(config: Config, server: PageServer, procsPerStage: number): NodeJS.ProcessEnv {
  const fetchConcurrency = config.concurrency.fetch;
  return {
    ...process.env,
    REDIS_URL: config.redisUrl,
    ELASTICSEARCH_URL: config.elasticsearchUrl,
    TIDINGS_QUEUE_PREFIX: config.queuePrefix,
    TIDINGS_INDEX_PREFIX: config.indexPrefix,
    TIDINGS_KEEP_COMPLETED: String(config.keepCompleted),
    TIDINGS_FETCH_ALLOW_HOSTS: server.host,
    // One local host serves every page: let every fetch slot of every fetch process use it at once.
    TIDINGS_FETCH_HOST_CONCURRENCY: String(Math.max(2, fetchConcurrency * procsPerStage)),
    TIDINGS_FETCH_HOST_DELAY_MS: "0",
    TIDINGS_SHUTDOWN_TIMEOUT_MS: "5000",
    LOG_LEVEL: process.env.TIDINGS_BENCH_LOG_LEVEL ?? "warn",
  };
}

async function readUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  const m = /used_memory:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}

/** Each stage queue's id counter: BullMQ's add script increments it for every job added (ids of our own or not). */
async function jobsAdded(redis: Redis, prefix: string): Promise<Record<string, number | undefined>> {
  const values = await redis.mget(...PIPELINE.map((q) => `${prefix}:${q}:id`)).catch(() => []);
  return Object.fromEntries(PIPELINE.map((q, i) => [q, values[i] == null ? undefined : Number(values[i])]));
}

interface JobTimes { timestamp: number; processedOn: number; finishedOn: number }

/** timestamp / processedOn / finishedOn of every retained completed job of a queue (HMGET, without the job data). */
async function completedJobTimes(redis: Redis, prefix: string, queue: string): Promise<JobTimes[]> {
  const ids = await redis.zrange(`${prefix}:${queue}:completed`, 0, -1);
  const out: JobTimes[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const multi = redis.multi();
    for (const id of ids.slice(i, i + 500)) multi.hmget(`${prefix}:${queue}:${id}`, "timestamp", "processedOn", "finishedOn");
    for (const [, v] of (await multi.exec()) ?? []) {
      const [ts, on, fin] = ((v as (string | null)[] | null) ?? []).map(Number);
      if (ts && on && fin) out.push({ timestamp: ts, processedOn: on, finishedOn: fin });
    }
  }
  return out;
}

/** Average MEMORY USAGE of the retained completed job hashes of a queue (bytes; all of them, pipelined). */
async function retainedJobBytes(redis: Redis, prefix: string, queue: string): Promise<number> {
  const ids = await redis.zrange(`${prefix}:${queue}:completed`, 0, -1);
  if (ids.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const multi = redis.multi();
    for (const id of ids.slice(i, i + 500)) multi.call("MEMORY", "USAGE", `${prefix}:${queue}:${id}`, "SAMPLES", "0");
    for (const [, v] of (await multi.exec()) ?? []) sum += Number(v ?? 0);
  }
  return sum / ids.length;
}

export class E2eRun {
  procs: StageProcess[] = [];
  private queues: Queue[] = [];

  constructor(private readonly config: Config, private readonly server: PageServer, private readonly es: ElasticsearchClient, private readonly opts: E2eOptions) {}

  private check(): void {
    const dead = this.procs.find((p) => !p.alive());
    if (dead) throw new Error(`the ${dead.stage} worker (pid ${dead.pid}) exited during the run:\n${dead.tail().slice(-4000)}`);
  }

  async run(): Promise<E2eResult> {
    const { config, opts } = this;
    const redis = createRedis(config, "producer");
    const producer = new Producer(redis, config);
    this.queues = PIPELINE.map((q) => producer.queue(q));
    const rss = new Map<number, number>();
    const sampleRss = () => {
      for (const p of this.procs) {
        const kb = peakRssKb(p.pid);
        if (kb !== undefined) rss.set(p.pid, Math.max(rss.get(p.pid) ?? 0, kb));
      }
    };
    try {
      // Workers: one process per stage, N each.
      const env = workerEnv(config, this.server, opts.procsPerStage);
      for (const stage of PIPELINE) for (let k = 0; k < opts.procsPerStage; k++) this.procs.push(spawnStageWorker(stage, env));
      opts.log(`e2e: started ${this.procs.length} worker processes (${PIPELINE.join(", ")} x ${opts.procsPerStage}); waiting until they listen`);
      const readyBy = Date.now() + 180_000;
      for (;;) {
        this.check();
        const counts = await Promise.all(this.queues.map((q) => q.getWorkersCount().catch(() => 0)));
        if (counts.every((c) => c >= opts.procsPerStage)) break;
        if (Date.now() > readyBy) throw new Error(`workers not listening after 180 s (workers per queue ${counts.join(", ")})\n${this.procs[0]?.tail().slice(-3000) ?? ""}`);
        await sleep(250);
      }
      await sleep(500);
      if (opts.warmupUrls > 0) await this.warmUp(producer, opts.warmupUrls);
      const cpu0 = new Map(this.procs.map((p) => [p.pid, cpuMs(p.pid) ?? 0]));
      const machine0 = { times: readCpuTimes(), at: performance.now() };
      const services0 = { redis: await redisCpuMs(redis), es: await esCpuMs(this.es), self: selfCpuMs() };
      const baseline = await readUsedMemory(redis);
      const jobIds0 = await jobsAdded(redis, config.queuePrefix);

      // Samplers: Redis memory and URLs in flight every 500 ms. URLs in flight are the batch's
      // URLs not yet ended (from the progress loop below), not jobs: a job may carry a bundle.
      let urlsInFlight = 0;
      const memSamples: MemorySample[] = [];
      const completedAt: Array<Record<string, number>> = [];
      let sampling = true;
      const t0 = performance.now();
      const memLoop = (async () => {
        while (sampling) {
          try {
            const [used, counts] = await Promise.all([
              readUsedMemory(redis),
              Promise.all(this.queues.map((q) => q.getJobCounts("completed"))),
            ]);
            const completed: Record<string, number> = {};
            counts.forEach((c, i) => (completed[PIPELINE[i]!] = c.completed ?? 0));
            memSamples.push({ t: performance.now() - t0, usedBytes: used, inFlight: urlsInFlight });
            completedAt.push(completed);
            sampleRss();
          } catch {
            /* a missed sample */
          }
          await sleep(500);
        }
      })();

      // Enqueue and follow the batch.
      const batchId = randomId("bench");
      const items = Array.from({ length: opts.urls }, (_, i) => ({ url: this.server.url(i) }));
      const progressSamples: ProgressSample[] = [{ t: 0, done: 0 }];
      // CPU so far of each stage's processes, of Redis and of Elasticsearch, with their counts.
      const cpuTrack: Record<string, CpuSample[]> = Object.fromEntries(
        [...PIPELINE, "redis", "elasticsearch"].map((k) => [k, [{ articles: 0, cpuMs: 0 }]]));
      // CPU ms a stage's processes used since cpu0, each read through `now` (undefined: as at cpu0).
      const stageCpuSince0 = (stage: string, now: (pid: number) => number | undefined) => this.procs
        .filter((p) => p.stage === stage)
        .reduce((sum, p) => sum + Math.max(0, (now(p.pid) ?? cpu0.get(p.pid) ?? 0) - (cpu0.get(p.pid) ?? 0)), 0);
      let lastServiceSample = 0;
      const sampleServices = async (ended: number) => {
        const [r, e] = await Promise.all([redisCpuMs(redis), esCpuMs(this.es)]);
        if (r !== undefined && services0.redis !== undefined) cpuTrack.redis!.push({ articles: ended, cpuMs: r - services0.redis });
        if (e !== undefined && services0.es !== undefined) cpuTrack.elasticsearch!.push({ articles: ended, cpuMs: e - services0.es });
      };
      let enqueueMs = 0;
      const enqueued = producer.enqueue(items, { batchId, label: "bench" }).then((r) => {
        enqueueMs = performance.now() - t0;
        return r;
      });
      let progress: BatchProgress | undefined;
      let lastLog = 0;
      let enqueueError: unknown;
      enqueued.catch((e: unknown) => (enqueueError = e));
      try {
        for (;;) {
          if (enqueueError) throw enqueueError;
          this.check();
          progress = await producer.batches.progress(batchId);
          const t = performance.now() - t0;
          if (progress) {
            const ended = progress.ended.indexed + progress.ended.failed + progress.ended.skipped;
            urlsInFlight = progress.count - ended;
            progressSamples.push({ t, done: ended });
            for (const stage of PIPELINE) cpuTrack[stage]!.push({ articles: progress.stages[stage] ?? 0, cpuMs: stageCpuSince0(stage, cpuMs) });
            if (progress.done || t - lastServiceSample >= 1000) {
              lastServiceSample = t;
              await sampleServices(ended);
            }
            if (progress.done) break;
            if (Date.now() - lastLog > 5000) {
              lastLog = Date.now();
              opts.log(`e2e: ${Math.round(t / 1000)} s: ${PIPELINE.map((s) => `${s} ${progress!.stages[s] ?? 0}`).join(", ")}; ended ${ended}/${progress.count}`);
            }
          }
          if (t > opts.timeoutMs) throw new Error(`not done after ${Math.round(opts.timeoutMs / 1000)} s: ${JSON.stringify(progress)}`);
          await sleep(250);
        }
        await enqueued;
      } finally {
        sampling = false;
        await memLoop;
      }
      const endMs = crossingTime(progressSamples, opts.urls) ?? performance.now() - t0;
      sampleRss();
      const cpu1 = new Map(this.procs.map((p) => [p.pid, cpuMs(p.pid)]));
      const machine1 = { times: readCpuTimes(), at: performance.now() };
      const machineCpu = machine0.times && machine1.times
        ? machineCpuBetween(machine0.times, machine1.times, (machine1.at - machine0.at) / 1000, cpus().length) ?? null
        : null;
      const services1 = { redis: await redisCpuMs(redis), es: await esCpuMs(this.es), self: selfCpuMs() };
      const perArticle = (a: number | undefined, b: number | undefined) =>
        a === undefined || b === undefined ? null : round((b - a) / Math.max(1, opts.urls), 2);

      // Per stage: CPU, jobs, queue waits, RSS.
      const jobIds1 = await jobsAdded(redis, config.queuePrefix);
      const stages: Record<string, E2eStage> = {};
      const jobTimes = new Map<string, JobTimes[]>();
      for (const stage of PIPELINE) {
        const procs = this.procs.filter((p) => p.stage === stage);
        const cpu = stageCpuSince0(stage, (pid) => cpu1.get(pid));
        const articles = progress?.stages[stage] ?? 0;
        const times = await completedJobTimes(redis, config.queuePrefix, stage);
        jobTimes.set(stage, times);
        const waits = summarize(times.map((j) => j.processedOn - j.timestamp).filter((w) => w >= 0));
        stages[stage] = {
          procs: procs.length, articles, cpu_ms_total: round(cpu, 0),
          cpu_ms_per_article: articles > 0 ? round(cpu / articles, 2) : null,
          cpu_ms_per_article_by_quarter: byQuarter(cpuTrack[stage]!, opts.urls),
          ...jobsOf(jobIds0[stage], jobIds1[stage], articles),
          wait_ms_median: waits.n ? round(waits.median, 0) : null, wait_ms_p95: waits.n ? round(waits.p95, 0) : null, wait_samples: waits.n,
          peak_rss_mb: procs.map((p) => round((rss.get(p.pid) ?? 0) / 1024, 0)),
        };
      }

      // Redis: the retained completed jobs' share of each sample, from their average size now.
      const perJob: Record<string, number> = {};
      for (const stage of PIPELINE) perJob[stage] = await retainedJobBytes(redis, config.queuePrefix, stage);
      memSamples.forEach((s, i) => {
        const c = completedAt[i] ?? {};
        s.retainedBytes = PIPELINE.reduce((sum, q) => sum + (c[q] ?? 0) * (perJob[q] ?? 0), 0);
      });
      const mem = memoryPer1000(memSamples, baseline, Math.max(1, Math.round(opts.urls * 0.1)));

      // Elasticsearch: index operations over the time the index stage was busy (the union of its
      // retained jobs' processedOn..finishedOn, scaled up when not every job was retained).
      await this.es.indices.refresh({ index: `${config.indexPrefix}-*` }).catch(() => undefined);
      const ops = await indexOps(this.es, config.indexPrefix);
      const fingerprint = await resultsFingerprint(this.es, config.indexPrefix).catch(() => null);
      const firstEnded = crossingTime(progressSamples, 1) ?? 0;
      const span = Math.max(1, endMs - firstEnded);
      const indexJobs = jobTimes.get("index") ?? [];
      const indexTotal = Math.max(indexJobs.length, progress?.ended.indexed ?? 0, 1);
      const busy = indexJobs.length > 0 ? busyTime(indexJobs.map((j) => [j.processedOn, j.finishedOn] as const)) * (indexTotal / indexJobs.length) : 0;
      const ended = progress?.ended ?? { indexed: 0, failed: 0, skipped: 0 };
      const sustained = middleRate(progressSamples, opts.urls, 0.8);
      return {
        urls: opts.urls, procs_per_stage: opts.procsPerStage, keep_completed: config.keepCompleted, warmup_urls: opts.warmupUrls,
        seconds: round(endMs / 1000, 2), enqueue_seconds: round(enqueueMs / 1000, 2),
        articles_per_s: round(opts.urls / (endMs / 1000), 1), sustained_per_s: sustained === undefined ? null : round(sustained, 1),
        ended, failure_reasons: progress?.failure_reasons ?? {}, stages, fingerprint,
        machine_cpu: machineCpu,
        other_cpu_ms_per_article: {
          redis: perArticle(services0.redis, services1.redis),
          elasticsearch: perArticle(services0.es, services1.es),
          bench: perArticle(services0.self, services1.self),
        },
        other_cpu_ms_per_article_by_quarter: {
          redis: byQuarter(cpuTrack.redis!, opts.urls),
          elasticsearch: byQuarter(cpuTrack.elasticsearch!, opts.urls),
        },
        redis: mem ? {
          baseline_mb: round(mem.baselineBytes / 1048576, 1), peak_used_mb: round(mem.peakUsedBytes / 1048576, 1),
          in_flight_at_peak: mem.inFlightAtPeak, max_in_flight: mem.maxInFlight,
          in_flight_at_ratio: mem.at?.inFlight ?? null, used_mb_at_ratio: mem.at ? round(mem.at.usedBytes / 1048576, 1) : null,
          bytes_per_1000_in_flight: mem.bytesPer1000 === undefined ? null : round(mem.bytesPer1000, 0),
          bytes_per_1000_in_flight_net: mem.bytesPer1000Net === undefined ? null : round(mem.bytesPer1000Net, 0),
          retained_completed_mb_at_ratio: mem.retainedBytesAt === undefined ? null : round(mem.retainedBytesAt / 1048576, 1),
          median_bytes_per_1000_in_flight_net: mem.medianNetPer1000 === undefined ? null : round(mem.medianNetPer1000, 0),
          retained_bytes_per_job: Object.fromEntries(Object.entries(perJob).map(([k, v]) => [k, round(v, 0)])),
          samples: downsample(memSamples, 200).map((m) => [round(m.t / 1000, 1), round(m.usedBytes / 1048576, 1), m.inFlight, round((m.retainedBytes ?? 0) / 1048576, 1)]),
        } : null,
        es: {
          docs: ops.docs, docs_total: ops.ops, index_span_s: round(span / 1000, 2), index_busy_s: busy > 0 ? round(busy / 1000, 2) : null,
          busy_sampled_jobs: indexJobs.length, docs_per_s: busy > 0 ? round(ops.ops / (busy / 1000), 0) : null,
          docs_per_s_over_span: round(ops.ops / (span / 1000), 0),
        },
      };
    } finally {
      await producer.close();
      await redis.quit().catch(() => redis.disconnect());
    }
  }

  /**
   * A batch of `count` URLs of its own (after the measured batch's in the page server's cycle, so
   * the same pages under other URLs), enqueued and waited for: the workers' code is then
   * compiled and their caches full, as in a deployment that has been running for a while.
   */
  private async warmUp(producer: Producer, count: number): Promise<void> {
    const { opts } = this;
    const batchId = randomId("bench-warmup");
    const started = performance.now();
    opts.log(`e2e: warm-up: ${count} URLs`);
    await producer.enqueue(Array.from({ length: count }, (_, i) => ({ url: this.server.url(opts.urls + i) })), { batchId, label: "bench warm-up" });
    for (;;) {
      this.check();
      const p = await producer.batches.progress(batchId);
      if (p?.done) {
        opts.log(`e2e: warm-up done in ${Math.round((performance.now() - started) / 1000)} s (indexed ${p.ended.indexed}, failed ${p.ended.failed}, skipped ${p.ended.skipped})`);
        return;
      }
      if (performance.now() - started > opts.timeoutMs) throw new Error(`warm-up not done after ${Math.round(opts.timeoutMs / 1000)} s: ${JSON.stringify(p)}`);
      await sleep(250);
    }
  }

  /** SIGTERM every worker process, SIGKILL after 10 s; their exit statuses. */
  async stop(): Promise<string[]> {
    return Promise.all(this.procs.map((p) => stopStageWorker(p)));
  }
}

/** CPU ms per article in each quarter of the run's URLs, rounded for the report. */
function byQuarter(samples: readonly CpuSample[], urls: number): Array<number | null> {
  return cpuPerArticleByPart(samples, urls, 4).map((v) => (v === null ? null : round(v, 2)));
}

/** At most `max` evenly spaced items (first and last kept). */
function downsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => items[Math.round(k * step)]!);
}

/** CPU ms of this process (the page server and the bench's own sampling). */
function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
