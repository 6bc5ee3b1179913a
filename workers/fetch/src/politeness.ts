/**
 * Politeness across every fetch worker process, through Redis: at most `hostConcurrency`
 * requests in flight per host and at least `hostDelayMs` between the starts of two requests to
 * the same host (or the host's robots.txt Crawl-delay when larger, capped at `maxCrawlDelayMs`).
 *
 * One atomic Lua script decides, on Redis's clock (TIME), so workers on machines with skewed
 * clocks agree. Keys, all under the queue prefix (a `{hash tag}` prefix keeps them in one
 * Cluster slot):
 *
 *   <p>:host:<host>:slots    zset  lease token -> lease expiry (ms). A worker that dies holding a
 *                                  slot stops renewing it and the slot frees itself at expiry.
 *   <p>:host:<host>:state    hash  last = start of the latest request (ms), cool = no request
 *                                  before this (a Retry-After), avg = moving average of fetch
 *                                  durations (ms)
 *   <p>:host:<host>:waiters  zset  job id -> when the wait answer lapses (ms): how many jobs
 *                                  are queueing for the host, to spread their retries out
 *
 * `acquire` answers either "go" with a lease (renewed while the fetch runs, released after it)
 * or "wait N ms": the worker turns that into a StageError with `wait: true`, and the stage
 * adapter delays the job without spending an attempt. Waits are spread (jitter proportional to
 * the queue of waiters) so that a thousand URLs of one host do not all wake up at once.
 *
 * Every key expires on its own (PEXPIRE) some time after the host was last used.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { PolicyError } from "./policy.ts";

export interface PolitenessOptions {
  /** Requests in flight at once per host, over all workers. Default 2. */
  hostConcurrency: number;
  /** Minimum time between the starts of two requests to the same host. Default 1000 ms. */
  hostDelayMs: number;
  /** Cap on a robots.txt Crawl-delay (which wins when larger than hostDelayMs). Default 30 000 ms. */
  maxCrawlDelayMs: number;
  /** A slot is held at most this long without renewal (renewed every third of it). Default 30 000 ms. */
  leaseMs: number;
  /** Cap on the jitter that spreads waiting jobs. Default 60 000 ms. */
  maxSpreadMs: number;
  /** Cap on how long a 429/503 Retry-After holds back the whole host. Default 600 000 ms. */
  maxCooldownMs: number;
}

export const DEFAULT_POLITENESS: Readonly<PolitenessOptions> = Object.freeze({
  hostConcurrency: 2,
  hostDelayMs: 1000,
  maxCrawlDelayMs: 30_000,
  leaseMs: 30_000,
  maxSpreadMs: 60_000,
  maxCooldownMs: 600_000,
});

const LIMITS: Record<keyof PolitenessOptions, [env: string, min: number, max: number]> = {
  hostConcurrency: ["HOST_CONCURRENCY", 1, 10_000],
  hostDelayMs: ["HOST_DELAY_MS", 0, 3_600_000],
  maxCrawlDelayMs: ["MAX_CRAWL_DELAY_MS", 0, 3_600_000],
  leaseMs: ["HOST_LEASE_MS", 1000, 3_600_000],
  maxSpreadMs: ["HOST_MAX_SPREAD_MS", 0, 3_600_000],
  maxCooldownMs: ["HOST_MAX_COOLDOWN_MS", 0, 24 * 3_600_000],
};

/** Fill defaults and validate. Throws PolicyError. */
export function resolvePoliteness(partial: Partial<PolitenessOptions> = {}): PolitenessOptions {
  const p: PolitenessOptions = { ...DEFAULT_POLITENESS, ...partial };
  for (const [field, [, min, max]] of Object.entries(LIMITS) as Array<[keyof PolitenessOptions, [string, number, number]]>) {
    const v = p[field];
    if (!Number.isInteger(v) || v < min || v > max) throw new PolicyError(`${field} must be an integer between ${min} and ${max}, got ${String(v)}`);
  }
  return p;
}

/**
 * Politeness from the environment: TIDINGS_FETCH_HOST_CONCURRENCY (2), TIDINGS_FETCH_HOST_DELAY_MS
 * (1000), TIDINGS_FETCH_MAX_CRAWL_DELAY_MS (30000), TIDINGS_FETCH_HOST_LEASE_MS (30000),
 * TIDINGS_FETCH_HOST_MAX_SPREAD_MS (60000), TIDINGS_FETCH_HOST_MAX_COOLDOWN_MS (600000).
 * Throws PolicyError naming the variable.
 */
export function politenessFromEnv(env: Record<string, string | undefined> = process.env): PolitenessOptions {
  const partial: Partial<PolitenessOptions> = {};
  for (const [field, [name, min, max]] of Object.entries(LIMITS) as Array<[keyof PolitenessOptions, [string, number, number]]>) {
    const raw = env[`TIDINGS_FETCH_${name}`]?.trim();
    if (raw === undefined || raw === "") continue;
    const v = Number(raw.replace(/_/g, ""));
    if (!/^\d[\d_]*$/.test(raw) || v < min || v > max) {
      throw new PolicyError(`TIDINGS_FETCH_${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
    }
    partial[field] = v;
  }
  return resolvePoliteness(partial);
}

/**
 * The delay between requests to a host: the configured one, or the robots.txt Crawl-delay
 * (seconds, possibly fractional) when larger, capped at maxCrawlDelayMs.
 */
export function effectiveDelayMs(opts: Pick<PolitenessOptions, "hostDelayMs" | "maxCrawlDelayMs">, crawlDelaySeconds?: number): number {
  if (crawlDelaySeconds === undefined || !Number.isFinite(crawlDelaySeconds) || crawlDelaySeconds <= 0) return opts.hostDelayMs;
  const crawl = Math.min(Math.round(crawlDelaySeconds * 1000), opts.maxCrawlDelayMs);
  return Math.max(opts.hostDelayMs, crawl);
}

/** The politeness key of a URL: its host as WHATWG writes it (lower case, port when not the default). */
export function hostKeyOf(url: string | URL): string {
  return (typeof url === "string" ? new URL(url) : url).host.toLowerCase();
}

// KEYS: slots, state, waiters. ARGV: token, limit, delayMs, leaseMs, waiterId, maxSpreadMs.
// Returns {1, 0, held, 0} for "go", {0, waitMs, held, spreadMs} for "wait".
// The delay is checked against the last start when asked (not fixed when that start was granted),
// so a Crawl-delay learnt from robots.txt applies from the next request on.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[2])
local delay = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local maxSpread = tonumber(ARGV[6])
local keep = lease + delay + 600000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
local st = redis.call('HMGET', KEYS[2], 'last', 'cool', 'avg')
local last = tonumber(st[1] or '0') or 0
local cool = tonumber(st[2] or '0') or 0
local avg = tonumber(st[3] or '0') or 0
local notBefore = last + delay
if cool > notBefore then notBefore = cool end
if held < limit and now >= notBefore then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], keep)
  redis.call('HSET', KEYS[2], 'last', now)
  if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
  if ARGV[5] ~= '' then redis.call('ZREM', KEYS[3], ARGV[5]) end
  return {1, 0, held + 1, 0}
end
local wait = 0
if held >= limit then
  -- A slot frees when a fetch ends: about the average fetch time, at the latest at the first lease expiry.
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  wait = math.max(avg, 20)
  local untilExpiry = tonumber(first[2]) - now
  if untilExpiry < wait then wait = untilExpiry end
end
if notBefore - now > wait then wait = notBefore - now end
if wait < 1 then wait = 1 end
local waiting = redis.call('ZCARD', KEYS[3])
local step = math.max(delay, avg, 20)
local spread = math.floor(waiting / limit * step)
if spread > maxSpread then spread = maxSpread end
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[3], now + wait + spread + lease, ARGV[5])
  redis.call('PEXPIRE', KEYS[3], keep + maxSpread)
end
return {0, math.floor(wait), held, spread}
`;

// KEYS: slots, state. ARGV: token, durationMs, cooldownMs. Returns 1 if the lease was still held.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
local d = tonumber(ARGV[2])
if d >= 0 then
  local avg = tonumber(redis.call('HGET', KEYS[2], 'avg') or '0') or 0
  if avg <= 0 then avg = d else avg = math.floor(avg * 0.8 + d * 0.2) end
  redis.call('HSET', KEYS[2], 'avg', avg)
end
local cool = tonumber(ARGV[3])
if cool > 0 then
  local until_ = tonumber(redis.call('HGET', KEYS[2], 'cool') or '0') or 0
  if now + cool > until_ then redis.call('HSET', KEYS[2], 'cool', now + cool) end
  if redis.call('PTTL', KEYS[2]) < cool + 600000 then redis.call('PEXPIRE', KEYS[2], cool + 600000) end
end
return removed
`;

// KEYS: slots. ARGV: token, leaseMs. Returns 1 if renewed, 0 if the lease had been lost.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1
`;

interface LimiterCommands {
  tidingsHostAcquire(slots: string, state: string, waiters: string, token: string, limit: number, delayMs: number, leaseMs: number, waiterId: string, maxSpreadMs: number): Promise<[number, number, number, number]>;
  tidingsHostRelease(slots: string, state: string, token: string, durationMs: number, cooldownMs: number): Promise<number>;
  tidingsHostRenew(slots: string, token: string, leaseMs: number): Promise<number>;
}

/** A held slot: release it (always, in finally) when the request is over. */
export interface HostLease {
  host: string;
  token: string;
  /** Slots of the host in use, this one included, when it was granted. */
  held: number;
  /** Give the slot back. `cooldownMs` (a Retry-After) holds back every request to the host that long. */
  release(opts?: { cooldownMs?: number }): Promise<void>;
  /** Whether a renewal found the lease gone (the slot expired and may have been given away). */
  readonly lost: boolean;
}

export type AcquireResult =
  | { ok: true; lease: HostLease }
  | { ok: false; host: string; waitMs: number; held: number; delayMs: number };

export class HostLimiter {
  private readonly redis: Redis & LimiterCommands;
  readonly options: PolitenessOptions;

  constructor(redis: Redis, private readonly prefix: string, options: Partial<PolitenessOptions> = {}, private readonly random: () => number = Math.random) {
    this.options = resolvePoliteness(options);
    const r = redis as Redis & Partial<LimiterCommands>;
    if (typeof r.tidingsHostAcquire !== "function") redis.defineCommand("tidingsHostAcquire", { numberOfKeys: 3, lua: ACQUIRE });
    if (typeof r.tidingsHostRelease !== "function") redis.defineCommand("tidingsHostRelease", { numberOfKeys: 2, lua: RELEASE });
    if (typeof r.tidingsHostRenew !== "function") redis.defineCommand("tidingsHostRenew", { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as Redis & LimiterCommands;
  }

  /** Keys of a host (exposed for tests and `status` tooling). */
  keys(host: string): { slots: string; state: string; waiters: string } {
    const base = `${this.prefix}:host:${host}`;
    return { slots: `${base}:slots`, state: `${base}:state`, waiters: `${base}:waiters` };
  }

  /**
   * Ask for a slot of `host`. `waiterId` (the job id) lets the limiter count the jobs queueing
   * for the host; `crawlDelaySeconds` is the host's robots.txt Crawl-delay, if known.
   */
  async acquire(host: string, opts: { waiterId?: string; crawlDelaySeconds?: number } = {}): Promise<AcquireResult> {
    const o = this.options;
    const k = this.keys(host);
    const token = randomUUID();
    const delayMs = effectiveDelayMs(o, opts.crawlDelaySeconds);
    const [go, wait, held, spread] = await this.redis.tidingsHostAcquire(
      k.slots, k.state, k.waiters, token, o.hostConcurrency, delayMs, o.leaseMs, opts.waiterId ?? "", o.maxSpreadMs,
    );
    if (Number(go) !== 1) {
      const waitMs = Math.max(1, Number(wait) + Math.round(this.random() * Number(spread)));
      return { ok: false, host, waitMs, held: Number(held), delayMs };
    }
    return { ok: true, lease: this.lease(host, token, Number(held)) };
  }

  private lease(host: string, token: string, held: number): HostLease {
    const k = this.keys(host);
    const started = Date.now();
    let lost = false;
    let released = false;
    const timer = setInterval(() => {
      this.redis.tidingsHostRenew(k.slots, token, this.options.leaseMs).then(
        (n) => { if (Number(n) === 0 && !released) lost = true; },
        () => undefined, // Redis away: the lease may lapse; the slot then frees itself
      );
    }, Math.max(250, Math.floor(this.options.leaseMs / 3)));
    timer.unref();
    return {
      host, token, held,
      get lost() { return lost; },
      release: async (opts = {}) => {
        if (released) return;
        released = true;
        clearInterval(timer);
        const cooldown = Math.min(Math.max(0, Math.round(opts.cooldownMs ?? 0)), this.options.maxCooldownMs);
        await this.redis.tidingsHostRelease(k.slots, k.state, token, Date.now() - started, cooldown);
      },
    };
  }
}
