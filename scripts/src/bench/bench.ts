/**
 * `tidings bench`: measure the pipeline. Each chosen stage alone in-process (no queues), the
 * side-by-side rows (clean vs Readability, BullMQ's no-op ceiling and the cost of a trickle of jobs), then the end-to-end run
 * through the real queues with worker processes; one report, written as JSON for comparison
 * between runs. Cleans up after itself: worker processes, its Redis keys, its indices.
 */
import { cpus, loadavg } from "node:os";
import { dropIndices } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, type Config, type ElasticsearchClient, deleteKeysWithPrefix } from "@tidings/shared";
import { servicesUp } from "../services/index.ts";
import { E2eRun } from "./e2e.ts";
import { benchQueueTrickle } from "./queue-trickle.ts";
import { loadPages, startPageServer, type PageServer } from "./page-server.ts";
import { BENCH_REPORT_VERSION, e2eVsSlowest, type BenchReport, type StageAlone } from "./report.ts";
import {
  benchBodyCodecs, benchClean, benchExtract, benchFetch, benchIndex, benchQueueCeiling, benchReadability, benchTranslate, decodePages, type Processed,
} from "./stages.ts";
import { measureYardstick } from "./yardstick.ts";

export const BENCH_STAGES = ["fetch", "clean", "translate", "extract", "index", "e2e"] as const;
export type BenchStage = (typeof BENCH_STAGES)[number];

export interface BenchOptions {
  urls: number;
  procsPerStage: number;
  stages: BenchStage[];
  /** Pages per stage-alone run (cycled over the distinct pages). */
  stagePages: number;
  /** Pages of the clean-vs-Readability row. */
  readabilityPages: number;
  /** Jobs of the BullMQ no-op run. */
  noopJobs: number;
  keepCompleted: number;
  timeoutMs: number;
  /**
   * URLs sent through the end-to-end run's workers, and waited for, before the measured batch
   * (their own URLs, the same pages). Default 0: the measured batch meets cold workers, as a
   * deployment does after every start. With a warm-up the figures are nearer a long-running
   * deployment's; the results fingerprint then covers both batches.
   */
  warmupUrls?: number;
  log: (line: string) => void;
}

/** `fetch,clean` / `all` / `e2e` -> the stages to run (all = every stage alone, then e2e). */
export function parseBenchStages(value: string | undefined): BenchStage[] {
  if (!value || value === "all") return [...BENCH_STAGES];
  const list = value.split(/[,|]/).map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !(BENCH_STAGES as readonly string[]).includes(s));
  if (bad.length > 0) throw new Error(`unknown stage(s) ${bad.join(", ")} (known: ${BENCH_STAGES.join(", ")}, all)`);
  return BENCH_STAGES.filter((s) => list.includes(s));
}

export class Bench {
  readonly prefix = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  private config?: Config;
  private server?: PageServer;
  private e2e?: E2eRun;
  private es?: ElasticsearchClient;
  private cleaned?: Promise<void>;

  constructor(readonly opts: BenchOptions) {}

  async run(): Promise<BenchReport> {
    const o = this.opts;
    const started = new Date();
    const loadStart = loadavg();
    const has = (s: BenchStage) => o.stages.includes(s);
    const needsServices = has("index") || has("e2e");
    const notes: string[] = [];

    if (needsServices) {
      const services = await servicesUp({ log: (m) => o.log(`services: ${m}`) });
      process.env.REDIS_URL = services.redisUrl;
      process.env.ELASTICSEARCH_URL = services.elasticsearchUrl;
    }
    const config = (this.config = loadConfig({
      ...process.env, TIDINGS_QUEUE_PREFIX: this.prefix, TIDINGS_INDEX_PREFIX: this.prefix,
      TIDINGS_KEEP_COMPLETED: String(o.keepCompleted), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    }));
    if (needsServices) this.es = createElasticsearch(config);

    const set = loadPages();
    o.log(`pages: ${set.pages.length} distinct from ${set.origin === "corpus" ? set.dir : `${set.dir} (../shared/corpus not found)`}`);
    const yardstickPages = set.pages.map((p) => p.bytes);
    const yardstickStart = measureYardstick(yardstickPages).ms_per_page;
    o.log(`host yardstick: ${yardstickStart} ms/page`);
    if (has("fetch") || has("e2e")) this.server = await startPageServer(set.pages);

    const alone: Record<string, StageAlone> = {};
    let readability: BenchReport["readability"] = null;
    let bodyCodecs: BenchReport["body_codecs"] = null;
    let ceiling: BenchReport["queue_ceiling"] = null;
    let trickle: BenchReport["queue_trickle"] = null;
    let e2e: BenchReport["e2e"] = null;

    if (has("fetch")) {
      o.log(`fetch alone: ${o.stagePages} pages`);
      alone.fetch = await benchFetch(this.server!, o.stagePages, config.concurrency.fetch);
    }
    const cpuStages = has("clean") || has("translate") || has("extract") || has("index");
    if (cpuStages) {
      // The index run needs cleaned and extracted pages; without timed clean/extract runs they are
      // made (untimed) from the distinct pages only.
      const timedClean = has("clean") || has("translate") || has("extract");
      const pages = decodePages(set.pages, timedClean ? o.stagePages : Math.min(o.stagePages, set.pages.length));
      o.log(`clean alone: ${pages.length} pages`);
      const clean = benchClean(pages);
      if (has("clean")) alone.clean = clean.result;
      const items: Processed[] = clean.out;
      if (has("translate")) {
        o.log(`translate alone (stub): ${items.length} articles`);
        alone.translate = await benchTranslate(items);
      }
      o.log(`extract alone: ${items.length} articles`);
      const extract = benchExtract(items);
      if (has("extract")) alone.extract = extract;
      if (has("clean")) {
        const k = Math.min(o.readabilityPages, pages.length);
        o.log(`clean vs Readability: ${k} pages`);
        readability = await benchReadability(pages.slice(0, k));
        o.log(`page-body codecs: ${pages.length} pages`);
        bodyCodecs = benchBodyCodecs(pages);
      }
      if (has("index")) {
        o.log(`index alone: ${o.stagePages} jobs`);
        const ixConfig = loadConfig({ ...process.env, TIDINGS_INDEX_PREFIX: `${this.prefix}-ix`, TIDINGS_QUEUE_PREFIX: this.prefix });
        try {
          alone.index = await benchIndex(this.es!, ixConfig, items, o.stagePages);
        } finally {
          await dropIndices(this.es!, ixConfig.indexPrefix).catch(() => undefined);
        }
      }
    }
    if (has("e2e")) {
      o.log(`queue ceiling: ${o.noopJobs} no-op jobs`);
      ceiling = await benchQueueCeiling(config, o.noopJobs, 50);
      o.log("queue trickle: 600 no-op jobs three ways (backlog, 100/s, 100/s gathered)");
      trickle = await benchQueueTrickle(config);
      o.log(`e2e: ${o.urls} URLs`);
      this.e2e = new E2eRun(config, this.server!, this.es!, { urls: o.urls, procsPerStage: o.procsPerStage, timeoutMs: o.timeoutMs, warmupUrls: o.warmupUrls ?? 0, log: o.log });
      e2e = await this.e2e.run();
      const exits = await this.e2e.stop();
      const unclean = exits.filter((x) => x !== "exit 0");
      if (unclean.length) notes.push(`worker processes that did not exit cleanly on SIGTERM: ${unclean.join(", ")}`);
    }

    const yardstickEnd = measureYardstick(yardstickPages).ms_per_page;
    const loadEnd = loadavg();
    const n = cpus().length;
    notes.push(`${n} CPU(s), load average ${loadStart[0]!.toFixed(2)} at the start and ${loadEnd[0]!.toFixed(2)} at the end: other work on this machine shares the CPUs, Redis and Elasticsearch, so numbers are noisy; compare runs made under similar load`);
    if (Object.keys(alone).length > 0) notes.push(`stages alone run in this process after a warm-up (20 pages and one per language); CPU stages one page at a time (one core), so pages/s there is 1 / mean time`);
    if (alone.fetch) notes.push("fetch alone: the page server runs in this same process as the fetcher (they share one event loop and core)");
    if (e2e) {
      notes.push(`CPU ms/article: utime+stime of the stage's processes from /proc (start-up excluded) / articles past the stage in the batch (translate's count includes the articles that skip its queue: follow-up.ts); queue wait: processedOn - timestamp over the retained completed jobs (the last ${o.keepCompleted} per queue, i.e. the end of the run); fetch waits include the whole batch's backlog`);
      notes.push("machine CPU: all CPUs over the same span, from /proc/stat, in cores; steal is time the host gave to other guests while this machine had work ready, so a run whose articles/s falls short of its CPU per article with steal near zero was short of work, not of CPU");
      notes.push("Redis memory is used_memory of the whole server (other clients count), sampled every 500 ms, per 1,000 URLs in flight (the batch's URLs not yet ended: jobs may carry bundles of several) at the sample where it peaked among those with at least 10% of the URLs in flight, above the baseline taken before the enqueue; 'net' subtracts the completed jobs BullMQ keeps (removeOnComplete count), estimated from their average MEMORY USAGE at the end");
      notes.push("ES bulk docs: index operations on the primaries of the run's three indices (re-writes of merged events count) over the time the index stage was busy (union of its jobs' processedOn..finishedOn, from the retained jobs, scaled to all); the index stage alone gives the same from its own wall time");
      if (e2e.ended.failed + e2e.ended.skipped > 0) notes.push(`${e2e.ended.failed} failed and ${e2e.ended.skipped} skipped sources count as ended in the rates`);
    }
    return {
      version: BENCH_REPORT_VERSION,
      started_at: started.toISOString(), finished_at: new Date().toISOString(),
      machine: { cpus: n, loadavg_start: loadStart.map((x) => Math.round(x * 100) / 100), loadavg_end: loadEnd.map((x) => Math.round(x * 100) / 100), node: process.version, yardstick_ms_start: yardstickStart, yardstick_ms_end: yardstickEnd },
      options: { urls: o.urls, stage_pages: o.stagePages, procs_per_stage: o.procsPerStage, stages: o.stages, corpus: set.origin === "corpus" ? "../shared/corpus" : "test/fixtures/pages", corpus_pages: set.pages.length },
      alone, readability, body_codecs: bodyCodecs, queue_ceiling: ceiling, queue_trickle: trickle, e2e, e2e_vs_slowest: e2eVsSlowest(alone, e2e), notes,
    };
  }

  /** Stop the workers and the server, delete the run's Redis keys and indices. Idempotent. */
  cleanup(): Promise<void> {
    return (this.cleaned ??= (async () => {
      await this.e2e?.stop().catch(() => undefined);
      await this.server?.close().catch(() => undefined);
      const config = this.config;
      if (config && this.es) {
        const redis = createRedis(config, "producer");
        try {
          await deleteKeysWithPrefix(redis, this.prefix);
        } catch (err) {
          this.opts.log(`cleanup: could not delete the Redis keys ${this.prefix}:* (${String(err)})`);
        } finally {
          await redis.quit().catch(() => redis.disconnect());
        }
        await dropIndices(this.es, this.prefix).catch((err: unknown) => this.opts.log(`cleanup: could not drop the indices ${this.prefix}-* (${String(err)})`));
        await dropIndices(this.es, `${this.prefix}-ix`).catch(() => undefined);
        await this.es.close().catch(() => undefined);
      }
    })());
  }
}
