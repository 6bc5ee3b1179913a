/**
 * Each stage alone, in-process, without queues: what the stage's own code costs per page.
 *
 *   fetch      undici fetchPage (the fetch stage's own) against the local page server, 16 at once
 *   clean      cleanPage on the pages' UTF-8 bytes as the fetch stage stores them (decoded as it
 *              decodes them), one at a time, as the clean stage's thread runs it (pageFromUtf8)
 *   translate  translateArticle with the stub provider
 *   extract    extractEvents on the cleaned articles, one at a time
 *   index      IndexBatcher against the real Elasticsearch, 32 jobs in flight (the worker's
 *              default concurrency), synthetic payloads from the cleaned and extracted pages
 *              with distinct source ids
 *
 * Plus the side-by-side rows: the clean stage vs Mozilla Readability on the same pages, and
 * BullMQ's own ceiling on the same Redis (a no-op processor).
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { cleanPage, pageFromUtf8 } from "@tidings/clean";
import { extractEvents } from "@tidings/extract";
import { decodeBody, fetchPage, policyFromEnv } from "@tidings/fetch";
import { articleSourceDoc, createIndexStage, ensureIndices, INDEX_KINDS, indexNames, sourceVersion } from "@tidings/index";
import {
  compressBody, createRedis, openBodyBytes, sourceIdOf, type BodyCodec, type CleanedArticle, type Config, type ElasticsearchClient, type ExtractedEvent,
  type IndexArticlePayload, type JobEnvelope, type TranslationInfo,
} from "@tidings/shared";
import { StubProvider, translateArticle } from "@tidings/translate";
import { READABILITY_DOMS, readabilityYield, runReadability, type ReadabilityDom } from "../eval/clean/readability-run.ts";
import type { BenchPage, PageServer } from "./page-server.ts";
import type { BodyCodecRow, QueueCeiling, ReadabilityRow, ReadabilityTimes, StageAlone } from "./report.ts";
import { esCpuMs } from "./service-cpu.ts";
import { round, summarize } from "./stats.ts";

/** Pages run before timing starts (JIT warm-up), not counted. */
export const WARMUP = 20;

/** How long the index-alone run waits before and after its timed part for Elasticsearch's CPU figure (ms). */
const ES_STATS_SETTLE_MS = 1100;

export interface DecodedPage {
  i: number;
  id: string;
  url: string;
  body: string;
  /** The body's UTF-8 bytes: what the fetch stage stores and the clean stage opens. */
  utf8: Buffer;
  lang?: string;
  published?: string;
}

/** Page i of `count` (cycling over the distinct pages), decoded as the fetch stage decodes it. */
export function decodePages(pages: readonly BenchPage[], count: number): DecodedPage[] {
  const decoded = pages.map((p) => decodeBody(p.bytes, "text/html").text);
  const utf8 = decoded.map((text) => Buffer.from(text, "utf8"));
  return Array.from({ length: count }, (_, i) => {
    const k = i % pages.length;
    const p = pages[k]!;
    return {
      i, id: p.id, url: `http://bench.invalid/p/${i}`, body: decoded[k]!, utf8: utf8[k]!,
      ...(p.lang ? { lang: p.lang } : {}), ...(p.published ? { published: p.published } : {}),
    };
  });
}

function aloneResult(ms: number[], wallMs: number, mode: string, extra: Partial<StageAlone> = {}): StageAlone {
  const s = summarize(ms);
  return {
    pages: ms.length, seconds: round(wallMs / 1000, 2), pages_per_s: round(ms.length / (wallMs / 1000), 1),
    ms_median: round(s.median, 3), ms_p99: round(s.p99, 3), ms_mean: round(s.mean, 3), mode, ...extra,
  };
}

/** The first WARMUP items plus the first of each language (lazily loaded per-language data). */
function warmupOf<T>(items: readonly T[], lang: (item: T) => string | undefined): T[] {
  const seen = new Set<string>();
  return items.filter((item, k) => {
    const l = lang(item) ?? "";
    const first = !seen.has(l);
    seen.add(l);
    return k < WARMUP || first;
  });
}

/** Time `fn` on every item, one at a time, after a warm-up (the first few and one per language). */
function timeSequential<T, R>(items: readonly T[], fn: (item: T) => R, lang: (item: T) => string | undefined = () => undefined): { ms: number[]; wallMs: number; out: R[] } {
  for (const item of warmupOf(items, lang)) fn(item);
  const ms: number[] = [];
  const out: R[] = [];
  const t0 = performance.now();
  for (const item of items) {
    const s = performance.now();
    out.push(fn(item));
    ms.push(performance.now() - s);
  }
  return { ms, wallMs: performance.now() - t0, out };
}

/** Run `fn` on every item with `concurrency` at once; per-item latency and wall time. */
async function timeConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<{ ms: number[]; wallMs: number; out: (R | undefined)[]; errors: number }> {
  const ms: number[] = new Array(items.length);
  const out: (R | undefined)[] = new Array(items.length);
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const lane = async () => {
    for (;;) {
      const k = next++;
      if (k >= items.length) return;
      const s = performance.now();
      try {
        out[k] = await fn(items[k]!);
      } catch {
        errors++;
      }
      ms[k] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return { ms, wallMs: performance.now() - t0, out, errors };
}

// ---- fetch ----------------------------------------------------------------------------------

export async function benchFetch(server: PageServer, count: number, concurrency = 16): Promise<StageAlone> {
  const policy = policyFromEnv({ ...process.env, TIDINGS_FETCH_ALLOW_HOSTS: server.host });
  const warm = Array.from({ length: Math.min(WARMUP, count) }, (_, i) => server.url(i));
  await timeConcurrent(warm, concurrency, (u) => fetchPage(u, policy));
  const urls = Array.from({ length: count }, (_, i) => server.url(i));
  const r = await timeConcurrent(urls, concurrency, (u) => fetchPage(u, policy));
  return aloneResult(r.ms, r.wallMs, `fetchPage, ${concurrency} at once`, r.errors ? { errors: r.errors } : {});
}

// ---- clean, translate, extract -------------------------------------------------------------------

export interface Processed {
  page: DecodedPage;
  article: CleanedArticle;
  translation?: TranslationInfo;
  events?: ExtractedEvent[];
}

export function benchClean(pages: readonly DecodedPage[]): { result: StageAlone; out: Processed[] } {
  const r = timeSequential(pages, (p) => cleanPage(pageFromUtf8(p.utf8, { kind: "html", url: p.url }), { url: p.url, ...(p.published ? { published: p.published } : {}) }), (p) => p.lang);
  return { result: aloneResult(r.ms, r.wallMs, "cleanPage from the stored UTF-8 bytes, one at a time"), out: r.out.map((article, k) => ({ page: pages[k]!, article })) };
}

export async function benchTranslate(items: Processed[]): Promise<StageAlone> {
  const provider = new StubProvider();
  // The stub is asynchronous (as every provider): timed one at a time, awaited.
  for (const it of items.slice(0, WARMUP)) await translateArticle(it.article, provider, "en");
  const ms: number[] = [];
  const t0 = performance.now();
  for (const it of items) {
    const s = performance.now();
    it.translation = await translateArticle(it.article, provider, "en");
    ms.push(performance.now() - s);
  }
  return aloneResult(ms, performance.now() - t0, "translateArticle (stub), one at a time");
}

function stubTranslation(a: CleanedArticle): TranslationInfo {
  return { provider: "stub", source_language: a.language, target_language: "en", translated: false, reason: "stub" };
}

export function benchExtract(items: Processed[]): StageAlone {
  const r = timeSequential(items, (it) => {
    const published = it.article.published ?? it.page.published;
    return extractEvents({
      article: it.article, translation: it.translation ?? stubTranslation(it.article),
      source: { id: sourceIdOf(it.page.url), url: it.page.url, ...(published ? { published: published.slice(0, 10) } : {}) },
    });
  }, (it) => it.article.language);
  r.out.forEach((events, k) => (items[k]!.events = events));
  return aloneResult(r.ms, r.wallMs, "extractEvents, one at a time");
}

// ---- index ----------------------------------------------------------------------------------

/** Index operations Elasticsearch performed on a prefix's indices (primaries; re-writes of merged events count). */
export async function indexOps(es: ElasticsearchClient, prefix: string): Promise<{ ops: number; docs: Record<string, number> }> {
  const docs: Record<string, number> = {};
  let ops = 0;
  for (const kind of INDEX_KINDS) {
    const index = indexNames(prefix, kind).read;
    const stats = await es.indices.stats({ index, metric: ["indexing"] });
    ops += stats._all.primaries?.indexing?.index_total ?? 0;
    // _count, not the stats' docs.count: that counts Lucene documents, nested actors included.
    docs[kind] = (await es.count({ index })).count;
  }
  return { ops, docs };
}

/**
 * The index stage's writer alone: `count` synthetic index jobs built from the processed pages
 * (cycled; each with its own source id, its events re-attributed to it), submitted to one
 * IndexBatcher with `concurrency` jobs in flight, as one worker process runs them.
 */
export async function benchIndex(es: ElasticsearchClient, config: Config, items: readonly Processed[], count: number, concurrency = config.concurrency.index): Promise<StageAlone> {
  await ensureIndices(es, config.indexPrefix);
  const stage = createIndexStage(es, config);
  const run = Date.now().toString(36);
  const now = new Date().toISOString();
  const payloads = Array.from({ length: count + WARMUP }, (_, i): IndexArticlePayload => {
    const it = items[i % items.length]!;
    const url = `http://bench.invalid/ix/${i}`;
    const sid = sourceIdOf(url);
    const envelope: JobEnvelope = { v: 1, source_id: sid, url, input_url: url, batch_id: "bench", correlation_id: `c-${i}`, run, enqueued_at: now };
    const events = (it.events ?? []).map((e) => ({ ...e, evidence: e.evidence.map((ev) => ({ ...ev, source_id: sid })) }));
    return {
      kind: "article", envelope, article: it.article, translation: it.translation ?? stubTranslation(it.article), events,
      page: { requested_url: url, final_url: url, http_status: 200, content_type: "text/html", kind: "html", charset: "utf-8", fetched_at: now, bytes: it.page.body.length },
    };
  });
  const submit = (p: IndexArticlePayload) => stage.batcher.submit({
    source: { doc: articleSourceDoc(p, ["bench"], p.events.map((e) => e.id), now), version: sourceVersion(p.envelope) },
    events: p.events,
    eventSource: { id: p.envelope.source_id, language: p.article.language, seen: now, mentions: 0 },
  });
  await timeConcurrent(payloads.slice(0, WARMUP), concurrency, submit);
  // Elasticsearch refreshes the CPU figure of its node stats about once a second: a second's
  // pause on either side reads it fresh, and lets the work the writes set off finish.
  await sleep(ES_STATS_SETTLE_MS);
  const before = await indexOps(es, config.indexPrefix);
  const cpuBefore = await esCpuMs(es);
  const r = await timeConcurrent(payloads.slice(WARMUP), concurrency, submit);
  const after = await indexOps(es, config.indexPrefix);
  await sleep(ES_STATS_SETTLE_MS);
  const cpuAfter = await esCpuMs(es);
  const docs = after.ops - before.ops;
  const esCpu = cpuBefore !== undefined && cpuAfter !== undefined && docs > 0 ? round((cpuAfter - cpuBefore) / docs, 3) : undefined;
  return aloneResult(r.ms, r.wallMs, `IndexBatcher, ${concurrency} jobs in flight`, {
    docs, docs_per_s: round(docs / (r.wallMs / 1000), 0), ...(esCpu !== undefined ? { es_cpu_ms_per_doc: esCpu } : {}), ...(r.errors ? { errors: r.errors } : {}),
  });
}

// ---- side by side -----------------------------------------------------------------------------

/**
 * The clean stage and Mozilla Readability (on jsdom and on linkedom) on the same pages, taking
 * turns page by page so that load on the machine touches all three alike. Each starts from the
 * page's UTF-8 bytes, as the clean stage holds a stored page: the clean stage parses them as they
 * are (pageFromUtf8), Readability's DOM needs them decoded first, which its time includes.
 */
export async function benchReadability(pages: readonly DecodedPage[]): Promise<ReadabilityRow> {
  const warm = warmupOf(pages, (p) => p.lang);
  for (const p of warm) {
    cleanPage(pageFromUtf8(p.utf8, { kind: "html", url: p.url }));
    for (const dom of READABILITY_DOMS) runReadability(p.utf8.toString("utf8"), p.url, dom);
    await readabilityYield();
  }
  const ours: number[] = [];
  const theirs: Record<ReadabilityDom, number[]> = { jsdom: [], linkedom: [] };
  for (const p of pages) {
    let s = performance.now();
    cleanPage(pageFromUtf8(p.utf8, { kind: "html", url: p.url }), { url: p.url });
    ours.push(performance.now() - s);
    for (const dom of READABILITY_DOMS) {
      s = performance.now();
      runReadability(p.utf8.toString("utf8"), p.url, dom);
      theirs[dom].push(performance.now() - s);
    }
    await readabilityYield();
  }
  const a = summarize(ours);
  const times = (xs: number[]): ReadabilityTimes => {
    const b = summarize(xs);
    return {
      readability_ms_median: round(b.median, 2), readability_ms_p99: round(b.p99, 2),
      ratio_median: round(b.median / a.median, 2), ratio_p99: round(b.p99 / a.p99, 2),
    };
  };
  return {
    pages: pages.length,
    clean_ms_median: round(a.median, 2), clean_ms_p99: round(a.p99, 2),
    ...times(theirs.linkedom),
    jsdom: times(theirs.jsdom),
  };
}

// ---- page bodies in Redis (fetch -> clean) ------------------------------------------------------

/**
 * What a page costs to store between fetch and clean: its UTF-8 bytes compressed by each codec
 * (bodies.ts; lz4 is what BodyStore stores, deflate level 3 what it stored before) and opened
 * back into those bytes, page by page, after a warm-up: what the clean stage's thread does before
 * cleanPage (the clean row starts from the bytes).
 */
export function benchBodyCodecs(pages: readonly DecodedPage[]): BodyCodecRow[] {
  const bytes = pages.map((p) => p.utf8);
  const rawBytes = bytes.reduce((n, b) => n + b.length, 0);
  const codecs: BodyCodec[] = ["lz4", "deflate"];
  for (const codec of codecs) for (const b of bytes.slice(0, WARMUP)) openBodyBytes({ codec, bytes: compressBody(b, codec) });
  return codecs.map((codec) => {
    const put: number[] = [];
    const open: number[] = [];
    let stored = 0;
    for (const b of bytes) {
      let s = performance.now();
      const c = compressBody(b, codec);
      put.push(performance.now() - s);
      stored += c.length;
      s = performance.now();
      openBodyBytes({ codec, bytes: c });
      open.push(performance.now() - s);
    }
    const p = summarize(put);
    const o = summarize(open);
    return {
      codec, pages: bytes.length, compress_ms_mean: round(p.mean, 3), compress_ms_p99: round(p.p99, 3),
      open_ms_mean: round(o.mean, 3), open_ms_p99: round(o.p99, 3),
      stored_ratio: round(stored / rawBytes, 3), stored_kib_per_page: round(stored / bytes.length / 1024, 1),
    };
  });
}

/**
 * BullMQ's own ceiling on this Redis: `jobs` small jobs added with addBulk, then one in-process
 * worker with a no-op processor at `concurrency` until all are completed. Same retention as
 * the pipeline (removeOnComplete count).
 */
export async function benchQueueCeiling(config: Config, jobs: number, concurrency = 50): Promise<QueueCeiling> {
  const connection = createRedis(config, "worker");
  const name = "noop";
  const queue = new Queue(name, { connection, prefix: config.queuePrefix, defaultJobOptions: { removeOnComplete: { count: config.keepCompleted }, removeOnFail: { count: config.keepFailed } } });
  const workerConnection = createRedis(config, "worker");
  let worker: Worker | undefined;
  try {
    const t0 = performance.now();
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: "noop", data: { i: i + k, url: `http://bench.invalid/p/${i + k}` } })));
    }
    const addMs = performance.now() - t0;
    let done = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    const t1 = performance.now();
    worker = new Worker(name, async () => undefined, { connection: workerConnection, prefix: config.queuePrefix, concurrency });
    worker.on("completed", () => {
      if (++done >= jobs) resolveAll();
    });
    await all;
    const runMs = performance.now() - t1;
    return { jobs, concurrency, add_jobs_per_s: round(jobs / (addMs / 1000), 0), jobs_per_s: round(jobs / (runMs / 1000), 0) };
  } finally {
    await closeBenchQueue(worker, queue, [workerConnection, connection]);
  }
}

/** Close a benchmark's worker, delete its queue's keys, close the queue and its connections. */
export async function closeBenchQueue(worker: Worker | undefined, queue: Queue, connections: Redis[]): Promise<void> {
  await worker?.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  for (const c of connections) await c.quit().catch(() => c.disconnect());
}
