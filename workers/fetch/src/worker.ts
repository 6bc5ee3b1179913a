/**
 * BullMQ adapter of the fetch stage: fetch the URL (or read the saved page) and hand it to clean.
 *
 * Politeness is fleet-wide (see politeness.ts): before a request the job takes one of its host's
 * slots in Redis (TIDINGS_FETCH_HOST_CONCURRENCY, default 2, and TIDINGS_FETCH_HOST_DELAY_MS
 * between starts, default 1000, or the host's robots.txt Crawl-delay when larger, capped by
 * TIDINGS_FETCH_MAX_CRAWL_DELAY_MS). A job whose host is busy ends with a StageError
 * `host_busy` marked `wait`: the stage adapter delays it without spending an attempt. A 429/503
 * with Retry-After also holds the whole host back for that long (every worker).
 *
 * robots.txt is cached in Redis (`<prefix>:robots:<origin>`, TIDINGS_FETCH_ROBOTS_TTL_MS), so
 * the fleet fetches it once per origin per TTL. A batch enqueued with `meta.ignore_robots: true`
 * on its items (`enqueue --ignore-robots`) is fetched without robots.txt rules; the host limits
 * (and a Crawl-delay already known for the host) still apply.
 *
 * Backpressure: while Redis uses more than TIDINGS_FETCH_PAUSE_REDIS_MB the worker takes no new
 * jobs (memory-gate.ts), so page bodies waiting for the clean stage cannot fill Redis.
 */
import {
  BodyStore, createStageWorker, INLINE_BODY_MAX_CHARS, QueueName, StageError,
  type CleanPayload, type Config, type FetchedPage, type JobEnvelope, type Producer,
} from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { utf16LengthOfUtf8 } from "./charset.ts";
import { bodyUtf8, withoutBody } from "./fetch.ts";
import { fetchPage, isFetchError, policyFromEnv, prefetchRobots, type FetchPolicy } from "./index.ts";
import { loadLocalPage } from "./local-page.ts";
import { HostLimiter, hostKeyOf, politenessFromEnv, type PolitenessOptions } from "./politeness.ts";
import { RedisRobotsCache } from "./robots-redis.ts";
import { MemoryGate, type MemoryGateOptions } from "./memory-gate.ts";

export interface FetchWorkerOptions {
  /** Fetch policy (default: policyFromEnv() with the Redis robots cache). */
  policy?: FetchPolicy;
  /** Host limits (default: politenessFromEnv()). */
  politeness?: Partial<PolitenessOptions>;
  /**
   * Backpressure (memory-gate.ts): pause while Redis holds too much. Default: from
   * config.fetchPauseRedisMb (TIDINGS_FETCH_PAUSE_REDIS_MB, 2048; 0: none). `false`: none.
   */
  memoryGate?: MemoryGateOptions | false;
}

/** Whether the envelope asks to ignore robots.txt (`meta.ignore_robots === true`, set per batch at enqueue). */
export function ignoresRobots(envelope: Pick<JobEnvelope, "meta">): boolean {
  return (envelope.meta as Record<string, unknown> | undefined)?.ignore_robots === true;
}

export function createFetchWorker(deps: { connection: Redis; config: Config; producer: Producer }, opts: FetchWorkerOptions = {}): Worker {
  const robots = new RedisRobotsCache(deps.connection, deps.config.queuePrefix);
  const policy: FetchPolicy = opts.policy ?? { ...policyFromEnv(), robotsCache: robots };
  const noRobots: FetchPolicy = { ...policy, respectRobots: false };
  const limiter = new HostLimiter(deps.connection, deps.config.queuePrefix, opts.politeness ?? politenessFromEnv());

  const bodies = new BodyStore(deps.connection, deps.config.queuePrefix, undefined, deps.config.bodyCodec);
  // What goes to the clean stage: big bodies by reference to a compressed copy (bodies.ts). A body
  // fetchPage kept as UTF-8 bytes is stored as those bytes, never decoded here (see keepBody).
  const handOver = async (e: JobEnvelope, page: FetchedPage): Promise<CleanPayload> => {
    const utf8 = bodyUtf8(page);
    const chars = utf8 ? utf16LengthOfUtf8(utf8, INLINE_BODY_MAX_CHARS) : page.body.length;
    if (chars <= INLINE_BODY_MAX_CHARS) return { envelope: e, page };
    return { envelope: e, page: { ...withoutBody(page), body_ref: await bodies.put(e.source_id, e.run, utf8 ?? page.body) } };
  };

  const worker = createStageWorker(QueueName.Fetch, async (payload, ctx) => {
    const e = payload.envelope;
    if (e.local_file) {
      const page = await loadLocalPage(e.local_file, e.url);
      return handOver(e, page);
    }
    let url: URL | undefined;
    try {
      url = new URL(e.url);
    } catch {
      url = undefined; // fetchPage says why (bad_url) without taking a slot
    }
    const skipRobots = ignoresRobots(e);
    const fetchPolicy = skipRobots ? noRobots : policy;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      const page = await fetchPage(e.url, fetchPolicy);
      return handOver(e, page);
    }

    const host = hostKeyOf(url);
    // robots.txt first (once per origin across workers, through the shared cache), so that its
    // Crawl-delay governs the host from its first page on.
    if (!skipRobots) await prefetchRobots(e.url, policy);
    const crawlDelaySeconds = await robots.crawlDelaySeconds(url, policy.userAgent);
    const slot = await limiter.acquire(host, { waiterId: ctx.job.id ?? e.source_id, ...(crawlDelaySeconds !== undefined ? { crawlDelaySeconds } : {}) });
    if (!slot.ok) {
      throw new StageError("host_busy", `${host}: ${slot.held} of ${limiter.options.hostConcurrency} slots in use, ${slot.delayMs} ms between requests; retry in ${slot.waitMs} ms`, {
        permanent: false, retryAfterMs: slot.waitMs, wait: true,
      });
    }
    let cooldownMs = 0;
    try {
      const page = await fetchPage(e.url, fetchPolicy);
      ctx.log.info("fetched", {
        status: page.http_status, bytes: page.bytes, charset: page.charset, final_url: page.final_url, ms: page.timing_ms,
        host_slots: slot.lease.held, ...(skipRobots ? { robots: "ignored" } : {}),
      });
      return await handOver(e, page);
    } catch (err) {
      // The host asked everyone to slow down (429/503 Retry-After): hold the host back fleet-wide.
      if (isFetchError(err) && err.retryAfterMs !== undefined && (err.httpStatus === 429 || err.httpStatus === 503)) cooldownMs = err.retryAfterMs;
      throw err;
    } finally {
      if (slot.lease.lost) ctx.log.warn("host slot lease lapsed during the fetch", { host });
      await slot.lease.release({ cooldownMs }).catch((err: unknown) => ctx.log.warn("could not release host slot", { host, error: String(err) }));
    }
  }, deps);

  const gateOptions = opts.memoryGate ?? (deps.config.fetchPauseRedisMb > 0 ? { pauseAboveBytes: deps.config.fetchPauseRedisMb * 1048576 } : false);
  if (gateOptions) {
    const gate = new MemoryGate(deps.connection, worker, gateOptions).start();
    worker.on("closing", () => gate.stop());
  }
  return worker;
}
