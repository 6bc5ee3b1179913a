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
 */
import { DelayedError, MetricsTime, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "./config.ts";
import { backoffDelay, classifyError } from "./errors.ts";
import { parsePayload, pageInfo, type IndexFailurePayload, type PayloadOf } from "./jobs.ts";
import { childLogger, type Logger } from "./logger.ts";
import { MetricsRecorder, withMetrics } from "./metrics.ts";
import type { StageName } from "./model.ts";
import type { Producer } from "./producer.ts";
import { nextQueue, QueueName } from "./queues.ts";

export interface StageContext {
  log: Logger;
  job: Job;
  config: Config;
  producer: Producer;
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
    if (queue === QueueName.Index || !data?.envelope) return; // the index stage cannot record into itself
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

  const processor = async (job: Job, token?: string) => {
    const envelope = (job.data as { envelope?: { correlation_id?: string; source_id?: string; batch_id?: string } })?.envelope;
    const log = childLogger({
      stage: queue, job_id: job.id ?? "", correlation_id: envelope?.correlation_id ?? "", source_id: envelope?.source_id ?? "", batch_id: envelope?.batch_id ?? "",
    });
    const started = Date.now();
    try {
      const payload = parsePayload(queue, job.data);
      const output = await withMetrics(metrics, () => handler(payload, { log, job, config, producer }));
      if (queue === QueueName.Fetch && output) {
        const page = (output as PayloadOf[QueueName.Clean]).page;
        if (page && !payload.envelope.local_file) metrics.fetched(page.http_status, page.bytes);
      }
      const next = nextQueue(queue);
      if (next && output) await producer.add(next, output as PayloadOf[typeof next]);
      if (queue !== QueueName.Index) {
        const batches = [payload.envelope.batch_id];
        await producer.batches.markStage(batches, queue, payload.envelope.source_id);
      }
      metrics.job(queue, "completed", Date.now() - started);
      log.info("job done", { ms: Date.now() - started, attempt: job.attemptsMade + 1 });
    } catch (err) {
      if (err instanceof DelayedError) throw err;
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
    }
  };

  const worker = new Worker(queue, processor, {
    connection: deps.connection,
    prefix: config.queuePrefix,
    concurrency: opts.concurrency ?? config.concurrency[queue],
    lockDuration: opts.lockDuration ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
    // Per-minute completed/failed counts (queue.getMetrics), for the dashboard's throughput.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        backoffDelay(attemptsMade, config.backoffMs, (err as { retryAfterMs?: number } | undefined)?.retryAfterMs),
    },
  });

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
  worker.on("error", (err) => childLogger({ stage: queue }).error("worker error", { error: err.message }));
  return worker;
}
