/**
 * Security, end to end:
 *  - SSRF: private, loopback, unique-local and link-local addresses in every spelling, a name
 *    that resolves to loopback, and redirects into the network are refused by the fetch stage
 *    (reason blocked_address) by default, before any connection: a sentinel server on this
 *    machine sees no request at all;
 *  - the dashboard and its API: no access without credentials off loopback, no write without
 *    both credentials and the write switch, every parameter validated (400 naming it), and no
 *    query-string injection into Elasticsearch (only structured queries are built);
 *  - secrets: logs redact credentials in URLs, Bearer/Basic values, secret-looking fields and
 *    the environment's secret values (checked on the captured log output).
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkExposure } from "@tidings/scripts/dashboard/auth";
import { startDashboard, type RunningDashboard } from "@tidings/scripts/dashboard/server";
import { captureLogs, childLogger, redactText, type SourceRecord } from "@tidings/shared";
import { openHarness, type Harness } from "../src/harness.ts";

const TOKEN = "sec-test-token-0123456789abcdef";
const PASSWORD = "sec-test-pass-9876";

describe("security", () => {
  let h: Harness;
  let sentinel: Server;
  let sentinelHits = 0;
  let sentinelPort = 0;
  let open: RunningDashboard;
  let secured: RunningDashboard;
  let ssrf: Map<string, SourceRecord>;
  let ssrfMs = 0;
  let eventCount = 0;
  const ssrfUrls: string[] = [];

  beforeAll(async () => {
    // Something listening on this machine that nobody may reach through the fetcher.
    sentinel = createServer((_req, res) => { sentinelHits++; res.writeHead(200, { "content-type": "text/html" }).end("<p>internal secret</p>"); });
    await new Promise<void>((r) => sentinel.listen(0, "127.0.0.1", r));
    sentinelPort = (sentinel.address() as { port: number }).port;

    h = await openHarness("security", { fixtures: true, seeds: false, corpusPages: 0 });
    h.web.route("/redirect/private", 302, "", { location: "http://10.1.2.3/admin" });
    h.web.route("/redirect/loopback", 302, "", { location: `http://127.0.0.1:${sentinelPort}/` });
    h.web.route("/redirect/localhost", 302, "", { location: `http://localhost:${sentinelPort}/` });
    h.web.route("/redirect/metadata", 302, "", { location: "http://169.254.169.254/latest/meta-data/" });
    ssrfUrls.push(
      "http://10.0.0.1/", "http://10.255.255.254:8080/x", "http://172.16.0.1/", "http://172.31.255.1/", "http://192.168.1.1/",
      "http://[::1]/", `http://[::1]:${sentinelPort}/`, "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/",
      "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", `http://127.0.0.1:${sentinelPort}/`, `http://2130706433:${sentinelPort}/`,
      `http://localhost:${sentinelPort}/`, "http://0.0.0.0/", "http://169.254.169.254/latest/meta-data/",
      h.web.url("/redirect/private"), h.web.url("/redirect/loopback"), h.web.url("/redirect/localhost"), h.web.url("/redirect/metadata"),
    );
    const fixtures = h.web.pages.map((p) => ({ url: h.web.url(p.path), ...(p.published ? { meta: { published: p.published } } : {}) }));
    const t0 = Date.now();
    const { batch_id } = await h.producer.enqueue([...ssrfUrls.map((url) => ({ url })), ...fixtures], { label: "security" });
    await h.waitForBatch(batch_id, 180_000);
    ssrfMs = Date.now() - t0;
    ssrf = new Map((await h.sources(batch_id)).map((s) => [s.url, s]));
    eventCount = await h.count("events");

    const deps = { config: h.config, redis: h.redis, producer: h.producer, es: h.es };
    open = await startDashboard(deps, { host: "127.0.0.1", port: 0, auth: {} });
    secured = await startDashboard(deps, { host: "127.0.0.1", port: 0, auth: { token: TOKEN, user: "ops", password: PASSWORD } });
  }, 240_000);

  afterAll(async () => {
    await open?.close();
    await secured?.close();
    await h?.close();
    await new Promise<void>((r) => (sentinel ? sentinel.close(() => r()) : r()));
  }, 60_000);

  describe("SSRF through the pipeline", () => {
    it("refuses every private, loopback and link-local target and redirect with blocked_address", () => {
      for (const url of ssrfUrls) {
        const s = [...ssrf.values()].find((x) => x.url === url || x.url === tryNormalise(url));
        expect(s, url).toBeDefined();
        expect(s!.status, url).toBe("failed");
        expect(s!.failure, url).toMatchObject({ stage: "fetch", reason: "blocked_address" });
      }
    });

    it("refused them before connecting: the machine's own server saw no request, and nothing waited for a timeout", () => {
      expect(sentinelHits).toBe(0);
      expect(ssrfMs).toBeLessThan(60_000);
    });
  });

  describe("dashboard and API", () => {
    it("will not listen off loopback without credentials", async () => {
      expect(checkExposure("0.0.0.0", {}).ok).toBe(false);
      expect(checkExposure("::", {}).ok).toBe(false);
      expect(checkExposure("192.168.1.10", { token: "short" }).ok).toBe(false);
      expect(checkExposure("0.0.0.0", { token: TOKEN }).ok).toBe(true);
      const deps = { config: h.config, redis: h.redis, producer: h.producer, es: h.es };
      await expect(startDashboard(deps, { host: "0.0.0.0", port: 0, auth: {} })).rejects.toThrow(/without credentials/);
    });

    it("lets nobody read or write without credentials when they are set (probes excepted)", async () => {
      for (const path of ["/", "/api/batches", "/api/events", "/api/sources", "/metrics", "/queues", "/queues/api/queues"]) {
        expect((await fetch(`${secured.url}${path}`)).status, path).toBe(401);
        expect((await fetch(`${secured.url}${path}`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status, path).toBe(401);
        expect((await fetch(`${secured.url}${path}?token=wrong`)).status, path).toBe(401);
      }
      const basicWrong = `Basic ${Buffer.from(`ops:${PASSWORD}x`).toString("base64")}`;
      expect((await fetch(`${secured.url}/api/batches`, { headers: { authorization: basicWrong } })).status).toBe(401);
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        expect((await fetch(`${secured.url}/queues/api/queues/fetch/retry/failed`, { method })).status, method).toBe(401);
      }
      expect((await fetch(`${secured.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${secured.url}/api/batches`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(`${secured.url}/api/batches`, { headers: { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString("base64")}` } })).status).toBe(200);
    });

    it("refuses writes even with credentials while the write switch is off", async () => {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const res = await fetch(`${secured.url}/queues/api/queues/fetch/retry/failed`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status, method).toBe(403);
        expect((await fetch(`${open.url}/queues/api/queues/fetch/clean/completed`, { method })).status, method).toBe(403);
      }
    });

    it("validates every parameter: 400 naming it", async () => {
      const bad: [string, string][] = [
        ["/api/events", "type=BOGUS"], ["/api/events", "mode=DROP%20TABLE"], ["/api/events", "language=english"], ["/api/events", "sort=_score"],
        ["/api/events", "from=2024-13"], ["/api/events", "to=2023-02-29"], ["/api/events", "to=yesterday"], ["/api/events", "near=1"], ["/api/events", "near=1,2,x"], ["/api/events", "near=91,0,10"],
        ["/api/events", "min_sources=-1"], ["/api/events", "size=100000"], ["/api/events", "offset=abc"], ["/api/events", `text=${"x".repeat(600)}`],
        ["/api/events", `actor=${"a,".repeat(30)}`], ["/api/timeline", "interval=century"],
        ["/api/sources", "batch=a%20b"], ["/api/sources", "status=deleted"], ["/api/sources", "reason=a%20b"], ["/api/sources", "site=a/b"], ["/api/sources", "language=xx1"],
        ["/api/batches/..%2F..%2Fetc", ""],
      ];
      for (const [path, query] of bad) {
        const res = await fetch(`${open.url}${path}${query ? `?${query}` : ""}`);
        expect([400, 404], `${path}?${query}`).toContain(res.status);
        if (res.status === 400) {
          const body = (await res.json()) as { parameter?: string; error: string };
          expect(body.error, `${path}?${query}`).toMatch(/\w/);
          if (query) expect(body.parameter, `${path}?${query}`).toBe(query.split("=")[0]);
        }
      }
    });

    it("builds structured queries only: wildcards, lucene syntax and quote tricks find nothing extra", async () => {
      expect(eventCount).toBeGreaterThan(0);
      const all = (await (await fetch(`${open.url}/api/events?size=500`)).json()) as { total: number };
      expect(all.total).toBe(eventCount);
      // Lucene range syntax is only words here: "[* TO *]" finds what the word "to" finds.
      const total = async (q: string) => ((await (await fetch(`${open.url}/api/events?${q}&size=500`)).json()) as { total: number }).total;
      expect(await total("text=%5B*%20TO%20*%5D")).toBe(await total("text=to"));
      for (const q of ["text=*", "text=*:*", "text=type:CONSULT%20OR%20*:*", "text=%22%20OR%201%3D1", "text=_exists_:id", "place=*", "place=%22%20OR%201%3D1"]) {
        const res = await fetch(`${open.url}/api/events?${q}&size=500`);
        expect(res.status, q).toBe(200);
        const body = (await res.json()) as { total: number };
        expect(body.total, q).toBe(0); // a query-string parser would have matched everything
      }
      for (const q of ["actor=%22%20OR%201%3D1", "actor=*", "target=*:*", "source=%5C"]) {
        const res = await fetch(`${open.url}/api/events?${q}&size=500`);
        expect([200, 400], q).toContain(res.status);
        if (res.status === 200) expect(((await res.json()) as { total: number }).total, q).toBe(0);
      }
      const sources = await fetch(`${open.url}/api/sources?site=*`);
      expect(sources.status).toBe(400);
    });
  });

  describe("secrets", () => {
    it("never logs credentials, tokens or the environment's secrets", () => {
      const saved = process.env.TIDINGS_DASHBOARD_PASSWORD;
      process.env.TIDINGS_DASHBOARD_PASSWORD = "env-secret-value-4242";
      const cap = captureLogs();
      try {
        const log = childLogger({ stage: "security-test" });
        log.error("fetch of https://alice:pa55word@example.org/feed?token=abc123&page=2 failed", {
          url: "redis://:redispass99@10.0.0.5:6379/0",
          headers: { Authorization: `Bearer ${TOKEN}`, cookie: "tidings_dashboard=xyz", accept: "text/html" },
          api_key: "k-123456", elasticsearchPassword: "espass123", note: "dashboard password is env-secret-value-4242",
          nested: { deeper: [{ auth: "Basic b3BzOnNlY3JldA==" }] },
        });
        log.warn(new Error(`connect failed: http://elastic:espass123@127.0.0.1:9200/ with Bearer ${TOKEN}`) as unknown as string);
      } finally {
        cap.stop();
        if (saved === undefined) delete process.env.TIDINGS_DASHBOARD_PASSWORD;
        else process.env.TIDINGS_DASHBOARD_PASSWORD = saved;
      }
      const out = cap.lines().join("\n");
      expect(out).toContain("fetch of https://alice:***@example.org/feed?token=[redacted]&page=2 failed");
      for (const secret of ["pa55word", "abc123", "redispass99", TOKEN, "xyz", "k-123456", "espass123", "env-secret-value-4242", "b3BzOnNlY3JldA=="]) {
        expect(out, secret).not.toContain(secret);
      }
      expect(out).toContain("text/html"); // ordinary values stay
      expect(redactText("see http://u:p@h/ and Bearer abcdef123")).toBe("see http://u:***@h/ and Bearer [redacted]");
    });

    it("stores no credentials of a refused URL on its source record", () => {
      // (invalid inputs are recorded as they were given, but redacted)
      for (const s of ssrf.values()) expect(s.url).not.toMatch(/:\/\/[^/\s]*:[^/\s*]+@/);
    });
  });
});

function tryNormalise(url: string): string {
  try {
    return new URL(url).toString();
  } catch {
    return url;
  }
}
