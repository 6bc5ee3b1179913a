/**
 * The benchmark's end-to-end run (scripts/src/bench/e2e.ts) on real Redis and Elasticsearch, small:
 * one worker process per stage, a warm-up batch, then the measured batch. Checks what the
 * report is built from: every URL of the measured batch ended, the warm-up ran first through the
 * same workers (its sources are in the index too), and each stage, Redis and Elasticsearch have
 * a CPU figure for every quarter of the run.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dropIndices } from "@tidings/index";
import { createElasticsearch, createRedis, deleteKeysWithPrefix, loadConfig, PIPELINE, type ElasticsearchClient } from "@tidings/shared";
import { E2eRun } from "@tidings/scripts/bench/e2e";
import { loadPages, startPageServer, type PageServer } from "@tidings/scripts/bench/page-server";
import type { E2eResult } from "@tidings/scripts/bench/report";

const URLS = 40;
const WARMUP = 16;

describe("bench end-to-end run with a warm-up", () => {
  const prefix = `tidings-test-bench-${Date.now().toString(36)}`;
  const config = loadConfig({
    ...process.env, REDIS_URL: inject("redisUrl"), ELASTICSEARCH_URL: inject("elasticsearchUrl"),
    TIDINGS_QUEUE_PREFIX: prefix, TIDINGS_INDEX_PREFIX: prefix, TIDINGS_KEEP_COMPLETED: "1000", LOG_LEVEL: "warn",
  });
  let es: ElasticsearchClient;
  let server: PageServer;
  let run: E2eRun;
  let r: E2eResult;
  const log: string[] = [];

  beforeAll(async () => {
    es = createElasticsearch(config);
    // A dozen distinct pages (the corpus's first ones with ../shared, the fixtures without), cycled.
    server = await startPageServer(loadPages(12).pages);
    run = new E2eRun(config, server, es, { urls: URLS, procsPerStage: 1, timeoutMs: 240_000, warmupUrls: WARMUP, log: (l) => log.push(l) });
    r = await run.run();
  }, 300_000);

  afterAll(async () => {
    await run?.stop();
    await server?.close();
    const redis = createRedis(config, "producer");
    await deleteKeysWithPrefix(redis, prefix).finally(() => redis.quit());
    await dropIndices(es, prefix).catch(() => undefined);
    await es?.close();
  }, 60_000);

  it("ends every URL of the measured batch and says it was warmed up", () => {
    expect(r.ended.indexed + r.ended.failed + r.ended.skipped).toBe(URLS);
    expect(r.warmup_urls).toBe(WARMUP);
    for (const stage of PIPELINE) expect(r.stages[stage]?.articles, stage).toBe(URLS);
  });

  it("ran the warm-up batch first, through the same workers, under URLs of its own", () => {
    const warm = log.findIndex((l) => /warm-up done/.test(l));
    expect(warm, log.join("\n")).toBeGreaterThanOrEqual(0);
    expect(log.slice(0, warm).some((l) => /started 5 worker processes/.test(l))).toBe(true);
    expect(log.some((l) => /started \d+ worker processes/.test(l) && log.indexOf(l) > warm)).toBe(false);
    // Both batches' sources are in the index: the warm-up's URLs differ from the measured ones.
    expect(r.fingerprint?.source_docs).toBe(URLS + WARMUP);
  });

  it("has each stage's and each service's CPU per article for every quarter of the run", () => {
    for (const stage of PIPELINE) {
      const q = r.stages[stage]?.cpu_ms_per_article_by_quarter;
      expect(q, stage).toHaveLength(4);
      for (const v of q!) expect(v, stage).toBeGreaterThanOrEqual(0);
      // Work was done: the quarters cannot all be zero for a stage that ran 40 articles.
      expect(q!.some((v) => (v ?? 0) > 0), stage).toBe(true);
    }
    for (const service of ["redis", "elasticsearch"] as const) {
      const q = r.other_cpu_ms_per_article_by_quarter?.[service];
      expect(q, service).toHaveLength(4);
      for (const v of q!) expect(v, service).not.toBeNull();
    }
  });

  it("counts the measured batch's jobs per stage: one fetch job per URL, bundles after it", () => {
    // Fetch jobs are one URL each (TIDINGS_FETCH_BUNDLE_MAX 1); the warm-up's jobs are not counted.
    expect(r.stages.fetch?.jobs).toBe(URLS);
    expect(r.stages.fetch?.urls_per_job).toBe(1);
    for (const stage of PIPELINE.slice(1)) {
      const jobs = r.stages[stage]?.jobs;
      expect(jobs, stage).toBeGreaterThan(0);
      expect(jobs!, stage).toBeLessThanOrEqual(URLS);
      expect(r.stages[stage]?.urls_per_job, stage).toBe(Math.round((URLS / jobs!) * 100) / 100);
    }
  });
});
