/**
 * Page bodies kept out of job payloads. The fetch stage stores a page's decoded body in Redis,
 * compressed, under its own key, and hands the clean stage a reference; the clean stage reads
 * it and, once its job has completed, deletes it. So a 200 KB page is in Redis once, compressed,
 * for as long as it waits for the clean stage, and never in the retained history of completed
 * jobs. Keys expire on their own (BODY_TTL_S) if a clean job never completes.
 *
 * Compression is LZ4 (lz4-napi: lz4_flex's block format with the size in front). Over the
 * corpus's 866 pages (145 KiB of UTF-8 on average) it costs 0.34 ms a page to compress and 0.10
 * to decompress, against 1.04 and 0.32 for deflate at level 3, which it replaced; the price is
 * size, 30% of the page against 22% (so about 43 KiB against 32 in Redis while a page waits).
 * Every page passes through here once, so that was about 0.9 ms of CPU an article.
 * `npm run bench -- --stages clean` times both on the run's pages ("page bodies in Redis").
 *
 * TIDINGS_BODY_CODEC=none stores the UTF-8 bytes as they are (`...:raw`): no CPU for the codec
 * (about 0.4 ms an article in fetch and 0.2 in clean on the e2e bench's profiles), at about 3.4
 * times the Redis memory per page waiting for clean. For a machine whose Redis has room to spare.
 *
 * The codec is part of the reference (`...:lz4` at the end), so a body stored by an older
 * version (deflate, no suffix) still reads while a deployment upgrades. The other way round does
 * not work: a clean stage older than LZ4 cannot open what a newer fetch stage stores, so in a
 * rolling upgrade the clean workers go first.
 */
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import type { Redis } from "ioredis";
import { compress as lz4Async, compressSync as lz4Sync, uncompressSync as lz4Uncompress } from "lz4-napi";

/** Bodies shorter than this stay inline in the payload: a key would cost more than it saves. */
export const INLINE_BODY_MAX_CHARS = 4096;
/** A stored body expires after this long even if nobody deletes it (seconds). Default 3 days. */
export const BODY_TTL_S = 3 * 24 * 3600;
/**
 * Bodies up to this many bytes are compressed on the calling thread (about 0.5 ms at this size);
 * larger ones on libuv's thread pool, so that a 5 MB page does not hold up the event loop.
 */
export const SYNC_COMPRESS_MAX_BYTES = 256 * 1024;

/** How a stored body is compressed: "lz4" (default), "none" (TIDINGS_BODY_CODEC=none), "deflate" (raw, no header) before. */
export type BodyCodec = "lz4" | "none" | "deflate";

/** A stored body as kept: its compressed bytes and how to open them. */
export interface CompressedBody {
  codec: BodyCodec;
  bytes: Uint8Array;
}

const LZ4_SUFFIX = ":lz4";
const RAW_SUFFIX = ":raw";

/** The codec a reference was stored with: the suffix BodyStore.put gives it, deflate without one. */
export function codecOfRef(ref: string): BodyCodec {
  return ref.endsWith(LZ4_SUFFIX) ? "lz4" : ref.endsWith(RAW_SUFFIX) ? "none" : "deflate";
}

export class BodyMissingError extends Error {
  readonly reason = "body_missing";
  readonly permanent = false;
  constructor(readonly ref: string) {
    super(`page body ${ref} is no longer in Redis`);
    this.name = "BodyMissingError";
  }
}

/** A stored body that does not decompress: damaged in Redis or written by something else. */
export class BodyCorruptError extends Error {
  readonly reason = "body_corrupt";
  readonly permanent = true;
  constructor(readonly codec: BodyCodec, cause: unknown) {
    super(`stored page body does not decompress as ${codec}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "BodyCorruptError";
  }
}

export class BodyStore {
  /** `codec`: how put stores bodies, "lz4" (default) or "none"; get reads either, and deflate. */
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlS = BODY_TTL_S, private readonly codec: "lz4" | "none" = "lz4") {}

  /**
   * Store a body, compressed (unless the store's codec is "none"): its text, or the text's exact
   * UTF-8 bytes when the caller has them (no second encoding). Returns the reference to put in
   * the payload.
   */
  async put(sourceId: string, run: string, body: string | Uint8Array): Promise<string> {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const ref = `${this.prefix}:body:${sourceId}:${run}${this.codec === "none" ? RAW_SUFFIX : LZ4_SUFFIX}`;
    const stored = this.codec === "none" || bytes.length <= SYNC_COMPRESS_MAX_BYTES ? compressBody(bytes, this.codec) : await lz4Async(bytes);
    await this.redis.set(ref, stored, "EX", this.ttlS);
    return ref;
  }

  async get(ref: string): Promise<string> {
    return openBody(await this.getCompressed(ref));
  }

  /**
   * The stored body as it is kept, compressed, in a buffer of its own (transferable to a worker
   * thread): whoever parses the page opens it there (openBodyBytes), so the page never becomes a
   * string on this thread, nor crosses to the thread as a copy of one.
   */
  async getCompressed(ref: string): Promise<CompressedBody> {
    const compressed = await this.redis.getBuffer(ref);
    if (!compressed) throw new BodyMissingError(ref);
    return { codec: codecOfRef(ref), bytes: new Uint8Array(compressed) };
  }

  async delete(ref: string): Promise<void> {
    await this.redis.del(ref);
  }
}

/** The same bytes as a Buffer, without copying them (a Buffer is returned as it is). */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A body's UTF-8 bytes compressed with `codec`, on this thread: what BodyStore.put stores ("lz4"),
 * or what it stored before ("deflate", raw, level 3), for comparisons.
 */
export function compressBody(bytes: Uint8Array, codec: BodyCodec): Buffer {
  const buf = bufferView(bytes);
  if (codec === "none") return buf;
  return codec === "lz4" ? lz4Sync(buf) : deflateRawSync(buf, { level: 3, strategy: constants.Z_DEFAULT_STRATEGY });
}

/**
 * A body from BodyStore.getCompressed, as its UTF-8 bytes: synchronous, for the thread that
 * parses it (the clean stage parses HTML from the bytes, see parseHtml's utf8Bytes).
 */
export function openBodyBytes(body: CompressedBody): Buffer {
  try {
    if (body.codec === "none") return bufferView(body.bytes);
    return body.codec === "lz4" ? lz4Uncompress(body.bytes) : inflateRawSync(body.bytes);
  } catch (err) {
    throw new BodyCorruptError(body.codec, err);
  }
}

/** A body from BodyStore.getCompressed, as text: synchronous, for the thread that parses it. */
export function openBody(body: CompressedBody): string {
  return openBodyBytes(body).toString("utf8");
}
