/**
 * Stalled and poisoned jobs, through real worker processes (`tidings worker`, every stage) on the
 * real services, with fault injection (shared/src/faults.ts, active only because TIDINGS_FAULTS
 * is set for these processes):
 *  - a URL whose job hangs (an async hang) is abandoned after the job deadline and retried, then
 *    ends failed with reason `job_timeout`;
 *  - a URL whose job kills its worker process every time ends failed with reason `stalled` after
 *    maxStalledCount stalls (the test respawns dead workers, like a supervisor would);
 *  - every other URL of the batch ends indexed: the poison does not stop the others.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureIndices, indexNames } from "@tidings/index";
import { createElasticsearch, createRedis, loadConfig, Producer, type BatchProgress, type Config, type ElasticsearchClient, type SourceRecord } from "@tidings/shared";
import { jobTimeoutMs, withDeadline } from "@tidings/shared/deadline";
import { faultFor, parseFaults } from "@tidings/shared/faults";
import { spawnWorker, stopWorker, type WorkerProcess } from "@tidings/scripts/bench/fetch-load";
import { WebServer } from "@tidings/scripts/demo/web-server";
import { dropRun } from "../src/teardown.ts";

const ARTICLE = (title: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>
<p>The foreign minister of France met officials from Germany in Berlin on 12 March 2024, according to a statement released by the ministry on Thursday evening.</p>
<p>The two governments discussed trade, energy supplies and the security situation in the region, the statement said, adding that further meetings were planned.</p>
</article></body></html>`;

describe("deadlines and fault rules (pure)", () => {
  it("reads per-stage deadlines from the environment", () => {
    expect(jobTimeoutMs("fetch", {})).toBe(120_000);
    expect(jobTimeoutMs("fetch", { TIDINGS_JOB_TIMEOUT_MS: "5000" })).toBe(5000);
    expect(jobTimeoutMs("index", { TIDINGS_JOB_TIMEOUT_MS: "5000", TIDINGS_JOB_TIMEOUT_MS_INDEX: "9000" })).toBe(9000);
    expect(() => jobTimeoutMs("fetch", { TIDINGS_JOB_TIMEOUT_MS: "soon" })).toThrow(/TIDINGS_JOB_TIMEOUT_MS/);
  });

  it("abandons an async hang with a transient job_timeout and aborts its signal", async () => {
    let aborted = false;
    const t0 = Date.now();
    const err = await withDeadline(100, "test job", (signal) => {
      signal.addEventListener("abort", () => (aborted = true));
      return new Promise(() => undefined);
    }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toMatchObject({ reason: "job_timeout", permanent: false });
    expect(aborted).toBe(true);
    await expect(withDeadline(1000, "quick", async () => 42)).resolves.toBe(42);
    await expect(withDeadline(0, "no deadline", async () => 7)).resolves.toBe(7);
  });

  it("parses fault rules, inactive without TIDINGS_FAULTS", () => {
    expect(parseFaults(undefined)).toEqual([]);
    expect(parseFaults("crash:/poison/, hang@clean:/sleepy/")).toEqual([{ kind: "crash", match: "/poison/" }, { kind: "hang", stage: "clean", match: "/sleepy/" }]);
    expect(() => parseFaults("explode:/x/")).toThrow(/TIDINGS_FAULTS/);
    expect(faultFor("fetch", ["http://h/poison/1"], {})).toBeUndefined();
    expect(faultFor("fetch", ["http://h/poison/1"], { TIDINGS_FAULTS: "crash:/poison/" })?.kind).toBe("crash");
    expect(faultFor("clean", ["http://h/poison/1"], { TIDINGS_FAULTS: "crash:/poison/" })).toBeUndefined();
  });
});

describe("stalled and poisoned jobs through worker processes", () => {
  let web: WebServer;
  let config: Config;
  let redis: ReturnType<typeof createRedis>;
  let producer: Producer;
  let es: ElasticsearchClient;
  let prefix: string;
  let progress: BatchProgress;
  let sources: Map<string, SourceRecord>;
  let crashes = 0;
  const workers: WorkerProcess[] = [];
  let elapsedMs = 0;
  const goodPaths: string[] = [];

  beforeAll(async () => {
    web = await new WebServer({ fixtures: false, seeds: false, corpusPages: 0 }).start();
    for (let i = 0; i < 12; i++) {
      web.route(`/good/${i}.html`, 200, ARTICLE(`Good article ${i}`));
      goodPaths.push(`/good/${i}.html`);
    }
    web.route("/poison/1.html", 200, ARTICLE("Poison"));
    web.route("/sleepy/1.html", 200, ARTICLE("Sleepy"));
    prefix = `t-stall-${Date.now().toString(36)}`;
    const redisUrl = inject("redisUrl");
    const elasticsearchUrl = inject("elasticsearchUrl");
    const env: NodeJS.ProcessEnv = {
      ...process.env, REDIS_URL: redisUrl, ELASTICSEARCH_URL: elasticsearchUrl,
      TIDINGS_QUEUE_PREFIX: prefix, TIDINGS_INDEX_PREFIX: prefix,
      TIDINGS_FETCH_ALLOW_HOSTS: `127.0.0.1:${web.port}`, TIDINGS_FETCH_HOST_DELAY_MS: "0", TIDINGS_FETCH_HOST_CONCURRENCY: "16",
      TIDINGS_ATTEMPTS: "2", TIDINGS_BACKOFF_MS: "200",
      TIDINGS_JOB_TIMEOUT_MS: "3000",
      TIDINGS_LOCK_DURATION_MS: "3000", TIDINGS_STALLED_INTERVAL_MS: "1500",
      TIDINGS_SHUTDOWN_TIMEOUT_MS: "2000",
      TIDINGS_FAULTS: "crash:/poison/,hang:/sleepy/",
      LOG_LEVEL: "warn",
    };
    config = loadConfig(env);
    es = createElasticsearch(config);
    await ensureIndices(es, prefix);
    redis = createRedis(config, "producer");
    producer = new Producer(redis, config);
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(env, "all"));
    const urls = [...goodPaths.slice(0, 6), "/poison/1.html", ...goodPaths.slice(6), "/sleepy/1.html"].map((p) => web.url(p));
    const t0 = Date.now();
    const { batch_id } = await producer.enqueue(urls.map((url) => ({ url })), { label: "stalled and poisoned" });
    for (;;) {
      const p = await producer.batches.progress(batch_id);
      if (p?.done) { progress = p; break; }
      // A supervisor: a worker that died is replaced.
      for (let i = 0; i < workers.length; i++) {
        const w = workers[i]!;
        if (w.child.exitCode !== null || w.child.signalCode !== null) {
          if (w.child.signalCode === "SIGKILL") crashes++;
          workers[i] = spawnWorker(env, "all");
        }
      }
      if (Date.now() - t0 > 170_000) throw new Error(`batch not done: ${JSON.stringify(p)}\n${workers[0]?.tail().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    elapsedMs = Date.now() - t0;
    const index = indexNames(prefix, "sources").read;
    await es.indices.refresh({ index });
    const res = await es.search<SourceRecord>({ index, size: 100, query: { term: { batch_ids: batch_id } } });
    sources = new Map(res.hits.hits.map((h) => [new URL(h._source!.url).pathname, h._source!]));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w, 5000)));
    await producer?.close();
    await dropRun(prefix, { es, redis });
    await web?.stop();
  }, 60_000);

  it("ends the batch with every URL accounted for once", () => {
    expect(progress.done).toBe(true);
    expect(progress.ended.indexed + progress.ended.failed + progress.ended.skipped).toBe(14);
    expect(sources.size).toBe(14);
    console.log(`stalled/poison batch done in ${(elapsedMs / 1000).toFixed(1)} s, ${crashes} worker crashes; reasons ${JSON.stringify(progress.failure_reasons)}`);
  });

  it("fails the job that crashes its worker every time with reason `stalled`, after maxStalledCount + 1 deaths", () => {
    const s = sources.get("/poison/1.html")!;
    expect(s.status).toBe("failed");
    expect(s.failure).toMatchObject({ stage: "fetch", reason: "stalled" });
    expect(crashes).toBeGreaterThanOrEqual(3); // maxStalledCount (2) + 1
  });

  it("abandons the job that hangs after its deadline, retries it, then records job_timeout", () => {
    const s = sources.get("/sleepy/1.html")!;
    expect(s.status).toBe("failed");
    expect(s.failure).toMatchObject({ stage: "fetch", reason: "job_timeout", attempts: 2 });
  });

  it("indexes every other URL: the poison stopped nobody else", () => {
    for (const p of goodPaths) expect(sources.get(p)?.status, p).toBe("indexed");
  });
});
