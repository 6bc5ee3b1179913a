/**
 * The dashboard on a real running batch: workers in this process (the harness), the dashboard
 * server, and a real browser (Debian's Chromium through playwright-core). Some pages of the
 * local web server answer slowly, so the batch runs for several seconds while the page is open.
 * Screenshots go to test-output/screenshots/.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { loadFixtureManifest } from "@tidings/scripts/demo/web-server";
import { FIXTURE_PAGES_DIR } from "@tidings/scripts/demo/paths";
import { checkExposure, isLoopback, sessionValue, COOKIE_NAME } from "@tidings/scripts/dashboard/auth";
import { startDashboard, type RunningDashboard } from "@tidings/scripts/dashboard/server";
import { MetricsRecorder, QueueName, readMinuteSeries, type EnqueueItem } from "@tidings/shared";
import { openHarness, type Harness } from "../src/harness.ts";
import { launchBrowser } from "../src/browser.ts";

// What the functions evaluated in the page use of the DOM (the test project has no DOM lib).
declare const document: { querySelector(sel: string): { getAttribute(name: string): string | null } | null; documentElement: { scrollWidth: number } };

// Quieter workers (the root logger is made on first use, with this level).
process.env.LOG_LEVEL ??= "warn";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHOTS = join(ROOT, "test-output", "screenshots");
const TOKEN = "test-token-0123456789abcdef";

/** Serve a copy of a fixture page that answers only after `delayMs` (a slow site). */
function slowRoute(h: Harness, path: string, body: Buffer, contentType: string, delayMs: number): void {
  h.web.slowRoute(path, body, delayMs, { "content-type": contentType });
}

describe("dashboard", () => {
  let h: Harness;
  let dash: RunningDashboard;
  let secured: RunningDashboard;
  let browser: Browser;
  let batchId: string;
  let items: EnqueueItem[];
  const notFound = () => h.web.url("/errors/not-found");

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await openHarness("dash", { fixtures: true, seeds: false, corpusPages: 0 });
    const deps = { config: h.config, redis: h.redis, producer: h.producer, es: h.es };
    dash = await startDashboard(deps, { host: "127.0.0.1", port: 0, auth: {} });
    secured = await startDashboard(deps, { host: "127.0.0.1", port: 0, auth: { token: TOKEN, user: "ops", password: "s3cret-pass" } });
    browser = await launchBrowser();

    items = h.web.pages.map((p) => ({ url: h.web.url(p.path), ...(p.published ? { meta: { published: p.published } } : {}) }));
    // Slow copies of the fixture pages: the batch runs for 12 s at least (more when the fetch
    // stage's per-host politeness takes them one after another).
    const delays = [1000, 1500, 2000, 2500, 3000, 4000, 6000, 12_000];
    loadFixtureManifest().slice(0, delays.length).forEach((page, i) => {
      const path = `/slow/${i}${page.path}`;
      slowRoute(h, path, readFileSync(join(FIXTURE_PAGES_DIR, page.file)), page.content_type, delays[i]!);
      items.push({ url: h.web.url(path) });
    });
    items.push({ url: notFound() }, { url: "javascript:alert(1)" });
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    await secured?.close();
    await h?.close();
  });

  describe("exposure", () => {
    it("knows loopback addresses", () => {
      for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) expect(isLoopback(host), host).toBe(true);
      for (const host of ["0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "example.org", "::ffff:10.0.0.1"]) expect(isLoopback(host), host).toBe(false);
    });

    it("refuses a non-loopback address without credentials (pure check)", () => {
      expect(checkExposure("127.0.0.1", {})).toMatchObject({ ok: true, mode: "none" });
      const open = checkExposure("0.0.0.0", {});
      expect(open.ok).toBe(false);
      expect(open.message).toMatch(/TIDINGS_DASHBOARD_TOKEN/);
      expect(checkExposure("0.0.0.0", { token: TOKEN })).toMatchObject({ ok: true, mode: "token" });
      expect(checkExposure("10.1.2.3", { user: "ops", password: "pw" })).toMatchObject({ ok: true, mode: "basic" });
      expect(checkExposure("0.0.0.0", { user: "ops" }).ok).toBe(false); // a user without a password
      expect(checkExposure("0.0.0.0", { token: "short" }).ok).toBe(false);
    });

    it("will not start on 0.0.0.0 without credentials", async () => {
      await expect(startDashboard({ config: h.config, redis: h.redis, producer: h.producer, es: h.es }, { host: "0.0.0.0", port: 0, auth: {} }))
        .rejects.toThrow(/refusing to serve the dashboard on 0\.0\.0\.0/);
      // ...and the command exits non-zero with the reason, before listening.
      const env = { ...process.env, TIDINGS_DASHBOARD_TOKEN: "", TIDINGS_DASHBOARD_USER: "", TIDINGS_DASHBOARD_PASSWORD: "" };
      const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = execFile("node", ["scripts/bin/tidings.js", "dashboard", "--host", "0.0.0.0", "--port", "0"], { cwd: ROOT, env, timeout: 60_000 }, (err, _out, stderr) =>
          done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stderr }));
        child.stdin?.end();
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refusing to serve the dashboard on 0\.0\.0\.0.*without credentials/);
    });
  });

  describe("on a running batch", () => {
    let page: Page;

    it("shows progress advancing and the failure reasons, live", async () => {
      const result = await h.producer.enqueue(items, { label: "dashboard e2e · slow sites" });
      batchId = result.batch_id;
      page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${dash.url}/`);
      const card = page.locator(`[data-batch="${batchId}"]`);
      await card.waitFor({ timeout: 15_000 });
      const endedAt = async () => Number(await card.getAttribute("data-ended"));
      const first = await endedAt();
      expect(first).toBeLessThan(items.length);
      expect(await card.locator(".badge.running").count()).toBe(1);
      // Progress advances without reloading the page.
      await page.waitForFunction(
        ([id, n]) => Number(document.querySelector(`[data-batch="${id}"]`)?.getAttribute("data-ended")) > Number(n),
        [batchId, first] as const, { timeout: 60_000, polling: 250 },
      );
      // The 404 shows with its stage:reason and the URL, while slow pages are still in flight.
      const failure = page.locator('[data-reason="fetch:http_404"]');
      await failure.waitFor({ timeout: 60_000 });
      await page.locator('[data-reason="fetch:http_404"] .samples a').first().waitFor({ timeout: 30_000 });
      expect(await failure.locator(".samples a").first().textContent()).toBe(notFound());
      expect(await card.locator(".chip", { hasText: "fetch:http_404" }).count()).toBe(1);
      const midway = await endedAt();
      await page.screenshot({ path: join(SHOTS, "pipeline-running.png"), fullPage: true });
      expect(midway).toBeLessThan(items.length); // the slow pages are still running
      expect(errors).toEqual([]);
    });

    it("opens bull-board on a stage queue, read-only", async () => {
      const board = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await board.goto(`${dash.url}/queues/queue/fetch`);
      await board.getByText("fetch", { exact: false }).first().waitFor({ timeout: 30_000 });
      await board.waitForLoadState("networkidle").catch(() => undefined);
      await board.screenshot({ path: join(SHOTS, "bull-board-fetch.png"), fullPage: false });
      // The links of the pipeline page point into bull-board.
      expect(await page.locator('[data-stage="fetch"] a.stage-name').getAttribute("href")).toBe("queues/queue/fetch");
      await board.close();
    });

    it("ends with every URL accounted for, and looks good on a phone", async () => {
      await h.waitForBatch(batchId, 180_000);
      const card = page.locator(`[data-batch="${batchId}"]`);
      await page.waitForFunction(([id, n]) => Number(document.querySelector(`[data-batch="${id}"]`)?.getAttribute("data-ended")) === n,
        [batchId, items.length] as const, { timeout: 30_000, polling: 250 });
      expect(await card.locator(".badge.done-failures").count()).toBe(1);
      await page.locator('[data-reason="enqueue:bad_url"]').waitFor({ timeout: 30_000 });
      await page.locator(".event").first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS, "pipeline-done.png"), fullPage: true });
      const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
      await phone.goto(`${dash.url}/`);
      await phone.locator(`[data-batch="${batchId}"]`).waitFor();
      await phone.locator(".event").first().waitFor({ timeout: 30_000 });
      await phone.screenshot({ path: join(SHOTS, "pipeline-phone.png") });
      await phone.screenshot({ path: join(SHOTS, "pipeline-phone-full.png"), fullPage: true });
      // Nothing sticks out sideways on a narrow screen.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.close();
      await page.close();
    });
  });

  describe("HTTP API", () => {
    const get = (path: string, init?: RequestInit) => fetch(`${dash.url}${path}`, init);

    it("lists batches with their progress", async () => {
      const res = await get("/api/batches");
      expect(res.status).toBe(200);
      const body = (await res.json()) as { batches: { id: string; count: number; done: boolean }[] };
      const b = body.batches.find((x) => x.id === batchId);
      expect(b).toMatchObject({ count: items.length, done: true });
      expect((await get("/api/batches?limit=0")).status).toBe(400);
    });

    it("gives one batch with failure reasons and sample URLs; 404 unknown, 400 invalid", async () => {
      const res = await get(`/api/batches/${batchId}`);
      expect(res.status).toBe(200);
      const b = (await res.json()) as { ended: { failed: number }; failures: { reason: string; count: number; samples: { url: string }[] }[] };
      expect(b.ended.failed).toBe(2);
      const f404 = b.failures.find((f) => f.reason === "fetch:http_404");
      expect(f404?.count).toBe(1);
      expect(f404?.samples.map((s) => s.url)).toEqual([notFound()]);
      expect(b.failures.find((f) => f.reason === "enqueue:bad_url")?.count).toBe(1);
      expect((await get("/api/batches/b_doesnotexist")).status).toBe(404);
      expect((await get("/api/batches/bad%20id%3Cscript%3E")).status).toBe(400);
      expect((await get(`/api/batches/${"x".repeat(200)}`)).status).toBe(400);
    });

    it("serves Prometheus metrics recorded by the workers and read at scrape time", async () => {
      const res = await get("/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/plain/);
      const text = await res.text();
      for (const name of ["tidings_queue_jobs", "tidings_job_duration_seconds", "tidings_job_failures_total", "tidings_fetch_responses_total",
        "tidings_fetch_bytes_total", "tidings_es_bulk_duration_seconds", "tidings_jobs_completed_total"]) {
        expect(text, name).toContain(`# TYPE ${name}`);
      }
      expect(text).toContain("# TYPE tidings_job_duration_seconds histogram");
      expect(text).toMatch(/tidings_jobs_completed_total\{stage="index"\} [1-9]/);
      expect(text).toMatch(/tidings_job_failures_total\{reason="http_404",stage="fetch"\} 1/);
      expect(text).toMatch(/tidings_fetch_responses_total\{code="200"\} [1-9]/);
      expect(text).toMatch(/tidings_fetch_responses_total\{code="404"\} 1/);
      expect(text).toMatch(/tidings_job_duration_seconds_bucket\{outcome="completed",stage="fetch",le="\+Inf"\} [1-9]/);
      expect(text).toMatch(/tidings_queue_jobs\{stage="fetch",state="completed"\} [1-9]/);
      expect(text).toMatch(/tidings_fetch_bytes_total [1-9]/);
    });

    it("answers the health probes", async () => {
      expect(await (await get("/healthz")).json()).toMatchObject({ status: "ok" });
      const ready = await get("/readyz");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, redis: "ok" });
    });

    it("refuses write actions in read-only mode", async () => {
      // A failed job to (not) retry: the 404 enqueued alone is a fetch job of its own, which fails
      // for good (in the batch above it shared a bundle, which completes with the URL recorded).
      const lone = await h.producer.enqueue([{ url: notFound() }], { label: "dashboard e2e · one 404" });
      await h.waitForBatch(lone.batch_id, 60_000);
      const failedBefore = await h.producer.queue(QueueName.Fetch).getFailedCount();
      expect(failedBefore).toBeGreaterThanOrEqual(1);
      for (const path of ["/queues/api/queues/fetch/retry/failed", "/queues/api/queues/fetch/clean/completed", "/queues/api/queues/fetch/empty"]) {
        const res = await get(path, { method: "PUT" });
        expect(res.status, path).toBe(403);
      }
      expect((await get("/queues/api/queues/fetch/add", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(403);
      // Reading through bull-board still works, and it says the queues are read-only.
      const q = await get("/queues/api/queues?activeQueue=fetch&status=completed&page=1");
      expect(q.status).toBe(200);
      const body = (await q.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
      expect(body.queues.map((x) => x.name).sort()).toEqual(["clean", "extract", "fetch", "index", "translate"]);
      expect(body.queues.every((x) => x.readOnlyMode)).toBe(true);
      // The failed 404 job is still there: nothing was retried or cleaned.
      expect(await h.producer.queue(QueueName.Fetch).getFailedCount()).toBe(failedBefore);
    });

    it("allows write actions only when told to (TIDINGS_DASHBOARD_ALLOW_WRITE)", async () => {
      const writable = await startDashboard({ config: h.config, redis: h.redis, producer: h.producer, es: h.es }, { host: "127.0.0.1", port: 0, auth: {}, allowWrite: true });
      try {
        const q = (await (await fetch(`${writable.url}/queues/api/queues?activeQueue=clean`)).json()) as { queues: { name: string; readOnlyMode: boolean }[] };
        expect(q.queues.every((x) => !x.readOnlyMode)).toBe(true);
        expect(await h.producer.queue(QueueName.Clean).getCompletedCount()).toBeGreaterThan(0);
        // bull-board cleans jobs older than its 5 s grace time.
        await new Promise((r) => setTimeout(r, 5500));
        const res = await fetch(`${writable.url}/queues/api/queues/clean/clean/completed`, { method: "PUT" });
        expect(res.status).toBeLessThan(300);
        expect(await h.producer.queue(QueueName.Clean).getCompletedCount()).toBe(0);
      } finally {
        await writable.close();
      }
    });

    it("needs the token or basic auth when credentials are set; probes stay open", async () => {
      const s = (path: string, init?: RequestInit) => fetch(`${secured.url}${path}`, { redirect: "manual", ...init });
      expect((await s("/api/batches")).status).toBe(401);
      expect((await s("/metrics")).status).toBe(401);
      expect((await s("/queues")).status).toBe(401);
      expect((await s("/api/batches", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
      expect((await s("/healthz")).status).toBe(200);
      expect((await s("/api/batches", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const basic = `Basic ${Buffer.from("ops:s3cret-pass").toString("base64")}`;
      expect((await s("/metrics", { headers: { authorization: basic } })).status).toBe(200);
      const badBasic = await s("/metrics", { headers: { authorization: `Basic ${Buffer.from("ops:nope").toString("base64")}` } });
      expect(badBasic.status).toBe(401);
      expect(badBasic.headers.get("www-authenticate")).toMatch(/^Basic/);
      // ?token= once: a cookie (not the token itself) and a redirect that drops the token.
      const once = await s(`/?token=${TOKEN}`, { headers: { accept: "text/html" } });
      expect(once.status).toBe(303);
      expect(once.headers.get("location")).toBe("/");
      const cookie = once.headers.get("set-cookie") ?? "";
      expect(cookie).toContain(`${COOKIE_NAME}=${sessionValue(TOKEN)}`);
      expect(cookie).not.toContain(TOKEN);
      expect(cookie).toMatch(/HttpOnly/i);
      expect((await s("/api/batches", { headers: { cookie: `${COOKIE_NAME}=${sessionValue(TOKEN)}` } })).status).toBe(200);
      // In a browser: the token link, then the page works from the cookie.
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await p.goto(`${secured.url}/?token=${TOKEN}`);
      expect(new URL(p.url()).search).toBe("");
      await p.locator(`[data-batch="${batchId}"]`).waitFor({ timeout: 15_000 });
      await ctx.close();
    });
  });

  it("counts URLs per minute, each URL of a bundle on its own, and reads the last hour aligned to now", async () => {
    const prefix = `${h.config.queuePrefix}-minutes`;
    const recorder = new MetricsRecorder(h.redis, prefix);
    const now = Date.UTC(2024, 0, 1, 12, 30, 30);
    // 3 URLs this minute so far (two of them in one bundle job), 5 in the minute before, 2 three minutes ago.
    for (const [n, ago] of [[3, 0], [5, 1], [2, 3]] as const) {
      for (let i = 0; i < n; i++) recorder.job("extract", "completed", 10, undefined, now - ago * 60_000);
    }
    recorder.job("extract", "failed", 10, "bad", now);
    recorder.job("extract", "retry", 10, "flaky", now); // a retry is not an end
    recorder.flush();
    await h.redis.ping(); // the flush's pipeline was sent before this
    expect((await readMinuteSeries(h.redis, prefix, "extract", "completed", now, 10)).slice(-4)).toEqual([2, 0, 5, 3]);
    expect((await readMinuteSeries(h.redis, prefix, "extract", "failed", now, 10)).slice(-2)).toEqual([0, 1]);
    // Five minutes on, the counts have slid back.
    expect((await readMinuteSeries(h.redis, prefix, "extract", "completed", now + 5 * 60_000, 10)).slice(-9)).toEqual([2, 0, 5, 3, 0, 0, 0, 0, 0]);
    const ttl = await h.redis.ttl(`${prefix}:metrics:minute:extract:completed:${Math.floor(now / 60_000)}`);
    expect(ttl).toBeGreaterThan(3600);
  });

  it("shows each stage's URLs done in the last hour, not its jobs (bundles carry several)", async () => {
    const res = await fetch(`${dash.url}/api/overview`);
    const body = (await res.json()) as { stages: { stage: string; completed_last_hour: number; failed_last_hour: number }[] };
    const clean = body.stages.find((s) => s.stage === "clean");
    // Every URL of the batch but the two that never had a page (404, bad URL) passed clean once.
    expect(clean?.completed_last_hour).toBe(items.length - 2);
    // The 404 failed at fetch twice: in the batch, and enqueued alone again (read-only test above).
    expect(body.stages.find((s) => s.stage === "fetch")?.failed_last_hour).toBe(2);
  });
});
