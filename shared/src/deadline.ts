/**
 * Per-stage job deadlines. A handler that neither finishes nor fails (a request that never
 * answers, a promise nobody resolves) would hold its worker slot and its lock forever: the
 * stage adapter races every handler against a deadline and, when it passes, fails the attempt
 * with a transient StageError `job_timeout` (so the job is retried with backoff and, after its
 * attempts, recorded as failed with that reason).
 *
 *   TIDINGS_JOB_TIMEOUT_MS            deadline of every stage (default 120000 ms)
 *   TIDINGS_JOB_TIMEOUT_MS_<STAGE>    one stage's deadline, e.g. TIDINGS_JOB_TIMEOUT_MS_INDEX=300000
 *
 * 0 turns the deadline off. What this can and cannot do: an *asynchronous* hang is abandoned
 * (the handler's promise is left behind, the AbortSignal it was given fires so well-behaved code
 * can stop, and the slot is freed); a *synchronous* infinite loop blocks the event loop, so no
 * timer can fire: there the lock stops being renewed, another worker's stalled-job check takes
 * the job back, and a process that dies (or is killed by a supervisor) on it every time ends it
 * failed with reason `stalled` after maxStalledCount stalls.
 */
import { StageError } from "./errors.ts";

export const DEFAULT_JOB_TIMEOUT_MS = 120_000;
const MAX_JOB_TIMEOUT_MS = 24 * 3600 * 1000;

function parseMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim().replace(/_/g, "");
  if (!/^\d+$/.test(v) || Number(v) > MAX_JOB_TIMEOUT_MS) {
    throw new Error(`${name} must be a whole number of milliseconds between 0 and ${MAX_JOB_TIMEOUT_MS}, got ${JSON.stringify(value)}`);
  }
  return Number(v);
}

/** The deadline (ms) of a stage's jobs from the environment; 0 means none. Throws on a bad value. */
export function jobTimeoutMs(stage: string, env: NodeJS.ProcessEnv = process.env): number {
  const own = `TIDINGS_JOB_TIMEOUT_MS_${stage.toUpperCase()}`;
  return parseMs(own, env[own]) ?? parseMs("TIDINGS_JOB_TIMEOUT_MS", env.TIDINGS_JOB_TIMEOUT_MS) ?? DEFAULT_JOB_TIMEOUT_MS;
}

/**
 * Run `fn` with a deadline: resolves or rejects as fn does, or rejects with a transient
 * StageError `job_timeout` after `ms` (fn's signal is aborted then). `ms` <= 0: no deadline.
 */
export async function withDeadline<T>(ms: number, label: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (!(ms > 0)) return fn(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new StageError("job_timeout", `${label} did not finish within ${ms} ms; abandoned`, { permanent: false });
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    const work = fn(controller.signal);
    // A rejection of the abandoned work after the deadline must not become an unhandled rejection.
    work.catch(() => undefined);
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
