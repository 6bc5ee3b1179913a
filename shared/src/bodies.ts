/**
 * Page bodies kept out of job payloads. The fetch stage stores a page's decoded body in Redis,
 * compressed, under its own key, and hands the clean stage a reference; the clean stage reads
 * it and, once its job has completed, deletes it. So a 200 KB page is in Redis once, compressed,
 * for as long as it waits for the clean stage, and never in the retained history of completed
 * jobs. Keys expire on their own (BODY_TTL_S) if a clean job never completes.
 */
import { promisify } from "node:util";
import { deflateRaw, inflateRaw, inflateRawSync, constants } from "node:zlib";
import type { Redis } from "ioredis";

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** Bodies shorter than this stay inline in the payload: a key would cost more than it saves. */
export const INLINE_BODY_MAX_CHARS = 4096;
/** A stored body expires after this long even if nobody deletes it (seconds). Default 3 days. */
export const BODY_TTL_S = 3 * 24 * 3600;

export class BodyMissingError extends Error {
  readonly reason = "body_missing";
  readonly permanent = false;
  constructor(readonly ref: string) {
    super(`page body ${ref} is no longer in Redis`);
    this.name = "BodyMissingError";
  }
}

export class BodyStore {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlS = BODY_TTL_S) {}

  /**
   * Store a body (compressed off the event loop): its text, or the text's exact UTF-8 bytes when
   * the caller has them (no second encoding). Returns the reference to put in the payload.
   */
  async put(sourceId: string, run: string, body: string | Uint8Array): Promise<string> {
    const ref = `${this.prefix}:body:${sourceId}:${run}`;
    // Level 3: most of the size gain of level 9 at a fraction of its CPU.
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const compressed = await deflate(bytes, { level: 3, strategy: constants.Z_DEFAULT_STRATEGY });
    await this.redis.set(ref, compressed, "EX", this.ttlS);
    return ref;
  }

  async get(ref: string): Promise<string> {
    const compressed = await this.redis.getBuffer(ref);
    if (!compressed) throw new BodyMissingError(ref);
    return (await inflate(compressed)).toString("utf8");
  }

  /**
   * The stored body as it is kept, compressed, in a buffer of its own (transferable to a worker
   * thread): whoever parses the page inflates it there (inflateBody), so the page never becomes a
   * string on this thread, nor crosses to the thread as a copy of one.
   */
  async getCompressed(ref: string): Promise<Uint8Array> {
    const compressed = await this.redis.getBuffer(ref);
    if (!compressed) throw new BodyMissingError(ref);
    return new Uint8Array(compressed);
  }

  async delete(ref: string): Promise<void> {
    await this.redis.del(ref);
  }
}

/** A body from BodyStore.getCompressed, as text: synchronous, for the thread that parses it. */
export function inflateBody(compressed: Uint8Array): string {
  return inflateRawSync(compressed).toString("utf8");
}
