/**
 * Who may look at the dashboard. On a loopback address it may run open; anywhere else it needs
 * a token (TIDINGS_DASHBOARD_TOKEN, sent as `Authorization: Bearer <token>` or once as
 * `?token=<token>`, after which a cookie carries it) or basic auth (TIDINGS_DASHBOARD_USER /
 * TIDINGS_DASHBOARD_PASSWORD). Secrets are compared in constant time and never logged.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { NextFunction, Request, Response } from "express";

export interface DashboardAuth {
  token?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
}

export interface ExposureCheck {
  ok: boolean;
  loopback: boolean;
  /** Which credentials protect the server ("none" on an open loopback server). */
  mode: "token" | "basic" | "token+basic" | "none";
  /** Why the server must not start (when !ok). */
  message?: string;
}

export const COOKIE_NAME = "tidings_dashboard";

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}

/** Credentials from the environment (empty values count as unset). */
export function authFromEnv(env: NodeJS.ProcessEnv = process.env): DashboardAuth {
  const v = (name: string) => (env[name] && env[name] !== "" ? env[name] : undefined);
  return { token: v("TIDINGS_DASHBOARD_TOKEN"), user: v("TIDINGS_DASHBOARD_USER"), password: v("TIDINGS_DASHBOARD_PASSWORD") };
}

/**
 * May the dashboard listen on `host` with these credentials? Pure: the command calls it before
 * listening and refuses to start when it says no.
 */
export function checkExposure(host: string, auth: DashboardAuth): ExposureCheck {
  const loopback = isLoopback(host);
  const hasToken = Boolean(auth.token);
  if (Boolean(auth.user) !== Boolean(auth.password)) {
    return { ok: false, loopback, mode: "none", message: "TIDINGS_DASHBOARD_USER and TIDINGS_DASHBOARD_PASSWORD must be set together" };
  }
  if (hasToken && auth.token!.length < 16) {
    return { ok: false, loopback, mode: "none", message: "TIDINGS_DASHBOARD_TOKEN is too short (16 characters at least)" };
  }
  const hasBasic = Boolean(auth.user && auth.password);
  const mode = hasToken && hasBasic ? "token+basic" : hasToken ? "token" : hasBasic ? "basic" : "none";
  if (!loopback && mode === "none") {
    return {
      ok: false, loopback, mode,
      message: `refusing to serve the dashboard on ${host} (not a loopback address) without credentials: ` +
        "set TIDINGS_DASHBOARD_TOKEN, or TIDINGS_DASHBOARD_USER and TIDINGS_DASHBOARD_PASSWORD, or listen on 127.0.0.1",
    };
  }
  return { ok: true, loopback, mode };
}

/** Constant-time equality of two secrets of any length (both are hashed to one size first). */
export function safeEqual(a: string, b: string): boolean {
  const key = "tidings-dashboard-compare";
  const ha = createHmac("sha256", key).update(a).digest();
  const hb = createHmac("sha256", key).update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The cookie's value: a keyed digest of the token, never the token itself. */
export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("tidings-dashboard-session-v1").digest("base64url");
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Paths anyone may read (probes): they say nothing about the data. */
const OPEN_PATHS = new Set(["/healthz", "/readyz"]);

export function authMiddleware(auth: DashboardAuth) {
  const check = checkExposure("127.0.0.1", auth);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (check.mode === "none" || OPEN_PATHS.has(req.path)) return next();
    const header = req.headers.authorization ?? "";
    if (auth.token) {
      const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      if (bearer !== undefined && safeEqual(bearer, auth.token)) return next();
      const cookie = readCookie(req.headers.cookie, COOKIE_NAME);
      if (cookie !== undefined && safeEqual(cookie, sessionValue(auth.token))) return next();
      const query = typeof req.query.token === "string" ? req.query.token : undefined;
      if (query !== undefined && safeEqual(query, auth.token)) {
        res.cookie(COOKIE_NAME, sessionValue(auth.token), {
          httpOnly: true, sameSite: "strict", path: "/", secure: req.secure, maxAge: 7 * 24 * 3600_000,
        });
        if (req.method === "GET" && req.accepts(["html", "json"]) === "html") {
          // Drop the token from the address bar (and so from history and referrers).
          const url = new URL(req.originalUrl, "http://x");
          url.searchParams.delete("token");
          res.redirect(303, `${url.pathname}${url.search}`);
          return;
        }
        return next();
      }
    }
    if (auth.user && auth.password) {
      const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
      if (basic) {
        const decoded = Buffer.from(basic, "base64").toString("utf8");
        const i = decoded.indexOf(":");
        const user = i >= 0 ? decoded.slice(0, i) : decoded;
        const password = i >= 0 ? decoded.slice(i + 1) : "";
        // Both compared always, so the time does not tell which one was wrong.
        const okUser = safeEqual(user, auth.user);
        const okPassword = safeEqual(password, auth.password);
        if (okUser && okPassword) return next();
      }
      res.setHeader("WWW-Authenticate", 'Basic realm="tidings dashboard", charset="UTF-8"');
    }
    res.status(401).type("text/plain").send(auth.token
      ? "authentication required: send `Authorization: Bearer <token>`, or open the page once with ?token=<token>\n"
      : "authentication required\n");
  };
}
