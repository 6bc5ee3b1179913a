/**
 * A RobotsCache in Redis, shared by every fetch worker: one robots.txt fetch per origin per TTL
 * for the whole fleet, not per process. Key `<prefix>:robots:<origin>` (a JSON RobotsEntry,
 * expiring with the policy's robotsTtlMs). A small in-process layer (a few seconds) spares a
 * Redis round trip per page; a Redis error reads as a miss, so robots.txt is fetched again
 * rather than the page failing.
 */
import type { Redis } from "ioredis";
import { robotsCrawlDelay, type RobotsCache, type RobotsEntry } from "./robots.ts";

export interface RedisRobotsCacheOptions {
  /** How long an entry read from Redis is reused in this process. Default 10 000 ms (0: never). */
  localTtlMs?: number;
  /** Entries kept in this process. Default 10 000. */
  localMaxEntries?: number;
  now?: () => number;
}

function isEntry(v: unknown): v is RobotsEntry {
  const e = v as { kind?: unknown; fetchedAt?: unknown; body?: unknown } | null;
  if (!e || typeof e !== "object" || typeof e.fetchedAt !== "number") return false;
  return e.kind === "allow_all" || (e.kind === "rules" && typeof e.body === "string");
}

export class RedisRobotsCache implements RobotsCache {
  private readonly local = new Map<string, { entry: RobotsEntry; until: number }>();
  private readonly localTtlMs: number;
  private readonly localMax: number;
  private readonly now: () => number;
  private readonly crawlDelays = new WeakMap<RobotsEntry, Map<string, number | undefined>>();

  constructor(private readonly redis: Redis, private readonly prefix: string, opts: RedisRobotsCacheOptions = {}) {
    this.localTtlMs = opts.localTtlMs ?? 10_000;
    this.localMax = opts.localMaxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  key(origin: string): string {
    return `${this.prefix}:robots:${origin}`;
  }

  async get(origin: string): Promise<RobotsEntry | undefined> {
    const hit = this.local.get(origin);
    if (hit && hit.until > this.now()) return hit.entry;
    if (hit) this.local.delete(origin);
    let raw: string | null;
    let pttl: number;
    try {
      const res = await this.redis.multi().get(this.key(origin)).pttl(this.key(origin)).exec();
      raw = (res?.[0]?.[1] as string | null | undefined) ?? null;
      pttl = Number(res?.[1]?.[1] ?? -2);
    } catch {
      return undefined;
    }
    if (raw === null) return undefined;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (!isEntry(entry)) return undefined;
    this.remember(origin, entry, pttl > 0 ? pttl : this.localTtlMs);
    return entry;
  }

  async set(origin: string, entry: RobotsEntry, ttlMs: number): Promise<void> {
    this.remember(origin, entry, ttlMs);
    if (ttlMs <= 0) return;
    try {
      await this.redis.set(this.key(origin), JSON.stringify(entry), "PX", ttlMs);
    } catch {
      // Not shared this time: the entry still serves this process.
    }
  }

  /** The Crawl-delay (seconds) the origin's cached robots.txt sets for `userAgent`, if any. */
  async crawlDelaySeconds(url: URL, userAgent: string): Promise<number | undefined> {
    const entry = await this.get(url.origin);
    if (!entry || entry.kind !== "rules") return undefined;
    let perUa = this.crawlDelays.get(entry);
    if (!perUa) this.crawlDelays.set(entry, (perUa = new Map()));
    if (!perUa.has(userAgent)) perUa.set(userAgent, robotsCrawlDelay(url.href, entry.body, userAgent));
    return perUa.get(userAgent);
  }

  private remember(origin: string, entry: RobotsEntry, ttlMs: number): void {
    if (this.localTtlMs <= 0) return;
    this.local.delete(origin);
    this.local.set(origin, { entry, until: this.now() + Math.min(this.localTtlMs, ttlMs) });
    while (this.local.size > this.localMax) {
      const oldest = this.local.keys().next();
      if (oldest.done) break;
      this.local.delete(oldest.value);
    }
  }

  /** Forget what this process remembers (Redis is untouched). */
  clearLocal(): void {
    this.local.clear();
  }
}
