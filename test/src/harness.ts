/**
 * What every e2e test needs: an isolated pipeline (its own queue and index prefixes on the real
 * Redis and Elasticsearch), the local web server, workers in this process, and helpers to wait
 * for a batch and read what was indexed.
 */
import { inject } from "vitest";
import { ensureIndices, indexNames } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, PIPELINE, Producer, type BatchProgress, type Config, type ElasticsearchClient, type SourceRecord } from "@tidings/shared";
import { startWorkers, type RunningWorkers } from "@tidings/scripts/commands/worker";
import { WebServer, type WebServerOptions } from "@tidings/scripts/demo/web-server";
import type { Redis } from "ioredis";
import type { EventDocument } from "@tidings/index";
import { dropRun } from "./teardown.ts";

export interface Harness {
  config: Config;
  web: WebServer;
  redis: Redis;
  producer: Producer;
  es: ElasticsearchClient;
  workers: RunningWorkers;
  names: { sources: string; events: string; mentions: string };
  waitForBatch(batchId: string, timeoutMs?: number): Promise<BatchProgress>;
  sources(batchId?: string): Promise<SourceRecord[]>;
  events(): Promise<EventDocument[]>;
  count(kind: "sources" | "events" | "mentions"): Promise<number>;
  close(): Promise<void>;
}

export async function openHarness(name: string, web: WebServerOptions = { fixtures: true, seeds: true, corpusPages: 0 }): Promise<Harness> {
  const prefix = `t-${name}-${Date.now().toString(36)}`;
  process.env.REDIS_URL = inject("redisUrl");
  process.env.ELASTICSEARCH_URL = inject("elasticsearchUrl");
  const server = await new WebServer(web).start();
  process.env.TIDINGS_FETCH_ALLOW_HOSTS = `127.0.0.1:${server.port}`;
  // Our own local server needs no politeness delay; the limits themselves are tested elsewhere.
  process.env.TIDINGS_FETCH_HOST_DELAY_MS ??= "0";
  process.env.TIDINGS_FETCH_HOST_CONCURRENCY ??= "8";
  // The shared logger reads LOG_LEVEL from the environment when it is first used.
  process.env.LOG_LEVEL ??= "warn";
  const config = loadConfig({
    ...process.env, TIDINGS_INDEX_PREFIX: prefix, TIDINGS_QUEUE_PREFIX: prefix,
    TIDINGS_BACKOFF_MS: "200", TIDINGS_ATTEMPTS: "2", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  const es = createElasticsearch(config);
  await ensureIndices(es, config.indexPrefix);
  const redis = createRedis(config, "producer");
  const producer = new Producer(redis, config);
  const workers = await startWorkers([...PIPELINE], config);
  const names = {
    sources: indexNames(prefix, "sources").read,
    events: indexNames(prefix, "events").read,
    mentions: indexNames(prefix, "mentions").read,
  };
  const h: Harness = {
    config, web: server, redis, producer, es, workers, names,
    async waitForBatch(batchId, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const p = await producer.batches.progress(batchId);
        if (p?.done) {
          await es.indices.refresh({ index: Object.values(names) });
          return p;
        }
        if (Date.now() > deadline) throw new Error(`batch ${batchId} not done after ${timeoutMs} ms: ${JSON.stringify(p)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async sources(batchId) {
      const res = await es.search<SourceRecord>({ index: names.sources, size: 1000, query: batchId ? { term: { batch_ids: batchId } } : { match_all: {} } });
      return res.hits.hits.map((x) => x._source!);
    },
    async events() {
      const res = await es.search<EventDocument>({ index: names.events, size: 1000, query: { match_all: {} } });
      return res.hits.hits.map((x) => x._source!);
    },
    async count(kind) {
      await es.indices.refresh({ index: names[kind] });
      return (await es.count({ index: names[kind] })).count;
    },
    async close() {
      await workers.stop();
      await producer.close();
      await dropRun(prefix, { es, redis });
      await server.stop();
    },
  };
  return h;
}
