/**
 * The body store (shared/src/bodies.ts) on real Redis: what fetch stores, clean reads back
 * exactly, in any script, compressed or (TIDINGS_BODY_CODEC=none) not; a body stored by the older
 * deflate version still reads; a missing or
 * damaged body is a clear, classified error, not a garbled page.
 */
import { deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import {
  BodyCorruptError, BodyMissingError, BodyStore, codecOfRef, openBody, SYNC_COMPRESS_MAX_BYTES,
} from "@tidings/shared/bodies";
import { classifyError } from "@tidings/shared/errors";

const page = (n: number) =>
  `<html><head><meta charset="utf-8"><title>朝鲜 Triều Tiên КНДР</title></head><body>${"<p>Lãnh đạo hai nước đã ký hiệp ước 全面战略伙伴关系条约 в Пхеньяне 🇰🇵.</p>".repeat(n)}</body></html>`;

describe("BodyStore", () => {
  let redis: Redis;
  let store: BodyStore;
  const prefix = `t-bodies-${Date.now().toString(36)}`;

  beforeAll(() => {
    redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
    store = new BodyStore(redis, prefix, 60);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it.each([
    ["a text body", page(50), false, false],
    ["UTF-8 bytes", page(50), true, false],
    ["a body over the in-thread limit (compressed on the thread pool)", page(5000), false, true],
  ])("stores %s compressed and reads it back exactly", async (_name, body, asBytes, big) => {
    expect(Buffer.byteLength(body) > SYNC_COMPRESS_MAX_BYTES).toBe(big);
    const ref = await store.put("src1", `r${body.length}${asBytes}`, asBytes ? new Uint8Array(Buffer.from(body, "utf8")) : body);
    expect(codecOfRef(ref)).toBe("lz4");
    expect(await redis.ttl(ref)).toBeGreaterThan(0);
    const stored = await redis.strlen(ref);
    expect(stored).toBeLessThan(Buffer.byteLength(body) / 4);
    expect(await store.get(ref)).toBe(body);
    // The path clean takes: the compressed copy, opened on the parsing thread.
    const compressed = await store.getCompressed(ref);
    expect(compressed.codec).toBe("lz4");
    expect(openBody(compressed)).toBe(body);
  });

  it("stores a body as its UTF-8 bytes with the codec \"none\" (TIDINGS_BODY_CODEC), and reads it back exactly", async () => {
    const raw = new BodyStore(redis, prefix, 60, "none");
    const body = page(50);
    const ref = await raw.put("src4", "r1", body);
    expect(ref.endsWith(":raw")).toBe(true);
    expect(codecOfRef(ref)).toBe("none");
    expect(await redis.ttl(ref)).toBeGreaterThan(0);
    expect((await redis.getBuffer(ref))?.equals(Buffer.from(body, "utf8"))).toBe(true);
    // Any store reads it (a clean worker need not share the fetch worker's setting).
    expect(await store.get(ref)).toBe(body);
    const kept = await store.getCompressed(ref);
    expect(kept.codec).toBe("none");
    expect(openBody(kept)).toBe(body);
    // And a store set to "none" still reads what an "lz4" one stored.
    expect(await raw.get(await store.put("src4", "r2", body))).toBe(body);
  });

  it("reads a body an older version stored with deflate (no codec suffix on its reference)", async () => {
    const ref = `${prefix}:body:src2:r1`;
    await redis.set(ref, deflateRawSync(Buffer.from(page(20), "utf8"), { level: 3 }), "EX", 60);
    expect(codecOfRef(ref)).toBe("deflate");
    expect(await store.get(ref)).toBe(page(20));
  });

  it("deletes a body", async () => {
    const ref = await store.put("src3", "r1", page(10));
    await store.delete(ref);
    expect(await redis.exists(ref)).toBe(0);
  });

  it("a missing body is a transient body_missing error", async () => {
    const err = await store.get(`${prefix}:body:nope:r1:lz4`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyMissingError);
    expect(classifyError(err)).toMatchObject({ reason: "body_missing", permanent: false });
  });

  it.each([
    ["lz4", `${prefix}:body:bad:r1:lz4`],
    ["deflate", `${prefix}:body:bad:r2`],
  ])("a damaged %s body is a permanent body_corrupt error", async (codec, ref) => {
    await redis.set(ref, Buffer.from([0x20, 0, 0, 0, 0xf0, 0x7f, 0xff, 0xff, 0x13, 0x37]), "EX", 60);
    const err = await store.get(ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyCorruptError);
    expect((err as Error).message).toContain(`as ${codec}`);
    expect(classifyError(err)).toMatchObject({ reason: "body_corrupt", permanent: true });
  });
});
