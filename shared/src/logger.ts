/**
 * Structured JSON logs (winston). Child loggers carry the stage, the job id and the
 * correlation id that follows one URL through every stage, so `grep <correlation id>` shows
 * a URL's whole journey.
 *
 * Secrets never reach a log line: every line passes `redact` (after errors are turned into
 * message + stack), which
 *  - replaces the value of any field whose name looks secret (password, secret, token, api key,
 *    authorization, cookie, credential), at any depth;
 *  - scrubs every string (the message, the stack, nested values): credentials in URLs
 *    (`scheme://user:pass@` -> `scheme://user:***@`, `scheme://tok@` -> `scheme://***@`),
 *    `Bearer`/`Basic`/`Token`/`ApiKey` authorization values, secret-looking query parameters
 *    (`?token=`, `api_key=`, `password=`...), and the literal values of the secrets this
 *    process was given in its environment (ELASTICSEARCH_PASSWORD, *_API_KEY, *_TOKEN, ...).
 */
import { Writable } from "node:stream";
import winston from "winston";

export type Logger = winston.Logger;

let root: winston.Logger | undefined;

/** Field names whose values are secrets. */
const SECRET_KEYS = /pass(word|wd|phrase)?\b|passwd|secret|token|api[_-]?key|apikey|authorization|cookie|credential/i;
/** Environment variables whose values are secrets (their values are scrubbed from every line). */
const SECRET_ENV = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|CREDENTIAL/i;

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]*):([^\s/@?#]*)@/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]+)@/gi;
const AUTH_SCHEMES = /\b(Bearer|Basic|Token|ApiKey|Digest)(\s+)[A-Za-z0-9._~+/=:-]{4,}/g;
const SECRET_PARAMS = /([?&;]|\b)((?:access_|refresh_|id_)?token|api[_-]?key|apikey|key|password|passwd|secret|auth|sig|signature|session)=([^&\s#"'<>]+)/gi;

/** The environment's secret values (longest first). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (!v || v.length < 6) continue;
    if (SECRET_ENV.test(k)) values.add(v);
    // a password inside a service URL (REDIS_URL=redis://:pw@host, ELASTICSEARCH_URL=https://u:pw@host)
    else if (/_URL$/.test(k) && v.includes("@")) {
      try {
        const pw = decodeURIComponent(new URL(v).password);
        if (pw.length >= 6) values.add(pw);
      } catch {
        // not a URL
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A string with every secret-looking part replaced. */
export function redactText(text: string, secrets: readonly string[] = secretValues()): string {
  let out = text
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`)
    .replace(URL_USERINFO, (m, scheme: string, user: string) => (user.endsWith(":***") ? m : `${scheme}***@`))
    .replace(AUTH_SCHEMES, (_m, scheme: string, space: string) => `${scheme}${space}[redacted]`)
    .replace(SECRET_PARAMS, (_m, sep: string, name: string) => `${sep}${name}=[redacted]`);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** A copy of a log value with secret fields and secret-looking strings redacted (depth-limited). */
export function redactValue(value: unknown, secrets: readonly string[] = secretValues(), depth = 0): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  if (value instanceof Error) return redactText(value.stack ?? `${value.name}: ${value.message}`, secrets);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Dates, Buffers...: as they are
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? "[redacted]" : redactValue(v, secrets, depth + 1);
  return out;
}

/**
 * The secret values for log lines, read from the environment at most once a second (reading
 * process.env on every line cost more than the rest of the line); `refreshSecretValues` re-reads
 * at once (after changing a secret variable).
 */
let secretCache: { values: string[]; at: number } | undefined;
export function refreshSecretValues(): void {
  secretCache = undefined;
}
function currentSecrets(): string[] {
  const now = Date.now();
  if (!secretCache || now - secretCache.at > 1000) secretCache = { values: secretValues(), at: now };
  return secretCache.values;
}

/** Whether some transport of `logger` writes lines of `level` (an unknown level: yes). */
function someTransportWants(logger: winston.Logger, level: string): boolean {
  const severity = logger.levels[level];
  if (severity === undefined) return true;
  for (const t of logger.transports) {
    const threshold = logger.levels[t.level ?? logger.level];
    if (threshold === undefined || severity <= threshold) return true;
  }
  return false;
}

/**
 * Drop a line no transport will write before any other format runs: winston formats every line
 * before its transports filter by level, and redaction is not free. (The level methods already
 * return early for such lines, see skipUnwantedLevels; `log(level, ...)` calls still come here.)
 */
const wanted = winston.format((info) => (!root || someTransportWants(root, info.level) ? info : false));

/**
 * Make `logger.info(...)`, `.debug(...)` and the other level methods return at once when no
 * transport writes that level. winston builds the line and pushes it through its streams before
 * anything looks at the level: the workers' per-URL info lines, filtered out at LOG_LEVEL=warn,
 * still cost about 0.1 ms of CPU an article across the stages. Child loggers inherit the methods
 * (winston's child() is Object.create of its parent), and the check reads the transports on
 * every call, so a transport added later (captureLogs) is seen at once.
 */
function skipUnwantedLevels(logger: winston.Logger): void {
  const methods = logger as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const level of Object.keys(logger.levels)) {
    const write = methods[level];
    if (typeof write !== "function") continue;
    methods[level] = function (this: unknown, ...args: unknown[]) {
      return someTransportWants(logger, level) ? write.apply(this, args) : this;
    };
  }
}

const redact = winston.format((info) => {
  const secrets = currentSecrets();
  // Own string keys only: winston's Symbol keys (level, message, splat) are its bookkeeping.
  for (const key of Object.keys(info)) {
    if (key === "level") continue;
    info[key] = SECRET_KEYS.test(key) ? "[redacted]" : redactValue(info[key], secrets);
  }
  return info;
});

export function rootLogger(level = process.env.LOG_LEVEL ?? "info"): winston.Logger {
  if (!root) {
    root = winston.createLogger({
      level,
      // errors() first, so an Error's message and stack are scrubbed too.
      format: winston.format.combine(wanted(), winston.format.errors({ stack: true }), redact(), winston.format.timestamp(), winston.format.json()),
      defaultMeta: { service: "tidings", pid: process.pid },
      // stderr keeps stdout free for command output (JSON lines of `process`, tables of `query`).
      transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "http", "verbose", "debug", "silly"] })],
    });
    skipUnwantedLevels(root);
  }
  return root;
}

/**
 * Capture the formatted log lines of this process (tests): every line the root logger writes
 * from now until `stop()` is also kept here, exactly as it goes out.
 */
export function captureLogs(): { lines(): string[]; stop(): void } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  refreshSecretValues();
  const transport = new winston.transports.Stream({ stream, level: "silly" });
  const logger = rootLogger();
  logger.add(transport);
  return { lines: () => [...lines], stop: () => void logger.remove(transport) };
}

export interface LogContext {
  stage?: string;
  job_id?: string;
  correlation_id?: string;
  source_id?: string;
  batch_id?: string;
}

export function childLogger(context: LogContext): winston.Logger {
  return rootLogger().child(context);
}
