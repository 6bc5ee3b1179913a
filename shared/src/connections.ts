/**
 * Connection factories. Workers block on Redis and must ride out outages
 * (`maxRetriesPerRequest: null`, as BullMQ requires); producers and commands fail fast so a
 * user sees "Redis is down" at once instead of a hang.
 */
import type { Client as ElasticsearchClient } from "@elastic/elasticsearch";
import { Redis, type RedisOptions } from "ioredis";
import { createRequire } from "node:module";
import type { Config } from "./config.ts";

export type RedisRole = "worker" | "producer";

export function redisOptions(role: RedisRole): RedisOptions {
  return role === "worker"
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (n) => Math.min(200 * 2 ** n, 5_000) }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 5_000, retryStrategy: (n) => (n > 3 ? null : 200 * n) };
}

/** A Redis connection for `role`; its writes are coalesced unless config.redisCoalesce is false (default: coalesced). */
export function createRedis(config: Pick<Config, "redisUrl"> & Partial<Pick<Config, "redisCoalesce">>, role: RedisRole): Redis {
  const redis = new Redis(config.redisUrl, { ...redisOptions(role), lazyConnect: false });
  if (config.redisCoalesce ?? true) coalesceWrites(redis);
  return redis;
}

const COALESCING = Symbol("tidings.coalescing");

/**
 * ioredis writes every command to its socket at once: one write system call per command, and on
 * this project's development VM (nested virtualisation) the socket write under each command was
 * 10-22% of a stage's CPU profile. Corking the socket on the first write of a turn of the event
 * loop and uncorking it after the turn's I/O callbacks (setImmediate) sends all commands issued
 * in that turn (a job's completion, its follow-up job, its batch bookkeeping, the next fetch) in
 * one writev, and Redis reads them in one go. Counted with strace in the end-to-end benchmark:
 * write system calls per read fell from 1.33-1.43 to 1.02-1.05 in the translate and clean
 * workers; Redis's own CPU per article was 0.25-0.98 ms lower in each of six paired runs.
 * TIDINGS_REDIS_COALESCE=0 turns it off (config.ts, redisCoalesce; default on).
 */
export function coalesceWrites(redis: Redis): void {
  const attach = () => {
    const socket = redis.stream as (Redis["stream"] & { [COALESCING]?: boolean }) | undefined;
    if (!socket || socket[COALESCING]) return;
    socket[COALESCING] = true;
    let corked = false;
    const uncork = () => { corked = false; socket.uncork(); };
    const write = socket.write;
    socket.write = function (this: typeof socket, ...args: Parameters<typeof write>) {
      if (!corked) { corked = true; socket.cork(); setImmediate(uncork); }
      return write.apply(this, args);
    } as typeof write;
  };
  redis.on("connect", attach);
  attach();
}

/**
 * The Elasticsearch client is loaded by the first call, not when this package is imported: with
 * its dependencies (its own undici, OpenTelemetry) it is about 10 MB of JavaScript heap, which
 * the fetch, clean, translate and extract workers would otherwise carry and mark in every full
 * collection without ever talking to Elasticsearch.
 */
const loadElasticsearch = () => createRequire(import.meta.url)("@elastic/elasticsearch") as typeof import("@elastic/elasticsearch");

export function createElasticsearch(config: Config): ElasticsearchClient {
  const { Client } = loadElasticsearch();
  const auth = config.elasticsearchApiKey
    ? { apiKey: config.elasticsearchApiKey }
    : config.elasticsearchUsername
      ? { username: config.elasticsearchUsername, password: config.elasticsearchPassword ?? "" }
      : undefined;
  return new Client({
    node: config.elasticsearchUrl,
    ...(auth ? { auth } : {}),
    requestTimeout: 60_000,
    maxRetries: 3,
  });
}

export type { ElasticsearchClient };
