/**
 * Settings of the `http` translation provider (a LibreTranslate-compatible server), read from
 * the environment and validated once, when the provider is created: a misconfigured worker
 * stops at start-up with every bad variable named (a ConfigError), never mid-batch.
 *
 * | variable                               | default          | meaning                                        |
 * |----------------------------------------|------------------|------------------------------------------------|
 * | TIDINGS_TRANSLATE_URL                  | (required)       | base URL of the server, e.g. http://127.0.0.1:5000 |
 * | TIDINGS_TRANSLATE_API_KEY              | (none)           | sent as `api_key` when the server wants one    |
 * | TIDINGS_TRANSLATE_MODEL                | libretranslate   | model/version label recorded as provenance (and part of the cache key) |
 * | TIDINGS_TRANSLATE_TIMEOUT_MS           | 30000            | per HTTP request                               |
 * | TIDINGS_TRANSLATE_BATCH_CHARS          | 2000             | characters per request (keep it <= the server's char limit) |
 * | TIDINGS_TRANSLATE_BATCH_ITEMS          | 50               | texts per request                              |
 * | TIDINGS_TRANSLATE_RETRIES              | 3                | retries of one request on 5xx, 429, network errors, timeouts |
 * | TIDINGS_TRANSLATE_BACKOFF_MS           | 500              | first retry delay, doubled each time (with jitter) |
 * | TIDINGS_TRANSLATE_MAX_RETRY_AFTER_MS   | 30000            | longest Retry-After waited in-process; longer ones hand the job back to the queue |
 * | TIDINGS_TRANSLATE_CACHE_TTL_DAYS       | 30               | Redis cache of translations per text; 0 turns it off |
 * | TIDINGS_TRANSLATE_LANGUAGES_TTL_MS     | 3600000          | how long the server's /languages answer is kept in memory |
 */
import { ConfigError } from "@tidings/shared";

export interface HttpTranslateConfig {
  url: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  batchChars: number;
  batchItems: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  /** 0: no cache. */
  cacheTtlSeconds: number;
  languagesTtlMs: number;
}

export const TRANSLATE_ENV = {
  url: "TIDINGS_TRANSLATE_URL",
  apiKey: "TIDINGS_TRANSLATE_API_KEY",
  model: "TIDINGS_TRANSLATE_MODEL",
  timeoutMs: "TIDINGS_TRANSLATE_TIMEOUT_MS",
  batchChars: "TIDINGS_TRANSLATE_BATCH_CHARS",
  batchItems: "TIDINGS_TRANSLATE_BATCH_ITEMS",
  retries: "TIDINGS_TRANSLATE_RETRIES",
  backoffMs: "TIDINGS_TRANSLATE_BACKOFF_MS",
  maxRetryAfterMs: "TIDINGS_TRANSLATE_MAX_RETRY_AFTER_MS",
  cacheTtlDays: "TIDINGS_TRANSLATE_CACHE_TTL_DAYS",
  languagesTtlMs: "TIDINGS_TRANSLATE_LANGUAGES_TTL_MS",
} as const;

/** Read and validate the http provider's settings; throws a ConfigError naming every bad variable. */
export function loadHttpTranslateConfig(env: NodeJS.ProcessEnv = process.env): HttpTranslateConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const num = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      problems.push(`${name}: must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };

  let url = get(TRANSLATE_ENV.url);
  if (url === undefined) {
    problems.push(`${TRANSLATE_ENV.url}: required when TIDINGS_TRANSLATE_PROVIDER=http (the base URL of a LibreTranslate-compatible server, e.g. http://127.0.0.1:5000)`);
  } else {
    try {
      const u = new URL(url);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("protocol");
      if (u.search || u.hash) problems.push(`${TRANSLATE_ENV.url}: must be a base URL without query or fragment (got "${url}")`);
      url = u.toString().replace(/\/+$/, "");
    } catch {
      problems.push(`${TRANSLATE_ENV.url}: must be an http:// or https:// URL (got "${url}")`);
    }
  }
  const apiKey = get(TRANSLATE_ENV.apiKey);
  const model = get(TRANSLATE_ENV.model) ?? "libretranslate";
  const config: HttpTranslateConfig = {
    url: url ?? "",
    model,
    timeoutMs: num(TRANSLATE_ENV.timeoutMs, 30_000, 1, 600_000),
    batchChars: num(TRANSLATE_ENV.batchChars, 2_000, 50, 1_000_000),
    batchItems: num(TRANSLATE_ENV.batchItems, 50, 1, 10_000),
    retries: num(TRANSLATE_ENV.retries, 3, 0, 20),
    backoffMs: num(TRANSLATE_ENV.backoffMs, 500, 0, 600_000),
    maxRetryAfterMs: num(TRANSLATE_ENV.maxRetryAfterMs, 30_000, 0, 3_600_000),
    cacheTtlSeconds: Math.round(num(TRANSLATE_ENV.cacheTtlDays, 30, 0, 3650, false) * 86_400),
    languagesTtlMs: num(TRANSLATE_ENV.languagesTtlMs, 3_600_000, 0, 86_400_000 * 7),
  };
  if (apiKey !== undefined) config.apiKey = apiKey;
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
