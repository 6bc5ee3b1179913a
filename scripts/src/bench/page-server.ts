/**
 * The benchmark's pages and the local web server that serves them. Pages come from
 * ../shared/corpus (read at run time, never copied into the repository), or from the
 * repository's fixture pages when ../shared is absent. Page i of any count is served at
 * `/p/<i>` (cycling over the distinct pages) with its stored bytes, `Content-Type: text/html`
 * and no charset: the fetch stage decides the encoding as it would on the web.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { FIXTURE_PAGES_DIR, sharedDir } from "../demo/paths.ts";

export interface BenchPage {
  id: string;
  /** The page's bytes as stored. */
  bytes: Buffer;
  lang?: string;
  url?: string;
  published?: string;
}

export interface PageSet {
  /** "corpus" (../shared/corpus) or "fixtures" (test/fixtures/pages). */
  origin: "corpus" | "fixtures";
  dir: string;
  pages: BenchPage[];
}

/**
 * The same order on every run, but shuffled (seeded), so that the first N pages of any run are a
 * fair sample of every dataset and language rather than the manifest's first dataset.
 */
export function seededShuffle<T>(items: readonly T[], seed = 1): T[] {
  const out = [...items];
  let a = seed >>> 0;
  const rand = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Load the distinct pages (at most `limit`), spread over the whole corpus manifest, in a fixed shuffled order. */
export function loadPages(limit = Infinity): PageSet {
  const shared = sharedDir();
  if (shared) {
    const dir = join(shared, "corpus");
    try {
      const lines = readFileSync(join(dir, "manifest.jsonl"), "utf8").split("\n").filter(Boolean);
      const count = Math.min(limit, lines.length);
      const step = lines.length / count;
      const pages: BenchPage[] = [];
      for (let k = 0; k < count; k++) {
        const e = JSON.parse(lines[Math.floor(k * step)]!) as { id: string; html: string; lang?: string; url?: string; published?: string };
        pages.push({
          id: e.id, bytes: gunzipSync(readFileSync(join(dir, e.html))),
          ...(e.lang ? { lang: e.lang } : {}), ...(e.url ? { url: e.url } : {}), ...(e.published ? { published: e.published } : {}),
        });
      }
      if (pages.length > 0) return { origin: "corpus", dir, pages: seededShuffle(pages) };
    } catch {
      /* fall back to the fixtures */
    }
  }
  const manifest = JSON.parse(readFileSync(join(FIXTURE_PAGES_DIR, "manifest.json"), "utf8")) as { file: string; language?: string; published?: string }[];
  const pages = manifest.slice(0, Math.max(1, Math.min(limit, manifest.length))).map((m) => ({
    id: m.file, bytes: readFileSync(join(FIXTURE_PAGES_DIR, m.file)),
    ...(m.language ? { lang: m.language } : {}), ...(m.published ? { published: m.published } : {}),
  }));
  return { origin: "fixtures", dir: FIXTURE_PAGES_DIR, pages };
}

export interface PageServer {
  port: number;
  /** host:port, for TIDINGS_FETCH_ALLOW_HOSTS. */
  host: string;
  url(i: number): string;
  stats: { requests: number; bytes: number; firstRequest: number; lastAnswer: number };
  close(): Promise<void>;
}

/** Serve `/p/<i>` -> pages[i % pages.length] on 127.0.0.1 (and a permissive robots.txt). */
export async function startPageServer(pages: readonly BenchPage[]): Promise<PageServer> {
  if (pages.length === 0) throw new Error("no pages to serve");
  const stats: PageServer["stats"] = { requests: 0, bytes: 0, firstRequest: 0, lastAnswer: 0 };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/robots.txt") {
      res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nAllow: /\n");
      return;
    }
    const m = /^\/p\/(\d+)$/.exec(path);
    if (!m) {
      res.writeHead(404, { "content-type": "text/html" }).end("<html><body>not found</body></html>");
      return;
    }
    const page = pages[Number(m[1]) % pages.length]!;
    stats.requests++;
    stats.bytes += page.bytes.length;
    if (stats.firstRequest === 0) stats.firstRequest = Date.now();
    res.writeHead(200, { "content-type": "text/html", "content-length": String(page.bytes.length) }).end(page.bytes);
    stats.lastAnswer = Date.now();
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const host = `127.0.0.1:${port}`;
  return {
    port, host, stats,
    url: (i) => `http://${host}/p/${i}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
