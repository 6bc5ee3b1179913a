// Service URLs from the environment, and the loopback test that decides whether we may start
// a server for a URL that does not answer.
import { isIP } from "node:net";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_ELASTICSEARCH_URL = "http://127.0.0.1:9200";

export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
}

export function elasticsearchUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ELASTICSEARCH_URL?.trim() || DEFAULT_ELASTICSEARCH_URL;
}

/** URL.hostname keeps the brackets of an IPv6 literal; strip them. */
export function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** True for localhost (and *.localhost), 127.0.0.0/8, ::1 and ::ffff:127.x.y.z. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname).toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) {
    if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped !== null && mapped[1] !== undefined && mapped[1].startsWith("127.");
  }
  return false;
}

export interface RedisTarget {
  url: string;
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
}

export function parseRedisUrl(raw: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`REDIS_URL is not a valid URL: ${raw}`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${raw}`);
  }
  const port = u.port ? Number(u.port) : 6379;
  const dbPart = u.pathname.replace(/^\//, "");
  const db = dbPart ? Number(dbPart) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`REDIS_URL has an invalid database number: ${raw}`);
  const target: RedisTarget = {
    url: raw,
    host: bareHost(u.hostname) || "127.0.0.1",
    port,
    tls: u.protocol === "rediss:",
    db,
  };
  if (u.username) target.username = decodeURIComponent(u.username);
  if (u.password) target.password = decodeURIComponent(u.password);
  return target;
}

export interface HttpTarget {
  /** The URL without credentials, with a trailing slash. */
  base: string;
  host: string;
  port: number;
  https: boolean;
  /** Value for an Authorization header when the URL carries user:password. */
  authorization?: string;
}

export function parseElasticsearchUrl(raw: string): HttpTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`ELASTICSEARCH_URL is not a valid URL: ${raw}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new Error(`ELASTICSEARCH_URL must start with http:// or https://, got ${raw}`);
  }
  const https = u.protocol === "https:";
  const port = u.port ? Number(u.port) : https ? 443 : 80;
  const target: HttpTarget = { base: "", host: bareHost(u.hostname), port, https };
  if (u.username || u.password) {
    const creds = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    target.authorization = `Basic ${Buffer.from(creds).toString("base64")}`;
  }
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  target.base = u.toString().replace(/\/?$/, "/");
  return target;
}

/** The URL with any password replaced by ***, for printing. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return raw;
  }
}
