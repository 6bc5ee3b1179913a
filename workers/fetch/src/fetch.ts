/**
 * fetchPage: one URL -> FetchedPage, or a FetchError saying why not (permanent or transient).
 * Safe: SSRF guard on every hop, pinned connections, timeouts on every phase, size caps on
 * compressed and decompressed bytes, manual redirects with loop detection, robots.txt.
 */
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants as zc, createBrotliDecompress, createUnzip } from "node:zlib";
import { request, type Dispatcher } from "undici";
import { BadUrlError, parseHttpUrl } from "@tidings/shared/url";
import type { FetchedPage } from "@tidings/shared/article";
import { FetchError, isPermanentStatus } from "./errors.ts";
import { resolvePolicy, type FetchPolicy } from "./policy.ts";
import { agentFor, type SsrfGuard } from "./ssrf.ts";
import { decodeBody, textHead, type DecodedBody } from "./charset.ts";
import { detectBotWall, BOT_WALL_MAX_BYTES } from "./botwall.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { isAllowedByRobots, type RobotsCache, type RobotsEntry } from "./robots.ts";

export interface FetchOptions {
  /** Abort the fetch (e.g. worker shutdown): fails with a transient `connection_error`. */
  signal?: AbortSignal;
}

interface Ctx {
  policy: FetchPolicy;
  guard: SsrfGuard;
  agent: Dispatcher;
  signal: AbortSignal | undefined;
}

type Headers = Record<string, string | string[] | undefined>;

interface OpenResponse {
  url: URL;
  status: number;
  headers: Headers;
  body: Readable;
  /** Set when our own timer aborted the exchange. */
  timeoutError(): FetchError | undefined;
  /** Stop timers and listeners (always call, in finally). */
  done(): void;
}

const ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1";
const ACCEPT_ENCODING = "gzip, deflate, br";
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errCode(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : "";
}

/** Find a FetchError anywhere in an error's cause chain. */
function findFetchError(e: unknown): FetchError | undefined {
  for (let cur: unknown = e, i = 0; cur && i < 8; cur = (cur as { cause?: unknown }).cause, i++) {
    if (cur instanceof FetchError) return cur;
  }
  return undefined;
}

/** Map an undici / socket / zlib error to a FetchError. */
export function classifyNetworkError(e: unknown, url: string): FetchError {
  const fe = findFetchError(e);
  if (fe) return fe;
  const code = errCode(e);
  const msg = (e as Error)?.message ?? String(e);
  const mk = (reason: ConstructorParameters<typeof FetchError>[0], permanent: boolean, detail: string): FetchError =>
    new FetchError(reason, { permanent, detail, url, cause: e });
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return mk("connect_timeout", false, `connect to ${new URL(url).host} timed out`);
    case "UND_ERR_HEADERS_TIMEOUT":
      return mk("header_timeout", false, "response headers timed out");
    case "UND_ERR_BODY_TIMEOUT":
      return mk("body_timeout", false, "response body stalled");
    case "UND_ERR_HEADERS_OVERFLOW":
      return mk("too_large", true, "response headers too large");
    case "ENOTFOUND":
    case "ENODATA":
      return mk("dns_error", true, `cannot resolve ${new URL(url).hostname}`);
    case "EAI_AGAIN":
      return mk("dns_error", false, `DNS lookup of ${new URL(url).hostname} failed temporarily`);
    case "Z_DATA_ERROR":
    case "Z_BUF_ERROR":
    case "ERR__ERROR_FORMAT_PADDING_1":
    case "ERR_PADDING_1":
      return mk("connection_error", false, `corrupt compressed body: ${msg}`);
  }
  if (code.startsWith("ERR_BROTLI") || code.startsWith("Z_") || /brotli|incorrect header check|invalid (block|distance|code)/i.test(msg)) {
    return mk("connection_error", false, `corrupt compressed body: ${msg}`);
  }
  if (/CERT|_TLS_|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return mk("connection_error", true, `TLS: ${code} ${msg}`);
  }
  return mk("connection_error", false, `${code || "error"}: ${msg}`);
}

/** Send one GET; resolves when the response headers have arrived. */
async function openOnce(url: URL, ctx: Ctx): Promise<OpenResponse> {
  const { policy } = ctx;
  const controller = new AbortController();
  let timeoutError: FetchError | undefined;
  const fail = (e: FetchError): void => {
    if (!timeoutError) timeoutError = e;
    controller.abort(e);
  };
  const onOuterAbort = (): void =>
    fail(new FetchError("connection_error", { permanent: false, detail: "fetch aborted by the caller", url: url.href }));
  if (ctx.signal?.aborted) onOuterAbort();
  ctx.signal?.addEventListener("abort", onOuterAbort, { once: true });
  // Backstop for headers trickled slowly: undici's headersTimeout covers silence, this covers the total.
  let timer: NodeJS.Timeout = setTimeout(
    () =>
      fail(
        new FetchError("header_timeout", {
          permanent: false,
          detail: `no complete response headers within ${policy.headersTimeoutMs} ms`,
          url: url.href,
        }),
      ),
    policy.connectTimeoutMs + policy.headersTimeoutMs,
  );
  const done = (): void => {
    clearTimeout(timer);
    ctx.signal?.removeEventListener("abort", onOuterAbort);
  };
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: "GET",
      dispatcher: ctx.agent,
      signal: controller.signal,
      headersTimeout: policy.headersTimeoutMs,
      bodyTimeout: policy.bodyTimeoutMs,
      headers: {
        "user-agent": policy.userAgent,
        accept: ACCEPT,
        "accept-encoding": ACCEPT_ENCODING,
      },
    });
  } catch (e) {
    done();
    throw timeoutError ?? classifyNetworkError(e, url.href);
  }
  clearTimeout(timer);
  const body = res.body as unknown as Readable;
  timer = setTimeout(() => {
    const e = new FetchError("body_timeout", {
      permanent: false,
      detail: `body not complete within ${policy.bodyTimeoutMs} ms`,
      url: url.href,
    });
    fail(e);
    body.destroy(e);
  }, policy.bodyTimeoutMs);
  return {
    url,
    status: res.statusCode,
    headers: res.headers as Headers,
    body,
    timeoutError: () => timeoutError,
    done,
  };
}

/** Throw away a response body without reading much of it. */
function discard(res: OpenResponse): void {
  res.done();
  // Small bodies are drained so the connection can be reused; others close the socket.
  const len = Number(header(res.headers, "content-length") ?? NaN);
  if (Number.isFinite(len) && len <= 16 * 1024) {
    (res.body as unknown as { dump?: (o: { limit: number }) => Promise<void> }).dump?.({ limit: 16 * 1024 })?.catch(() => undefined);
  } else {
    res.body.on("error", () => undefined);
    res.body.destroy();
  }
}

/** GET `start`, following redirects (each hop SSRF-checked and, with `robots`, robots-checked). */
async function openFollowingRedirects(
  start: URL,
  ctx: Ctx,
  robots: boolean,
): Promise<{ res: OpenResponse; redirects: string[] }> {
  const redirects: string[] = [];
  const seen = new Set<string>([start.href]);
  let current = start;
  for (;;) {
    ctx.guard.checkUrl(current);
    if (robots) await checkRobots(current, ctx);
    const res = await openOnce(current, ctx);
    const location = header(res.headers, "location");
    if (!REDIRECT_STATUSES.has(res.status) || !location) return { res, redirects };
    discard(res);
    let next: URL;
    try {
      next = parseHttpUrl(new URL(location, current).href);
    } catch (e) {
      throw new FetchError("bad_url", {
        permanent: true,
        detail: `redirect to an unusable URL ${JSON.stringify(location.slice(0, 200))}: ${e instanceof BadUrlError ? e.reason : "not a valid URL"}`,
        url: current.href,
        httpStatus: res.status,
      });
    }
    next.hash = "";
    if (seen.has(next.href)) {
      throw new FetchError("redirect_loop", {
        permanent: true,
        detail: `redirect loop: ${[start.href, ...redirects, next.href].join(" -> ")}`,
        url: current.href,
        httpStatus: res.status,
      });
    }
    if (redirects.length >= ctx.policy.maxRedirects) {
      throw new FetchError("too_many_redirects", {
        permanent: true,
        detail: `more than ${ctx.policy.maxRedirects} redirects (last ${next.href})`,
        url: current.href,
        httpStatus: res.status,
      });
    }
    seen.add(next.href);
    redirects.push(next.href);
    current = next;
  }
}

interface BodyBytes {
  bytes: Buffer;
  /** Bytes received on the wire (before decompression). */
  raw: number;
  truncated: boolean;
}

class StopReading extends Error {}

/**
 * Read a body, undoing Content-Encoding, with `limit` on both received and decompressed bytes.
 * `truncate`: stop quietly at the limit (robots.txt, bot-wall sniffing) instead of `too_large`.
 */
async function readBody(res: OpenResponse, limit: number, truncate: boolean): Promise<BodyBytes> {
  const url = res.url.href;
  const tooLarge = (what: string): FetchError =>
    new FetchError("too_large", { permanent: true, detail: `${what} exceeds ${limit} bytes`, url });
  const encodings = (header(res.headers, "content-encoding") ?? "")
    .toLowerCase()
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s && s !== "identity");
  const decoders: Transform[] = [];
  for (const enc of encodings.reverse()) {
    if (enc === "gzip" || enc === "x-gzip" || enc === "deflate") {
      decoders.push(createUnzip({ finishFlush: zc.Z_SYNC_FLUSH }));
    } else if (enc === "br") {
      decoders.push(createBrotliDecompress({ finishFlush: zc.BROTLI_OPERATION_FLUSH }));
    } else {
      discard(res);
      throw new FetchError("unsupported_type", { permanent: true, detail: `unsupported Content-Encoding ${enc}`, url });
    }
  }
  const declared = Number(header(res.headers, "content-length") ?? NaN);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    discard(res);
    throw tooLarge(`Content-Length ${declared}`);
  }
  let raw = 0;
  let out = 0;
  let truncated = false;
  const chunks: Buffer[] = [];
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      raw += chunk.length;
      if (raw > limit) {
        if (truncate) {
          truncated = true;
          cb(new StopReading());
        } else cb(tooLarge(decoders.length ? "compressed body" : "body"));
        return;
      }
      cb(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const room = limit - out;
      if (chunk.length > room) {
        if (truncate) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          out = limit;
          truncated = true;
          cb(new StopReading());
        } else cb(tooLarge(decoders.length ? `decompressed body (${encodings.join(", ")})` : "body"));
        return;
      }
      out += chunk.length;
      chunks.push(chunk);
      cb();
    },
  });
  try {
    if (decoders.length === 0) {
      // Fast path (no Content-Encoding): count and collect directly.
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        raw += chunk.length;
        if (raw > limit) {
          if (!truncate) throw tooLarge("body");
          const room = limit - out;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          out = limit;
          truncated = true;
          res.body.destroy();
          break;
        }
        out += chunk.length;
        chunks.push(chunk);
      }
    } else {
      await pipeline([res.body, counter, ...decoders, sink] as unknown as [Readable, Writable]);
    }
  } catch (e) {
    if (e instanceof FetchError && e.reason === "too_large") {
      res.body.on("error", () => undefined);
      res.body.destroy();
      throw e;
    }
    if (!(e instanceof StopReading) && !(truncate && truncated)) {
      throw res.timeoutError() ?? classifyNetworkError(e, url);
    }
  } finally {
    res.done();
  }
  return { bytes: Buffer.concat(chunks), raw, truncated };
}

/** Media type without parameters, lower case ("" when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function typeAllowed(mime: string, allowed: string[]): boolean {
  return allowed.some((a) => {
    const t = a.toLowerCase();
    return t.endsWith("/*") ? mime.startsWith(t.slice(0, -1)) : mime === t;
  });
}

/** Binary if NUL bytes appear early (and it is not UTF-16 with a BOM) or a known magic number starts it. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  const magic = [
    [0x89, 0x50, 0x4e, 0x47], // PNG
    [0xff, 0xd8, 0xff], // JPEG
    [0x47, 0x49, 0x46, 0x38], // GIF
    [0x25, 0x50, 0x44, 0x46], // %PDF
    [0x50, 0x4b, 0x03, 0x04], // ZIP / docx
    [0x1f, 0x8b], // gzip
  ];
  if (magic.some((m) => m.every((b, i) => head[i] === b))) return true;
  return head.includes(0);
}

/** How much of a body's start sniffKind looks at (UTF-16 units). */
const SNIFF_KIND_CHARS = 2048;

function sniffKind(text: string): "text/html" | "text/plain" {
  return /<(!doctype\s+html|html|head|body|title|meta|p|div|article)\b/i.test(text.slice(0, SNIFF_KIND_CHARS)) ? "text/html" : "text/plain";
}

/** Whether a body is empty or only whitespace, telling it from its kept UTF-8 bytes where it can. */
function isBlank(decoded: DecodedBody): boolean {
  const bytes = decoded.utf8;
  if (bytes) {
    // The ASCII whitespace trim() removes; any other ASCII byte is text (control characters too).
    let i = 0;
    while (i < bytes.length && (bytes[i] === 0x20 || ((bytes[i] as number) >= 0x09 && (bytes[i] as number) <= 0x0d))) i++;
    if (i === bytes.length) return true;
    if ((bytes[i] as number) < 0x80) return false;
    // A non-ASCII character first: Unicode whitespace or not, the text says.
  }
  return decoded.text.trim() === "";
}

/** Fetched pages whose body fetchPage kept as UTF-8 bytes (keepBody). */
const keptBodies = new WeakMap<FetchedPage, Uint8Array>();

/**
 * Put the decoded body on the page. Kept UTF-8 bytes stay bytes: `page.body` decodes them the
 * first time it is read (and bodyUtf8 hands them on), so a page stored as bytes, as the fetch
 * worker does, is never decoded in this stage.
 */
function keepBody(page: FetchedPage, decoded: DecodedBody): void {
  if (!decoded.utf8) {
    page.body = decoded.text;
    return;
  }
  keptBodies.set(page, decoded.utf8);
  Object.defineProperty(page, "body", { get: () => decoded.text, enumerable: true, configurable: true });
}

/** The exact UTF-8 bytes of a fetched page's body, when fetchPage kept them (see keepBody). */
export function bodyUtf8(page: FetchedPage): Uint8Array | undefined {
  return keptBodies.get(page);
}

/** The page's fields but its body, without reading the body (which may decode it: keepBody). */
export function withoutBody(page: FetchedPage): Omit<FetchedPage, "body"> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(page)) if (key !== "body") rest[key] = (page as unknown as Record<string, unknown>)[key];
  return rest as Omit<FetchedPage, "body">;
}

const robotsInflight = new WeakMap<RobotsCache, Map<string, Promise<RobotsEntry>>>();

/**
 * The robots.txt entry of a URL's origin: from the cache, else fetched once (concurrent callers
 * share one request) and cached.
 */
async function robotsEntry(url: URL, ctx: Ctx): Promise<RobotsEntry> {
  const { policy } = ctx;
  const cache = policy.robotsCache;
  const origin = url.origin;
  const cached = await cache.get(origin);
  if (cached) return cached;
  let inflight = robotsInflight.get(cache);
  if (!inflight) robotsInflight.set(cache, (inflight = new Map()));
  let p = inflight.get(origin);
  if (!p) {
    p = fetchRobots(url, ctx).then(async (e) => {
      await cache.set(origin, e, policy.robotsTtlMs);
      return e;
    });
    const map = inflight;
    p.finally(() => map.delete(origin)).catch(() => undefined);
    inflight.set(origin, p);
  }
  return p;
}

async function checkRobots(url: URL, ctx: Ctx): Promise<void> {
  const { policy } = ctx;
  const origin = url.origin;
  const entry = await robotsEntry(url, ctx);
  if (entry.kind === "rules" && !isAllowedByRobots(url.href, entry.body, policy.userAgent)) {
    throw new FetchError("robots_disallowed", {
      permanent: true,
      detail: `${origin}/robots.txt disallows ${url.pathname}${url.search} for ${policy.userAgent}`,
      url: url.href,
    });
  }
}

/** Outcomes of a robots.txt fetch that mean "no usable robots.txt: allow" (RFC 9309 2.3.1.3). */
const ROBOTS_ALLOW_REASONS = new Set(["too_many_redirects", "redirect_loop", "blocked_address", "bad_url", "unsupported_type", "too_large"]);

async function fetchRobots(pageUrl: URL, ctx: Ctx): Promise<RobotsEntry> {
  const robotsUrl = new URL("/robots.txt", pageUrl.origin);
  const now = Date.now();
  try {
    const { res } = await openFollowingRedirects(robotsUrl, ctx, false);
    if (res.status >= 200 && res.status < 300) {
      const { bytes } = await readBody(res, ctx.policy.robotsMaxBytes, true);
      return { kind: "rules", body: decodeBody(bytes, header(res.headers, "content-type")).text, fetchedAt: now };
    }
    discard(res);
    if (res.status === 429 || res.status >= 500) {
      // RFC 9309: unreachable robots.txt means "assume complete disallow" -> retry later.
      throw new FetchError("robots_unavailable", {
        permanent: false,
        detail: `${robotsUrl.href} answered ${res.status}`,
        httpStatus: res.status,
        url: robotsUrl.href,
        ...retryAfter(res.headers),
      });
    }
    return { kind: "allow_all", fetchedAt: now, note: `robots.txt status ${res.status}` };
  } catch (e) {
    const fe = e instanceof FetchError ? e : classifyNetworkError(e, robotsUrl.href);
    if (ROBOTS_ALLOW_REASONS.has(fe.reason)) return { kind: "allow_all", fetchedAt: now, note: `robots.txt ${fe.reason}` };
    if (fe.reason === "robots_unavailable") throw fe;
    throw new FetchError(fe.reason, {
      permanent: fe.permanent,
      detail: `robots.txt: ${fe.detail}`,
      url: robotsUrl.href,
      cause: fe,
      ...(fe.retryAfterMs !== undefined ? { retryAfterMs: fe.retryAfterMs } : {}),
    });
  }
}

function retryAfter(headers: Headers): { retryAfterMs?: number } {
  const ms = parseRetryAfter(header(headers, "retry-after"));
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/**
 * Fetch one page. Resolves to a FetchedPage with the decoded body, or rejects with a FetchError
 * (see errors.ts for reasons and the permanent/transient split). `policy` fields override
 * DEFAULT_POLICY; an invalid policy throws PolicyError.
 */
export async function fetchPage(url: string, policy: Partial<FetchPolicy> = {}, options: FetchOptions = {}): Promise<FetchedPage> {
  const started = performance.now();
  const p = resolvePolicy(policy);
  let start: URL;
  try {
    start = parseHttpUrl(url);
  } catch (e) {
    if (e instanceof BadUrlError) throw new FetchError("bad_url", { permanent: true, detail: e.reason, url: String(url).slice(0, 2000) });
    throw e;
  }
  start.hash = "";
  const { guard, agent } = agentFor(p);
  const ctx: Ctx = { policy: p, guard, agent, signal: options.signal };

  const { res, redirects } = await openFollowingRedirects(start, ctx, p.respectRobots);
  const status = res.status;
  const finalUrl = res.url.href;
  const contentTypeHeader = header(res.headers, "content-type");
  let mime = mediaType(contentTypeHeader);

  if (status < 200 || status >= 300) {
    let sample = "";
    let sampleBytes = 0;
    if (status === 403 || status === 503 || status === 429 || status === 401) {
      try {
        const b = await readBody(res, BOT_WALL_MAX_BYTES, true);
        sample = decodeBody(b.bytes, contentTypeHeader).text;
        sampleBytes = b.truncated ? BOT_WALL_MAX_BYTES + 1 : b.bytes.length;
      } catch {
        // The status decides.
      }
    } else {
      discard(res);
    }
    const wall = detectBotWall(status, res.headers, sample, sampleBytes);
    if (wall) {
      throw new FetchError("bot_wall", { permanent: true, detail: `${wall} (HTTP ${status})`, httpStatus: status, url: finalUrl });
    }
    const permanent = isPermanentStatus(status);
    throw new FetchError(`http_${status}`, {
      permanent,
      detail: `HTTP ${status}${status >= 300 && status < 400 ? " without a usable Location" : ""} from ${finalUrl}`,
      httpStatus: status,
      url: finalUrl,
      ...(permanent ? {} : retryAfter(res.headers)),
    });
  }

  if (status === 204 || status === 205) {
    discard(res);
    throw new FetchError("empty_body", { permanent: true, detail: `HTTP ${status} has no body`, httpStatus: status, url: finalUrl });
  }
  if (mime && !typeAllowed(mime, p.allowedContentTypes)) {
    discard(res);
    throw new FetchError("unsupported_type", {
      permanent: true,
      skipped: true,
      detail: `content type ${mime} is not one of ${p.allowedContentTypes.join(", ")}`,
      httpStatus: status,
      url: finalUrl,
    });
  }

  const { bytes, raw } = await readBody(res, p.maxBodyBytes, false);
  if (bytes.length > 0 && looksBinary(bytes)) {
    throw new FetchError("unsupported_type", {
      permanent: true,
      skipped: true,
      detail: `binary body${mime ? ` served as ${mime}` : " without Content-Type"}`,
      httpStatus: status,
      url: finalUrl,
    });
  }
  const decoded = decodeBody(bytes, contentTypeHeader);
  if (isBlank(decoded)) {
    throw new FetchError("empty_body", {
      permanent: false,
      detail: `HTTP ${status} with ${bytes.length === 0 ? "an empty" : "a blank"} body`,
      httpStatus: status,
      url: finalUrl,
    });
  }
  if (!mime) mime = sniffKind(textHead(decoded, SNIFF_KIND_CHARS));
  // The text is read only for a response that may be a wall (small, and a wall's status or a tiny 200).
  const wall = detectBotWall(status, res.headers, () => decoded.text, bytes.length);
  if (wall) throw new FetchError("bot_wall", { permanent: true, detail: `${wall} (HTTP ${status})`, httpStatus: status, url: finalUrl });

  const page: FetchedPage = {
    requested_url: url,
    final_url: finalUrl,
    http_status: status,
    content_type: mime,
    kind: mime === "text/html" || mime === "application/xhtml+xml" ? "html" : "text",
    charset: decoded.charset,
    charset_source: decoded.charset_source,
    ...(decoded.repaired ? { charset_repaired: decoded.repaired } : {}),
    fetched_at: new Date().toISOString(),
    bytes: raw,
    timing_ms: Math.round(performance.now() - started),
    redirects,
    body: "",
  };
  keepBody(page, decoded);
  const lastModified = header(res.headers, "last-modified");
  const etag = header(res.headers, "etag");
  if (lastModified) page.last_modified = lastModified;
  if (etag) page.etag = etag;
  return page;
}

/**
 * Make sure the robots.txt of a URL's origin is in the policy's cache (fetched with this
 * stage's own SSRF guard and limits). The fetch worker calls it before taking a host slot, so a
 * Crawl-delay applies from a host's very first page, not from the first one after robots.txt
 * happened to arrive.
 */
export async function prefetchRobots(url: string, policy: Partial<FetchPolicy> = {}): Promise<void> {
  const p = resolvePolicy(policy);
  if (!p.respectRobots) return;
  let start: URL;
  try {
    start = parseHttpUrl(url);
  } catch {
    return; // fetchPage reports the bad URL
  }
  const { guard, agent } = agentFor(p);
  await robotsEntry(start, { policy: p, guard, agent, signal: undefined });
}
