/**
 * Connection factories. Workers block on Redis and must ride out outages
 * (`maxRetriesPerRequest: null`, as BullMQ requires); producers and commands fail fast so a
 * user sees "Redis is down" at once instead of a hang.
 */
import { Client as ElasticsearchClient } from "@elastic/elasticsearch";
import { Redis, type RedisOptions } from "ioredis";
import type { Config } from "./config.ts";

export type RedisRole = "worker" | "producer";

export function redisOptions(role: RedisRole): RedisOptions {
  return role === "worker"
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (n) => Math.min(200 * 2 ** n, 5_000) }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 5_000, retryStrategy: (n) => (n > 3 ? null : 200 * n) };
}

export function createRedis(config: Pick<Config, "redisUrl">, role: RedisRole): Redis {
  return new Redis(config.redisUrl, { ...redisOptions(role), lazyConnect: false });
}

export function createElasticsearch(config: Config): ElasticsearchClient {
  const auth = config.elasticsearchApiKey
    ? { apiKey: config.elasticsearchApiKey }
    : config.elasticsearchUsername
      ? { username: config.elasticsearchUsername, password: config.elasticsearchPassword ?? "" }
      : undefined;
  return new ElasticsearchClient({
    node: config.elasticsearchUrl,
    ...(auth ? { auth } : {}),
    requestTimeout: 60_000,
    maxRetries: 3,
  });
}

export type { ElasticsearchClient };
