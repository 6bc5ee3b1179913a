/**
 * The Redis host limiter and robots cache against the real Redis the e2e project's setup starts
 * (or finds). Every test uses its own key prefix and removes it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import { HostLimiter, type HostLease } from "@tidings/fetch/politeness";
import { RedisRobotsCache } from "@tidings/fetch/robots-redis";

const REDIS_URL = inject("redisUrl");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("HostLimiter on Redis", () => {
  const prefix = `t-polite-${Date.now().toString(36)}`;
  const conns: Redis[] = [];
  const conn = () => {
    const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    r.on("error", () => undefined);
    conns.push(r);
    return r;
  };
  let redis: Redis;
  let n = 0;
  const host = () => `h${++n}.example:8080`;

  beforeAll(() => {
    redis = conn();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    for (const r of conns) r.disconnect();
  });

  it("grants hostConcurrency slots, then says wait; a release frees a slot", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 2, hostDelayMs: 0 });
    const h = host();
    const a = await lim.acquire(h, { waiterId: "a" });
    const b = await lim.acquire(h, { waiterId: "b" });
    const c = await lim.acquire(h, { waiterId: "c" });
    expect(a.ok && b.ok).toBe(true);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.held).toBe(2);
      expect(c.waitMs).toBeGreaterThan(0);
      expect(c.waitMs).toBeLessThan(1000);
    }
    // another host is not affected
    expect((await lim.acquire(host())).ok).toBe(true);
    if (a.ok) await a.lease.release();
    const c2 = await lim.acquire(h, { waiterId: "c" });
    expect(c2.ok).toBe(true);
    expect(await redis.zcard(lim.keys(h).waiters)).toBe(0); // c no longer counted as waiting
    for (const r of [b, c2]) if (r.ok) await r.lease.release();
    expect(await redis.zcard(lim.keys(h).slots)).toBe(0);
  });

  it("spaces the starts of requests to a host by hostDelayMs", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 5, hostDelayMs: 300 });
    const h = host();
    const a = await lim.acquire(h);
    expect(a.ok).toBe(true);
    const b = await lim.acquire(h);
    expect(b.ok).toBe(false);
    if (!b.ok) {
      expect(b.waitMs).toBeGreaterThan(200);
      expect(b.waitMs).toBeLessThanOrEqual(300);
      await sleep(b.waitMs + 20);
    }
    expect((await lim.acquire(h)).ok).toBe(true);
  });

  it("uses a robots.txt Crawl-delay when larger, capped by maxCrawlDelayMs", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 5, hostDelayMs: 0, maxCrawlDelayMs: 700 });
    const h = host();
    expect((await lim.acquire(h, { crawlDelaySeconds: 0.5 })).ok).toBe(true);
    const b = await lim.acquire(h, { crawlDelaySeconds: 0.5 });
    expect(b.ok || b.waitMs).toBeGreaterThan(400);
    const h2 = host();
    expect((await lim.acquire(h2, { crawlDelaySeconds: 3600 })).ok).toBe(true);
    const c = await lim.acquire(h2, { crawlDelaySeconds: 3600 });
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.delayMs).toBe(700);
      expect(c.waitMs).toBeLessThanOrEqual(700);
    }
  });

  it("applies a Crawl-delay learnt after the last start to the next request", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 5, hostDelayMs: 0, maxCrawlDelayMs: 10_000 });
    const h = host();
    expect((await lim.acquire(h)).ok).toBe(true); // robots.txt not known yet: no delay
    const b = await lim.acquire(h, { crawlDelaySeconds: 1 }); // now it is
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.waitMs).toBeGreaterThan(900);
  });

  it("frees the slot of a worker that died holding it when its lease expires", async () => {
    const h = host();
    const dying = conn();
    const crashed = new HostLimiter(dying, prefix, { hostConcurrency: 1, hostDelayMs: 0, leaseMs: 1000 });
    const got = await crashed.acquire(h);
    expect(got.ok).toBe(true);
    dying.disconnect(); // no renewals, no release
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 1, hostDelayMs: 0, leaseMs: 1000 });
    const w = await lim.acquire(h);
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.waitMs).toBeLessThanOrEqual(1000);
    await sleep(1100);
    const again = await lim.acquire(h);
    expect(again.ok).toBe(true);
    if (again.ok) await again.lease.release();
  });

  it("renews the lease of a long fetch so its slot is not given away", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 1, hostDelayMs: 0, leaseMs: 1000 });
    const h = host();
    const a = await lim.acquire(h);
    expect(a.ok).toBe(true);
    await sleep(2200); // > 2 leases: renewed every ~333 ms
    expect((await lim.acquire(h)).ok).toBe(false);
    if (a.ok) {
      expect(a.lease.lost).toBe(false);
      await a.lease.release();
    }
    expect((await lim.acquire(h)).ok).toBe(true);
  });

  it("holds a host back for everyone after a Retry-After (cooldown)", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 3, hostDelayMs: 0 });
    const h = host();
    const a = await lim.acquire(h);
    if (a.ok) await a.lease.release({ cooldownMs: 500 });
    const b = await lim.acquire(h);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.waitMs).toBeGreaterThan(400);
  });

  it("spreads the retries of many waiting jobs", async () => {
    const lim = new HostLimiter(redis, prefix, { hostConcurrency: 1, hostDelayMs: 1000 }, () => 1);
    const h = host();
    expect((await lim.acquire(h, { waiterId: "first" })).ok).toBe(true);
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await lim.acquire(h, { waiterId: `w${i}` });
      if (!r.ok) waits.push(r.waitMs);
    }
    expect(waits).toHaveLength(20);
    // the 20th waiter comes back about 19 delays later than the first
    expect(waits[19]! - waits[0]!).toBeGreaterThan(15_000);
    expect(await redis.zcard(lim.keys(h).waiters)).toBe(20);
  });

  it("never lets more than hostConcurrency requests run at once across processes", async () => {
    const h = host();
    const limiters = [conn(), conn(), conn()].map((r) => new HostLimiter(r, prefix, { hostConcurrency: 3, hostDelayMs: 0 }));
    let inFlight = 0;
    let max = 0;
    let done = 0;
    const worker = async (lim: HostLimiter, id: string) => {
      for (let i = 0; i < 10; i++) {
        let lease: HostLease | undefined;
        while (!lease) {
          const r = await lim.acquire(h, { waiterId: `${id}-${i}` });
          if (r.ok) lease = r.lease;
          else await sleep(Math.min(r.waitMs, 50));
        }
        inFlight++;
        max = Math.max(max, inFlight);
        await sleep(5 + Math.random() * 10);
        inFlight--;
        await lease.release();
        done++;
      }
    };
    await Promise.all(limiters.flatMap((lim, i) => [0, 1, 2, 3].map((j) => worker(lim, `${i}.${j}`))));
    expect(done).toBe(120);
    expect(max).toBe(3);
  });
});

describe("RedisRobotsCache", () => {
  const prefix = `t-robots-${Date.now().toString(36)}`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("shares entries between workers, with the TTL", async () => {
    const a = new RedisRobotsCache(redis, prefix);
    const b = new RedisRobotsCache(redis, prefix);
    const origin = "http://example.com:8080";
    expect(await b.get(origin)).toBeUndefined();
    const entry = { kind: "rules" as const, body: "User-agent: *\nDisallow: /private\nCrawl-delay: 3\n", fetchedAt: Date.now() };
    await a.set(origin, entry, 60_000);
    expect(await b.get(origin)).toEqual(entry);
    const ttl = await redis.pttl(a.key(origin));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await b.crawlDelaySeconds(new URL(`${origin}/a`), "TidingsBot/0.1")).toBe(3);
    await a.set("http://other.example", { kind: "allow_all", fetchedAt: 1 }, 60_000);
    expect(await b.crawlDelaySeconds(new URL("http://other.example/x"), "TidingsBot/0.1")).toBeUndefined();
  });

  it("expires entries in Redis and in the process", async () => {
    let now = 1_000_000;
    const a = new RedisRobotsCache(redis, prefix, { now: () => now });
    const b = new RedisRobotsCache(redis, prefix, { now: () => now });
    const origin = "http://short.example";
    await a.set(origin, { kind: "allow_all", fetchedAt: 1 }, 150);
    expect(await b.get(origin)).toBeDefined();
    await sleep(200);
    now += 200;
    expect(await b.get(origin)).toBeUndefined();
    expect(await a.get(origin)).toBeUndefined();
  });

  it("reads garbage as a miss", async () => {
    const c = new RedisRobotsCache(redis, prefix, { localTtlMs: 0 });
    await redis.set(c.key("http://bad.example"), "{not json", "PX", 10_000);
    expect(await c.get("http://bad.example")).toBeUndefined();
    await redis.set(c.key("http://bad2.example"), JSON.stringify({ kind: "rules" }), "PX", 10_000);
    expect(await c.get("http://bad2.example")).toBeUndefined();
  });
});
