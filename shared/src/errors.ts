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
  /** Wait at least this long before the next attempt (e.g. Retry-After); does not burn an attempt. */
  retryAfterMs?: number;
}

export class StageError extends Error implements ClassifiedError {
  readonly reason: string;
  readonly permanent: boolean;
  readonly detail: string;
  readonly skipped?: boolean;
  readonly retryAfterMs?: number;

  constructor(reason: string, detail: string, opts: { permanent?: boolean; skipped?: boolean; retryAfterMs?: number } = {}) {
    super(`${reason}: ${detail}`);
    this.name = "StageError";
    this.reason = reason;
    this.detail = detail;
    this.permanent = opts.permanent ?? true;
    if (opts.skipped !== undefined) this.skipped = opts.skipped;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
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
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : "Error";
  if (name === "InvalidPayloadError") return { reason: "invalid_payload", permanent: true, detail: message.slice(0, 2000) };
  return { reason: "error", permanent: false, detail: `${name}: ${message}`.slice(0, 2000) };
}
