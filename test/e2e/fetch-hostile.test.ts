/**
 * The hostile web through the whole pipeline (real Redis and Elasticsearch, workers in this
 * process): every URL must end as exactly one source with the right status, stage and reason,
 * and nothing may hang. Our own node:http server plays the sites, with its own robots.txt
 * (Disallow: /private/); a second allowed host sets a Crawl-delay; a third server (not
 * allowed) stands in for another port on the same machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureIndices, indexNames } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, PIPELINE, Producer, type BatchProgress, type Config, type ElasticsearchClient, type EnqueueItem, type SourceRecord } from "@tidings/shared";
import { startWorkers, type RunningWorkers } from "@tidings/scripts/commands/worker";
import { FIXTURE_PAGES_DIR } from "@tidings/scripts/demo/paths";
import { dropRun } from "../src/teardown.ts";

const ARTICLE = (title: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>
<p>The foreign minister of France met officials from Germany in Berlin on 12 March 2024, according to a statement released by the ministry on Thursday evening.</p>
<p>The two governments discussed trade, energy supplies and the security situation in the region, the statement said, adding that further meetings were planned.</p>
<p>Analysts in Paris said the talks reflected a gradual improvement in relations after a difficult year marked by disputes over tariffs and fishing rights.</p>
</article></body></html>`;

const WALL = `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div>Checking your browser before accessing the site.</div>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1"></script></body></html>`;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);

interface Site {
  server: Server;
  port: number;
  origin: string;
  hits: Map<string, number[]>;
}

async function startSite(robots: string, handler: (path: string, res: ServerResponse, req: IncomingMessage, n: number) => void): Promise<Site> {
  const hits = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const times = hits.get(path) ?? [];
    times.push(Date.now());
    hits.set(path, times);
    if (path === "/robots.txt") {
      res.writeHead(200, { "content-type": "text/plain" }).end(robots);
      return;
    }
    handler(path, res, req, times.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { server, port, origin: `http://127.0.0.1:${port}`, hits };
}

async function stopSite(s: Site | undefined): Promise<void> {
  if (!s) return;
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

describe("hostile web through the queue", () => {
  const html = { "content-type": "text/html; charset=utf-8" };
  const timers = new Set<NodeJS.Timeout>();
  let site: Site;
  let slowSite: Site;
  let other: Site;
  let config: Config;
  let redis: ReturnType<typeof createRedis>;
  let producer: Producer;
  let es: ElasticsearchClient;
  let workers: RunningWorkers;
  let prefix: string;
  let progress: BatchProgress;
  let sources: Map<string, SourceRecord>;
  let elapsedMs: number;
  const savedEnv = { ...process.env };
  const u = (path: string) => `${site.origin}${path}`;

  beforeAll(async () => {
    other = await startSite("User-agent: *\nAllow: /\n", (_p, res) => void res.writeHead(200, html).end(ARTICLE("Other port")));
    slowSite = await startSite("User-agent: *\nCrawl-delay: 1\n", (_p, res) => void res.writeHead(200, html).end(ARTICLE("Crawl delay")));
    site = await startSite("User-agent: *\nDisallow: /private/\n", (path, res, _req, n) => {
      switch (path) {
        case "/ok.html": return void res.writeHead(200, html).end(ARTICLE("A plain article"));
        case "/private/secret.html": return void res.writeHead(200, html).end(ARTICLE("Disallowed"));
        case "/private/allowed-by-batch.html": return void res.writeHead(200, html).end(ARTICLE("Robots ignored on request"));
        case "/not-found": return void res.writeHead(404, html).end("<html><body>404</body></html>");
        case "/flaky": return n === 1 ? void res.writeHead(500, html).end("<html><body>oops</body></html>") : void res.writeHead(200, html).end(ARTICLE("Flaky then fine"));
        case "/rate-limited": return n === 1
          ? void res.writeHead(429, { ...html, "retry-after": "1" }).end("<html><body>slow down</body></html>")
          : void res.writeHead(200, html).end(ARTICLE("After Retry-After"));
        case "/slow-headers": {
          const t = setTimeout(() => { if (!res.destroyed) res.writeHead(200, html).end(ARTICLE("Too late")); }, 4000);
          timers.add(t);
          return;
        }
        case "/loop-a": return void res.writeHead(302, { location: "/loop-b" }).end();
        case "/loop-b": return void res.writeHead(302, { location: "/loop-a" }).end();
        case "/to-other-port": return void res.writeHead(302, { location: `${other.origin}/page` }).end();
        case "/to-metadata": return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        case "/gbk": return void res.writeHead(200, { "content-type": "text/html" }).end(readFileSync(join(FIXTURE_PAGES_DIR, "zh-gbk-missile-launch.html")));
        case "/image.png": return void res.writeHead(200, { "content-type": "image/png" }).end(PNG);
        case "/disguised.html": return void res.writeHead(200, html).end(PNG);
        case "/empty": return void res.writeHead(200, html).end();
        case "/wall": return void res.writeHead(403, html).end(WALL);
        default: return void res.writeHead(404, html).end("<html><body>404</body></html>");
      }
    });

    prefix = `t-hostile-${Date.now().toString(36)}`;
    Object.assign(process.env, {
      REDIS_URL: inject("redisUrl"), ELASTICSEARCH_URL: inject("elasticsearchUrl"),
      TIDINGS_FETCH_ALLOW_HOSTS: `127.0.0.1:${site.port},127.0.0.1:${slowSite.port}`, // not other.port
      TIDINGS_FETCH_HEADERS_TIMEOUT_MS: "500",
      TIDINGS_FETCH_HOST_CONCURRENCY: "2",
      TIDINGS_FETCH_HOST_DELAY_MS: "0",
      LOG_LEVEL: savedEnv.LOG_LEVEL ?? "warn", // the logger reads the environment
    });
    config = loadConfig({
      ...process.env, TIDINGS_INDEX_PREFIX: prefix, TIDINGS_QUEUE_PREFIX: prefix,
      TIDINGS_BACKOFF_MS: "200", TIDINGS_ATTEMPTS: "2", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    });
    es = createElasticsearch(config);
    await ensureIndices(es, prefix);
    redis = createRedis(config, "producer");
    producer = new Producer(redis, config);
    workers = await startWorkers([...PIPELINE], config);

    const items: EnqueueItem[] = [
      "/ok.html", "/not-found", "/flaky", "/rate-limited", "/slow-headers", "/loop-a", "/to-other-port", "/to-metadata",
      "/gbk", "/image.png", "/disguised.html", "/empty", "/wall", "/private/secret.html",
    ].map((p) => ({ url: u(p) }));
    items.push({ url: u("/private/allowed-by-batch.html"), meta: { ignore_robots: true } as EnqueueItem["meta"] });
    for (let i = 0; i < 4; i++) items.push({ url: `${slowSite.origin}/page-${i}.html` });

    const started = Date.now();
    const { batch_id } = await producer.enqueue(items, { label: "hostile" });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const p = await producer.batches.progress(batch_id);
      if (p?.done) {
        progress = p;
        break;
      }
      if (Date.now() > deadline) throw new Error(`hostile batch hangs: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    elapsedMs = Date.now() - started;
    const index = indexNames(prefix, "sources").read;
    await es.indices.refresh({ index });
    const res = await es.search<SourceRecord>({ index, size: 100, query: { term: { batch_ids: batch_id } } });
    sources = new Map(res.hits.hits.map((h) => [h._source!.url, h._source!]));
    console.log(`hostile batch done in ${elapsedMs} ms: ${JSON.stringify(progress.ended)} ${JSON.stringify(progress.failure_reasons)}`);
  }, 150_000);

  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    await workers?.stop();
    await producer?.close();
    await dropRun(prefix, { es, redis });
    await Promise.all([stopSite(site), stopSite(slowSite), stopSite(other)]);
    process.env = savedEnv;
  }, 60_000);

  const src = (path: string) => {
    const s = sources.get(u(path));
    expect(s, path).toBeDefined();
    return s!;
  };
  const expectEnd = (path: string, status: string, reason?: string, stage = "fetch") => {
    const s = src(path);
    expect(s.status, path).toBe(status);
    if (reason) expect(s.failure, path).toMatchObject({ stage, reason });
    else expect(s.failure, path).toBeUndefined();
    return s;
  };

  it("accounts for every URL once, in good time", () => {
    expect(sources.size).toBe(19);
    expect(progress.ended.indexed + progress.ended.failed + progress.ended.skipped).toBe(19);
    expect(elapsedMs).toBeLessThan(60_000);
  });

  it("indexes a plain page", () => {
    expectEnd("/ok.html", "indexed");
  });

  it("fails a 404 at once (one request, no retry)", () => {
    const s = expectEnd("/not-found", "failed", "http_404");
    expect(s.failure?.attempts).toBe(1);
    expect(site.hits.get("/not-found")).toHaveLength(1);
  });

  it("retries a 500 and indexes the page when it recovers", () => {
    expectEnd("/flaky", "indexed");
    expect(site.hits.get("/flaky")).toHaveLength(2);
  });

  it("honours Retry-After on a 429 and then indexes the page", () => {
    expectEnd("/rate-limited", "indexed");
    const [first, second] = site.hits.get("/rate-limited")!;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
  });

  it("times out slow headers and fails after the attempts", () => {
    const s = expectEnd("/slow-headers", "failed", "header_timeout");
    expect(s.failure?.attempts).toBe(2);
  });

  it("stops a redirect loop", () => {
    expectEnd("/loop-a", "failed", "redirect_loop");
  });

  it("refuses redirects to another local port and to the metadata address", () => {
    expectEnd("/to-other-port", "failed", "blocked_address");
    expect(other.hits.get("/page")).toBeUndefined();
    expectEnd("/to-metadata", "failed", "blocked_address");
  });

  it("decodes a GBK page without a charset and indexes it", () => {
    const s = expectEnd("/gbk", "indexed");
    expect(s.charset).toMatch(/^(gbk|gb18030|gb2312)$/i);
    expect(s.language).toBe("zh");
    expect(s.title).toContain("弹道导弹");
  });

  it("skips binary content, labelled or disguised", () => {
    expectEnd("/image.png", "skipped", "unsupported_type");
    expectEnd("/disguised.html", "skipped", "unsupported_type");
  });

  it("fails an empty body", () => {
    expectEnd("/empty", "failed", "empty_body");
  });

  it("recognises a bot wall", () => {
    expectEnd("/wall", "failed", "bot_wall");
  });

  it("obeys robots.txt Disallow, unless the batch says ignore_robots", () => {
    expectEnd("/private/secret.html", "failed", "robots_disallowed");
    expect(site.hits.get("/private/secret.html")).toBeUndefined();
    expectEnd("/private/allowed-by-batch.html", "indexed");
    // robots.txt was fetched once for the host (shared cache), not once per page
    expect(site.hits.get("/robots.txt")).toHaveLength(1);
  });

  it("spaces requests to a host by its robots.txt Crawl-delay", () => {
    for (let i = 0; i < 4; i++) expect(sources.get(`${slowSite.origin}/page-${i}.html`)?.status).toBe("indexed");
    const starts = [0, 1, 2, 3].flatMap((i) => slowSite.hits.get(`/page-${i}.html`) ?? []).sort((a, b) => a - b);
    expect(starts).toHaveLength(4);
    // robots.txt is read before the host's first page, so every page waits its Crawl-delay (1 s),
    // the first one included; a little slack for timer granularity.
    for (let i = 1; i < 4; i++) expect(starts[i]! - starts[i - 1]!, `gap before page ${i}`).toBeGreaterThanOrEqual(950);
  });
});
