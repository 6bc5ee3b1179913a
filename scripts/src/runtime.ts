/**
 * What long-running commands share: config, connections, the producer, and an ordered shutdown
 * (workers first, then pending writes, then connections), as Langfuse's worker does it.
 */
import { createElasticsearch, createRedis, loadConfig, Producer, type Config, type ElasticsearchClient } from "@tidings/shared";
import type { Redis } from "ioredis";

export interface Runtime {
  config: Config;
  /** Connection for producers and commands: fails fast. */
  redis: Redis;
  producer: Producer;
  es: ElasticsearchClient;
  close(): Promise<void>;
}

export async function openRuntime(): Promise<Runtime> {
  const config = loadConfig();
  const redis = createRedis(config, "producer");
  try {
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis at ${config.redisUrl} does not answer (${(err as Error).message}); start it with \`npm run services -- up\``);
  }
  const producer = new Producer(redis, config);
  const es = createElasticsearch(config);
  return {
    config, redis, producer, es,
    async close() {
      await producer.close();
      await es.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
