/**
 * Throughput of fetchPage against a local server: `npx tsx workers/fetch/test/bench.ts [pages] [concurrency] [bytes]`.
 * Not a vitest file (no .test.ts): run by hand. Prints pages/s and peak RSS.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { closeAgents, fetchPage, MemoryRobotsCache } from "../src/index.ts";

const pages = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const size = Number(process.argv[4] ?? 20_000);
const gzip = process.argv.includes("--gzip");

const para = "<p>Reuters reported on Wednesday that the ministers met in Geneva to discuss the ceasefire. ";
const body = `<!doctype html><html><head><meta charset="utf-8"><title>Bench</title></head><body>${para.repeat(Math.ceil(size / para.length))}</body></html>`;
const gz = zlib.gzipSync(body);

const server = http.createServer((req, res) => {
  if (req.url === "/robots.txt") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("User-agent: *\nDisallow: /private\n");
    return;
  }
  if (gzip) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "gzip", "content-length": gz.length });
    res.end(gz);
  } else {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
const policy = { ssrf: { allowHosts: [`127.0.0.1:${port}`], allowCidrs: [] }, robotsCache: new MemoryRobotsCache() };

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
let next = 0;
let ok = 0;
let failed = 0;
let bytes = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < pages) {
      const i = next++;
      try {
        const p = await fetchPage(`http://127.0.0.1:${port}/article/${i}?utm_source=bench`, policy);
        bytes += p.bytes;
        ok++;
      } catch (e) {
        failed++;
        if (failed < 5) console.error(e);
      }
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(
  JSON.stringify({
    pages,
    concurrency,
    page_bytes: gzip ? gz.length : Buffer.byteLength(body),
    decoded_bytes: Buffer.byteLength(body),
    gzip,
    ok,
    failed,
    seconds: Number(secs.toFixed(2)),
    pages_per_s: Math.round(ok / secs),
    mb_per_s: Number((bytes / secs / 1e6).toFixed(1)),
    peak_rss_mb: Math.round(peakRss / 1024 / 1024),
  }),
);
await closeAgents();
server.close();
