/**
 * The fetch stage under load through the real queues: 2,000 generated pages on two local hosts
 * (127.0.0.1 and 127.0.0.2, each its own politeness host), fetched by TWO `tidings worker`
 * processes running every stage, with a per-host limit of 4 requests at once (delay 0). The
 * server counts page requests in flight per Host header (robots.txt, read before a slot is
 * taken, is counted apart): the limit must hold across the processes,
 * and every URL must end indexed, failed or skipped with a reason. The run itself is
 * scripts/src/bench/fetch-load.ts (also a script: pages/s, max in flight, peak RSS).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FetchLoadRun, formatResult, type FetchLoadResult } from "@tidings/scripts/bench/fetch-load";

const PAGES = 2000;
const HOST_LIMIT = 4;

describe("fetch under load, two worker processes", () => {
  let run: FetchLoadRun;
  let r: FetchLoadResult;

  beforeAll(async () => {
    run = new FetchLoadRun({
      pages: PAGES, workers: 2, hosts: 2, hostConcurrency: HOST_LIMIT, hostDelayMs: 0, latencyMs: 5,
      stages: "fetch,clean,translate,extract,index", fetchConcurrency: 16, timeoutMs: 400_000,
      redisUrl: inject("redisUrl"), elasticsearchUrl: inject("elasticsearchUrl"),
      log: (l) => console.log(l),
    });
    await run.start();
    r = await run.run();
    console.log(`\n${formatResult(r)}\n`);
  }, 480_000);

  afterAll(async () => {
    await run?.stop(); // SIGTERM, then SIGKILL after 10 s; removes the run's keys and indices
    if (r) console.log(`worker exits: ${r.workerExits.join(", ")}`);
  }, 60_000);

  it("never had more than the per-host limit in flight on any host", () => {
    expect(Object.keys(r.maxInFlightByHost).sort()).toEqual([...r.hosts].sort());
    for (const [host, max] of Object.entries(r.maxInFlightByHost)) {
      expect(max, host).toBeLessThanOrEqual(HOST_LIMIT);
      expect(max, `${host}: the limit was reached (32 fetch jobs at once compete for it)`).toBeGreaterThanOrEqual(2);
    }
  });

  it("fetched every page, and robots.txt about once per host for both processes", () => {
    expect(r.requests).toBeGreaterThanOrEqual(PAGES);
    expect(r.robotsRequests).toBeGreaterThanOrEqual(r.hosts.length);
    expect(r.robotsRequests).toBeLessThanOrEqual(r.hosts.length * 2); // shared Redis cache (two processes may race once)
  });

  it("ended every URL exactly once: indexed, or failed/skipped with a reason", () => {
    const p = r.progress!;
    expect(p.done).toBe(true);
    expect(p.ended.indexed + p.ended.failed + p.ended.skipped).toBe(PAGES);
    const withReason = Object.values(p.failure_reasons).reduce((a, b) => a + b, 0);
    expect(withReason).toBe(p.ended.failed + p.ended.skipped);
    expect(p.stages.fetch).toBeGreaterThanOrEqual(p.ended.indexed);
    // The generated pages are ordinary articles: all of them should make it.
    expect(p.ended.indexed).toBe(PAGES);
  });

  it("has one source record per URL in Elasticsearch", () => {
    expect(r.sources.total).toBe(PAGES);
    expect(r.sources.byStatus.indexed ?? 0).toBe(r.progress!.ended.indexed);
    expect(r.sources.byStatus.failed ?? 0).toBe(r.progress!.ended.failed);
  });

  it("kept the worker processes' memory bounded", () => {
    for (const kb of r.workerPeakRssKb) {
      expect(kb).toBeGreaterThan(0);
      expect(kb).toBeLessThan(1024 * 1024); // < 1 GiB each
    }
  });
});
