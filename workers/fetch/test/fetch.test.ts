import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyUtf8, withoutBody } from "../src/fetch.ts";
import { closeAgents, FetchError, fetchPage, MemoryRobotsCache, type FetchPolicy } from "../src/index.ts";
import { JA_TEXT, startHostileServer, ZH_TEXT, type HostileServer } from "./hostile-server.ts";

let srv: HostileServer;
let other: HostileServer;
let robotsSrv: HostileServer;

beforeAll(async () => {
  other = await startHostileServer();
  srv = await startHostileServer({ otherPort: other.port });
  robotsSrv = await startHostileServer({ robots: "User-agent: *\nDisallow: /private\n\nUser-agent: OtherBot\nDisallow: /\n" });
});

afterAll(async () => {
  await closeAgents();
  await Promise.all([srv.close(), other.close(), robotsSrv.close()]);
});

/** Short timeouts, the test server allowlisted by exact host:port, robots off unless asked. */
function policy(extra: Partial<FetchPolicy> = {}): Partial<FetchPolicy> {
  return {
    connectTimeoutMs: 1000,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 400,
    maxBodyBytes: 1024 * 1024,
    respectRobots: false,
    ssrf: { allowHosts: [`127.0.0.1:${srv.port}`, `127.0.0.1:${robotsSrv.port}`], allowCidrs: [] },
    ...extra,
  };
}

async function failure(url: string, p: Partial<FetchPolicy> = policy()): Promise<FetchError> {
  try {
    await fetchPage(url, p);
  } catch (e) {
    if (e instanceof FetchError) return e;
    throw e;
  }
  throw new Error(`expected ${url} to fail`);
}

describe("fetchPage: pages", () => {
  it("fetches a UTF-8 page and records provenance", async () => {
    const page = await fetchPage(`${srv.origin}/ok`, policy());
    expect(page).toMatchObject({
      requested_url: `${srv.origin}/ok`,
      final_url: `${srv.origin}/ok`,
      http_status: 200,
      content_type: "text/html",
      kind: "html",
      charset: "utf-8",
      charset_source: "header",
      last_modified: "Wed, 01 Jan 2025 00:00:00 GMT",
      etag: '"abc"',
      redirects: [],
    });
    expect(page.body).toContain("Hello, wörld");
    expect(page.bytes).toBe(Buffer.byteLength(page.body));
    expect(typeof page.timing_ms).toBe("number");
    expect(Number.isNaN(Date.parse(page.fetched_at))).toBe(false);
    expect(srv.userAgents.at(-1)).toBe("TidingsBot/0.1 (+https://github.com/tidings)");
  });

  it("a valid UTF-8 body is kept as its bytes: decoded only when read, serialised with its text", async () => {
    const page = await fetchPage(`${srv.origin}/ok`, policy());
    const bytes = bodyUtf8(page);
    expect(bytes).toBeDefined();
    expect(Buffer.from(bytes!).toString("utf8")).toBe(page.body);
    expect(Object.keys(withoutBody(page)).sort()).toEqual(Object.keys(page).filter((k) => k !== "body").sort());
    expect(JSON.parse(JSON.stringify(page)).body).toBe(page.body);
    // A page decoded from a legacy charset has no bytes to hand on.
    expect(bodyUtf8(await fetchPage(`${srv.origin}/gbk`, policy()))).toBeUndefined();
  });

  it("plain text is kind text", async () => {
    const page = await fetchPage(`${srv.origin}/plain`, policy());
    expect(page.kind).toBe("text");
    expect(page.content_type).toBe("text/plain");
  });

  it("a page without Content-Type is sniffed as HTML", async () => {
    const page = await fetchPage(`${srv.origin}/no-type`, policy());
    expect(page.kind).toBe("html");
    expect(page.content_type).toBe("text/html");
  });

  it.each(["gzip", "br", "deflate"])("decompresses %s", async (enc) => {
    const page = await fetchPage(`${srv.origin}/${enc}`, policy());
    expect(page.body).toContain(`${enc === "br" ? "brotli" : enc} ok`);
    expect(page.bytes).toBeLessThan(Buffer.byteLength(page.body) + 30);
  });

  it("follows a redirect and records it", async () => {
    const page = await fetchPage(`${srv.origin}/redirect-ok#frag`, policy());
    expect(page.final_url).toBe(`${srv.origin}/ok`);
    expect(page.redirects).toEqual([`${srv.origin}/ok`]);
    expect(page.requested_url).toBe(`${srv.origin}/redirect-ok#frag`);
  });
});

describe("fetchPage: charsets", () => {
  it("GBK page without any charset declaration is sniffed", async () => {
    const page = await fetchPage(`${srv.origin}/gbk`, policy());
    expect(page.charset).toMatch(/^gb(k|18030)$/);
    expect(page.charset_source).toBe("sniffed");
    expect(page.body).toContain(ZH_TEXT);
  });

  it("Shift_JIS page with a wrong (utf-8) header is sniffed", async () => {
    const page = await fetchPage(`${srv.origin}/sjis-wrong-header`, policy());
    expect(page.charset).toBe("shift_jis");
    expect(page.charset_source).toBe("sniffed");
    expect(page.body).toContain(JA_TEXT);
  });

  it("UTF-8 bytes under a shift_jis header are read as UTF-8", async () => {
    const page = await fetchPage(`${srv.origin}/utf8-says-sjis`, policy());
    expect(page.charset).toBe("utf-8");
    expect(page.charset_source).toBe("sniffed");
    expect(page.body).toContain(JA_TEXT);
  });
});

describe("fetchPage: timeouts and size limits", () => {
  it("slow headers -> header_timeout (transient)", async () => {
    const e = await failure(`${srv.origin}/slow-headers`);
    expect(e.reason).toBe("header_timeout");
    expect(e.permanent).toBe(false);
  });

  it("headers trickled forever -> header_timeout", async () => {
    const t0 = Date.now();
    const e = await failure(`${srv.origin}/trickle-headers`);
    expect(e.reason).toBe("header_timeout");
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("slow body drip -> body_timeout on the whole-body deadline", async () => {
    const t0 = Date.now();
    const e = await failure(`${srv.origin}/drip`);
    expect(e.reason).toBe("body_timeout");
    expect(e.permanent).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("stalled body -> body_timeout", async () => {
    const e = await failure(`${srv.origin}/stall`);
    expect(e.reason).toBe("body_timeout");
  });

  it("endless body -> too_large (permanent)", async () => {
    const e = await failure(`${srv.origin}/endless`);
    expect(e.reason).toBe("too_large");
    expect(e.permanent).toBe(true);
  });

  it("declared Content-Length over the cap -> too_large without reading", async () => {
    const e = await failure(`${srv.origin}/big-declared`);
    expect(e.reason).toBe("too_large");
    expect(e.detail).toMatch(/Content-Length/);
  });

  it.each(["gzip-bomb", "brotli-bomb"])("%s stops at the decompressed cap", async (path) => {
    const before = process.memoryUsage().rss;
    const t0 = Date.now();
    const e = await failure(`${srv.origin}/${path}`, policy({ maxBodyBytes: 5 * 1024 * 1024 }));
    expect(e.reason).toBe("too_large");
    expect(e.permanent).toBe(true);
    expect(e.detail).toMatch(/decompressed/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("connection reset -> connection_error (transient)", async () => {
    const e = await failure(`${srv.origin}/reset`);
    expect(e.reason).toBe("connection_error");
    expect(e.permanent).toBe(false);
  });

  it("refused connection -> connection_error (transient)", async () => {
    const port = other.port;
    await other.close();
    other = await startHostileServer();
    const e = await failure(`http://127.0.0.1:${port}/ok`, policy({ ssrf: { allowHosts: [`127.0.0.1:${port}`], allowCidrs: [] } }));
    expect(e.reason).toBe("connection_error");
    expect(e.permanent).toBe(false);
  });

  it("the caller's AbortSignal stops a fetch (transient connection_error)", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const e = await fetchPage(`${srv.origin}/drip`, policy({ bodyTimeoutMs: 5000 }), { signal: ac.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FetchError);
    expect((e as FetchError).reason).toBe("connection_error");
    expect((e as FetchError).permanent).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("slow DNS -> connect_timeout", async () => {
    const e = await failure(
      "http://slow-dns.test/",
      policy({ connectTimeoutMs: 100, resolver: () => new Promise((r) => setTimeout(() => r([{ address: "8.8.8.8", family: 4 }]), 1000)) }),
    );
    expect(e.reason).toBe("connect_timeout");
    expect(e.permanent).toBe(false);
  });
});

describe("fetchPage: redirects", () => {
  it("redirect loop -> redirect_loop", async () => {
    const e = await failure(`${srv.origin}/loop-a`);
    expect(e.reason).toBe("redirect_loop");
    expect(e.permanent).toBe(true);
  });

  it("endless chain -> too_many_redirects", async () => {
    const e = await failure(`${srv.origin}/chain/0`, policy({ maxRedirects: 3 }));
    expect(e.reason).toBe("too_many_redirects");
    expect(e.permanent).toBe(true);
    expect(srv.hits.get("/chain/3")).toBeGreaterThan(0);
    expect(srv.hits.get("/chain/4")).toBeUndefined();
  });

  it("redirect to a non-http scheme -> bad_url", async () => {
    const e = await failure(`${srv.origin}/to-file`);
    expect(e.reason).toBe("bad_url");
    expect(e.permanent).toBe(true);
  });
});

describe("fetchPage: SSRF guard", () => {
  it.each([
    ["another loopback port", "/to-loopback-other-port"],
    ["a loopback name (localhost) on the allowed port", "/to-localhost-name"],
    ["169.254.169.254 (cloud metadata)", "/to-metadata"],
    ["a decimal IPv4 (2130706433)", "/to-decimal-ip"],
    ["an IPv4-mapped IPv6 literal", "/to-mapped-v6"],
  ])("redirect to %s -> blocked_address", async (_name, path) => {
    const otherHits = other.hits.get("/ok") ?? 0;
    const e = await failure(`${srv.origin}${path}`);
    expect(e.reason).toBe("blocked_address");
    expect(e.permanent).toBe(true);
    expect(other.hits.get("/ok") ?? 0).toBe(otherHits);
  });

  it.each([
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
  ])("%s is refused before connecting", async (url) => {
    const e = await failure(url, policy({ ssrf: { allowHosts: [], allowCidrs: [] } }));
    expect(e.reason).toBe("blocked_address");
    expect(e.permanent).toBe(true);
  });

  it("the test server itself is refused without the allowlist", async () => {
    const e = await failure(`${srv.origin}/ok`, policy({ ssrf: { allowHosts: [], allowCidrs: [] } }));
    expect(e.reason).toBe("blocked_address");
  });

  it("a name resolving to a private address is refused at connect time", async () => {
    const e = await failure(
      `http://internal.test:${srv.port}/ok`,
      policy({ resolver: async () => [{ address: "127.0.0.1", family: 4 }] }),
    );
    expect(e.reason).toBe("blocked_address");
  });

  it("a name with mixed public and private addresses is refused", async () => {
    const e = await failure(
      `http://mixed.test:${srv.port}/ok`,
      policy({
        resolver: async () => [
          { address: "93.184.216.34", family: 4 },
          { address: "10.0.0.5", family: 4 },
        ],
      }),
    );
    expect(e.reason).toBe("blocked_address");
  });

  it("connects to the checked address (pinned) and keeps the Host header", async () => {
    let lookups = 0;
    const page = await fetchPage(
      `http://pinned.test:${srv.port}/echo-host`,
      policy({
        ssrf: { allowHosts: [], allowCidrs: ["127.0.0.1/32"] },
        resolver: async () => {
          lookups++;
          // A rebinding resolver: the first answer is the allowed one, later answers would not be.
          return lookups === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.9.9.9", family: 4 }];
        },
      }),
    );
    expect(page.body).toBe(`host=pinned.test:${srv.port}`);
    expect(lookups).toBe(1);
  });

  it("DNS failure -> dns_error", async () => {
    const e = await failure(
      "http://nx.test/",
      policy({ resolver: async () => Promise.reject(Object.assign(new Error("nx"), { code: "ENOTFOUND" })) }),
    );
    expect(e.reason).toBe("dns_error");
    expect(e.permanent).toBe(true);
  });
});

describe("fetchPage: HTTP statuses", () => {
  it("429 with Retry-After -> http_429, transient, retryAfterMs", async () => {
    const e = await failure(`${srv.origin}/429`);
    expect(e).toMatchObject({ reason: "http_429", permanent: false, retryAfterMs: 120_000, httpStatus: 429 });
  });

  it("503 with an HTTP-date Retry-After", async () => {
    const e = await failure(`${srv.origin}/503-date`);
    expect(e.reason).toBe("http_503");
    expect(e.permanent).toBe(false);
    expect(e.retryAfterMs).toBeGreaterThan(50_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it.each([
    ["/404", "http_404", true],
    ["/410", "http_410", true],
    ["/408", "http_408", false],
    ["/500", "http_500", false],
    ["/forbidden", "http_403", true],
  ])("%s -> %s (permanent=%s)", async (path, reason, permanent) => {
    const e = await failure(`${srv.origin}${path}`);
    expect(e.reason).toBe(reason);
    expect(e.permanent).toBe(permanent);
  });
});

describe("fetchPage: content", () => {
  it("image/png -> unsupported_type, skipped", async () => {
    const e = await failure(`${srv.origin}/png`);
    expect(e).toMatchObject({ reason: "unsupported_type", permanent: true, skipped: true });
  });

  it("PNG bytes served as text/html -> unsupported_type, skipped", async () => {
    const e = await failure(`${srv.origin}/png-as-html`);
    expect(e).toMatchObject({ reason: "unsupported_type", skipped: true });
  });

  it("allowedContentTypes can widen what is kept", async () => {
    const e = await failure(`${srv.origin}/png`, policy({ allowedContentTypes: ["image/*"] }));
    expect(e.reason).toBe("unsupported_type"); // still binary
    expect(e.detail).toMatch(/binary/);
  });

  it.each(["/empty", "/blank"])("%s -> empty_body", async (path) => {
    const e = await failure(`${srv.origin}${path}`);
    expect(e.reason).toBe("empty_body");
    expect(e.permanent).toBe(false);
  });

  it("204 -> empty_body (permanent)", async () => {
    const e = await failure(`${srv.origin}/204`);
    expect(e).toMatchObject({ reason: "empty_body", permanent: true });
  });

  it.each([
    ["Cloudflare 'Just a moment' (503)", "/cf-challenge", 503],
    ["Cloudflare 'Attention Required' (403)", "/cf-attention", 403],
    ["captcha interstitial (202)", "/captcha-202", 202],
    ["cf-mitigated header (403)", "/header-mitigated", 403],
  ])("%s -> bot_wall", async (_name, path, status) => {
    const e = await failure(`${srv.origin}${path}`);
    expect(e).toMatchObject({ reason: "bot_wall", permanent: true, httpStatus: status });
  });

  it("a bad URL -> bad_url", async () => {
    for (const u of ["javascript:alert(1)", "ftp://x.org/", "http://user:pw@x.org/", "not a url"]) {
      const e = await failure(u);
      expect(e.reason).toBe("bad_url");
      expect(e.permanent).toBe(true);
    }
  });
});

describe("fetchPage: robots.txt", () => {
  it("disallowed path -> robots_disallowed (permanent); robots.txt fetched once per origin", async () => {
    const cache = new MemoryRobotsCache();
    const p = policy({ respectRobots: true, robotsCache: cache });
    const e = await failure(`${robotsSrv.origin}/private/secret`, p);
    expect(e).toMatchObject({ reason: "robots_disallowed", permanent: true });
    expect(robotsSrv.hits.get("/private/secret")).toBeUndefined();
    const page = await fetchPage(`${robotsSrv.origin}/ok`, p);
    expect(page.http_status).toBe(200);
    await Promise.all([1, 2, 3].map(() => fetchPage(`${robotsSrv.origin}/ok`, p)));
    expect(robotsSrv.hits.get("/robots.txt")).toBe(1);
    expect(cache.size).toBe(1);
  });

  it("concurrent first fetches share one robots.txt request", async () => {
    const cache = new MemoryRobotsCache();
    const before = robotsSrv.hits.get("/robots.txt") ?? 0;
    const p = policy({ respectRobots: true, robotsCache: cache });
    await Promise.all(Array.from({ length: 8 }, () => fetchPage(`${robotsSrv.origin}/ok`, p)));
    expect((robotsSrv.hits.get("/robots.txt") ?? 0) - before).toBe(1);
  });

  it("the UA's own group applies", async () => {
    const e = await failure(
      `${robotsSrv.origin}/ok`,
      policy({ respectRobots: true, robotsCache: new MemoryRobotsCache(), userAgent: "OtherBot/2.0" }),
    );
    expect(e.reason).toBe("robots_disallowed");
  });

  it("a 404 robots.txt allows everything", async () => {
    const page = await fetchPage(`${srv.origin}/ok`, policy({ respectRobots: true, robotsCache: new MemoryRobotsCache() }));
    expect(page.http_status).toBe(200);
  });

  it("redirect targets are robots-checked too", async () => {
    // srv has no robots.txt (404: all allowed); the redirect target's origin disallows /private.
    const target = encodeURIComponent(`${robotsSrv.origin}/private/secret`);
    const e = await failure(`${srv.origin}/go?to=${target}`, policy({ respectRobots: true, robotsCache: new MemoryRobotsCache() }));
    expect(e.reason).toBe("robots_disallowed");
    expect(robotsSrv.hits.get("/private/secret")).toBeUndefined();
  });
});
