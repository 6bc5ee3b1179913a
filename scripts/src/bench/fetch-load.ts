/**
 * Load run of the fetch stage through the real queues: a local server with N generated news
 * pages on one or more hosts (127.0.0.1, 127.0.0.2...: each its own politeness host), several
 * `tidings worker` processes, one batch of every page. Measures pages/s (fetch and end to end),
 * the most requests in flight per host the server saw (against the per-host limit), and the
 * peak RSS (VmHWM) of every worker process.
 *
 *   npx tsx scripts/src/bench/fetch-load.ts [--pages 2000] [--workers 2] [--hosts 2]
 *     [--host-concurrency 4] [--host-delay-ms 0] [--latency-ms 5] [--stages fetch,clean,translate,extract,index]
 *     [--fetch-concurrency 16] [--timeout-ms 600000] [--slow-every 0 --slow-ms 3000]
 *
 * `--slow-every N --slow-ms T`: every Nth page answers after T ms instead of the latency (the
 * stragglers of the open web), to see what a setting such as TIDINGS_FETCH_BUNDLE_MAX does
 * when a few pages are slow.
 *
 * With `--stages fetch` only fetching is measured (the batch is not followed past fetch).
 * Needs Redis and Elasticsearch (REDIS_URL, ELASTICSEARCH_URL; `npm run services -- up`).
 * test/e2e/fetch-load.test.ts runs the same with assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { dropIndices, indexNames } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, Producer, type BatchProgress, type Config, deleteKeysWithPrefix } from "@tidings/shared";
import { peakRssKb, spawnStageWorker, stopStageWorker, type StageProcess } from "./processes.ts";

export interface FetchLoadOptions {
  pages: number;
  /** Worker processes. */
  workers: number;
  /** Hosts the pages are spread over (127.0.0.1, 127.0.0.2, ...), each a politeness host. */
  hosts: number;
  hostConcurrency: number;
  hostDelayMs: number;
  /** Server time per page before answering (so requests overlap). */
  latencyMs: number;
  /** Every this many pages, one answers after `slowMs` instead (0: none). Default 0. */
  slowEvery?: number;
  /** How long a slow page takes (ms). Default 3000. */
  slowMs?: number;
  /** Stages each worker process runs. */
  stages: string;
  /** TIDINGS_CONCURRENCY_FETCH of each worker process. */
  fetchConcurrency: number;
  timeoutMs: number;
  redisUrl: string;
  elasticsearchUrl: string;
  /** Key/index prefix (default a fresh one). */
  prefix?: string;
  log?: (line: string) => void;
}

export const DEFAULT_FETCH_LOAD: Omit<FetchLoadOptions, "redisUrl" | "elasticsearchUrl"> = {
  pages: 2000, workers: 2, hosts: 2, hostConcurrency: 4, hostDelayMs: 0, latencyMs: 5,
  stages: "fetch,clean,translate,extract,index", fetchConcurrency: 16, timeoutMs: 600_000,
};

export interface FetchLoadResult {
  pages: number;
  hosts: string[];
  hostConcurrency: number;
  /** Page requests the server answered (retries included) and robots.txt requests. */
  requests: number;
  robotsRequests: number;
  /** Most requests in flight at once, per Host header. */
  maxInFlightByHost: Record<string, number>;
  maxInFlight: number;
  /** From the first page request to the last one answered (worker start-up excluded). */
  fetchMs: number;
  fetchPagesPerSec: number;
  /** From the first page request to the batch done (every URL ended; fetched, with --stages fetch). */
  totalMs: number;
  pagesPerSec: number;
  progress: BatchProgress | undefined;
  /** Source records of the batch in Elasticsearch, by status (when the index stage runs). */
  sources: { total: number; byStatus: Record<string, number>; byReason: Record<string, number> };
  /** Peak resident memory (VmHWM) of each worker process, KiB. */
  workerPeakRssKb: number[];
  /** Worker processes' exit codes/signals after stop (filled by stop()). */
  workerExits: string[];
}

// ---- the server ---------------------------------------------------------------------------

const COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Kenya", "India", "Canada", "Egypt", "Chile", "Norway", "Vietnam", "Poland"];
const CITIES = ["Paris", "Berlin", "Tokyo", "Brasilia", "Nairobi", "New Delhi", "Ottawa", "Cairo", "Santiago", "Oslo", "Hanoi", "Warsaw"];
const VERBS = ["met with", "signed a trade agreement with", "criticised", "held talks with", "pledged aid to", "accused"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A small, plausible news page (≈3 KB), different for every i. */
export function loadPage(i: number): string {
  const a = i % COUNTRIES.length;
  const b = (i * 7 + 3) % COUNTRIES.length === a ? (a + 1) % COUNTRIES.length : (i * 7 + 3) % COUNTRIES.length;
  const verb = VERBS[i % VERBS.length]!;
  const day = (i % 27) + 1;
  const month = MONTHS[i % 12]!;
  const p = [
    `The foreign minister of ${COUNTRIES[a]} ${verb} officials from ${COUNTRIES[b]} in ${CITIES[b]} on ${day} ${month} 2024, according to a statement released by the ministry on Thursday evening.`,
    `The two governments discussed trade, energy supplies and the security situation in the region, the statement said, adding that further meetings were planned for the coming months. Report number ${i}.`,
    `Analysts in ${CITIES[a]} said the talks reflected a gradual improvement in relations after a difficult year marked by disputes over tariffs and fishing rights along the shared maritime border.`,
    `Opposition lawmakers in ${COUNTRIES[a]} questioned whether the government had secured any concrete commitments, and called on the minister to report to parliament next week about the outcome.`,
    `Officials from ${COUNTRIES[b]} did not immediately respond to a request for comment, but state media described the meeting as constructive and said a joint declaration could follow.`,
  ];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${COUNTRIES[a]} and ${COUNTRIES[b]} hold talks (${i})</title>`
    + `<meta property="article:published_time" content="2024-${String((i % 12) + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}"></head>`
    + `<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>${COUNTRIES[a]} and ${COUNTRIES[b]} hold talks (${i})</h1>`
    + p.map((x) => `<p>${x}</p>`).join("\n")
    + `</article><footer>© Load Test News</footer></body></html>`;
}

export interface LoadServer {
  hosts: string[];
  urls: string[];
  stats: { requests: number; robots: number; inFlight: Map<string, number>; max: Map<string, number>; firstRequest: number; lastAnswer: number };
  close(): Promise<void>;
}

/**
 * One handler on 127.0.0.1..127.0.0.N, each on its own port; counts page requests in flight per
 * Host header. robots.txt is not counted: the fetch stage reads it before it takes a host slot
 * (its Crawl-delay sets the slot's spacing), once per origin for the whole fleet (shared in
 * Redis), so one process's robots.txt request may overlap another's full set of page requests.
 */
export async function startLoadServer(pages: number, hosts: number, latencyMs: number, slow: { every: number; ms: number } = { every: 0, ms: 0 }): Promise<LoadServer> {
  const stats: LoadServer["stats"] = { requests: 0, robots: 0, inFlight: new Map(), max: new Map(), firstRequest: 0, lastAnswer: 0 };
  const cache = new Map<number, Buffer>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const host = String(req.headers.host ?? "?");
    const path = (req.url ?? "/").split("?")[0]!;
    const counted = path !== "/robots.txt";
    // The page's number, -1 for anything that is not a page.
    const page = Number(/^\/news\/(\d+)\.html$/.exec(path)?.[1] ?? -1);
    if (counted) {
      const now = (stats.inFlight.get(host) ?? 0) + 1;
      stats.inFlight.set(host, now);
      if (now > (stats.max.get(host) ?? 0)) stats.max.set(host, now);
    }
    let ended = !counted;
    const end = () => {
      if (ended) return;
      ended = true;
      stats.inFlight.set(host, (stats.inFlight.get(host) ?? 1) - 1);
    };
    res.on("close", end);
    const answer = () => {
      if (path === "/robots.txt") {
        stats.robots++;
        res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nDisallow: /private/\n");
        end();
        return;
      }
      if (page < 0) {
        res.writeHead(404, { "content-type": "text/html" }).end("<html><body>not found</body></html>");
        end();
        return;
      }
      stats.requests++;
      if (stats.firstRequest === 0) stats.firstRequest = Date.now();
      let body = cache.get(page);
      if (!body) cache.set(page, (body = Buffer.from(loadPage(page))));
      // In-flight ends when the answer is handed over (before the client reads it), not after.
      end();
      stats.lastAnswer = Date.now();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": String(body.length) }).end(body);
    };
    const delay = slow.every > 0 && page >= 0 && page % slow.every === slow.every - 1 ? slow.ms : latencyMs;
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  };
  const servers: Server[] = [];
  const names: string[] = [];
  for (let h = 0; h < hosts; h++) {
    const server = createServer(handler);
    server.keepAliveTimeout = 5000;
    const ip = `127.0.0.${h + 1}`;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, ip, resolve);
    });
    const addr = server.address();
    names.push(`${ip}:${typeof addr === "object" && addr ? addr.port : 0}`);
    servers.push(server);
  }
  const urls = Array.from({ length: pages }, (_, i) => `http://${names[i % names.length]}/news/${i}.html`);
  return {
    hosts: names, urls, stats,
    async close() {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      })));
    },
  };
}

// ---- worker processes -------------------------------------------------------------------

/** A worker child process (see processes.ts), with its peak RSS at hand. */
export type WorkerProcess = StageProcess & { peakRssKb(): number | undefined };

export function spawnWorker(env: NodeJS.ProcessEnv, stages: string): WorkerProcess {
  const p = spawnStageWorker(stages, env);
  return { ...p, peakRssKb: () => peakRssKb(p.pid) };
}

/** SIGTERM (graceful drain), then SIGKILL after `graceMs`. */
export const stopWorker: (w: WorkerProcess, graceMs?: number) => Promise<string> = stopStageWorker;

// ---- the run ------------------------------------------------------------------------------

export class FetchLoadRun {
  readonly opts: FetchLoadOptions;
  readonly prefix: string;
  readonly config: Config;
  server?: LoadServer;
  workers: WorkerProcess[] = [];
  result?: FetchLoadResult;
  private stopped?: Promise<void>;

  constructor(opts: Partial<FetchLoadOptions> & Pick<FetchLoadOptions, "redisUrl" | "elasticsearchUrl">) {
    this.opts = { ...DEFAULT_FETCH_LOAD, ...opts };
    this.prefix = opts.prefix ?? `load-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    this.config = loadConfig({
      ...process.env, REDIS_URL: this.opts.redisUrl, ELASTICSEARCH_URL: this.opts.elasticsearchUrl,
      TIDINGS_INDEX_PREFIX: this.prefix, TIDINGS_QUEUE_PREFIX: this.prefix,
    });
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** Start the server and the worker processes. */
  async start(): Promise<void> {
    const o = this.opts;
    this.server = await startLoadServer(o.pages, o.hosts, o.latencyMs, { every: o.slowEvery ?? 0, ms: o.slowMs ?? 3000 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: o.redisUrl, ELASTICSEARCH_URL: o.elasticsearchUrl,
      TIDINGS_INDEX_PREFIX: this.prefix, TIDINGS_QUEUE_PREFIX: this.prefix,
      TIDINGS_FETCH_ALLOW_HOSTS: this.server.hosts.join(","),
      TIDINGS_FETCH_HOST_CONCURRENCY: String(o.hostConcurrency),
      TIDINGS_FETCH_HOST_DELAY_MS: String(o.hostDelayMs),
      TIDINGS_CONCURRENCY_FETCH: String(o.fetchConcurrency),
      TIDINGS_SHUTDOWN_TIMEOUT_MS: "5000",
      LOG_LEVEL: process.env.TIDINGS_LOAD_LOG_LEVEL ?? "warn",
    };
    for (let i = 0; i < o.workers; i++) this.workers.push(spawnWorker(env, o.stages));
    this.log(`load: ${o.pages} pages on ${this.server.hosts.join(", ")}; ${o.workers} worker processes (${o.stages}); per host ${o.hostConcurrency} at once, ${o.hostDelayMs} ms apart`);
  }

  /** Enqueue every page as one batch and wait for it; measures as it goes. */
  async run(): Promise<FetchLoadResult> {
    const o = this.opts;
    const server = this.server;
    if (!server) throw new Error("start() first");
    const redis = createRedis(this.config, "producer");
    const producer = new Producer(redis, this.config);
    const withIndex = o.stages.split(",").map((s) => s.trim()).includes("index");
    const peaks = new Map<number, number>();
    const samplePeaks = () => this.workers.forEach((w, i) => {
      const kb = w.peakRssKb();
      if (kb !== undefined) peaks.set(i, Math.max(peaks.get(i) ?? 0, kb));
    });
    try {
      const t0 = Date.now();
      const { batch_id } = await producer.enqueue(server.urls.map((url) => ({ url })), { label: "fetch load" });
      let progress: BatchProgress | undefined;
      let lastLog = 0;
      for (;;) {
        progress = await producer.batches.progress(batch_id);
        samplePeaks();
        const dead = this.workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
        if (dead) throw new Error(`a worker process exited during the run:\n${dead.tail()}`);
        const fetched = progress?.stages.fetch ?? 0;
        if (withIndex ? progress?.done : fetched >= o.pages) break;
        if (Date.now() - t0 > o.timeoutMs) {
          throw new Error(`not done after ${o.timeoutMs} ms: ${JSON.stringify(progress)}\n--- worker log tail ---\n${this.workers[0]?.tail().slice(-4000) ?? ""}`);
        }
        if (Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          this.log(`load: ${Math.round((Date.now() - t0) / 1000)} s: fetched ${fetched}, ended ${JSON.stringify(progress?.ended)}, max in flight ${JSON.stringify(Object.fromEntries(server.stats.max))}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const first = server.stats.firstRequest || t0;
      const totalMs = Math.max(1, Date.now() - first);
      const fetchMs = Math.max(1, server.stats.lastAnswer - first);
      const sources = { total: 0, byStatus: {} as Record<string, number>, byReason: {} as Record<string, number> };
      if (withIndex) {
        const es = createElasticsearch(this.config);
        try {
          const index = indexNames(this.prefix, "sources").read;
          await es.indices.refresh({ index });
          const res = await es.search({
            index, size: 0, track_total_hits: true, query: { term: { batch_ids: batch_id } },
            aggs: { status: { terms: { field: "status", size: 10 } }, reason: { terms: { field: "failure.reason", size: 50 } } },
          });
          const total = res.hits.total;
          sources.total = typeof total === "number" ? total : (total?.value ?? 0);
          const buckets = (name: string) => ((res.aggregations?.[name] as { buckets?: Array<{ key: string; doc_count: number }> } | undefined)?.buckets ?? []);
          for (const b of buckets("status")) sources.byStatus[b.key] = b.doc_count;
          for (const b of buckets("reason")) sources.byReason[b.key] = b.doc_count;
        } finally {
          await es.close();
        }
      }
      const maxInFlightByHost = Object.fromEntries(server.stats.max);
      this.result = {
        pages: o.pages, hosts: server.hosts, hostConcurrency: o.hostConcurrency,
        requests: server.stats.requests, robotsRequests: server.stats.robots,
        maxInFlightByHost, maxInFlight: Math.max(0, ...Object.values(maxInFlightByHost)),
        fetchMs, fetchPagesPerSec: round1(o.pages / (fetchMs / 1000)),
        totalMs, pagesPerSec: round1(o.pages / (totalMs / 1000)),
        progress, sources,
        workerPeakRssKb: this.workers.map((_, i) => peaks.get(i) ?? 0),
        workerExits: [],
      };
      return this.result;
    } finally {
      await producer.close();
      await redis.quit().catch(() => redis.disconnect());
    }
  }

  /** Stop the workers (SIGTERM, then SIGKILL), the server, and remove the run's keys and indices. Idempotent. */
  stop(): Promise<void> {
    return (this.stopped ??= (async () => {
      const exits = await Promise.all(this.workers.map((w) => stopWorker(w)));
      if (this.result) this.result.workerExits = exits;
      await this.server?.close();
      const redis = createRedis(this.config, "producer");
      try {
        await deleteKeysWithPrefix(redis, this.prefix);
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
      const es = createElasticsearch(this.config);
      await dropIndices(es, this.prefix).catch(() => undefined);
      await es.close();
    })());
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Start, run, stop. */
export async function runFetchLoad(opts: Partial<FetchLoadOptions> & Pick<FetchLoadOptions, "redisUrl" | "elasticsearchUrl">): Promise<FetchLoadResult> {
  const run = new FetchLoadRun(opts);
  try {
    await run.start();
    return await run.run();
  } finally {
    await run.stop();
  }
}

export function formatResult(r: FetchLoadResult): string {
  const mb = (kb: number) => `${Math.round(kb / 1024)} MiB`;
  return [
    `pages:              ${r.pages} on ${r.hosts.length} host(s) (${r.requests} page requests, ${r.robotsRequests} robots.txt)`,
    `fetch:              ${r.fetchPagesPerSec} pages/s (${(r.fetchMs / 1000).toFixed(1)} s from the first to the last page served)`,
    `end to end:         ${r.pagesPerSec} pages/s (${(r.totalMs / 1000).toFixed(1)} s from the first request to the batch done)`,
    `max in flight/host: ${JSON.stringify(r.maxInFlightByHost)} (limit ${r.hostConcurrency})`,
    `ended:              ${JSON.stringify(r.progress?.ended)} reasons ${JSON.stringify(r.progress?.failure_reasons)}`,
    `sources in ES:      ${r.sources.total} ${JSON.stringify(r.sources.byStatus)}`,
    `worker peak RSS:    ${r.workerPeakRssKb.map(mb).join(", ")}`,
  ].join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      pages: { type: "string" }, workers: { type: "string" }, hosts: { type: "string" },
      "host-concurrency": { type: "string" }, "host-delay-ms": { type: "string" }, "latency-ms": { type: "string" },
      stages: { type: "string" }, "fetch-concurrency": { type: "string" }, "timeout-ms": { type: "string" },
      "slow-every": { type: "string" }, "slow-ms": { type: "string" },
    },
  });
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const d = DEFAULT_FETCH_LOAD;
  const run = new FetchLoadRun({
    pages: num(values.pages, d.pages), workers: num(values.workers, d.workers), hosts: num(values.hosts, d.hosts),
    hostConcurrency: num(values["host-concurrency"], d.hostConcurrency), hostDelayMs: num(values["host-delay-ms"], d.hostDelayMs),
    latencyMs: num(values["latency-ms"], d.latencyMs), stages: values.stages ?? d.stages,
    slowEvery: num(values["slow-every"], 0), slowMs: num(values["slow-ms"], 3000),
    fetchConcurrency: num(values["fetch-concurrency"], d.fetchConcurrency), timeoutMs: num(values["timeout-ms"], d.timeoutMs),
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? "http://127.0.0.1:9200",
    log: (l) => console.error(l),
  });
  const stop = () => void run.stop().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    await run.start();
    const r = await run.run();
    await run.stop();
    console.log(formatResult(r));
    console.log(`worker exits:       ${r.workerExits.join(", ")}`);
    return r.maxInFlight <= r.hostConcurrency ? 0 : 1;
  } finally {
    await run.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
