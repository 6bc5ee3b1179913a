/**
 * A local HTTP server that plays the web for the demo and the tests: the repository's fixture
 * pages (test/fixtures/pages, as their manifest says: path and Content-Type), the seed articles
 * of ../shared turned into HTML pages, a few pages of ../shared/corpus, and error pages (404,
 * 500, slow). It listens on 127.0.0.1 only.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { FIXTURE_PAGES_DIR, sharedDir } from "./paths.ts";

export interface FixturePage {
  file: string;
  path: string;
  content_type: string;
  language: string;
  title?: string;
  published?: string;
  kept?: string[];
  dropped?: string[];
  events?: { type: string; source: string[]; target: string[]; date: string; place?: string }[];
}

export interface ServedPage {
  path: string;
  /** Where it came from: "fixture", "seed" or "corpus". */
  origin: string;
  /** Metadata a crawler would know (the seeds' publication dates). */
  published?: string;
  language?: string;
  name: string;
}

interface Route { status: number; headers: Record<string, string>; body: Buffer | (() => Promise<Buffer>) }

export function loadFixtureManifest(): FixturePage[] {
  return JSON.parse(readFileSync(join(FIXTURE_PAGES_DIR, "manifest.json"), "utf8")) as FixturePage[];
}

/** A seed text dump as a plain HTML page: a line a paragraph, nothing else added. */
export function seedAsHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${lines.map((l) => `<p>${esc(l)}</p>`).join("\n")}\n</body></html>\n`;
}

export interface WebServerOptions {
  fixtures?: boolean;
  seeds?: boolean;
  /** Number of ../shared/corpus pages to serve (default 0). */
  corpusPages?: number;
}

export class WebServer {
  private server?: Server;
  private routes = new Map<string, Route>();
  readonly pages: ServedPage[] = [];
  port = 0;

  constructor(private readonly opts: WebServerOptions = { fixtures: true, seeds: true, corpusPages: 0 }) {
    this.addErrorRoutes();
    if (opts.fixtures !== false) this.addFixtures();
    const shared = sharedDir();
    if (shared && opts.seeds !== false) this.addSeeds(shared);
    if (shared && (opts.corpusPages ?? 0) > 0) this.addCorpus(shared, opts.corpusPages!);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Add or replace a route (tests use it for their own cases). */
  route(path: string, status: number, body: string | Buffer, headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" }): void {
    this.routes.set(path, { status, headers, body: typeof body === "string" ? Buffer.from(body) : body });
  }

  /** Serve `body` only after `delayMs`: a slow site. */
  slowRoute(path: string, body: string | Buffer, delayMs: number, headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" }): void {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    this.routes.set(path, { status: 200, headers, body: () => new Promise((r) => setTimeout(() => r(bytes), delayMs)) });
  }

  private addErrorRoutes() {
    this.route("/errors/not-found", 404, "<html><body><h1>404 Not Found</h1></body></html>");
    this.route("/errors/server-error", 500, "<html><body><h1>500 Internal Server Error</h1></body></html>");
  }

  private addFixtures() {
    for (const page of loadFixtureManifest()) {
      const body = readFileSync(join(FIXTURE_PAGES_DIR, page.file));
      this.routes.set(page.path, { status: 200, headers: { "content-type": page.content_type }, body });
      this.pages.push({ path: page.path, origin: "fixture", language: page.language, name: page.file, ...(page.published ? { published: page.published } : {}) });
    }
  }

  private addSeeds(shared: string) {
    const dir = join(shared, "seeds");
    let names: string[] = [];
    try {
      names = JSON.parse(readFileSync(join(shared, "eval", "seeds-gold.json"), "utf8")).documents.map((d: { file: string }) => d.file);
    } catch {
      return;
    }
    for (const name of names) {
      const text = readFileSync(join(dir, name), "utf8");
      let published: string | undefined;
      try { published = (JSON.parse(readFileSync(join(dir, `${name}.meta.json`), "utf8")) as { published?: string }).published; } catch { /* none */ }
      const path = `/seeds/${name.replace(/\.txt$/, ".html")}`;
      this.route(path, 200, seedAsHtml(text));
      this.pages.push({ path, origin: "seed", name, ...(published ? { published } : {}) });
    }
  }

  private addCorpus(shared: string, count: number) {
    const lines = readFileSync(join(shared, "corpus", "manifest.jsonl"), "utf8").split("\n").filter(Boolean);
    // Spread the picks over the whole manifest so several datasets and languages appear.
    const step = Math.max(1, Math.floor(lines.length / count));
    for (let i = 0; i < lines.length && this.pages.filter((p) => p.origin === "corpus").length < count; i += step) {
      const entry = JSON.parse(lines[i]!) as { id: string; html: string; lang?: string };
      const path = `/corpus/${entry.id}.html`;
      const file = join(shared, "corpus", entry.html);
      // The stored bytes, undecoded, with no charset parameter: the fetch stage decides.
      this.routes.set(path, { status: 200, headers: { "content-type": "text/html" }, body: async () => gunzipSync(readFileSync(file)) });
      this.pages.push({ path, origin: "corpus", name: entry.id, ...(entry.lang ? { language: entry.lang } : {}) });
    }
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0]!;
      if (path === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nAllow: /\n");
        return;
      }
      const route = this.routes.get(path);
      if (!route) {
        res.writeHead(404, { "content-type": "text/html" }).end("<html><body>404 Not Found</body></html>");
        return;
      }
      const send = (body: Buffer) => res.writeHead(route.status, { ...route.headers, "content-length": String(body.length) }).end(body);
      if (typeof route.body === "function") route.body().then(send, () => res.writeHead(500).end());
      else send(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    const addr = this.server.address();
    this.port = typeof addr === "object" && addr ? addr.port : port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
