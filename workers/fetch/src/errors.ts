/** Why a fetch did not produce a page. */

/** Short machine codes recorded on the source (`http_<status>` for other HTTP statuses). */
export type FetchReason =
  | "bad_url"
  | "blocked_address"
  | "dns_error"
  | "connect_timeout"
  | "header_timeout"
  | "body_timeout"
  | "too_large"
  | "too_many_redirects"
  | "redirect_loop"
  | "unsupported_type"
  | "bot_wall"
  | "robots_disallowed"
  | "robots_unavailable"
  | "empty_body"
  | "connection_error"
  | `http_${number}`;

export interface FetchErrorInit {
  permanent: boolean;
  detail: string;
  retryAfterMs?: number;
  skipped?: boolean;
  httpStatus?: number;
  url?: string;
  cause?: unknown;
}

/**
 * A failed fetch. `permanent` tells the worker whether to give up (UnrecoverableError) or retry
 * with backoff; `skipped` marks pages we chose not to process (unsupported content type), which
 * are recorded as status "skipped" rather than "failed".
 */
export class FetchError extends Error {
  readonly reason: FetchReason;
  readonly permanent: boolean;
  readonly detail: string;
  readonly retryAfterMs?: number;
  readonly skipped?: boolean;
  readonly httpStatus?: number;
  /** The URL being fetched when it failed (a redirect target, or robots.txt). */
  readonly url?: string;

  constructor(reason: FetchReason, init: FetchErrorInit) {
    super(`${reason}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "FetchError";
    this.reason = reason;
    this.permanent = init.permanent;
    this.detail = init.detail;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.skipped !== undefined) this.skipped = init.skipped;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.url !== undefined) this.url = init.url;
  }

  /** A plain object for logs and failure records. */
  toJSON(): Record<string, unknown> {
    return {
      reason: this.reason,
      permanent: this.permanent,
      detail: this.detail,
      retryAfterMs: this.retryAfterMs,
      skipped: this.skipped,
      httpStatus: this.httpStatus,
      url: this.url,
    };
  }
}

export function isFetchError(e: unknown): e is FetchError {
  return e instanceof FetchError;
}

/**
 * Permanent or transient for an HTTP status that is not a success:
 * 4xx are permanent except 408 (request timeout), 425 (too early) and 429 (too many requests);
 * 5xx are transient; anything else (1xx, 3xx without a usable Location) is permanent.
 */
export function isPermanentStatus(status: number): boolean {
  if (status >= 500 && status <= 599) return false;
  if (status === 408 || status === 425 || status === 429) return false;
  return true;
}
