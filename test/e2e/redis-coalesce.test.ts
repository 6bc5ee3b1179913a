/**
 * connections.ts's write coalescing on real Redis: commands issued in one turn of the event loop
 * reach the socket as one writev, not one write each, and still get their own replies in order.
 */
import { describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import { coalesceWrites, createRedis } from "@tidings/shared/connections";
import { loadConfig } from "@tidings/shared/config";

type Counted = { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };

async function socketCalls(coalesce: boolean | Redis): Promise<{ write: number; writev: number; replies: string[] }> {
  const redis = coalesce instanceof Redis ? coalesce : new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
  if (coalesce === true) coalesceWrites(redis);
  try {
    await redis.ping();
    const socket = redis.stream as unknown as Counted;
    const calls = { write: 0, writev: 0 };
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (...a) => { calls.write++; write(...a); };
    socket._writev = (...a) => { calls.writev++; writev(...a); };
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => redis.echo(`m${i}`)));
    return { ...calls, replies };
  } finally {
    await redis.quit();
  }
}

describe("coalesceWrites", () => {
  const expected = Array.from({ length: 20 }, (_, i) => `m${i}`);

  it("sends twenty commands of one turn in one writev", async () => {
    const r = await socketCalls(true);
    expect(r.replies).toEqual(expected);
    expect(r.writev).toBe(1);
    expect(r.write).toBe(0);
  });

  it("without it, ioredis writes each command on its own", async () => {
    const r = await socketCalls(false);
    expect(r.replies).toEqual(expected);
    expect(r.write + r.writev).toBeGreaterThan(1);
  });

  it("createRedis coalesces unless TIDINGS_REDIS_COALESCE=0 (config.redisCoalesce)", async () => {
    const on = await socketCalls(createRedis(loadConfig({ REDIS_URL: inject("redisUrl") }), "worker"));
    expect(on.replies).toEqual(expected);
    expect(on.writev + on.write).toBe(1);
    const off = await socketCalls(createRedis(loadConfig({ REDIS_URL: inject("redisUrl"), TIDINGS_REDIS_COALESCE: "0" }), "worker"));
    expect(off.replies).toEqual(expected);
    expect(off.write + off.writev).toBeGreaterThan(1);
  });
});
