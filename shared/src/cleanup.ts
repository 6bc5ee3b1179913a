/** Removing what a run left behind (tests, benchmarks, chaos runs use their own key prefix). */
import type { Redis } from "ioredis";

/** Delete every Redis key under `<prefix>:`, in batches (SCAN + UNLINK, never KEYS). Returns the count. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
