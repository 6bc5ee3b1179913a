/**
 * The dashboard server: the pipeline page (`/`, plain HTML + one vanilla JS file), its JSON API
 * (`/api/overview`, `/api/batches`, `/api/batches/:id`), the query API (`/api/events`,
 * `/api/sources`, `/api/timeline`: the `query` command's filters, validated), bull-board at `/queues` (read-only
 * unless TIDINGS_DASHBOARD_ALLOW_WRITE=true), Prometheus `/metrics`, and the `/healthz` and
 * `/readyz` probes. Everything but the probes sits behind the credentials (see auth.ts).
 */
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { PIPELINE, rootLogger } from "@tidings/shared";
import express, { type NextFunction, type Request, type Response } from "express";
import { authMiddleware, checkExposure, type DashboardAuth } from "./auth.ts";
import { BATCH_ID_PATTERN, DashboardData, type DashboardDeps } from "./data.ts";
import { PrometheusExporter } from "./prometheus.ts";
import { BadParameter, parseEventParams, parseSourceParams, parseTimelineParams } from "../query/params.ts";
import { eventTimeline, searchEvents, searchSources } from "../query/run.ts";

export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");

export interface DashboardOptions {
  auth: DashboardAuth;
  /** Let bull-board retry, clean, promote, remove... jobs. Default false (read-only). */
  allowWrite?: boolean;
}

export interface RunningDashboard {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Small in-process cache so that many open pages cost Redis and Elasticsearch one read a second. */
function cached<T>(ms: number, load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ms) return hit.value;
    const value = load(key);
    entries.set(key, { at: Date.now(), value });
    value.catch(() => entries.delete(key));
    if (entries.size > 100) entries.delete(entries.keys().next().value as string);
    return value;
  };
}

export function createDashboardApp(deps: DashboardDeps, opts: DashboardOptions): express.Express {
  const log = rootLogger().child({ component: "dashboard" });
  const data = new DashboardData(deps);
  const prometheus = new PrometheusExporter(deps);
  const allowWrite = opts.allowWrite ?? false;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);

  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Frame-Options", "SAMEORIGIN");
    const started = Date.now();
    res.on("finish", () => {
      // The path only: a ?token= never reaches a log line.
      if (res.statusCode >= 400 || req.path.startsWith("/api/batches/")) log.debug("request", { method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started });
    });
    next();
  });

  // ---- probes (open) ---------------------------------------------------------------------
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", uptime_s: Math.round(process.uptime()) });
  });
  app.get("/readyz", async (_req, res) => {
    const r = await data.readiness();
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", ...r });
  });

  app.use(authMiddleware(opts.auth));

  // ---- metrics ---------------------------------------------------------------------------
  app.get("/metrics", async (_req, res, next) => {
    try {
      const text = await prometheus.render();
      res.setHeader("Content-Type", prometheus.contentType);
      res.send(text);
    } catch (err) {
      next(err);
    }
  });

  // ---- JSON API --------------------------------------------------------------------------
  const overview = cached(900, (selected) => data.overview(selected || undefined));
  app.get("/api/overview", async (req, res, next) => {
    const batch = typeof req.query.batch === "string" ? req.query.batch : "";
    if (batch && !BATCH_ID_PATTERN.test(batch)) {
      res.status(400).json({ error: "invalid batch id" });
      return;
    }
    try {
      res.setHeader("Cache-Control", "no-store");
      res.json(await overview(batch));
    } catch (err) {
      next(err);
    }
  });
  app.get("/api/batches", async (req, res, next) => {
    const limit = Number(typeof req.query.limit === "string" ? req.query.limit : 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      res.status(400).json({ error: "limit must be an integer from 1 to 200" });
      return;
    }
    try {
      res.setHeader("Cache-Control", "no-store");
      res.json({ batches: await data.batches(limit) });
    } catch (err) {
      next(err);
    }
  });
  app.get("/api/batches/:id", async (req, res, next) => {
    const id = String(req.params.id);
    if (!BATCH_ID_PATTERN.test(id)) {
      res.status(400).json({ error: "invalid batch id" });
      return;
    }
    try {
      const batch = await data.batch(id);
      if (!batch) {
        res.status(404).json({ error: `no batch ${id}` });
        return;
      }
      res.setHeader("Cache-Control", "no-store");
      res.json(batch);
    } catch (err) {
      next(err);
    }
  });
  // ---- query API: the same validated filters as `tidings query`; only structured queries are
  // built from them, nothing is passed through to Elasticsearch as query text.
  const queryRoute = <T>(parse: (p: Record<string, string | string[] | undefined>) => T, run: (f: T) => Promise<unknown>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      let filters: T;
      try {
        filters = parse(req.query as Record<string, string | string[] | undefined>);
      } catch (err) {
        if (err instanceof BadParameter) {
          res.status(400).json({ error: err.message, parameter: err.parameter });
          return;
        }
        next(err);
        return;
      }
      try {
        res.setHeader("Cache-Control", "no-store");
        res.json(await run(filters));
      } catch (err) {
        next(err);
      }
    };
  const prefix = deps.config.indexPrefix;
  app.get("/api/events", queryRoute(parseEventParams, (f) => searchEvents(deps.es, prefix, f)));
  app.get("/api/sources", queryRoute(parseSourceParams, (f) => searchSources(deps.es, prefix, f)));
  app.get("/api/timeline", queryRoute(parseTimelineParams, async (f) => ({ interval: f.interval, buckets: await eventTimeline(deps.es, prefix, f) })));
  app.use("/api", (_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  // ---- bull-board --------------------------------------------------------------------------
  const board = new ExpressAdapter();
  board.setBasePath("/queues");
  createBullBoard({
    queues: PIPELINE.map((stage) => new BullMQAdapter(deps.producer.queue(stage), { readOnlyMode: !allowWrite, allowRetries: allowWrite, description: `${stage} stage` })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: "Tidings queues", hideRedisDetails: false } },
  });
  // Read-only unless allowed: refuse every write method before bull-board sees it.
  app.use("/queues/api", (req: Request, res: Response, next: NextFunction) => {
    if (allowWrite || req.method === "GET" || req.method === "HEAD") return next();
    res.status(403).json({ error: "read-only dashboard: set TIDINGS_DASHBOARD_ALLOW_WRITE=true to retry or clean jobs" });
  });
  app.use("/queues", board.getRouter() as express.Router);

  // ---- the pipeline page -------------------------------------------------------------------
  app.use("/", (req, res, next) => {
    if (req.path === "/" || /\.(js|css|svg)$/.test(req.path)) {
      res.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
    }
    next();
  }, express.static(PUBLIC_DIR, { index: "index.html", maxAge: 0, etag: true }));

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    void _next;
    log.error("dashboard request failed", { error: err.message });
    if (!res.headersSent) res.status(500).json({ error: "internal error" });
  });
  return app;
}

/** Check the exposure, then listen. Throws (with the reason) instead of serving unprotected. */
export async function startDashboard(deps: DashboardDeps, opts: DashboardOptions & { host: string; port: number }): Promise<RunningDashboard> {
  const exposure = checkExposure(opts.host, opts.auth);
  if (!exposure.ok) throw new Error(exposure.message);
  if (!existsSync(join(PUBLIC_DIR, "index.html"))) throw new Error(`dashboard page missing: ${PUBLIC_DIR}/index.html`);
  const app = createDashboardApp(deps, opts);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`, port, server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
