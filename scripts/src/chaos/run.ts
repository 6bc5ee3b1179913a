/**
 * A chaos run: the same batch twice through worker processes (`tidings worker --stages <one
 * stage>`, several per stage) on the chaos run's own Redis and Elasticsearch: first undisturbed
 * (the reference), then while things break: workers are killed with SIGKILL at random (and
 * respawned), Redis is shut down and started again, Elasticsearch is frozen (SIGSTOP) for a
 * while. The disturbances are spread over the first three quarters of the reference run's
 * duration, one after another. At the end: every URL one source record, no mention counted
 * twice, and the disturbed run's events index equal to the reference's.
 */
import { dropIndices, ensureIndices } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, PIPELINE, Producer, type BatchProgress, type Config, type ElasticsearchClient, deleteKeysWithPrefix } from "@tidings/shared";
import type { Redis } from "ioredis";
import { spawnWorker, stopWorker, type WorkerProcess } from "../bench/fetch-load.ts";
import { ChaosServer } from "./server.ts";
import { ChaosServices } from "./services.ts";
import { account, compareRuns, snapshot, type Accounting, type Comparison, type IndexSnapshot } from "./verify.ts";

export type StageProcs = Record<(typeof PIPELINE)[number], number>;

export interface ChaosOptions {
  urls: number;
  procs: StageProcs;
  kills: number;
  /** Seconds Elasticsearch is frozen (0: no outage). */
  esOutageS: number;
  redisRestart: boolean;
  redisUrl: string;
  elasticsearchUrl: string;
  /** Data dir of the chaos run's own services (their state file, Redis AOF, ES data). */
  dataDir: string;
  sharedDir: string;
  /** Give up on a run after this long. */
  timeoutMs: number;
  /** Leave the services running at the end (they are reused by the next run). */
  keepServices: boolean;
  /** Keep the runs' queues and indices (for inspection). */
  keepData: boolean;
  esHeap?: string;
  /** Extra environment of the worker processes. */
  workerEnv?: Record<string, string>;
  log: (line: string) => void;
}

export interface RunResult {
  prefix: string;
  batchId: string;
  /** From the enqueue to the batch done. */
  ms: number;
  /** From the first URL fetched (the workers are up) to the batch done. */
  activeMs: number;
  progress: BatchProgress | undefined;
  kills: number;
  unexpectedExits: number;
  redisRestarts: number;
  redisDowntimeMs: number;
  esOutageMs: number;
  /** INFO used_memory before the enqueue, at its highest during the run, at the end (bytes). */
  redisBaseline: number;
  redisPeak: number;
  redisEnd: number;
  /** Completed clean jobs (with their page bodies) still in Redis at the end. */
  retainedCleanJobs: number;
  workerPeakRssKb: number;
  snapshot: IndexSnapshot;
  accounting: Accounting;
}

export interface ChaosResult {
  urls: number;
  reference: RunResult;
  chaos: RunResult;
  comparison: Comparison;
  lost: number;
  duplicated: number;
  ok: boolean;
}

/** The worker environment's fixed part (both runs alike). */
export const CHAOS_WORKER_ENV: Record<string, string> = {
  TIDINGS_FETCH_HOST_DELAY_MS: "0",
  TIDINGS_FETCH_HOST_CONCURRENCY: "64",
  // The flaky pages answer after 8 s: their first attempt times out, the next one succeeds.
  TIDINGS_FETCH_HEADERS_TIMEOUT_MS: "4000",
  TIDINGS_BACKOFF_MS: "500",
  // Faster stall detection than the 30 s defaults, so killed workers' jobs come back sooner.
  TIDINGS_LOCK_DURATION_MS: "10000",
  TIDINGS_STALLED_INTERVAL_MS: "5000",
  TIDINGS_SHUTDOWN_TIMEOUT_MS: "5000",
  LOG_LEVEL: "warn",
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function usedMemory(redis: Redis): Promise<number | undefined> {
  const info = await Promise.race([redis.info("memory"), sleep(1000).then(() => undefined)]).catch(() => undefined);
  const m = info ? /used_memory:(\d+)/.exec(info) : null;
  return m ? Number(m[1]) : undefined;
}

interface Slot { stage: string; proc: WorkerProcess; killed: boolean }

export class ChaosRun {
  readonly services: ChaosServices;
  server?: ChaosServer;
  private slots: Slot[] = [];
  private readonly prefixes: string[] = [];

  constructor(readonly opts: ChaosOptions) {
    this.services = new ChaosServices({ redisUrl: opts.redisUrl, elasticsearchUrl: opts.elasticsearchUrl, dataDir: opts.dataDir, log: (m) => opts.log(`[services] ${m}`), ...(opts.esHeap ? { esHeap: opts.esHeap } : {}) });
  }

  private log(line: string) {
    this.opts.log(line);
  }

  async run(): Promise<ChaosResult> {
    const o = this.opts;
    await this.services.up();
    this.server = await new ChaosServer(o.sharedDir).start();
    const urls = this.server.urls(o.urls);
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
    this.log(`chaos: ${urls.length} URLs on ${this.server.host}; workers ${JSON.stringify(o.procs)}`);
    const reference = await this.runOnce(`chaos-ref-${tag}`, urls, undefined);
    this.log(`chaos: reference run done in ${(reference.ms / 1000).toFixed(1)} s: ${JSON.stringify(reference.progress?.ended)}`);
    this.server.reset();
    const chaos = await this.runOnce(`chaos-run-${tag}`, urls, reference.activeMs);
    const comparison = compareRuns(reference.snapshot, chaos.snapshot);
    const lost = chaos.accounting.lost.length + (chaos.progress?.done ? 0 : 1);
    const duplicated = chaos.accounting.duplicated;
    const ok = lost === 0 && duplicated === 0 && comparison.equal && chaos.accounting.unexpected.length === 0
      && chaos.accounting.withoutReason === 0 && reference.accounting.lost.length === 0;
    return { urls: urls.length, reference, chaos, comparison, lost, duplicated, ok };
  }

  private spawn(stage: string, env: NodeJS.ProcessEnv): Slot {
    const slot = { stage, proc: spawnWorker(env, stage), killed: false };
    this.slots.push(slot);
    return slot;
  }

  private async runOnce(prefix: string, urls: string[], referenceMs: number | undefined): Promise<RunResult> {
    const o = this.opts;
    const disturb = referenceMs !== undefined;
    this.prefixes.push(prefix);
    const config: Config = loadConfig({ ...process.env, REDIS_URL: o.redisUrl, ELASTICSEARCH_URL: o.elasticsearchUrl, TIDINGS_INDEX_PREFIX: prefix, TIDINGS_QUEUE_PREFIX: prefix });
    const es = createElasticsearch(config);
    await ensureIndices(es, prefix);
    // "worker" connections: they ride out the Redis restart like the workers do.
    const redis = createRedis(config, "worker");
    const producer = new Producer(redis, config);
    // Connection errors while Redis restarts are expected: the connections reconnect by themselves.
    const quiet = (err: Error) => { if (!/ECONNRESET|ECONNREFUSED|Connection is closed/.test(err.message)) this.log(`chaos: redis client error: ${err.message}`); };
    redis.on("error", quiet);
    for (const q of producer.queues.values()) q.on("error", quiet);
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...CHAOS_WORKER_ENV, ...o.workerEnv,
      REDIS_URL: o.redisUrl, ELASTICSEARCH_URL: o.elasticsearchUrl, TIDINGS_INDEX_PREFIX: prefix, TIDINGS_QUEUE_PREFIX: prefix,
      TIDINGS_FETCH_ALLOW_HOSTS: this.server!.host,
    };
    this.slots = [];
    for (const stage of PIPELINE) for (let i = 0; i < o.procs[stage]; i++) this.spawn(stage, env);
    let kills = 0, unexpectedExits = 0, redisRestarts = 0, redisDowntimeMs = 0, esOutageMs = 0, peakRss = 0;
    const baseline = (await usedMemory(redis)) ?? 0;
    let peak = baseline;
    const t0 = Date.now();
    const { batch_id: batchId } = await producer.enqueue(urls.map((url) => ({ url })), { label: disturb ? "chaos" : "chaos reference" });

    // The disturbances, one after another, at fractions of the reference run's active duration,
    // counted from the first URL fetched (worker processes take a while to start).
    let scenarioDone = !disturb;
    let scenarioError: unknown;
    let firstFetched = 0;
    const startScenario = () => {
      const D = Math.max(referenceMs!, 20_000);
      const t1 = Date.now();
      const steps: { at: number; what: string; act: () => Promise<void> }[] = [];
      for (let k = 0; k < o.kills; k++) {
        steps.push({
          at: D * (0.08 + (0.67 * k) / Math.max(1, o.kills - 1)), what: "kill",
          act: async () => {
            const alive = this.slots.filter((s) => !s.killed && s.proc.child.exitCode === null && s.proc.child.signalCode === null);
            const victim = alive[Math.floor(Math.random() * alive.length)];
            if (!victim) return;
            victim.killed = true;
            victim.proc.child.kill("SIGKILL");
            kills++;
            this.log(`chaos: ${((Date.now() - t0) / 1000).toFixed(1)} s: kill -9 ${victim.stage} worker pid ${victim.proc.child.pid}; respawning`);
            this.spawn(victim.stage, env);
          },
        });
      }
      if (o.redisRestart) {
        steps.push({
          at: D * 0.3, what: "redis",
          act: async () => {
            this.log(`chaos: ${((Date.now() - t0) / 1000).toFixed(1)} s: Redis SHUTDOWN (persisting) and start again`);
            redisDowntimeMs = await this.services.restartRedis();
            redisRestarts++;
            this.log(`chaos: Redis back after ${(redisDowntimeMs / 1000).toFixed(1)} s`);
          },
        });
      }
      if (o.esOutageS > 0) {
        steps.push({
          at: D * 0.45, what: "es",
          act: async () => {
            this.log(`chaos: ${((Date.now() - t0) / 1000).toFixed(1)} s: Elasticsearch frozen (SIGSTOP) for ${o.esOutageS} s`);
            const s = Date.now();
            await this.services.freezeElasticsearch(o.esOutageS * 1000);
            esOutageMs = Date.now() - s;
            this.log(`chaos: Elasticsearch thawed (SIGCONT)`);
          },
        });
      }
      steps.sort((a, b) => a.at - b.at);
      void (async () => {
        try {
          for (const step of steps) {
            const wait = t1 + step.at - Date.now();
            if (wait > 0) await sleep(wait);
            await step.act();
          }
        } catch (err) {
          scenarioError = err;
        } finally {
          scenarioDone = true;
        }
      })();
    };

    let progress: BatchProgress | undefined;
    let lastLog = 0;
    try {
      for (;;) {
        const [p, mem] = await Promise.all([
          Promise.race([producer.batches.progress(batchId), sleep(2000).then(() => undefined)]).catch(() => undefined),
          usedMemory(redis),
        ]);
        if (p) progress = p;
        if (!firstFetched && (progress?.stages.fetch ?? 0) > 0) {
          firstFetched = Date.now();
          if (disturb) startScenario();
        }
        if (mem !== undefined) peak = Math.max(peak, mem);
        for (const s of this.slots) {
          const kb = s.proc.peakRssKb();
          if (kb) peakRss = Math.max(peakRss, kb);
          if (!s.killed && (s.proc.child.exitCode !== null || s.proc.child.signalCode !== null)) {
            s.killed = true;
            unexpectedExits++;
            this.log(`chaos: UNEXPECTED exit of a ${s.stage} worker (${s.proc.child.signalCode ?? s.proc.child.exitCode}); respawning. Log tail:\n${s.proc.tail().slice(-2000)}`);
            this.spawn(s.stage, env);
          }
        }
        if (scenarioError) throw scenarioError;
        if (progress?.done && scenarioDone) break;
        if (Date.now() - t0 > o.timeoutMs) {
          throw new Error(`batch not done after ${o.timeoutMs} ms: ${JSON.stringify(progress)}\n--- a worker's log tail ---\n${this.slots.at(-1)?.proc.tail().slice(-3000) ?? ""}`);
        }
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          this.log(`chaos: ${prefix}: ${Math.round((Date.now() - t0) / 1000)} s: stages ${JSON.stringify(progress?.stages)} ended ${JSON.stringify(progress?.ended)}`);
        }
        await sleep(500);
      }
      const ms = Date.now() - t0;
      const activeMs = Date.now() - (firstFetched || t0);
      const end = (await usedMemory(redis)) ?? 0;
      const retainedCleanJobs = await redis.zcard(`${prefix}:clean:completed`);
      await Promise.all(this.slots.map((s) => stopWorker(s.proc)));
      const snap = await snapshot(es, prefix, batchId);
      return {
        prefix, batchId, ms, activeMs, progress, kills, unexpectedExits, redisRestarts, redisDowntimeMs, esOutageMs,
        redisBaseline: baseline, redisPeak: peak, redisEnd: end, retainedCleanJobs, workerPeakRssKb: peakRss,
        snapshot: snap, accounting: account(urls, snap),
      };
    } finally {
      this.services.thaw();
      await Promise.all(this.slots.map((s) => stopWorker(s.proc, 5000)));
      await producer.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
      await es.close();
    }
  }

  /** Stop everything; remove the runs' data unless keepData; stop the services unless keepServices. */
  async stop(): Promise<void> {
    this.services.thaw();
    await Promise.all(this.slots.map((s) => stopWorker(s.proc, 5000)));
    await this.server?.stop();
    if (!this.opts.keepData && this.prefixes.length > 0) {
      const config = loadConfig({ ...process.env, REDIS_URL: this.opts.redisUrl, ELASTICSEARCH_URL: this.opts.elasticsearchUrl });
      const redis = createRedis(config, "producer");
      const es: ElasticsearchClient = createElasticsearch(config);
      try {
        for (const prefix of this.prefixes) {
          await deleteKeysWithPrefix(redis, prefix);
          await dropIndices(es, prefix).catch(() => undefined);
        }
      } catch (err) {
        this.log(`chaos: cleanup: ${(err as Error).message}`);
      } finally {
        await redis.quit().catch(() => redis.disconnect());
        await es.close();
      }
    }
    if (!this.opts.keepServices) await this.services.down();
  }
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

export function formatChaos(r: ChaosResult): string {
  const c = r.chaos;
  const a = c.accounting;
  const perK = (c.redisPeak - c.redisBaseline) / (r.urls / 1000);
  const lines = [
    `URLs:               ${r.urls} (${a.indexed} indexed, ${a.failed} failed, ${a.skipped} skipped; reasons ${JSON.stringify(a.reasons)})`,
    `kills (kill -9):    ${c.kills} (unexpected worker exits: ${c.unexpectedExits})`,
    `Redis restarts:     ${c.redisRestarts} (down ${(c.redisDowntimeMs / 1000).toFixed(1)} s)`,
    `ES outage:          ${(c.esOutageMs / 1000).toFixed(1)} s (SIGSTOP)`,
    `time:               ${(c.ms / 1000).toFixed(1)} s disturbed, ${(r.reference.ms / 1000).toFixed(1)} s undisturbed (from the enqueue; ${(c.activeMs / 1000).toFixed(1)} s and ${(r.reference.activeMs / 1000).toFixed(1)} s from the first fetch)`,
    `lost:               ${r.lost}${a.lost.length ? ` ${JSON.stringify(a.lost.slice(0, 5))}` : ""}`,
    `duplicated:         ${r.duplicated} (mention count mismatches ${a.mentionMismatches.size}, source count mismatches ${a.sourceMismatches.length}, mention docs ${c.snapshot.mentionDocs})`,
    `events vs reference: ${r.comparison.equal ? "equal" : "DIFFERENT"} (${c.snapshot.events.size} vs ${r.reference.snapshot.events.size} events; missing ${r.comparison.missing.length}, extra ${r.comparison.extra.length}, differing counts ${r.comparison.differing.size}; URL outcomes differing ${r.comparison.outcomeDiffs.length})`,
    `Redis memory:       peak ${mib(c.redisPeak)} (baseline ${mib(c.redisBaseline)}): ${mib(perK)} per 1,000 URLs in flight; at the end ${mib(c.redisEnd - c.redisBaseline)} retained (${c.retainedCleanJobs} completed clean jobs kept)`,
    `worker peak RSS:    ${Math.round(c.workerPeakRssKb / 1024)} MiB (largest process)`,
    `result:             ${r.ok ? "OK" : "FAILED"}`,
  ];
  if (r.comparison.outcomeDiffs.length) lines.push(`  outcome diffs: ${JSON.stringify(r.comparison.outcomeDiffs.slice(0, 5))}`);
  if (r.comparison.differing.size) lines.push(`  differing events: ${JSON.stringify([...r.comparison.differing].slice(0, 5))}`);
  if (a.mentionMismatches.size) lines.push(`  mention mismatches: ${JSON.stringify([...a.mentionMismatches].slice(0, 5))}`);
  return lines.join("\n");
}
