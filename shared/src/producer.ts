/**
 * Producers: the only code that puts jobs on the queues. Commands (enqueue) and stage workers
 * (handing output to the next stage, recording failures) both go through here, so job ids,
 * job options and batch bookkeeping are decided in one place.
 */
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { SourceMeta } from "./article.ts";
import { BatchStore, type SourceRunState } from "./batches.ts";
import { BACKOFF_TYPE } from "./errors.ts";
import type { Config } from "./config.ts";
import { randomId, sha256Hex, sourceIdOf } from "./ids.ts";
import { jobIdFor, jobNameFor, toWire, type AnyPayload, type FetchPayload, type IndexFailurePayload, type IndexPayload, type JobEnvelope, type PayloadOf } from "./jobs.ts";
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

/**
 * Completed fetch jobs kept: TIDINGS_KEEP_COMPLETED counts URLs, as in every queue that receives
 * bundles (stage-worker.ts), and fetch jobs carry up to TIDINGS_FETCH_BUNDLE_MAX of them.
 */
export function fetchJobRetention(config: Config): JobsOptions {
  return { removeOnComplete: { count: Math.ceil(config.keepCompleted / config.fetchBundleMax) } };
}

/** The job that carries `payloads` in `queue`: one payload as its usual job, several as a bundle (bundles.ts) whose id is derived from theirs. */
function jobCarrying(queue: QueueName, payloads: readonly AnyPayload[], opts: JobsOptions): { name: string; data: unknown; opts: JobsOptions } {
  if (payloads.length === 1) {
    const p = payloads[0]!;
    return { name: jobNameFor(queue, p), data: toWire(p), opts: { jobId: jobIdFor(queue, p), ...opts } };
  }
  const data: BundleData = { items: payloads.map((p) => toWire(p)) };
  return { name: JobName.Bundle, data, opts: { jobId: bundleJobId(queue, payloads), ...opts } };
}

/**
 * What an enqueue does with a valid URL, from the run state of its source (batches.ts):
 *  - "queue":       never queued, its state expired, its last run failed (a new batch is a new
 *                   chance), or queued longer than `inFlightMaxMs` ago without ending (that run
 *                   is taken for lost): a new run, fetched afresh;
 *  - "join":        in flight: the run under way reads the source's batches when it indexes, so
 *                   it ends the URL in this batch too;
 *  - "attach-done": indexed or skipped: an attach-batch job adds this batch to the source's record
 *                   and ends the URL in it.
 */
export function decideRepeat(run: SourceRunState | undefined, nowMs: number, inFlightMaxMs: number): "queue" | "join" | "attach-done" {
  if (!run || run.state === "failed") return "queue";
  if (run.state === "queued") return nowMs - run.since > inFlightMaxMs ? "queue" : "join";
  return "attach-done";
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
  /** URLs queued to be fetched (in fetch jobs of up to TIDINGS_FETCH_BUNDLE_MAX URLs each). */
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
    if (payloads.length === 0) return;
    const job = jobCarrying(queue, payloads as AnyPayload[], opts);
    await this.queue(queue).add(job.name, job.data, job.opts);
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
    const bundleMax = this.config.fetchBundleMax;
    const fetchOpts = fetchJobRetention(this.config);
    // Chunks of whole bundles, so that only the batch's last bundle may be short.
    const chunkSize = bundleMax * Math.max(1, Math.floor(512 / bundleMax));
    let queued = 0;
    let attached = 0;
    for (let i = 0; i < all.length; i += chunkSize) {
      const chunk = all.slice(i, i + chunkSize);
      const valid = chunk.filter((e) => e.invalid === undefined).map((e) => e.envelope);
      // Which of these URLs are already in flight or done from an earlier batch?
      const states = await this.batches.runStates(valid.map((e) => e.source_id));
      const fresh: FetchPayload[] = [];
      const done: IndexPayload[] = [];
      const nowMs = Date.now();
      valid.forEach((envelope, k) => {
        const repeat = decideRepeat(states[k], nowMs, this.config.inFlightMaxMs);
        if (repeat === "queue") fresh.push({ envelope });
        else if (repeat === "attach-done") done.push({ kind: "attach-batch", envelope });
        // "join": the run in flight reads the source's batches (this one among them) when it indexes.
        if (repeat !== "queue") attached++;
      });
      if (done.length > 0) {
        await this.queue(QueueName.Index).addBulk(done.map((payload) => ({
          name: jobNameFor(QueueName.Index, payload), data: payload, opts: { jobId: jobIdFor(QueueName.Index, payload) },
        })));
      }
      if (fresh.length > 0) {
        // Recorded as queued before the jobs exist: an enqueue that dies in between leaves a run
        // state without a job, which TIDINGS_IN_FLIGHT_MAX_MS ends; the other order could leave
        // "queued" over a run that had already ended, with no such limit.
        await this.batches.markQueued(fresh.map((p) => p.envelope.source_id));
        const jobs: ReturnType<typeof jobCarrying>[] = [];
        for (let k = 0; k < fresh.length; k += bundleMax) jobs.push(jobCarrying(QueueName.Fetch, fresh.slice(k, k + bundleMax), fetchOpts));
        await fetchQueue.addBulk(jobs);
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

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
