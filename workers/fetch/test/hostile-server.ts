/**
 * A local HTTP server (127.0.0.1, random port) that plays the hostile web for the fetch tests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import iconv from "iconv-lite";

export const ZH_TEXT =
  "中国外交部发言人周三在例行记者会上表示，中方愿同各方一道，推动地区局势缓和。据新华社报道，双方领导人就双边关系和共同关心的国际地区问题深入交换了意见。";
export const JA_TEXT =
  "政府は水曜日、東京で記者会見を開き、新しい経済対策を発表した。首相は国民の生活を守るために全力を尽くすと述べた。";

const html = (body: string, head = ""): string =>
  `<!doctype html><html><head>${head}<title>Test</title></head><body><p>${body}</p></body></html>`;

export interface HostileServer {
  port: number;
  origin: string;
  /** Number of requests per path seen so far. */
  hits: Map<string, number>;
  /** User-Agent headers seen. */
  userAgents: string[];
  close(): Promise<void>;
}

export interface ServerOptions {
  robots?: string;
  /** Port of another local server used as a redirect target. */
  otherPort?: number;
}

export async function startHostileServer(opts: ServerOptions = {}): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const userAgents: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, f: () => void): NodeJS.Timeout => {
    const t = setInterval(f, ms);
    timers.add(t);
    return t;
  };
  // A 64 MiB run of spaces compresses to ~64 KB (gzip) and a few KB (brotli).
  const zeros = Buffer.alloc(64 * 1024 * 1024, 0x20);
  const gzipBomb = zlib.gzipSync(zeros, { level: 9 });
  const brotliBomb = zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  let port = 0;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    userAgents.push(String(req.headers["user-agent"]));
    const send = (status: number, headers: http.OutgoingHttpHeaders, body?: string | Buffer): void => {
      res.writeHead(status, headers);
      res.end(body);
    };
    const m = /^\/chain\/(\d+)$/.exec(path);
    if (m) return send(302, { location: `/chain/${Number(m[1]) + 1}` });
    switch (path) {
      case "/robots.txt":
        if (opts.robots === undefined) return send(404, { "content-type": "text/plain" }, "not found");
        return send(200, { "content-type": "text/plain" }, opts.robots);
      case "/ok":
        return send(
          200,
          { "content-type": "text/html; charset=utf-8", "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT", etag: '"abc"' },
          html("Hello, wörld"),
        );
      case "/plain":
        return send(200, { "content-type": "text/plain" }, "just text, plain\n");
      case "/no-type":
        res.writeHead(200);
        return void res.end(html("no content type"));
      case "/gzip":
        return send(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "gzip" }, zlib.gzipSync(html("gzip ok")));
      case "/br":
        return send(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "br" }, zlib.brotliCompressSync(html("brotli ok")));
      case "/deflate":
        return send(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "deflate" }, zlib.deflateSync(html("deflate ok")));
      case "/slow-headers": {
        // Accept the request, never answer (until the client gives up).
        req.socket.on("close", () => undefined);
        return;
      }
      case "/trickle-headers": {
        // Status line then one header line every 50 ms, forever.
        res.socket?.write("HTTP/1.1 200 OK\r\n");
        let i = 0;
        const t = every(50, () => {
          if (res.socket?.destroyed) return clearInterval(t);
          res.socket?.write(`x-filler-${i++}: y\r\n`);
        });
        return;
      }
      case "/drip": {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.write("<html><body>");
        const t = every(40, () => {
          if (res.destroyed) return clearInterval(t);
          res.write("a");
        });
        return;
      }
      case "/stall": {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.write("<html><body>start");
        return;
      }
      case "/endless": {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
        return;
      }
      case "/big-declared":
        res.writeHead(200, { "content-type": "text/html", "content-length": String(50 * 1024 * 1024) });
        res.write("<html>");
        return;
      case "/gzip-bomb":
        return send(200, { "content-type": "text/html", "content-encoding": "gzip" }, gzipBomb);
      case "/brotli-bomb":
        return send(200, { "content-type": "text/html", "content-encoding": "br" }, brotliBomb);
      case "/loop-a":
        return send(302, { location: "/loop-b" });
      case "/loop-b":
        return send(301, { location: `http://127.0.0.1:${port}/loop-a#x` });
      case "/redirect-ok":
        return send(301, { location: "/ok" });
      case "/to-loopback-other-port":
        return send(302, { location: `http://127.0.0.1:${opts.otherPort ?? 1}/ok` });
      case "/to-localhost-name":
        return send(302, { location: `http://localhost:${port}/ok` });
      case "/to-metadata":
        return send(302, { location: "http://169.254.169.254/latest/meta-data/" });
      case "/to-decimal-ip":
        return send(302, { location: "http://2130706433/" });
      case "/to-mapped-v6":
        return send(302, { location: "http://[::ffff:127.0.0.1]/" });
      case "/to-file":
        return send(302, { location: "file:///etc/passwd" });
      case "/gbk":
        return send(200, { "content-type": "text/html" }, iconv.encode(html(ZH_TEXT), "gbk"));
      case "/sjis-wrong-header":
        return send(200, { "content-type": "text/html; charset=utf-8" }, iconv.encode(html(JA_TEXT), "shift_jis"));
      case "/utf8-says-sjis":
        return send(200, { "content-type": "text/html; charset=shift_jis" }, Buffer.from(html(JA_TEXT)));
      case "/429":
        return send(429, { "content-type": "text/plain", "retry-after": "120" }, "slow down");
      case "/503-date":
        return send(503, { "content-type": "text/plain", "retry-after": new Date(Date.now() + 60_000).toUTCString() }, "maintenance");
      case "/404":
        return send(404, { "content-type": "text/html" }, html("not here"));
      case "/410":
        return send(410, { "content-type": "text/html" }, html("gone"));
      case "/408":
        return send(408, { "content-type": "text/html" }, html("timeout"));
      case "/500":
        return send(500, { "content-type": "text/html" }, html("oops"));
      case "/private/secret":
        return send(200, { "content-type": "text/html" }, html("secret"));
      case "/png":
        return send(200, { "content-type": "image/png" }, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"));
      case "/png-as-html":
        return send(200, { "content-type": "text/html" }, Buffer.from("89504e470d0a1a0a0000000d4948445200000001", "hex"));
      case "/empty":
        return send(200, { "content-type": "text/html", "content-length": "0" });
      case "/blank":
        return send(200, { "content-type": "text/html" }, "   \n\n  ");
      case "/204":
        return send(204, {});
      case "/cf-challenge":
        return send(
          503,
          { "content-type": "text/html; charset=UTF-8", server: "cloudflare" },
          `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><div class="main-wrapper"><noscript>Enable JavaScript and cookies to continue</noscript><script>(function(){window._cf_chl_opt={cvId: '3'};var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';document.head.appendChild(a);}());</script></div></body></html>`,
        );
      case "/cf-attention":
        return send(
          403,
          { "content-type": "text/html" },
          `<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body><h1>Sorry, you have been blocked</h1><div class="cf-error-details">Cloudflare Ray ID: 8a1b</div></body></html>`,
        );
      case "/captcha-202":
        return send(202, { "content-type": "text/html" }, `<html><head><title>Security check</title></head><body><div class="g-recaptcha" data-sitekey="x"></div></body></html>`);
      case "/forbidden":
        return send(403, { "content-type": "text/html" }, html("Forbidden"));
      case "/header-mitigated":
        return send(403, { "content-type": "text/html", "cf-mitigated": "challenge" }, html("..."));
      case "/reset":
        req.socket.destroy();
        return;
      case "/go":
        return send(302, { location: new URL(req.url ?? "/", "http://x").searchParams.get("to") ?? "/" });
      case "/echo-host":
        return send(200, { "content-type": "text/plain" }, `host=${req.headers.host}`);
      default:
        return send(404, { "content-type": "text/plain" }, "no route");
    }
  });
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    hits,
    userAgents,
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
