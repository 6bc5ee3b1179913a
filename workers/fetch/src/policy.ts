/** What a fetch may do: timeouts, limits, identity, SSRF allowlist, robots.txt. */
import { MemoryRobotsCache, type RobotsCache } from "./robots.ts";
import { parseCidr } from "./ip.ts";

/** One resolved address, as dns.lookup(host, { all: true }) returns them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name resolution used by the SSRF guard (default: dns.lookup with all addresses). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SsrfPolicy {
  /**
   * Hosts the fetcher may reach even when they resolve to loopback/private/link-local addresses.
   * "host" allows every port of that host, "host:port" (or "[::1]:port") only that port.
   * Matched against the URL's host as written after WHATWG normalisation (lower case, punycode,
   * IPv4 in dotted decimal). Default: [] (nothing non-public is reachable).
   */
  allowHosts: string[];
  /**
   * Address blocks the fetcher may connect to although they are not public, e.g. "10.1.0.0/16",
   * "127.0.0.1/32", "fd00::/8". Default: [].
   */
  allowCidrs: string[];
}

export interface FetchPolicy {
  /** TCP (+TLS) connect timeout, DNS resolution included. Default 10 000 ms. */
  connectTimeoutMs: number;
  /** From sending the request to receiving the complete response headers. Default 15 000 ms. */
  headersTimeoutMs: number;
  /** Whole body, from the headers to the last byte (a slow drip cannot stretch it). Default 30 000 ms. */
  bodyTimeoutMs: number;
  /**
   * Cap on the body, checked both on the bytes received (compressed) and on the decompressed
   * bytes, while streaming: a gzip/brotli bomb stops at the cap. Default 5 MiB (5 242 880).
   */
  maxBodyBytes: number;
  /** Redirects followed before `too_many_redirects`; a URL seen twice is `redirect_loop`. Default 5. */
  maxRedirects: number;
  /** User-Agent header, also the robots.txt product token (before the "/"). Default "TidingsBot/0.1 (+https://github.com/tidings)". */
  userAgent: string;
  /**
   * Media types kept (exact "type/subtype" or "type/*"). Others fail with `unsupported_type`,
   * `skipped: true`. Default ["text/html", "application/xhtml+xml", "text/plain"].
   */
  allowedContentTypes: string[];
  /** SSRF guard allowlists. Default { allowHosts: [], allowCidrs: [] }. */
  ssrf: SsrfPolicy;
  /** Fetch and obey robots.txt before each page (and each redirect target). Default true. */
  respectRobots: boolean;
  /** Where robots.txt results are cached per origin. Default: one process-wide MemoryRobotsCache. */
  robotsCache: RobotsCache;
  /** How long a robots.txt result is cached. Default 3 600 000 ms (1 h; RFC 9309 caps at 24 h). */
  robotsTtlMs: number;
  /** Cap on robots.txt size (RFC 9309 asks for at least 500 KiB). Default 512 KiB. */
  robotsMaxBytes: number;
  /** Name resolution for the SSRF guard. Default: dns.lookup (all addresses). Tests inject one. */
  resolver?: Resolver;
}

export const DEFAULT_USER_AGENT = "TidingsBot/0.1 (+https://github.com/tidings)";

/** The shared default robots cache (per process). */
export const defaultRobotsCache = new MemoryRobotsCache();

export const DEFAULT_POLICY: Readonly<FetchPolicy> = Object.freeze({
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: DEFAULT_USER_AGENT,
  allowedContentTypes: ["text/html", "application/xhtml+xml", "text/plain"],
  ssrf: { allowHosts: [], allowCidrs: [] },
  respectRobots: true,
  robotsCache: defaultRobotsCache,
  robotsTtlMs: 3_600_000,
  robotsMaxBytes: 512 * 1024,
});

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

function checkMs(name: string, v: number, min: number, max: number): void {
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < min || v > max) {
    throw new PolicyError(`${name} must be an integer between ${min} and ${max}, got ${String(v)}`);
  }
}

/** Fill defaults and validate. Throws PolicyError on a bad value. */
export function resolvePolicy(partial: Partial<FetchPolicy> = {}): FetchPolicy {
  const p: FetchPolicy = {
    ...DEFAULT_POLICY,
    ...partial,
    ssrf: {
      allowHosts: partial.ssrf?.allowHosts ?? [],
      allowCidrs: partial.ssrf?.allowCidrs ?? [],
    },
  };
  checkMs("connectTimeoutMs", p.connectTimeoutMs, 1, 600_000);
  checkMs("headersTimeoutMs", p.headersTimeoutMs, 1, 600_000);
  checkMs("bodyTimeoutMs", p.bodyTimeoutMs, 1, 3_600_000);
  checkMs("maxBodyBytes", p.maxBodyBytes, 1, 1024 * 1024 * 1024);
  checkMs("maxRedirects", p.maxRedirects, 0, 50);
  checkMs("robotsTtlMs", p.robotsTtlMs, 0, 7 * 24 * 3600 * 1000);
  checkMs("robotsMaxBytes", p.robotsMaxBytes, 1024, 64 * 1024 * 1024);
  if (typeof p.userAgent !== "string" || !p.userAgent.trim() || /[\r\n]/.test(p.userAgent)) {
    throw new PolicyError("userAgent must be a non-empty single-line string");
  }
  if (!Array.isArray(p.allowedContentTypes) || p.allowedContentTypes.length === 0) {
    throw new PolicyError("allowedContentTypes must be a non-empty list");
  }
  for (const t of p.allowedContentTypes) {
    if (!/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i.test(t)) throw new PolicyError(`bad media type in allowedContentTypes: ${JSON.stringify(t)}`);
  }
  for (const c of p.ssrf.allowCidrs) {
    try {
      parseCidr(c);
    } catch (e) {
      throw new PolicyError(`ssrf.allowCidrs: ${(e as Error).message}`);
    }
  }
  for (const h of p.ssrf.allowHosts) normaliseAllowHost(h);
  return p;
}

/**
 * Canonical form of an allowHosts entry: "Example.COM" -> "example.com", "127.0.0.1:8080",
 * "[::1]:8080" -> "[::1]:8080", "bücher.de" -> "xn--bcher-kva.de". Throws PolicyError.
 */
export function normaliseAllowHost(entry: string): string {
  const e = entry.trim();
  if (!e || /[/?#@\s]/.test(e)) throw new PolicyError(`ssrf.allowHosts: bad host ${JSON.stringify(entry)}`);
  let u: URL;
  try {
    u = new URL(`http://${e}/`);
  } catch {
    throw new PolicyError(`ssrf.allowHosts: bad host ${JSON.stringify(entry)}`);
  }
  // Keep an explicit :80 (URL would drop it as the http default).
  const port = /:(\d+)$/.exec(e)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new PolicyError(`ssrf.allowHosts: bad port in ${JSON.stringify(entry)}`);
  }
  return port !== undefined ? `${u.hostname}:${Number(port)}` : u.hostname;
}

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

function list(v: string): string[] {
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * A policy from TIDINGS_FETCH_* environment variables (unset ones keep their defaults):
 * CONNECT_TIMEOUT_MS, HEADERS_TIMEOUT_MS, BODY_TIMEOUT_MS, MAX_BODY_BYTES, MAX_REDIRECTS,
 * USER_AGENT, ALLOWED_CONTENT_TYPES (comma list), ALLOW_HOSTS (comma list of host or host:port),
 * ALLOW_CIDRS (comma list), RESPECT_ROBOTS (true/false/1/0/yes/no), ROBOTS_TTL_MS,
 * ROBOTS_MAX_BYTES. Throws PolicyError naming the variable on a bad value.
 */
export function policyFromEnv(env: Record<string, string | undefined> = process.env): FetchPolicy {
  const partial: Partial<FetchPolicy> = {};
  const get = (k: string): string | undefined => {
    const v = env[`TIDINGS_FETCH_${k}`];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const int = (k: string): number | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v.replace(/_/g, ""))) throw new PolicyError(`TIDINGS_FETCH_${k} must be a non-negative integer, got ${JSON.stringify(v)}`);
    return Number(v.replace(/_/g, ""));
  };
  const ints: Array<[string, keyof FetchPolicy]> = [
    ["CONNECT_TIMEOUT_MS", "connectTimeoutMs"],
    ["HEADERS_TIMEOUT_MS", "headersTimeoutMs"],
    ["BODY_TIMEOUT_MS", "bodyTimeoutMs"],
    ["MAX_BODY_BYTES", "maxBodyBytes"],
    ["MAX_REDIRECTS", "maxRedirects"],
    ["ROBOTS_TTL_MS", "robotsTtlMs"],
    ["ROBOTS_MAX_BYTES", "robotsMaxBytes"],
  ];
  for (const [k, field] of ints) {
    const v = int(k);
    if (v !== undefined) (partial as Record<string, unknown>)[field] = v;
  }
  const ua = get("USER_AGENT");
  if (ua !== undefined) partial.userAgent = ua;
  const types = get("ALLOWED_CONTENT_TYPES");
  if (types !== undefined) partial.allowedContentTypes = list(types).map((t) => t.toLowerCase());
  const robots = get("RESPECT_ROBOTS");
  if (robots !== undefined) {
    const r = robots.toLowerCase();
    if (TRUE.has(r)) partial.respectRobots = true;
    else if (FALSE.has(r)) partial.respectRobots = false;
    else throw new PolicyError(`TIDINGS_FETCH_RESPECT_ROBOTS must be true or false, got ${JSON.stringify(robots)}`);
  }
  const hosts = get("ALLOW_HOSTS");
  const cidrs = get("ALLOW_CIDRS");
  partial.ssrf = { allowHosts: hosts ? list(hosts) : [], allowCidrs: cidrs ? list(cidrs) : [] };
  try {
    return resolvePolicy(partial);
  } catch (e) {
    if (e instanceof PolicyError) {
      const msg = e.message
        .replace(/^ssrf\.allowHosts/, "TIDINGS_FETCH_ALLOW_HOSTS")
        .replace(/^ssrf\.allowCidrs/, "TIDINGS_FETCH_ALLOW_CIDRS")
        .replace(/^(\w+) must/, (_m, f: string) => `${envNameOf(f)} must`);
      throw new PolicyError(msg);
    }
    throw e;
  }
}

function envNameOf(field: string): string {
  return `TIDINGS_FETCH_${field.replace(/Ms$/, "_ms").replace(/([A-Z])/g, "_$1").toUpperCase()}`;
}
