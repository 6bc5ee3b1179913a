/**
 * The one BullMQ adapter every stage runs in. A stage supplies a pure-ish handler from its
 * payload to the next stage's payload; this adapter validates the payload, gives the handler a
 * logger with the correlation id, hands the output to the next queue, records batch progress,
 * and turns errors into retries or recorded failures:
 *
 *  - transient error, attempts left   -> rethrow; BullMQ retries after backoffDelay (exponential
 *                                        with jitter, and at least the error's retryAfterMs)
 *  - a "wait" (not a failure)         -> job delayed by retryAfterMs without spending an attempt
 *  - permanent error or last attempt  -> a failure record is queued for the index stage (so the
 *                                        URL ends as a source with status failed, the stage and
 *                                        the reason), then UnrecoverableError ends the job
 *  - the worker process dies mid-job  -> BullMQ's stalled-job check hands the job to another
 *                                        worker; past maxStalledCount it fails and is recorded
 *                                        (reason `stalled`)
 *  - the handler hangs                -> abandoned after the stage's deadline (deadline.ts:
 *                                        TIDINGS_JOB_TIMEOUT_MS[_<STAGE>], default 120 s) with a
 *                                        transient `job_timeout`: retried like any transient error
 *  - Redis or Elasticsearch unreachable (connection refused/reset/closed, request timeout, no
 *    living connection, 502/503/504, Redis LOADING/READONLY) -> an outage is not the job's
 *                                        fault: the job waits (delayed, backoff with jitter, at
 *                                        most 30 s) WITHOUT spending an attempt, however long
 *                                        the outage lasts, so an outage never fails a URL
 *  - the index stage fails for good   -> an article is recorded as a failed source (stage
 *                                        `index`) through a failure job; a failure record that
 *                                        cannot be written still ends the URL in its batches
 *                                        (Redis), so no batch waits forever
 *
 * Stall detection and retention can be tuned per process (for tests and chaos runs):
 * TIDINGS_LOCK_DURATION_MS (30000), TIDINGS_STALLED_INTERVAL_MS (30000), TIDINGS_MAX_STALLED_COUNT
 * (2). Clean jobs are the largest (small page bodies travel inline; larger ones by reference, see
 * bodies.ts), so fewer of them are kept in Redis once done: TIDINGS_KEEP_COMPLETED_CLEAN
 * (default 100) and TIDINGS_KEEP_FAILED_CLEAN (default 1000), instead of TIDINGS_KEEP_COMPLETED / _FAILED.
 * Completed-job counts are of URLs: as jobs may be bundles, a queue keeps count /
 * TIDINGS_BUNDLE_MAX jobs (rounded up; fetch: count / TIDINGS_FETCH_BUNDLE_MAX).
 *
 * Quarantine of suspects: a job that has stalled before (its worker died while running it) may
 * be what kills workers. Run among others, it would take the jobs running beside it down with it
 * every time, and they too would end `stalled` after maxStalledCount deaths, innocent. So in each
 * process a suspect runs alone: it waits (up to its deadline) until the jobs running in this
 * process have finished, and while it runs, any other job that starts here steps aside (it is
 * delayed by a second or so, without spending an attempt). A poison job then only kills itself.
 *
 * Bundles (bundles.ts): a job may carry several URLs. Each URL keeps
 * the outcomes above as its own: one that fails for good is recorded, one to be tried again (any
 * of the retry, wait and outage cases) leaves the bundle as a job of its own with the attempts it
 * has left, and a bundle that stalled before is split into single jobs before anything runs, so
 * the quarantine works on single URLs.
 *
 * Fault injection for tests (faults.ts) runs before the handler only when TIDINGS_FAULTS is set.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "./config.ts";
import { jobTimeoutMs, withDeadline } from "./deadline.ts";
import { Slots } from "./slots.ts";
import { backoffDelay, classifyError } from "./errors.ts";
import { injectFault } from "./faults.ts";
import { gatherArrivals } from "./gather.ts";
import { followUp } from "./follow-up.ts";
import { ATTEMPTS_BEFORE_KEY, attemptsBefore, FollowUpBundler, isBundle, jobsAtOnce, withoutAttemptsBefore } from "./bundles.ts";
import { jobIdFor, jobNameFor, parsePayload, pageInfo, type AnyPayload, type IndexFailurePayload, type IndexPayload, type PayloadOf } from "./jobs.ts";
import { childLogger, type Logger } from "./logger.ts";
import { MetricsRecorder } from "./metrics.ts";
import type { StageName } from "./model.ts";
import { fetchJobRetention, type Producer } from "./producer.ts";
import { nextQueue, QueueName } from "./queues.ts";

export interface StageContext {
  log: Logger;
  job: Job;
  config: Config;
  producer: Producer;
  /** Aborted when the job's deadline passes (the attempt has then been given up). */
  signal?: AbortSignal;
}

/** What a handler returns: the next stage's payload, or nothing for the last stage. */
export type StageHandler<Q extends QueueName> = (
  payload: PayloadOf[Q],
  ctx: StageContext,
) => Promise<Q extends QueueName.Index ? void : PayloadOf[NonNullable<NextOf<Q>>]>;

type NextOf<Q extends QueueName> = Q extends QueueName.Fetch ? QueueName.Clean
  : Q extends QueueName.Clean ? QueueName.Translate
  : Q extends QueueName.Translate ? QueueName.Extract
  : Q extends QueueName.Extract ? QueueName.Index
  : never;

export interface StageWorkerOptions {
  /**
   * URLs run at once in this process, bundled or not (slots.ts); its BullMQ worker takes twice as
   * many jobs when it hands outputs on in bundles (bundles.ts, jobsAtOnce). Default:
   * config.concurrency[stage].
   */
  concurrency?: number;
  /** Lock duration (ms): a job whose worker stops renewing its lock for this long is stalled. Default 30000. */
  lockDuration?: number;
  /** Times a job may stall before it fails for good. Default 2. */
  maxStalledCount?: number;
  /** How often this worker looks for stalled jobs (ms). Default 30000. */
  stalledInterval?: number;
  /** Deadline of one attempt (ms, 0: none). Default: jobTimeoutMs(stage) from the environment. */
  jobTimeoutMs?: number;
  /** How long an idle worker lets arrivals gather before fetching them (ms, 0: off; gather.ts). Default: config.gatherMs (100). */
  gatherMs?: number;
  /** Most URLs in one job this worker hands on (bundles.ts; 1: none). Default: config.bundleMax (16). */
  bundleMax?: number;
  /** How long an output waits for others to share its job (ms). Default: config.bundleWaitMs (100). */
  bundleWaitMs?: number;
  /**
   * Called once for each payload this worker is done with for good: its job (or, for a bundle,
   * the job carrying it) completed, or failed with no attempt left. Not for a payload that will
   * be tried again. The clean stage deletes the page body it stored then. Default: none.
   */
  onSettled?: (data: unknown) => void;
}

function envInt(name: string, fallback: number, min: number, max: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  return v;
}

const OUTAGE_CODES = /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CLOSED)\b/;

/**
 * Whether an error says a service (Redis, Elasticsearch) is unreachable or not ready, rather
 * than anything about the job. Only errors a stage did not classify itself (no `reason`): the
 * fetch stage's network errors towards web sites carry their own reason and stay failures.
 */
export function isServiceOutage(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  if ("reason" in err && typeof (err as { reason: unknown }).reason === "string") return false;
  const e = err as { name?: string; message?: string; code?: string; meta?: { statusCode?: number } };
  const name = e.name ?? "";
  // @elastic/transport
  if (name === "ConnectionError" || name === "TimeoutError" || name === "NoLivingConnectionsError") return true;
  if (name === "ResponseError" && [502, 503, 504].includes(e.meta?.statusCode ?? 0)) return true;
  // ioredis
  if (name === "MaxRetriesPerRequestError") return true;
  const message = `${e.code ?? ""} ${e.message ?? ""}`;
  if (/Connection is closed|Stream isn't writeable|^\s*(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/.test(message)) return true;
  return OUTAGE_CODES.test(message);
}

/** Process-wide (every stage worker of the process): jobs running, and whether a suspect runs alone. */
const quarantine = { running: 0, suspect: false };

/** Jobs running in this process now, and whether one of them is a suspect running alone (tests, metrics). */
export function quarantineState(): { running: number; suspect: boolean } {
  return { ...quarantine };
}

export function createStageWorker<Q extends QueueName>(
  queue: Q,
  handler: StageHandler<Q>,
  deps: { connection: Redis; config: Config; producer: Producer },
  opts: StageWorkerOptions = {},
): Worker {
  const { config, producer } = deps;
  const recorded = new WeakSet<Job>();
  const metrics = new MetricsRecorder(deps.connection, config.queuePrefix);
  const attempts = (job: Job) => job.opts.attempts ?? 1;

  /** Record one payload's URL as failed (or skipped) at this stage, after `tries` attempts here. */
  const recordFailure = async (data: unknown, tries: number, reason: string, detail: string, skipped: boolean, jobId: string) => {
    const d = data as { envelope?: unknown; page?: unknown };
    if (!d?.envelope) {
      childLogger({ stage: queue, job_id: jobId }).error("a payload without an envelope failed: nothing to record it under", { reason, detail: detail.slice(0, 500) });
      return;
    }
    if (queue === QueueName.Index) {
      await recordIndexFailure(data as IndexPayload, tries, reason, detail, jobId);
      return;
    }
    const payload: IndexFailurePayload = {
      kind: "failure",
      envelope: d.envelope as IndexFailurePayload["envelope"],
      status: skipped ? "skipped" : "failed",
      failure: { stage: queue as StageName, reason, detail, attempts: tries },
      ...(d.page ? { page: pageInfo(d.page as PayloadOf[QueueName.Clean]["page"]) } : {}),
    };
    await producer.add(QueueName.Index, payload);
  };

  /** Record every URL of a job that failed for good: the job's payload, or each item of a bundle. */
  const recordJobFailure = async (job: Job, reason: string, detail: string, skipped: boolean) => {
    const items = isBundle(job.data) ? (unhandledItems.get(job) ?? job.data.items) : [job.data];
    for (const data of items) await recordFailure(data, attemptsBefore(data) + job.attemptsMade + 1, reason, detail, skipped, job.id ?? "");
    recorded.add(job);
  };

  // The index stage cannot write a failed article's record through itself... except as a failure
  // job, which writes much less (no events, no mentions). A failure record that fails for good
  // too (or an attach-batch) still ends the URL in its batches, so the batch is not left waiting.
  const recordIndexFailure = async (p: IndexPayload, tries: number, reason: string, detail: string, jobId: string) => {
    if (p.kind === "article") {
      const payload: IndexFailurePayload = {
        kind: "failure", envelope: p.envelope, status: "failed",
        failure: { stage: "index", reason, detail, attempts: tries },
        ...(p.page ? { page: pageInfo(p.page) } : {}),
      };
      await producer.add(QueueName.Index, payload);
    } else {
      const e = p.envelope;
      const batchIds = [...new Set([e.batch_id, ...(await producer.batches.batchesOfSource(e.source_id))])];
      const why = p.kind === "failure" ? `${p.failure.stage}:${p.failure.reason}` : `index:${reason}`;
      await producer.batches.markEnded(batchIds, e.source_id, "failed", why);
      childLogger({ stage: queue, job_id: jobId, source_id: e.source_id, correlation_id: e.correlation_id })
        .error("could not write the source record; the URL ends failed in its batches only", { reason, detail: detail.slice(0, 500) });
    }
  };

  const timeoutMs = opts.jobTimeoutMs ?? jobTimeoutMs(queue);
  // Clean jobs are the largest: keep fewer of them once done (see the header). The counts are of
  // URLs: a queue that receives bundles keeps count / bundle size jobs, so bundles do not multiply
  // what stays in Redis.
  const bundleMax = opts.bundleMax ?? config.bundleMax;
  const retentionOf = (q: QueueName | undefined): JobsOptions => {
    if (!q) return {};
    // Fetch jobs are bundled by the enqueue (TIDINGS_FETCH_BUNDLE_MAX), the others by this adapter.
    if (q === QueueName.Fetch) return fetchJobRetention(config);
    const keepCompleted = q === QueueName.Clean
      ? envInt("TIDINGS_KEEP_COMPLETED_CLEAN", Math.min(100, config.keepCompleted), 0, 10_000_000)
      : config.keepCompleted;
    return {
      removeOnComplete: { count: Math.ceil(keepCompleted / bundleMax) },
      ...(q === QueueName.Clean ? { removeOnFail: { count: envInt("TIDINGS_KEEP_FAILED_CLEAN", Math.min(1000, config.keepFailed), 0, 10_000_000) } } : {}),
    };
  };
  const nextJobOpts = retentionOf(nextQueue(queue));
  const ownJobOpts = retentionOf(queue);
  // Outputs handed on close together share a job (bundles.ts).
  const bundler = new FollowUpBundler((q, payloads, o) => producer.addFollowUps(q, payloads, o), {
    maxItems: bundleMax,
    waitMs: opts.bundleWaitMs ?? config.bundleWaitMs,
  });

  const logFor = (job: Job, data: unknown) => {
    const envelope = (data as { envelope?: { correlation_id?: string; source_id?: string; batch_id?: string } })?.envelope;
    return childLogger({
      stage: queue, job_id: job.id ?? "", correlation_id: envelope?.correlation_id ?? "", source_id: envelope?.source_id ?? "", batch_id: envelope?.batch_id ?? "",
    });
  };

  // URLs at once in this process, bundled or not: the stage's concurrency keeps meaning URLs (slots.ts).
  const concurrency = opts.concurrency ?? config.concurrency[queue];
  const slots = new Slots(concurrency);

  /**
   * One payload through the handler and on to the next queue: a job's work, or one bundle item's.
   * Only the handler holds a slot: waiting for the output's bundle to fill must not keep the next
   * URL from starting.
   */
  const runPayload = async (data: unknown, job: Job, log: Logger) => {
    const payload = parsePayload(queue, withoutAttemptsBefore(data));
    const output = await slots.run(() => withDeadline(timeoutMs, `${queue} job ${job.id ?? ""}`, async (signal) => {
      await injectFault(queue, [payload.envelope.url, payload.envelope.input_url], log); // no-op unless TIDINGS_FAULTS is set
      return handler(payload, { log, job, config, producer, signal });
    }));
    if (queue === QueueName.Fetch && output) {
      const page = (output as PayloadOf[QueueName.Clean]).page;
      if (page && !payload.envelope.local_file) metrics.fetched(page.http_status, page.bytes);
    }
    // Where the output goes is follow-up.ts's call (it may skip a stage with nothing to do).
    const next = followUp(queue, output as PayloadOf[QueueName] | undefined, config);
    // The batch's stage marks go out now; the next job with the bundle it joins (bundles.ts).
    // Both are idempotent, so a retry after a partial failure repeats them safely.
    const batches = [payload.envelope.batch_id];
    const marks = queue === QueueName.Index ? [] : [queue, ...(next?.passed ?? [])];
    await Promise.all([
      next ? bundler.submit(next.queue, next.payload as AnyPayload, nextJobOpts) : undefined,
      ...marks.map((stage) => producer.batches.markStage(batches, stage, payload.envelope.source_id)),
    ]);
  };

  /**
   * What a failed attempt comes to, for a job and for one URL of a bundle alike (logged and
   * counted here): "wait" when a service is down or the error says "not yet" (no attempt spent),
   * "retry" when attempts are left, "fail" when the URL fails for good. `tries` and `total` count
   * this stage's attempts of the URL, those it had inside a bundle included.
   */
  type Verdict = { kind: "wait"; delayMs: number } | { kind: "retry" | "fail"; c: ReturnType<typeof classifyError> };
  const judge = (err: unknown, tries: number, total: number, log: Logger, started: number, bundled: number): Verdict => {
    if (isServiceOutage(err)) {
      // Redis or Elasticsearch is down or not ready: not this URL's fault.
      const delayMs = Math.min(30_000, Math.max(1000, backoffDelay(1, config.backoffMs)));
      log.warn("service unavailable; the URL waits", { error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err), retry_in_ms: delayMs });
      metrics.job(queue, "retry", Date.now() - started, "service_unavailable");
      return { kind: "wait", delayMs };
    }
    const c = classifyError(err);
    if (c.wait) {
      log.debug("the URL waits", { reason: c.reason, retry_after_ms: c.retryAfterMs });
      return { kind: "wait", delayMs: c.retryAfterMs ?? 1000 };
    }
    const last = c.permanent || tries >= total;
    log.warn(last ? "job failed for good" : "job failed, will retry", { reason: c.reason, detail: c.detail, attempt: tries, attempts: total, ...(bundled ? { bundle: bundled } : {}) });
    metrics.job(queue, last ? "failed" : "retry", Date.now() - started, c.reason);
    return { kind: last ? "fail" : "retry", c };
  };

  /**
   * A payload leaves its bundle as a job of its own in this queue, to be tried again after
   * `delayMs`; `spent` says whether the try that failed counts against its attempts.
   */
  const requeue = async (data: unknown, delayMs: number, spent: boolean, bundleAttempts: number) => {
    const before = attemptsBefore(data) + (spent ? 1 : 0);
    const payload = data as AnyPayload;
    await producer.queue(queue).add(jobNameFor(queue, payload), { ...(data as object), [ATTEMPTS_BEFORE_KEY]: before }, {
      jobId: jobIdFor(queue, payload), delay: Math.max(0, Math.round(delayMs)), attempts: Math.max(1, bundleAttempts - before), ...ownJobOpts,
    });
  };

  /** A bundle's items that are done with (done or recorded), kept until the bundle completes (for `onSettled`). */
  const settledItems = new WeakMap<Job, unknown[]>();
  /** A bundle's items that nothing was settled for when it failed: the ones a failure for good records. */
  const unhandledItems = new WeakMap<Job, unknown[]>();

  /**
   * A bundle: every item runs (at once, as slots allow: at most the stage's concurrency of URLs
   * run in this process, whatever jobs carry them) and keeps its own outcome. Done items are done; an item that failed for good is
   * recorded; an item to be tried again leaves as a job of its own. The bundle then completes:
   * only a failure to requeue or record (Redis) makes the bundle itself fail or wait.
   */
  const runBundle = async (job: Job, items: unknown[]) => {
    const settled: unknown[] = [];
    const handled = new Set<unknown>();
    const outcomes = await Promise.allSettled(items.map(async (data) => {
      const started = Date.now();
      const log = logFor(job, data);
      try {
        await runPayload(data, job, log);
        metrics.job(queue, "completed", Date.now() - started);
        settled.push(data);
        handled.add(data);
      } catch (err) {
        const tries = attemptsBefore(data) + job.attemptsMade + 1;
        const v = judge(err, tries, attempts(job), log, started, items.length);
        if (v.kind === "fail") {
          await recordFailure(data, tries, v.c.reason, v.c.detail, Boolean(v.c.skipped), job.id ?? "");
          settled.push(data);
        } else if (v.kind === "wait") {
          await requeue(data, v.delayMs, false, attempts(job));
        } else {
          await requeue(data, backoffDelay(tries, config.backoffMs, v.c.retryAfterMs), true, attempts(job));
        }
        handled.add(data);
      }
    }));
    settledItems.set(job, settled);
    const broken = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (broken) {
      // Could not requeue or record an item (Redis): the bundle is retried (repeats are idempotent),
      // and if that was its last attempt, only the items left without an outcome are recorded as failed.
      unhandledItems.set(job, items.filter((d) => !handled.has(d)));
      throw broken.reason;
    }
  };

  const processor = async (job: Job, token?: string) => {
    const log = logFor(job, job.data);
    // A suspect (it stalled before) runs alone in this process; others step aside meanwhile.
    const suspect = (job.stalledCounter ?? 0) > 0;
    if (quarantine.suspect && token) {
      await job.moveToDelayed(Date.now() + 500 + Math.round(Math.random() * 1000), token);
      throw new DelayedError();
    }
    if (suspect && isBundle(job.data)) {
      // A worker died under this bundle: each URL goes on alone, so the quarantine below can
      // tell the one that kills workers from the others (which would otherwise die with it).
      log.warn("bundle stalled before (its worker died on it): its URLs go on as jobs of their own", { stalled: job.stalledCounter, items: job.data.items.length });
      for (const data of job.data.items) await requeue(data, 0, false, attempts(job));
      settledItems.set(job, []);
      return;
    }
    if (suspect) {
      quarantine.suspect = true;
      const until = Date.now() + (timeoutMs > 0 ? timeoutMs : 120_000);
      while (quarantine.running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      log.warn("job stalled before (its worker died on it): running it alone in this process", { stalled: job.stalledCounter });
    }
    quarantine.running++;
    const started = Date.now();
    try {
      if (isBundle(job.data)) {
        await runBundle(job, job.data.items);
      } else {
        await runPayload(job.data, job, log);
        metrics.job(queue, "completed", Date.now() - started);
      }
      log.info("job done", { ms: Date.now() - started, attempt: job.attemptsMade + 1 });
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const before = attemptsBefore(job.data);
      const v = judge(err, before + job.attemptsMade + 1, before + attempts(job), log, started, 0);
      if (v.kind === "wait") {
        // Come back later without spending an attempt (without a token, BullMQ's retry has to do).
        if (!token) throw err;
        await job.moveToDelayed(Date.now() + v.delayMs, token);
        throw new DelayedError();
      }
      const httpStatus = queue === QueueName.Fetch ? /^http_(\d{3})$/.exec(v.c.reason) : null;
      if (httpStatus) metrics.fetched(Number(httpStatus[1]), 0);
      if (v.kind === "fail") {
        await recordJobFailure(job, v.c.reason, v.c.detail, Boolean(v.c.skipped));
        throw new UnrecoverableError(`${v.c.reason}: ${v.c.detail}`);
      }
      throw err instanceof Error ? err : new Error(v.c.detail);
    } finally {
      quarantine.running--;
      if (suspect) quarantine.suspect = false;
    }
  };

  const worker = new Worker(queue, processor, {
    connection: deps.connection,
    prefix: config.queuePrefix,
    // Jobs whose outputs wait for their bundle must not keep the next jobs from starting (bundles.ts).
    concurrency: jobsAtOnce(concurrency, nextQueue(queue) !== undefined && bundleMax > 1),
    lockDuration: opts.lockDuration ?? envInt("TIDINGS_LOCK_DURATION_MS", 30_000, 1000, 3_600_000),
    maxStalledCount: opts.maxStalledCount ?? envInt("TIDINGS_MAX_STALLED_COUNT", 2, 0, 100),
    stalledInterval: opts.stalledInterval ?? envInt("TIDINGS_STALLED_INTERVAL_MS", 30_000, 1000, 3_600_000),
    settings: {
      // A job that left its bundle counts the attempts it had there too (bundles.ts).
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: { data?: unknown }) =>
        backoffDelay(attemptsBefore(job?.data) + attemptsMade, config.backoffMs, (err as { retryAfterMs?: number } | undefined)?.retryAfterMs),
    },
  });
  gatherArrivals(worker, opts.gatherMs ?? config.gatherMs);

  // The payloads a job that failed for good is done with: a bundle's items that were done or are
  // recorded as failed now, not those that left it as jobs of their own (all, if it never ran here).
  const doneWithOnFailure = (job: Job): unknown[] => {
    if (!isBundle(job.data)) return [job.data];
    if (!settledItems.has(job)) return job.data.items;
    return [...(settledItems.get(job) ?? []), ...(unhandledItems.get(job) ?? [])];
  };
  // The payloads a completed job is done with: its own, or its bundle's items that did not leave it.
  worker.on("completed", (job) => {
    if (!opts.onSettled) return;
    const items = isBundle(job.data) ? (settledItems.get(job) ?? []) : [job.data];
    for (const data of items) opts.onSettled(data);
  });
  // Jobs that fail outside the processor (stalled past maxStalledCount because their worker
  // died every time) are recorded here, so they too end as a failed source.
  worker.on("failed", (job, err) => {
    if (!job) return;
    const log = childLogger({ stage: queue, job_id: job.id ?? "" });
    const final = job.attemptsMade >= attempts(job) || /stalled/i.test(err.message);
    if (opts.onSettled) {
      // Only once the job has failed for good; a job that will be retried still needs its payloads.
      job.getState().then((state) => {
        if (state === "failed") for (const data of doneWithOnFailure(job)) opts.onSettled!(data);
      }).catch(() => undefined);
    }
    if (recorded.has(job) || !final) return;
    const reason = /stalled/i.test(err.message) ? "stalled" : classifyError(err).reason;
    if (reason === "stalled") metrics.job(queue, "failed", undefined, reason);
    recordJobFailure(job, reason, err.message.slice(0, 2000), false).catch((e) => log.error("could not record failure", { error: String(e) }));
  });
  // Send the metrics summed since the last flush before the connection goes.
  worker.on("closed", () => metrics.flush());
  worker.on("error", (err) => childLogger({ stage: queue }).error("worker error", { error: err.message }));
  return worker;
}
