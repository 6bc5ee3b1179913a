/**
 * Backpressure on the fetch stage: stop taking fetch jobs while Redis is too full.
 *
 * Why: fetching is cheaper than cleaning (on the 2-core development VM a fetch worker gets all
 * 5,000 bench pages by 20 s of a 39 s run), and every page fetched waits in Redis for the clean
 * stage (about 43 KB compressed, 145 KB with TIDINGS_BODY_CODEC=none). Nothing else limits how
 * far fetch gets ahead, so a batch of 100,000 URLs would hold gigabytes of page bodies in a Redis
 * that must not evict (BullMQ needs `noeviction`), until Redis refuses writes or the machine
 * runs out of memory. Redis's own memory is what runs out, so that is what the gate watches.
 *
 * How: every `intervalMs` the gate reads `INFO memory`. Above `pauseAboveBytes` it pauses the
 * worker (BullMQ's pause: no new jobs, the active ones finish); below `resumeBelowBytes` it
 * resumes it. The gap between the two keeps it from flapping. Each fetch process has its own
 * gate over the same Redis, so a fleet pauses together. The limit (TIDINGS_FETCH_PAUSE_REDIS_MB,
 * config.ts) is lowered to 80% of Redis's `maxmemory` when Redis has one that is lower.
 *
 * A Redis that is full of something else pauses fetching too, and says so in the log ("fetch
 * paused"): a paused batch is visible (`tidings status`), a Redis out of memory loses work.
 */
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { childLogger } from "@tidings/shared";

export interface MemoryGateOptions {
  /** Pause the worker while Redis's used_memory is above this (bytes). */
  pauseAboveBytes: number;
  /** Resume it once used_memory is below this (bytes). Default 80% of the pause limit in force. */
  resumeBelowBytes?: number;
  /** How often Redis is asked (ms). Default 500. */
  intervalMs?: number;
}

/** Share of Redis's maxmemory the gate pauses at, when that is lower than the configured limit. */
export const MAXMEMORY_SHARE = 0.8;

/** used_memory and maxmemory (bytes; 0: none) from the text of `INFO memory`. */
export function parseInfoMemory(info: string): { used: number; max: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? NaN);
  const used = field("used_memory");
  if (!Number.isFinite(used)) throw new Error("INFO memory has no used_memory");
  const max = field("maxmemory");
  return { used, max: Number.isFinite(max) ? max : 0 };
}

/** The pause limit in force: the configured one, lowered to MAXMEMORY_SHARE of maxmemory when Redis has a lower one. */
export function effectivePauseBytes(configured: number, maxmemory: number): number {
  return maxmemory > 0 ? Math.min(configured, Math.floor(maxmemory * MAXMEMORY_SHARE)) : configured;
}

/** Whether the worker should be paused now, given whether it is and Redis's used memory. */
export function shouldPause(paused: boolean, usedBytes: number, pauseAbove: number, resumeBelow: number): boolean {
  return paused ? usedBytes >= resumeBelow : usedBytes > pauseAbove;
}

export class MemoryGate {
  private timer?: NodeJS.Timeout;
  private checking = false;
  private stopped = false;
  private readonly log = childLogger({ stage: "fetch" });

  constructor(private readonly redis: Redis, private readonly worker: Worker, private options: MemoryGateOptions) {}

  /** Start watching (the first check runs at once). */
  start(): this {
    void this.check();
    return this;
  }

  /** New limits, from the next check on (tests; a future reload of the configuration). */
  setOptions(options: MemoryGateOptions): void {
    this.options = options;
  }

  /** Stop watching. The worker is left as it is: closing it is its owner's business. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One look at Redis, and a pause or resume if it calls for one. */
  async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const { used, max } = parseInfoMemory(await this.redis.info("memory"));
      const pauseAbove = effectivePauseBytes(this.options.pauseAboveBytes, max);
      const resumeBelow = Math.min(pauseAbove, this.options.resumeBelowBytes ?? Math.floor(pauseAbove * 0.8));
      const paused = this.worker.isPaused();
      const pause = shouldPause(paused, used, pauseAbove, resumeBelow);
      const mb = (n: number) => Math.round(n / 1048576);
      if (pause && !paused && !this.stopped) {
        this.log.warn("fetch paused: Redis holds too much (page bodies waiting for clean, most likely); it resumes when Redis is below the resume mark",
          { redis_used_mb: mb(used), pause_above_mb: mb(pauseAbove), resume_below_mb: mb(resumeBelow) });
        await this.worker.pause(true);
      } else if (!pause && paused && !this.stopped) {
        this.log.warn("fetch resumed: Redis is below the resume mark", { redis_used_mb: mb(used), resume_below_mb: mb(resumeBelow) });
        await this.worker.resume();
      }
    } catch (err) {
      // Redis unreachable: the worker's own connection handling deals with that; keep watching.
      this.log.debug("memory check failed", { error: String(err) });
    } finally {
      this.checking = false;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.check(), this.options.intervalMs ?? 500);
        this.timer.unref();
      }
    }
  }
}
