/**
 * What every e2e test leaves behind, removed: its indices (all kinds, every version, templates)
 * and every Redis key under its prefix; then both clients are closed. Either client may be
 * absent (a test that failed before opening it).
 */
import { dropIndices } from "@tidings/index";
import { deleteKeysWithPrefix, type ElasticsearchClient } from "@tidings/shared";
import type { Redis } from "ioredis";

export async function dropRun(prefix: string, clients: { es?: ElasticsearchClient; redis?: Redis }): Promise<void> {
  const { es, redis } = clients;
  if (es) {
    await dropIndices(es, prefix).catch(() => undefined);
    await es.close();
  }
  if (redis) {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit().catch(() => redis.disconnect());
  }
}
