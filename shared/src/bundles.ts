/**
 * Bundles: several URLs' payloads carried by one job, from the clean queue onwards (and in the
 * fetch queue when TIDINGS_FETCH_BUNDLE_MAX is set).
 *
 * Why: every job costs BullMQ's scripts in Redis (add, move to active, move to finished, with
 * their events and retention) and the worker's round trips, whatever the job carries. An article
 * passes four queues after fetch, so that cost is paid four times per URL. Handing a stage's outputs on in
 * bundles pays it once per bundle. Measured with `npm run bench -- --stages e2e
 * --urls 5000 --warmup 2000 --procs-per-stage 1,2`, TIDINGS_BUNDLE_MAX=8 against 1 in turn on the
 * 2-core development VM: CPU per article 17.3 against 19.3 ms with one process per stage (Redis
 * 1.5 against 2.6) and 20.9 against 23.1 with two; 99.3 against 91.6 articles/s, and 88.0
 * against 79.0 (README, Performance, tenth round). The default went from 8 to 16 in the twelfth
 * round: in four paired runs (same command, one process per stage) 16 took 12.6-13.9 ms of CPU
 * an article against 13.2-14.6 with 8, and every run was faster (124.4-137.8 articles/s against
 * 119.8-132.5), with identical results and the same Redis memory per URL in flight.
 *
 * Fetch jobs may be bundled where they are made, by the enqueue (producer.ts): a batch's URLs, in
 * order, in jobs of `TIDINGS_FETCH_BUNDLE_MAX` (default 1: one URL a fetch job, see config.ts for
 * why). That a URL is already in flight or done is read from its run state in the batch store,
 * not from a job id, so a fetch job's id is free to be a bundle's.
 *
 * A bundle is made where outputs are handed on (FollowUpBundler below): the outputs of the jobs
 * a worker finishes close together, for the same queue, wait up to `waitMs` for each other and
 * leave as one job of at most `maxItems` payloads. One payload alone leaves as the usual job,
 * with its deterministic id. A bundle's id is derived from its items' ids, so the same hand-over
 * repeated (a retry of the whole job) is a no-op, as for single jobs; a different grouping of the
 * same items after a crash is not caught by the id, and runs them again: every write downstream
 * is idempotent (sources by id with the run as external version, an event's sources by source
 * id, batch marks are sets), so a repeat costs CPU, not correctness.
 *
 * Each item of a bundle keeps its own outcome (stage-worker.ts): an item that fails for good is
 * recorded as a failed source, and an item that should be tried again (a transient error, a
 * wait, a service outage) leaves the bundle as a job of its own, with the attempts it has left,
 * so the others are not repeated for it. A bundle whose worker died under it is split at once
 * into single jobs, which the quarantine of suspects then handles one URL at a time.
 */
import { createHash } from "node:crypto";
import type { JobsOptions } from "bullmq";
import { jobIdFor, type AnyPayload } from "./jobs.ts";
import type { QueueName } from "./queues.ts";

/** The data of a bundle job: the items' payloads as they travel (toWire), in hand-over order. */
export interface BundleData {
  items: unknown[];
}

/** Whether a job's data is a bundle (an `items` array) rather than one payload. */
export function isBundle(data: unknown): data is BundleData {
  return typeof data === "object" && data !== null && Array.isArray((data as { items?: unknown }).items);
}

/** A bundle's job id: the queue plus a hash of its items' own job ids, in order. */
export function bundleJobId(queue: QueueName, payloads: readonly AnyPayload[]): string {
  const h = createHash("sha256");
  for (const p of payloads) h.update(jobIdFor(queue, p)).update("\n");
  return `bundle-${queue}-${h.digest("hex").slice(0, 32)}`;
}

/**
 * Attempts already spent on a payload before it became a job of its own (an item that left its
 * bundle to be tried again): job.attemptsMade counts from 0 in the new job, so a failure record
 * adds this to say how many attempts the URL really had at this stage.
 */
export const ATTEMPTS_BEFORE_KEY = "attempts_before";

export function attemptsBefore(data: unknown): number {
  const n = (data as Record<string, unknown> | null)?.[ATTEMPTS_BEFORE_KEY];
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : 0;
}

/** A job's payload without the attempts count it carried (which must not travel on with its output). */
export function withoutAttemptsBefore(data: unknown): unknown {
  if (typeof data !== "object" || data === null || !(ATTEMPTS_BEFORE_KEY in data)) return data;
  const { [ATTEMPTS_BEFORE_KEY]: _before, ...payload } = data as Record<string, unknown>;
  return payload;
}

export interface BundlerOptions {
  /** Most payloads in one bundle. 1 turns bundling off (every payload its own job). */
  maxItems: number;
  /** How long the first payload of a bundle waits for others (ms). */
  waitMs: number;
}

/**
 * Jobs a stage's BullMQ worker takes at once for `urlSlots` URLs at once (slots.ts). A job
 * completes only once its outputs are in Redis, and an output may wait up to the bundle wait
 * for others to share its job (FollowUpBundler): all that time the job holds one of BullMQ's
 * slots though none of its URLs runs. With as many job slots as URL slots, a stage of two
 * (clean, extract) whose two jobs wait for their bundle runs nothing until it leaves, which
 * caps the stage at a few jobs per bundle wait and forces short waits, hence small bundles.
 * Twice as many job slots let the next jobs start while finished ones wait; the URL slots still
 * bound the work. A stage that hands nothing on in bundles (index, or bundling off) takes as
 * many jobs as URLs.
 */
export function jobsAtOnce(urlSlots: number, bundlesOutputs: boolean): number {
  return bundlesOutputs ? urlSlots * 2 : urlSlots;
}

/** Adds the job that carries `payloads` to `queue`: one payload as its usual job, several as a bundle. */
export type AddFollowUps = (queue: QueueName, payloads: AnyPayload[], opts: JobsOptions) => Promise<void>;

interface Waiting {
  payload: AnyPayload;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the payloads a worker hands on into bundles, one open bundle per queue. `submit`
 * resolves once the job carrying the payload is in Redis (or rejects with the reason it is not),
 * so the job that produced it completes only after its output is safely handed on.
 */
export class FollowUpBundler {
  private readonly open = new Map<QueueName, { items: Waiting[]; timer?: NodeJS.Timeout; opts: JobsOptions }>();

  constructor(private readonly add: AddFollowUps, private readonly options: BundlerOptions) {}

  submit(queue: QueueName, payload: AnyPayload, opts: JobsOptions = {}): Promise<void> {
    if (this.options.maxItems <= 1) return this.add(queue, [payload], opts);
    let bundle = this.open.get(queue);
    if (!bundle) this.open.set(queue, (bundle = { items: [], opts }));
    const b = bundle;
    return new Promise<void>((resolve, reject) => {
      b.items.push({ payload, resolve, reject });
      if (b.items.length >= this.options.maxItems) this.flush(queue);
      else b.timer ??= setTimeout(() => this.flush(queue), this.options.waitMs);
    });
  }

  private flush(queue: QueueName): void {
    const bundle = this.open.get(queue);
    if (!bundle || bundle.items.length === 0) return;
    clearTimeout(bundle.timer);
    this.open.delete(queue);
    const items = bundle.items;
    this.add(queue, items.map((w) => w.payload), bundle.opts).then(
      () => items.forEach((w) => w.resolve()),
      (err: unknown) => items.forEach((w) => w.reject(err)),
    );
  }
}
