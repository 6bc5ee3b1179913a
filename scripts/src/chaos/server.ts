/**
 * The web of a chaos run: N distinct URLs on one local server (127.0.0.1, a port of its own).
 * Most are good pages: the ../shared/corpus pages (stored bytes, gunzipped, no charset), cycled
 * under distinct URLs so that one article is reported by several sources. Mixed in, by position:
 *
 *   /missing/<i>.html   404                                     -> failed, http_404 (no retry)
 *   /broken/<i>.html    500, always                             -> failed, http_500 after the attempts
 *   /slow/<i>.html      a corpus page after SLOW_MS             -> indexed
 *   /flaky/<i>.html     first request: answers only after FLAKY_MS (longer than the workers'
 *                       headers timeout, so the attempt times out); later ones at once -> indexed
 *   /news/<i>.html      a corpus page at once                   -> indexed (or whatever the page is)
 *   /wire/<i>.html      one of WIRE_STORIES generated English wire stories (bench/fetch-load.ts's
 *                       loadPage), so that events are reported by many sources and their
 *                       source and mention counts are worth checking (the corpus pages, in many
 *                       languages, yield few events)
 *
 * `reset()` forgets which flaky pages were already asked for, so two runs see the same web.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { loadPage } from "../bench/fetch-load.ts";

export const SLOW_MS = 2500;
export const FLAKY_MS = 8000;

export const WIRE_STORIES = 60;

export type ChaosPageKind = "news" | "wire" | "missing" | "broken" | "slow" | "flaky";

export function kindOf(i: number): ChaosPageKind {
  const r = i % 100;
  if (r === 7 || r === 57) return "missing";
  if (r === 19 || r === 69) return "broken";
  if (r === 29 || r === 79) return "slow";
  if (r === 41) return "flaky";
  return r % 3 === 0 ? "wire" : "news";
}

export class ChaosServer {
  private server?: Server;
  private readonly corpus: string[];
  private readonly cache = new Map<number, Buffer>();
  private readonly asked = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;
  requests = 0;

  constructor(private readonly sharedDir: string) {
    const manifest = readFileSync(join(sharedDir, "corpus", "manifest.jsonl"), "utf8").split("\n").filter(Boolean);
    this.corpus = manifest.map((l) => (JSON.parse(l) as { html: string }).html);
    if (this.corpus.length === 0) throw new Error(`no pages in ${sharedDir}/corpus/manifest.jsonl`);
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  urls(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `http://${this.host}/${kindOf(i)}/${i}.html`);
  }

  reset(): void {
    this.asked.clear();
    this.requests = 0;
  }

  private page(i: number): Buffer {
    const k = i % this.corpus.length;
    let body = this.cache.get(k);
    if (!body) this.cache.set(k, (body = gunzipSync(readFileSync(join(this.sharedDir, "corpus", this.corpus[k]!)))));
    return body;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0]!;
      if (path === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nAllow: /\n");
        return;
      }
      this.requests++;
      const m = /^\/(news|wire|missing|broken|slow|flaky)\/(\d+)\.html$/.exec(path);
      const i = Number(m?.[2] ?? -1);
      if (!m || kindOf(i) !== m[1]) {
        res.writeHead(404, { "content-type": "text/html" }).end("<html><body>404 Not Found</body></html>");
        return;
      }
      const send = () => {
        if (res.destroyed) return;
        if (m[1] === "wire") {
          const body = Buffer.from(loadPage(i % WIRE_STORIES));
          res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": String(body.length) }).end(body);
          return;
        }
        const body = this.page(i);
        res.writeHead(200, { "content-type": "text/html", "content-length": String(body.length) }).end(body);
      };
      const later = (ms: number) => {
        const t = setTimeout(() => { this.timers.delete(t); send(); }, ms);
        this.timers.add(t);
      };
      switch (m[1]) {
        case "missing":
          res.writeHead(404, { "content-type": "text/html" }).end("<html><body><h1>404 Not Found</h1></body></html>");
          return;
        case "broken":
          res.writeHead(500, { "content-type": "text/html" }).end("<html><body><h1>500 Internal Server Error</h1></body></html>");
          return;
        case "slow":
          later(SLOW_MS);
          return;
        case "flaky":
          if (this.asked.has(path)) send();
          else {
            this.asked.add(path);
            later(FLAKY_MS);
          }
          return;
        default:
          send();
      }
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(0, "127.0.0.1", resolve);
    });
    const addr = this.server.address();
    this.port = typeof addr === "object" && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
