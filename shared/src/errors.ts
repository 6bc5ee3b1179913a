/**
 * How a stage says what went wrong. Any error with a `reason` and a `permanent` flag (the
 * fetch stage's FetchError, the index stage's errors, StageError itself) is classified by the
 * worker adapter: permanent errors fail the job at once (UnrecoverableError), transient ones
 * retry with backoff, `skipped` ones end the source as skipped rather than failed.
 */

export interface ClassifiedError {
  reason: string;
  permanent: boolean;
  detail?: string;
  skipped?: boolean;
  /** Wait at least this long before the next attempt (e.g. Retry-After). */
  retryAfterMs?: number;
  /**
   * Not a failure, only "not yet" (e.g. the host's politeness slot is taken): the job is delayed
   * by retryAfterMs without spending an attempt, however many attempts it has used.
   */
  wait?: boolean;
}

export class StageError extends Error implements ClassifiedError {
  readonly reason: string;
  readonly permanent: boolean;
  readonly detail: string;
  readonly skipped?: boolean;
  readonly retryAfterMs?: number;
  readonly wait?: boolean;

  constructor(reason: string, detail: string, opts: { permanent?: boolean; skipped?: boolean; retryAfterMs?: number; wait?: boolean } = {}) {
    super(`${reason}: ${detail}`);
    this.name = "StageError";
    this.reason = reason;
    this.detail = detail;
    this.permanent = opts.permanent ?? true;
    if (opts.skipped !== undefined) this.skipped = opts.skipped;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    if (opts.wait) this.wait = true;
  }
}

/** Read the classification off any error; unknown errors are transient with reason "error". */
export function classifyError(err: unknown): Required<Pick<ClassifiedError, "reason" | "permanent" | "detail">> & ClassifiedError {
  if (err && typeof err === "object" && "reason" in err && typeof (err as ClassifiedError).reason === "string") {
    const e = err as ClassifiedError & { message?: string };
    return {
      reason: e.reason,
      permanent: Boolean(e.permanent),
      detail: String(e.detail ?? e.message ?? e.reason).slice(0, 2000),
      ...(e.skipped ? { skipped: true } : {}),
      ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
      ...(e.wait ? { wait: true } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : "Error";
  if (name === "InvalidPayloadError") return { reason: "invalid_payload", permanent: true, detail: message.slice(0, 2000) };
  return { reason: "error", permanent: false, detail: `${name}: ${message}`.slice(0, 2000) };
}

/** Name of the backoff strategy every job uses (see `backoffDelay`). */
export const BACKOFF_TYPE = "tidings";

/**
 * Delay before retry number `attemptsMade`: exponential from `baseMs` with +-50% jitter (so a
 * burst of failures does not retry in lockstep), capped at one hour, and never shorter than
 * what the server asked for (Retry-After).
 */
export function backoffDelay(attemptsMade: number, baseMs: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 3_600_000);
  const jittered = Math.round(exp * (0.5 + random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}
