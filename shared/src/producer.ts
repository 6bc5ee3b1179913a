/**
 * Producers: the only code that puts jobs on the queues. Commands (enqueue) and stage workers
 * (handing output to the next stage, recording failures) both go through here, so job ids,
 * job options and batch bookkeeping are decided in one place.
 */
import { Job, Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { SourceMeta } from "./article.ts";
import { BatchStore } from "./batches.ts";
import { BACKOFF_TYPE } from "./errors.ts";
import type { Config } from "./config.ts";
import { randomId, sha256Hex, sourceIdOf } from "./ids.ts";
import { jobIdFor, jobNameFor, toWire, type AnyPayload, type IndexFailurePayload, type JobEnvelope, type PayloadOf } from "./jobs.ts";
import { bundleJobId, type BundleData } from "./bundles.ts";
import { JobName, PIPELINE, QueueName } from "./queues.ts";
import { redactText } from "./logger.ts";
import { BadUrlError, normaliseUrl } from "./url.ts";

/** Default options of every job: retries with exponential backoff and jitter, bounded retention. */
export function defaultJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.attempts,
    // Our own strategy (exponential + jitter, at least Retry-After): see backoffDelay.
    backoff: { type: BACKOFF_TYPE, delay: config.backoffMs },
    removeOnComplete: { count: config.keepCompleted },
    removeOnFail: { count: config.keepFailed },
  };
}

export function createQueue(name: QueueName, connection: Redis, config: Config): Queue {
  return new Queue(name, { connection, prefix: config.queuePrefix, defaultJobOptions: defaultJobOptions(config) });
}

/** One item of an enqueue: a URL plus what the caller knows about it. */
export interface EnqueueItem {
  url: string;
  meta?: SourceMeta;
  /** Read this saved page instead of fetching (the URL still names the source). */
  file?: string;
}

export interface EnqueueResult {
  batch_id: string;
  label: string;
  /** Distinct sources in the batch (valid and invalid URLs). */
  count: number;
  /** Fetch jobs added. */
  queued: number;
  /** Sources already done or in flight from an earlier batch (attached, not fetched again). */
  attached: number;
  /** Inputs that were not valid http(s) URLs: recorded as failed sources at stage "enqueue". */
  invalid: { input: string; reason: string }[];
  /** Repeated URLs within this batch, counted once. */
  duplicates: number;
}

export class Producer {
  readonly queues: Map<QueueName, Queue>;
  readonly batches: BatchStore;

  constructor(readonly connection: Redis, readonly config: Config) {
    this.queues = new Map(PIPELINE.map((q) => [q, createQueue(q, connection, config)]));
    this.batches = new BatchStore(connection, config.queuePrefix);
  }

  queue(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  /** Add one job; its deterministic id makes a repeat of the same hand-over a no-op. */
  async add<Q extends QueueName>(queue: Q, payload: PayloadOf[Q], opts: JobsOptions = {}): Promise<void> {
    await this.queue(queue).add(jobNameFor(queue, payload as AnyPayload), toWire(payload), { jobId: jobIdFor(queue, payload as AnyPayload), ...opts });
  }

  /**
   * Add the job that carries a stage's outputs for one queue: one payload as its usual job,
   * several as a bundle (bundles.ts) whose id is derived from theirs. FollowUpBundler calls this.
   */
  async addFollowUps<Q extends QueueName>(queue: Q, payloads: PayloadOf[Q][], opts: JobsOptions = {}): Promise<void> {
    if (payloads.length === 1) return this.add(queue, payloads[0]!, opts);
    if (payloads.length === 0) return;
    const data: BundleData = { items: payloads.map((p) => toWire(p)) };
    await this.queue(queue).add(JobName.Bundle, data, { jobId: bundleJobId(queue, payloads as AnyPayload[]), ...opts });
  }

  /** Enqueue URLs as a new batch. */
  async enqueue(items: EnqueueItem[], opts: { label?: string; batchId?: string } = {}): Promise<EnqueueResult> {
    const batchId = opts.batchId ?? randomId("b");
    const label = opts.label ?? "";
    const now = new Date().toISOString();
    // source id -> envelope, plus why the input is not a fetchable URL (if it is not)
    const entries = new Map<string, { envelope: JobEnvelope; invalid?: string }>();
    const invalid: EnqueueResult["invalid"] = [];
    let duplicates = 0;
    for (const item of items) {
      let url: string;
      let bad: string | undefined;
      try {
        url = normaliseUrl(item.url);
      } catch (err) {
        bad = err instanceof BadUrlError ? err.reason : String(err);
        // Stored on the failed source as given, but never with credentials or secret parameters.
        url = redactText(item.url).slice(0, 2048);
      }
      // An invalid input still gets a source id (of its raw text) so it is accounted for.
      const sourceId = bad === undefined ? sourceIdOf(url) : sha256Hex(`invalid:${item.url}`).slice(0, 32);
      if (entries.has(sourceId)) {
        duplicates++;
        continue;
      }
      if (bad !== undefined) invalid.push({ input: redactText(item.url.slice(0, 200)), reason: bad });
      const envelope: JobEnvelope = {
        v: 1, source_id: sourceId, url, input_url: (bad === undefined ? item.url : redactText(item.url)).slice(0, 8192), batch_id: batchId,
        correlation_id: randomId("c"), run: Date.now().toString(36), enqueued_at: now,
        ...(item.meta ? { meta: item.meta } : {}),
        ...(item.file ? { local_file: item.file } : {}),
      };
      entries.set(sourceId, bad === undefined ? { envelope } : { envelope, invalid: bad });
    }
    const all = [...entries.values()];
    await this.batches.create({ id: batchId, label, created: now, count: all.length }, all.map((e) => e.envelope.source_id));

    const fetchQueue = this.queue(QueueName.Fetch);
    let queued = 0;
    let attached = 0;
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const valid = chunk.filter((e) => e.invalid === undefined).map((e) => e.envelope);
      // Which of these URLs already have a fetch job (in flight, done or failed)?
      const exists = await this.existing(fetchQueue, valid.map((e) => `fetch-${e.source_id}`));
      const fresh: JobEnvelope[] = [];
      for (const e of valid) {
        const existing = exists.get(`fetch-${e.source_id}`);
        if (!existing) { fresh.push(e); continue; }
        const state = await existing.getState();
        if (state === "failed") {
          // A new batch is a new chance: the old failed job makes way for a fresh one.
          await existing.remove().catch(() => undefined);
          fresh.push(e);
        } else {
          attached++;
          if (state === "completed") await this.add(QueueName.Index, { kind: "attach-batch", envelope: e });
          // waiting/active/delayed: the run in flight reads the source's batches when it indexes.
        }
      }
      if (fresh.length > 0) {
        await fetchQueue.addBulk(fresh.map((envelope) => {
          const payload = { envelope };
          return { name: jobNameFor(QueueName.Fetch, payload), data: payload, opts: { jobId: jobIdFor(QueueName.Fetch, payload) } };
        }));
        queued += fresh.length;
      }
      for (const { envelope, invalid } of chunk) {
        if (invalid === undefined) continue;
        const payload: IndexFailurePayload = {
          kind: "failure", envelope, status: "failed",
          failure: { stage: "enqueue", reason: "bad_url", detail: invalid, attempts: 0 },
        };
        await this.add(QueueName.Index, payload);
      }
    }
    return { batch_id: batchId, label, count: all.length, queued, attached, invalid, duplicates };
  }

  private async existing(queue: Queue, ids: string[]): Promise<Map<string, Job>> {
    const found = new Map<string, Job>();
    if (ids.length === 0) return found;
    const multi = this.connection.multi();
    for (const id of ids) multi.exists(`${this.config.queuePrefix}:${queue.name}:${id}`);
    const res = (await multi.exec()) ?? [];
    for (let i = 0; i < ids.length; i++) {
      if (Number(res[i]?.[1] ?? 0) === 1) {
        const job = await Job.fromId(queue, ids[i]!);
        if (job) found.set(ids[i]!, job);
      }
    }
    return found;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
