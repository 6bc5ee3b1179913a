/**
 * The `http` provider: a client for LibreTranslate-compatible servers.
 *
 *   POST {url}/translate  {q: string | string[], source, target, format: "text", api_key?}
 *        -> {translatedText: string | string[]}
 *   GET  {url}/languages  -> [{code, name, targets?: string[]}]
 *
 * Texts are cut into requests under a character budget (see batching.ts), in order; each text's
 * translation is cached in Redis when a cache is given. Each request has a timeout and is
 * retried with exponential backoff (and jitter) on 5xx, 429, network errors and timeouts, never
 * sooner than the server's Retry-After; a Retry-After longer than `maxRetryAfterMs` hands the job
 * back to the queue with that delay instead of holding a worker slot. Errors are StageErrors, so
 * the stage worker classifies them: `unsupported_pair`, `translate_auth` and other 4xx are
 * permanent; `timeout`, `network`, `http_5xx`, `http_429` are transient.
 */
import { StageError } from "@tidings/shared";
import { assemble, charCount, planBatches } from "./batching.ts";
import type { TranslationCache } from "./cache.ts";
import type { HttpTranslateConfig } from "./config.ts";
import type { TranslateRequest, TranslateResult, TranslateStats, TranslationProvider } from "./provider.ts";

export interface ServerLanguage {
  code: string;
  name?: string;
  /** Languages this one translates into; absent on old servers (then: every listed language). */
  targets?: string[];
}

export interface HttpProviderOptions {
  config: HttpTranslateConfig;
  /** No cache when absent (the in-process `process` command). */
  cache?: TranslationCache;
  /** Told before each retry (for logs). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; detail: string }) => void;
  random?: () => number;
}

export class HttpTranslationProvider implements TranslationProvider {
  readonly name = "http";
  readonly model: string;
  private languagesCache?: { at: number; value: Promise<ServerLanguage[]> };

  constructor(private readonly opts: HttpProviderOptions) {
    this.model = opts.config.model;
  }

  /** The server's languages, asked once and kept for languagesTtlMs (a failure is not kept). */
  languages(): Promise<ServerLanguage[]> {
    const ttl = this.opts.config.languagesTtlMs;
    const cached = this.languagesCache;
    if (cached && Date.now() - cached.at < ttl) return cached.value;
    const value = this.request("GET", "/languages").then(parseLanguages);
    const entry = { at: Date.now(), value };
    this.languagesCache = entry;
    value.catch(() => {
      if (this.languagesCache === entry) this.languagesCache = undefined;
    });
    return value;
  }

  async supports(source: string, target: string): Promise<boolean> {
    return (await this.pair(source, target)) !== undefined;
  }

  /** The server's codes for a pair, or undefined when it cannot translate it. */
  async pair(source: string, target: string): Promise<{ source: string; target: string } | undefined> {
    const languages = await this.languages();
    const codes = languages.map((l) => l.code);
    const s = resolveLanguage(source, codes);
    const t = resolveLanguage(target, codes);
    if (!s || !t || s === t) return undefined;
    const targets = languages.find((l) => l.code === s)?.targets;
    if (targets && !targets.includes(t)) return undefined;
    return { source: s, target: t };
  }

  async translate(request: TranslateRequest): Promise<TranslateResult> {
    const { source, target, texts } = request;
    const pair = await this.pair(source, target);
    if (!pair) {
      throw new StageError("unsupported_pair", `the translation server at ${this.opts.config.url} cannot translate ${source} -> ${target}`, { permanent: true });
    }
    const stats: TranslateStats = { texts: texts.length, cached: 0, requests: 0, chars: 0 };
    const out: (string | undefined)[] = texts.map((t) => (t.trim() === "" ? t : undefined));
    const wanted = [...new Set(texts.filter((t) => t.trim() !== ""))];

    const hits = wanted.length > 0 && this.opts.cache ? await this.opts.cache.getMany(source, target, wanted) : [];
    const done = new Map<string, string>();
    wanted.forEach((t, i) => {
      const hit = hits[i];
      if (hit !== undefined) done.set(t, hit);
    });
    stats.cached = texts.filter((t) => done.has(t)).length;

    const misses = wanted.filter((t) => !done.has(t));
    if (misses.length > 0) {
      const { batchChars, batchItems } = this.opts.config;
      const plan = planBatches(misses, { maxChars: batchChars, maxItems: batchItems, language: source });
      const translated: string[] = new Array<string>(plan.segments.length);
      for (const batch of plan.batches) {
        const q = batch.map((i) => plan.segments[i]!);
        const result = await this.translateBatch(q, pair.source, pair.target);
        stats.requests++;
        stats.chars += q.reduce((n, s) => n + charCount(s), 0);
        batch.forEach((segment, k) => { translated[segment] = result[k]!; });
      }
      const assembled = assemble(plan, translated);
      const entries = misses.map((text, i) => ({ text, translation: assembled[i]! }));
      for (const e of entries) done.set(e.text, e.translation);
      await this.opts.cache?.setMany(source, target, entries);
    }

    return {
      texts: texts.map((t, i) => out[i] ?? done.get(t) ?? t),
      provider: this.name, model: this.model, source, target, translated: true, stats,
    };
  }

  private async translateBatch(q: string[], source: string, target: string): Promise<string[]> {
    const body: Record<string, unknown> = { q: q.length === 1 ? q[0] : q, source, target, format: "text" };
    if (this.opts.config.apiKey) body.api_key = this.opts.config.apiKey;
    const res = await this.request("POST", "/translate", body);
    const got = (res as { translatedText?: unknown } | null)?.translatedText;
    const list = typeof got === "string" ? [got] : got;
    if (!Array.isArray(list) || list.length !== q.length || list.some((t) => typeof t !== "string")) {
      throw new StageError("translate_bad_response", `${this.opts.config.url}/translate answered ${q.length} text(s) with ${JSON.stringify(res).slice(0, 300)}`, { permanent: false });
    }
    return list as string[];
  }

  /** One HTTP exchange with timeout and retries; resolves to the parsed JSON body. */
  private async request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const { url, timeoutMs, retries, backoffMs, maxRetryAfterMs } = this.opts.config;
    const random = this.opts.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      let error: StageError;
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (res.ok) {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new StageError("translate_bad_response", `${method} ${path}: not JSON: ${text.slice(0, 200)}`, { permanent: false });
          }
        }
        error = httpError(res.status, method, path, text, res.headers.get("retry-after"));
        if (error.reason === "unsupported_pair") this.languagesCache = undefined; // the server changed: ask again next time
      } catch (err) {
        if (err instanceof StageError) throw err;
        const e = err as Error & { cause?: { code?: string; message?: string } };
        error = e.name === "TimeoutError" || e.name === "AbortError"
          ? new StageError("timeout", `${method} ${url}${path}: no answer within ${timeoutMs} ms`, { permanent: false })
          : new StageError("network", `${method} ${url}${path}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, { permanent: false });
      }
      if (error.permanent) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) throw error; // let the queue wait, not us
      if (attempt >= retries) throw error;
      const exp = backoffMs * 2 ** attempt;
      const delayMs = Math.max(Math.round(exp * (0.5 + random())), error.retryAfterMs ?? 0);
      this.opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: error.reason, detail: error.detail });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

function httpError(status: number, method: string, path: string, body: string, retryAfter: string | null): StageError {
  let message = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === "string") message = parsed.error;
  } catch { /* not JSON: keep the text */ }
  const detail = `${method} ${path}: HTTP ${status}${message ? `: ${message}` : ""}`;
  if (status === 429 || status >= 500) {
    const ms = parseRetryAfter(retryAfter);
    return new StageError(`http_${status}`, detail, { permanent: false, ...(ms !== undefined ? { retryAfterMs: ms } : {}) });
  }
  if (status === 400 && /not supported|unsupported|not available/i.test(message)) {
    return new StageError("unsupported_pair", detail, { permanent: true });
  }
  if (status === 401 || status === 403) {
    return new StageError("translate_auth", `${detail} (check TIDINGS_TRANSLATE_API_KEY)`, { permanent: true });
  }
  return new StageError(`http_${status}`, detail, { permanent: true });
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseLanguages(body: unknown): ServerLanguage[] {
  if (!Array.isArray(body)) throw new StageError("translate_bad_response", `GET /languages: expected a list, got ${JSON.stringify(body).slice(0, 200)}`, { permanent: false });
  const out: ServerLanguage[] = [];
  for (const l of body as unknown[]) {
    const o = l as { code?: unknown; name?: unknown; targets?: unknown };
    if (typeof o?.code !== "string") continue;
    const entry: ServerLanguage = { code: o.code };
    if (typeof o.name === "string") entry.name = o.name;
    if (Array.isArray(o.targets)) entry.targets = o.targets.filter((t): t is string => typeof t === "string");
    out.push(entry);
  }
  return out;
}

/**
 * The server's code for an ISO 639-1 language: the same code, else one with a region or script
 * ("zh" -> "zh-Hans", the simplified model, when the server has no plain "zh").
 */
export function resolveLanguage(code: string, available: readonly string[]): string | undefined {
  const c = code.toLowerCase();
  const exact = available.find((a) => a.toLowerCase() === c);
  if (exact) return exact;
  const base = c.split(/[-_]/)[0] ?? c;
  for (const preferred of base === "zh" ? ["zh", "zh-hans", "zh-cn"] : [base]) {
    const hit = available.find((a) => a.toLowerCase() === preferred);
    if (hit) return hit;
  }
  return available.find((a) => a.toLowerCase().split(/[-_]/)[0] === base);
}
