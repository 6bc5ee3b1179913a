/**
 * An index worker started on indices that an older segmentation made says so: a real
 * `tidings worker --stages index` process, real Elasticsearch. The sources index is marked as
 * segmented by version 1 (as every index from before the record is); the worker's start-up log
 * must carry a warning naming it and saying to reindex, and must not for the up-to-date ones.
 */
import { afterAll, describe, expect, inject, it } from "vitest";
import { currentIndex, dropIndices, ensureIndices, SEGMENTATION_VERSION } from "@tidings/index";
import { createElasticsearch, loadConfig } from "@tidings/shared";
import { spawnWorker, stopWorker, type WorkerProcess } from "@tidings/scripts/bench/fetch-load";

describe("segmentation version at the index worker's start", () => {
  const prefix = `tidings-test-segver-${Date.now().toString(36)}`;
  const env = {
    ...process.env, REDIS_URL: inject("redisUrl"), ELASTICSEARCH_URL: inject("elasticsearchUrl"),
    TIDINGS_INDEX_PREFIX: prefix, TIDINGS_QUEUE_PREFIX: prefix, LOG_LEVEL: "info",
  };
  const es = createElasticsearch(loadConfig(env));
  let worker: WorkerProcess | undefined;

  afterAll(async () => {
    if (worker) await stopWorker(worker);
    await dropIndices(es, prefix).catch(() => undefined);
    await es.close();
  }, 60_000);

  it("warns about the index an older version segmented, and only that one", async () => {
    expect(await ensureIndices(es, prefix)).toEqual([]);
    const sources = (await currentIndex(es, prefix, "sources")).index;
    await es.indices.putMapping({ index: sources, _meta: { segmentation: 1 } });

    worker = spawnWorker(env, "index");
    const until = Date.now() + 60_000;
    while (!/workers started/.test(worker.tail()) && Date.now() < until && worker.alive()) await new Promise((r) => setTimeout(r, 200));
    const lines = worker.tail().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.message === "workers started"), worker.tail().slice(-2000)).toBe(true);
    const warnings = lines.filter((l) => l.level === "warn" && String(l.message).includes("tidings reindex all"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ index: sources, kind: "sources", segmentation: 1, current: SEGMENTATION_VERSION });
  }, 90_000);
});
