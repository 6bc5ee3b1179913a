/**
 * Batches in Redis: every enqueue creates one (id, label, created, URL count); stages record
 * which sources passed them and how each source ended. Sets (not counters) make every record
 * idempotent: a retried job adds the same member again and nothing is counted twice.
 *
 * Keys (all under the queue prefix):
 *   <p>:batch:<id>                 hash  id, label, created, count, invalid
 *   <p>:batches                    zset  batch ids by creation time
 *   <p>:batch:<id>:sources         set   source ids of the batch
 *   <p>:batch:<id>:stage:<stage>   set   source ids that completed that stage
 *   <p>:batch:<id>:end:<status>    set   source ids that ended indexed | failed | skipped
 *   <p>:batch:<id>:reasons         hash  source id -> "<stage>:<reason>" of failed/skipped ones
 *   <p>:source:<sid>:batches       set   every batch a source was enqueued in
 *   <p>:source:<sid>:state         string where the source's latest run stands: "<state> <epoch ms>",
 *                                         state queued (in flight) | indexed | failed | skipped
 *
 * The state is how an enqueue tells a URL in flight or done from a new one (producer.ts): it is
 * written "queued" when a run's fetch job is added and overwritten with the ending (markEnded) in
 * the same MULTI as the batch marks, so it costs no round trip of its own.
 */
import type { Redis } from "ioredis";
import type { SourceStatus } from "./model.ts";
import { PIPELINE, type QueueName } from "./queues.ts";

export interface BatchInfo {
  id: string;
  label: string;
  created: string;
  count: number;
}

/** Where a source's latest run stands (the `source:<sid>:state` key). */
export interface SourceRunState {
  state: "queued" | SourceStatus;
  /** When it was queued or ended (epoch ms). */
  since: number;
}

const RUN_STATES = new Set<string>(["queued", "indexed", "failed", "skipped"]);

/** The stored form of a run state ("<state> <epoch ms>") read back; undefined when absent or unreadable. */
export function parseRunState(raw: string | null | undefined): SourceRunState | undefined {
  const m = /^([a-z]+) (\d+)$/.exec(raw ?? "");
  if (!m || !RUN_STATES.has(m[1]!)) return undefined;
  return { state: m[1] as SourceRunState["state"], since: Number(m[2]) };
}

export interface BatchProgress extends BatchInfo {
  stages: Record<string, number>;
  ended: Record<SourceStatus, number>;
  failure_reasons: Record<string, number>;
  done: boolean;
}

/** Source/batch memberships expire after this long without activity (seconds). */
const MEMBERSHIP_TTL_S = 90 * 24 * 3600;

export class BatchStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(":");
  }

  async create(info: BatchInfo, sourceIds: string[]): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key("batch", info.id), { id: info.id, label: info.label, created: info.created, count: String(info.count) });
    multi.zadd(this.key("batches"), Date.parse(info.created), info.id);
    for (let i = 0; i < sourceIds.length; i += 1000) {
      const chunk = sourceIds.slice(i, i + 1000);
      multi.sadd(this.key("batch", info.id, "sources"), ...chunk);
    }
    for (const sid of sourceIds) {
      multi.sadd(this.key("source", sid, "batches"), info.id);
      multi.expire(this.key("source", sid, "batches"), MEMBERSHIP_TTL_S);
    }
    await multi.exec();
  }

  /** The run state of each source (absent: never queued, or expired), in the order asked. */
  async runStates(sourceIds: string[]): Promise<(SourceRunState | undefined)[]> {
    if (sourceIds.length === 0) return [];
    const raw = await this.redis.mget(...sourceIds.map((sid) => this.key("source", sid, "state")));
    return raw.map(parseRunState);
  }

  /** Record that a run of each source was queued (before its fetch job is added: see producer.ts). */
  async markQueued(sourceIds: string[], now = Date.now()): Promise<void> {
    if (sourceIds.length === 0) return;
    const multi = this.redis.multi();
    for (const sid of sourceIds) multi.set(this.key("source", sid, "state"), `queued ${now}`, "EX", MEMBERSHIP_TTL_S);
    await multi.exec();
  }

  async batchesOfSource(sourceId: string): Promise<string[]> {
    return (await this.redis.smembers(this.key("source", sourceId, "batches"))).sort();
  }

  async markStage(batchIds: string[], stage: QueueName, sourceId: string): Promise<void> {
    if (batchIds.length === 0) return;
    // One command per batch, no MULTI: each SADD is idempotent on its own, and an ioredis
    // multi() costs more CPU than the commands (it copies every loaded script onto itself).
    await Promise.all(batchIds.map((b) => this.redis.sadd(this.key("batch", b, "stage", stage), sourceId)));
  }

  /**
   * Record how a source ended in each of its batches, and as its run state; a later ending
   * replaces an earlier one.
   * `passed`: a stage to record as passed in the same round trip (markStage).
   */
  async markEnded(batchIds: string[], sourceId: string, status: SourceStatus, reason?: string, passed?: QueueName): Promise<void> {
    if (batchIds.length === 0) return;
    const multi = this.redis.multi();
    multi.set(this.key("source", sourceId, "state"), `${status} ${Date.now()}`, "EX", MEMBERSHIP_TTL_S);
    for (const b of batchIds) {
      if (passed) multi.sadd(this.key("batch", b, "stage", passed), sourceId);
      for (const s of ["indexed", "failed", "skipped"] as const) {
        if (s === status) multi.sadd(this.key("batch", b, "end", s), sourceId);
        else multi.srem(this.key("batch", b, "end", s), sourceId);
      }
      if (reason) multi.hset(this.key("batch", b, "reasons"), sourceId, reason);
      else multi.hdel(this.key("batch", b, "reasons"), sourceId);
    }
    await multi.exec();
  }

  async info(batchId: string): Promise<BatchInfo | undefined> {
    const h = await this.redis.hgetall(this.key("batch", batchId));
    if (!h.id) return undefined;
    return { id: h.id, label: h.label ?? "", created: h.created ?? "", count: Number(h.count ?? 0) };
  }

  async list(limit = 20): Promise<string[]> {
    return this.redis.zrevrange(this.key("batches"), 0, limit - 1);
  }

  async progress(batchId: string): Promise<BatchProgress | undefined> {
    const info = await this.info(batchId);
    if (!info) return undefined;
    const multi = this.redis.multi();
    for (const stage of PIPELINE) multi.scard(this.key("batch", batchId, "stage", stage));
    for (const s of ["indexed", "failed", "skipped"]) multi.scard(this.key("batch", batchId, "end", s));
    multi.hvals(this.key("batch", batchId, "reasons"));
    const results = (await multi.exec()) ?? [];
    const values = results.map(([, v]) => v);
    const stages: Record<string, number> = {};
    PIPELINE.forEach((stage, i) => (stages[stage] = Number(values[i] ?? 0)));
    const n = PIPELINE.length;
    const ended = { indexed: Number(values[n] ?? 0), failed: Number(values[n + 1] ?? 0), skipped: Number(values[n + 2] ?? 0) };
    const failure_reasons: Record<string, number> = {};
    for (const r of (values[n + 3] as string[] | undefined) ?? []) failure_reasons[r] = (failure_reasons[r] ?? 0) + 1;
    const total = ended.indexed + ended.failed + ended.skipped;
    return { ...info, stages, ended, failure_reasons, done: total >= info.count };
  }
}
