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
 *
 * Quarantine of suspects: a job that has stalled before (its worker died while running it) may
 * be what kills workers. Run among others, it would take the jobs running beside it down with it
 * every time, and they too would end `stalled` after maxStalledCount deaths, innocent. So in each
 * process a suspect runs alone: it waits (up to its deadline) until the jobs running in this
 * process have finished, and while it runs, any other job that starts here steps aside (it is
 * delayed by a second or so, without spending an attempt). A poison job then only kills itself.
 *
 * Fault injection for tests (faults.ts) runs before the handler only when TIDINGS_FAULTS is set.
 */
import { DelayedError, MetricsTime, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "./config.ts";
import { jobTimeoutMs, withDeadline } from "./deadline.ts";
import { backoffDelay, classifyError } from "./errors.ts";
import { injectFault } from "./faults.ts";
import { gatherArrivals } from "./gather.ts";
import { followUp } from "./follow-up.ts";
import { parsePayload, pageInfo, type IndexFailurePayload, type IndexPayload, type PayloadOf } from "./jobs.ts";
import { childLogger, type Logger } from "./logger.ts";
import { MetricsRecorder } from "./metrics.ts";
import type { StageName } from "./model.ts";
import type { Producer } from "./producer.ts";
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
  /** Jobs run at once in this process. Default: config.concurrency[stage]. */
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

  const recordFailure = async (job: Job, reason: string, detail: string, skipped: boolean) => {
    const data = job.data as { envelope?: unknown; page?: unknown };
    if (!data?.envelope) return;
    if (queue === QueueName.Index) {
      await recordIndexFailure(job, reason, detail);
      return;
    }
    const payload: IndexFailurePayload = {
      kind: "failure",
      envelope: data.envelope as IndexFailurePayload["envelope"],
      status: skipped ? "skipped" : "failed",
      failure: { stage: queue as StageName, reason, detail, attempts: job.attemptsMade + 1 },
      ...(data.page ? { page: pageInfo(data.page as PayloadOf[QueueName.Clean]["page"]) } : {}),
    };
    await producer.add(QueueName.Index, payload);
    recorded.add(job);
  };

  // The index stage cannot write a failed article's record through itself... except as a failure
  // job, which writes much less (no events, no mentions). A failure record that fails for good
  // too (or an attach-batch) still ends the URL in its batches, so the batch is not left waiting.
  const recordIndexFailure = async (job: Job, reason: string, detail: string) => {
    const p = job.data as IndexPayload;
    if (p.kind === "article") {
      const payload: IndexFailurePayload = {
        kind: "failure", envelope: p.envelope, status: "failed",
        failure: { stage: "index", reason, detail, attempts: job.attemptsMade + 1 },
        ...(p.page ? { page: pageInfo(p.page) } : {}),
      };
      await producer.add(QueueName.Index, payload);
    } else {
      const e = p.envelope;
      const batchIds = [...new Set([e.batch_id, ...(await producer.batches.batchesOfSource(e.source_id))])];
      const why = p.kind === "failure" ? `${p.failure.stage}:${p.failure.reason}` : `index:${reason}`;
      await producer.batches.markEnded(batchIds, e.source_id, "failed", why);
      childLogger({ stage: queue, job_id: job.id ?? "", source_id: e.source_id, correlation_id: e.correlation_id })
        .error("could not write the source record; the URL ends failed in its batches only", { reason, detail: detail.slice(0, 500) });
    }
    recorded.add(job);
  };

  const timeoutMs = opts.jobTimeoutMs ?? jobTimeoutMs(queue);
  // Clean jobs are the largest: keep fewer of them once done (see the header).
  const nextJobOpts = nextQueue(queue) === QueueName.Clean
    ? {
        removeOnComplete: { count: envInt("TIDINGS_KEEP_COMPLETED_CLEAN", Math.min(100, config.keepCompleted), 0, 10_000_000) },
        removeOnFail: { count: envInt("TIDINGS_KEEP_FAILED_CLEAN", Math.min(1000, config.keepFailed), 0, 10_000_000) },
      }
    : {};

  const processor = async (job: Job, token?: string) => {
    const envelope = (job.data as { envelope?: { correlation_id?: string; source_id?: string; batch_id?: string } })?.envelope;
    const log = childLogger({
      stage: queue, job_id: job.id ?? "", correlation_id: envelope?.correlation_id ?? "", source_id: envelope?.source_id ?? "", batch_id: envelope?.batch_id ?? "",
    });
    // A suspect (it stalled before) runs alone in this process; others step aside meanwhile.
    const suspect = (job.stalledCounter ?? 0) > 0;
    if (quarantine.suspect && token) {
      await job.moveToDelayed(Date.now() + 500 + Math.round(Math.random() * 1000), token);
      throw new DelayedError();
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
      const payload = parsePayload(queue, job.data);
      const output = await withDeadline(timeoutMs, `${queue} job ${job.id ?? ""}`, async (signal) => {
        await injectFault(queue, [payload.envelope.url, payload.envelope.input_url], log); // no-op unless TIDINGS_FAULTS is set
        return handler(payload, { log, job, config, producer, signal });
      });
      if (queue === QueueName.Fetch && output) {
        const page = (output as PayloadOf[QueueName.Clean]).page;
        if (page && !payload.envelope.local_file) metrics.fetched(page.http_status, page.bytes);
      }
      // Where the output goes is follow-up.ts's call (it may skip a stage with nothing to do).
      const next = followUp(queue, output as PayloadOf[QueueName] | undefined, config);
      // The next job and the batch's stage marks go out together, in one socket write
      // (connections.ts): both are idempotent, so a retry after a partial failure repeats them safely.
      const batches = [payload.envelope.batch_id];
      const marks = queue === QueueName.Index ? [] : [queue, ...(next?.passed ?? [])];
      await Promise.all([
        next ? producer.add(next.queue, next.payload, nextJobOpts) : undefined,
        ...marks.map((stage) => producer.batches.markStage(batches, stage, payload.envelope.source_id)),
      ]);
      metrics.job(queue, "completed", Date.now() - started);
      log.info("job done", { ms: Date.now() - started, attempt: job.attemptsMade + 1 });
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      if (token && isServiceOutage(err)) {
        // Redis or Elasticsearch is down or not ready: not this job's fault. Wait without spending an attempt.
        const waitMs = Math.min(30_000, Math.max(1000, backoffDelay(1, config.backoffMs)));
        log.warn("service unavailable; job waits", { error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err), retry_in_ms: waitMs });
        metrics.job(queue, "retry", Date.now() - started, "service_unavailable");
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      const c = classifyError(err);
      if (c.wait && token) {
        // Not a failure, only "not yet": come back later without spending an attempt.
        log.debug("job waits", { reason: c.reason, retry_after_ms: c.retryAfterMs });
        await job.moveToDelayed(Date.now() + (c.retryAfterMs ?? 1000), token);
        throw new DelayedError();
      }
      const attempts = job.opts.attempts ?? 1;
      const last = c.permanent || job.attemptsMade + 1 >= attempts;
      log.warn(last ? "job failed for good" : "job failed, will retry", { reason: c.reason, detail: c.detail, attempt: job.attemptsMade + 1, attempts });
      metrics.job(queue, last ? "failed" : "retry", Date.now() - started, c.reason);
      const httpStatus = queue === QueueName.Fetch ? /^http_(\d{3})$/.exec(c.reason) : null;
      if (httpStatus) metrics.fetched(Number(httpStatus[1]), 0);
      if (last) {
        await recordFailure(job, c.reason, c.detail, Boolean(c.skipped));
        throw new UnrecoverableError(`${c.reason}: ${c.detail}`);
      }
      throw err instanceof Error ? err : new Error(c.detail);
    } finally {
      quarantine.running--;
      if (suspect) quarantine.suspect = false;
    }
  };

  const worker = new Worker(queue, processor, {
    connection: deps.connection,
    prefix: config.queuePrefix,
    concurrency: opts.concurrency ?? config.concurrency[queue],
    lockDuration: opts.lockDuration ?? envInt("TIDINGS_LOCK_DURATION_MS", 30_000, 1000, 3_600_000),
    maxStalledCount: opts.maxStalledCount ?? envInt("TIDINGS_MAX_STALLED_COUNT", 2, 0, 100),
    stalledInterval: opts.stalledInterval ?? envInt("TIDINGS_STALLED_INTERVAL_MS", 30_000, 1000, 3_600_000),
    // Per-minute completed/failed counts (queue.getMetrics), for the dashboard's throughput.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        backoffDelay(attemptsMade, config.backoffMs, (err as { retryAfterMs?: number } | undefined)?.retryAfterMs),
    },
  });
  gatherArrivals(worker, opts.gatherMs ?? config.gatherMs);

  // Jobs that fail outside the processor (stalled past maxStalledCount because their worker
  // died every time) are recorded here, so they too end as a failed source.
  worker.on("failed", (job, err) => {
    if (!job || recorded.has(job)) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
    if (!final) return;
    const reason = /stalled/i.test(err.message) ? "stalled" : classifyError(err).reason;
    if (reason === "stalled") metrics.job(queue, "failed", undefined, reason);
    recordFailure(job, reason, err.message.slice(0, 2000), false).catch((e) =>
      childLogger({ stage: queue, job_id: job.id ?? "" }).error("could not record failure", { error: String(e) }));
  });
  // Send the metrics summed since the last flush before the connection goes.
  worker.on("closed", () => metrics.flush());
  worker.on("error", (err) => childLogger({ stage: queue }).error("worker error", { error: err.message }));
  return worker;
}
