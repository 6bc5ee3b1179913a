/**
 * The CI-sized chaos run (scripts/src/chaos/run.ts; `tidings chaos` is the full one): 300 URLs
 * through worker processes (2 for fetch and index, 1 for the other stages), first undisturbed,
 * then with 2 workers killed by SIGKILL (and respawned), one Redis restart (SHUTDOWN, start
 * again from its AOF) and Elasticsearch frozen for 10 s. It runs on its OWN Redis and
 * Elasticsearch (free ports, data under .tidings/chaos-ci, started by the services code and
 * stopped at the end), never on the services the other e2e tests use.
 */
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChaosRun, formatChaos, type ChaosResult } from "@tidings/scripts/chaos/run";
import { REPO_ROOT, sharedDir } from "@tidings/scripts/demo/paths";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const shared = sharedDir();

describe.skipIf(!shared)("chaos: kills, a Redis restart and an Elasticsearch outage", () => {
  let run: ChaosRun;
  let r: ChaosResult;

  beforeAll(async () => {
    const [redisPort, esPort] = [await freePort(), await freePort()];
    run = new ChaosRun({
      urls: 300,
      procs: { fetch: 2, clean: 1, translate: 1, extract: 1, index: 2 },
      kills: 2, esOutageS: 10, redisRestart: true,
      redisUrl: `redis://127.0.0.1:${redisPort}`, elasticsearchUrl: `http://127.0.0.1:${esPort}`,
      dataDir: join(REPO_ROOT, ".tidings", "chaos-ci"), sharedDir: shared!, esHeap: "512m",
      timeoutMs: 300_000, keepServices: false, keepData: false,
      log: (l) => console.log(l),
    });
    try {
      r = await run.run();
    } finally {
      if (r) console.log(`\n${formatChaos(r)}\n`);
    }
  }, 900_000);

  afterAll(async () => {
    await run?.stop(); // workers, the web server, the runs' data, and the chaos services
  }, 180_000);

  it("went through every disturbance", () => {
    expect(r.chaos.kills).toBe(2);
    expect(r.chaos.redisRestarts).toBe(1);
    expect(r.chaos.esOutageMs).toBeGreaterThanOrEqual(10_000);
    expect(r.chaos.unexpectedExits).toBe(0);
  });

  it("lost no URL: every URL is exactly one source record, indexed or failed with a reason", () => {
    const a = r.chaos.accounting;
    expect(r.chaos.progress?.done).toBe(true);
    expect(r.lost).toBe(0);
    expect(a.unexpected).toEqual([]);
    expect(a.indexed + a.failed + a.skipped).toBe(300);
    expect(a.withoutReason).toBe(0);
    // 404s fail at once, always-500s after their attempts; slow and slow-then-ok pages make it.
    expect(a.reasons["fetch:http_404"]).toBe(6);
    expect(a.reasons["fetch:http_500"]).toBe(6);
  });

  it("doubled nothing: num_mentions = mention documents, num_sources = distinct sources", () => {
    expect(r.duplicated).toBe(0);
    expect(r.chaos.accounting.mentionMismatches.size).toBe(0);
    expect(r.chaos.accounting.sourceMismatches).toEqual([]);
    expect(r.chaos.snapshot.mentionDocs).toBeGreaterThan(0);
  });

  it("ended with the same events as the undisturbed run", () => {
    expect(r.chaos.snapshot.events.size).toBeGreaterThan(10);
    expect(r.comparison.missing).toEqual([]);
    expect(r.comparison.extra).toEqual([]);
    expect([...r.comparison.differing]).toEqual([]);
    expect(r.comparison.outcomeDiffs).toEqual([]);
  });

  it("kept Redis memory bounded", () => {
    const perThousand = (r.chaos.redisPeak - r.chaos.redisBaseline) / 0.3;
    expect(perThousand).toBeLessThan(256 * 1024 * 1024);
    expect(r.chaos.retainedCleanJobs).toBeLessThanOrEqual(100);
  });
});
