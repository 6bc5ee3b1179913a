/**
 * Bundles (shared/src/bundles.ts) through a real stage worker on real Redis: each URL of a bundle
 * keeps its own outcome. One done goes on; one that fails for good is recorded; one that fails
 * for now leaves the bundle as a job of its own, with the attempts it has left, and one that only
 * has to wait leaves without spending an attempt; a bundle whose worker died under it is split
 * into single jobs. A fresh queue prefix per test.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { Job, Worker } from "bullmq";
import {
  createRedis, createStageWorker, loadConfig, Producer, sourceIdOf, StageError,
  type AnyPayload, type Config, type JobEnvelope, type PageInfo, type TranslatePayload,
} from "@tidings/shared";
import { QueueName } from "@tidings/shared";
import { createFetchWorker } from "@tidings/fetch/worker";
import { WebServer } from "@tidings/scripts/demo/web-server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function translatePayload(path: string): TranslatePayload {
  const url = `https://bundles.test/${path}`;
  const envelope: JobEnvelope = {
    v: 1, source_id: sourceIdOf(url), url, input_url: url, batch_id: "b_bundles", correlation_id: `c_${path}`, run: "r1",
    enqueued_at: new Date().toISOString(),
  };
  const page: PageInfo = {
    requested_url: url, final_url: url, http_status: 200, content_type: "text/html", kind: "html", charset: "utf-8",
    fetched_at: envelope.enqueued_at, bytes: 10,
  };
  return { envelope, page, article: { title: path, paragraphs: ["Текст."], text: "Текст.", language: "ru", language_confidence: 1, authors: [] } };
}

/** The payloads waiting in a queue, whether they travel alone or in bundles. */
async function payloadsIn(producer: Producer, queue: QueueName): Promise<Array<Record<string, unknown>>> {
  const jobs = await producer.queue(queue).getJobs(["waiting", "delayed", "prioritized"]);
  return jobs.flatMap((j) => (Array.isArray(j.data.items) ? j.data.items : [j.data]));
}

const urlsOf = (payloads: Array<Record<string, unknown>>) =>
  payloads.map((p) => (p.envelope as JobEnvelope).url.replace("https://bundles.test/", "")).sort();

describe("bundles through a stage worker", () => {
  const opened: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of opened.reverse()) await close();
    opened.length = 0;
  });

  function setUp(extra: Record<string, string> = {}): { config: Config; producer: Producer } {
    const config = loadConfig({
      REDIS_URL: inject("redisUrl"), TIDINGS_QUEUE_PREFIX: `t-bundles-${Date.now().toString(36)}${Math.round(Math.random() * 1e6)}`,
      TIDINGS_ATTEMPTS: "3", TIDINGS_BACKOFF_MS: "50", TIDINGS_GATHER_MS: "0", LOG_LEVEL: "error", ...extra,
    });
    const connection = createRedis(config, "worker");
    const producer = new Producer(connection, config);
    opened.push(async () => {
      const keys = await connection.keys(`${config.queuePrefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      await connection.quit();
    });
    return { config, producer };
  }

  it("keeps each URL's own outcome: done, failed for good, tried again alone, waiting without spending an attempt", async () => {
    const { config, producer } = setUp();
    const tries = new Map<string, number>();
    const worker = createStageWorker(QueueName.Translate, async (payload) => {
      const path = payload.envelope.url.replace("https://bundles.test/", "");
      const n = (tries.get(path) ?? 0) + 1;
      tries.set(path, n);
      if (path === "broken") throw new StageError("bad_thing", "this page can never be translated", { permanent: true });
      if (path === "flaky" && n === 1) throw new StageError("flaky_thing", "try again", { permanent: false });
      if (path === "hopeless") throw new StageError("flaky_thing", "never works", { permanent: false });
      if (path === "patient" && n === 1) throw new StageError("not_yet", "come back later", { wait: true, retryAfterMs: 100 });
      return { ...payload, translation: { provider: "test", source_language: "ru", target_language: "en", translated: false } };
    }, { connection: producer.connection, config, producer }, { bundleMax: 8, bundleWaitMs: 10 });
    opened.push(() => worker.close());

    const paths = ["fine", "broken", "flaky", "hopeless", "patient"];
    await producer.addFollowUps(QueueName.Translate, paths.map(translatePayload));
    const translate = producer.queue(QueueName.Translate);
    const [bundle] = await translate.getJobs(["waiting", "active", "completed"]);
    expect(bundle?.name).toBe("bundle");
    expect(bundle?.data.items).toHaveLength(5);

    const deadline = Date.now() + 20_000;
    let done: string[] = [];
    let failures: Array<Record<string, unknown>> = [];
    while (Date.now() < deadline) {
      done = urlsOf(await payloadsIn(producer, QueueName.Extract));
      failures = (await payloadsIn(producer, QueueName.Index)).filter((p) => p.kind === "failure");
      if (done.length >= 3 && failures.length >= 2) break;
      await sleep(50);
    }
    expect(done).toEqual(["fine", "flaky", "patient"]);
    const failed = Object.fromEntries(failures.map((f) => [(f.envelope as JobEnvelope).url.replace("https://bundles.test/", ""), f.failure]));
    expect(failed).toEqual({
      broken: { stage: "translate", reason: "bad_thing", detail: "this page can never be translated", attempts: 1 },
      // Its first attempt was in the bundle, the other two alone: three in all, as configured.
      hopeless: { stage: "translate", reason: "flaky_thing", detail: "never works", attempts: 3 },
    });
    expect(Object.fromEntries(tries)).toEqual({ fine: 1, broken: 1, flaky: 2, hopeless: 3, patient: 2 });

    // The bundle completed; the URLs tried again went as jobs of their own, under their usual ids.
    expect(await (await Job.fromId(translate, bundle!.id!))?.getState()).toBe("completed");
    const alone = (path: string) => Job.fromId(translate, `translate-${sourceIdOf(`https://bundles.test/${path}`)}-r1`);
    const flaky = await alone("flaky");
    expect(flaky?.data.attempts_before).toBe(1); // the try in the bundle counted
    expect(flaky?.opts.attempts).toBe(2);
    expect(await flaky?.getState()).toBe("completed");
    const patient = await alone("patient");
    expect(patient?.data.attempts_before).toBe(0); // waiting is not failing
    expect(patient?.opts.attempts).toBe(3);
    expect(await (await alone("hopeless"))?.getState()).toBe("failed");
    // What went on carries no attempts count of the stage before.
    for (const p of await payloadsIn(producer, QueueName.Extract)) expect(p).not.toHaveProperty("attempts_before");
    // Every URL that went on is marked as past translate in its batch; the failed ones are not.
    const passed = await producer.connection.smembers(`${config.queuePrefix}:batch:b_bundles:stage:translate`);
    expect(passed.sort()).toEqual(["fine", "flaky", "patient"].map((p) => sourceIdOf(`https://bundles.test/${p}`)).sort());
  });

  it("hands the outputs of jobs that finish together on as one bundle, and keeps completed ones counted in URLs", async () => {
    const { config, producer } = setUp({ TIDINGS_KEEP_COMPLETED: "8" });
    const worker = createStageWorker(QueueName.Translate, async (payload) => (
      { ...payload, translation: { provider: "test", source_language: "ru", target_language: "en", translated: false } }
    ), { connection: producer.connection, config, producer }, { bundleMax: 4, bundleWaitMs: 200, concurrency: 8 });
    opened.push(() => worker.close());
    for (const p of ["a", "b", "c", "d", "e"]) await producer.add(QueueName.Translate, translatePayload(p));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await payloadsIn(producer, QueueName.Extract)).length < 5) await sleep(50);
    const jobs = await producer.queue(QueueName.Extract).getJobs(["waiting"]);
    // Four in a full bundle, the fifth alone after the wait, under its usual id.
    expect(jobs.map((j) => (j.name === "bundle" ? j.data.items.length : 1)).sort()).toEqual([1, 4]);
    expect(jobs.find((j) => j.name !== "bundle")?.id).toMatch(/^extract-[0-9a-f]{32}-r1$/);
    expect(urlsOf(await payloadsIn(producer, QueueName.Extract))).toEqual(["a", "b", "c", "d", "e"]);
    // 8 URLs kept once done, in bundles of up to 4: 2 jobs.
    for (const j of jobs) expect(j.opts.removeOnComplete).toEqual({ count: 2 });
  });

  it("runs no more URLs at once than the stage's concurrency, whatever jobs carry them", async () => {
    const { config, producer } = setUp();
    let running = 0;
    let most = 0;
    const worker = createStageWorker(QueueName.Translate, async (payload) => {
      most = Math.max(most, ++running);
      await sleep(40);
      running--;
      return { ...payload, translation: { provider: "test", source_language: "ru", target_language: "en", translated: false } };
    }, { connection: producer.connection, config, producer }, { bundleMax: 8, bundleWaitMs: 10, concurrency: 2 });
    opened.push(() => worker.close());
    await producer.addFollowUps(QueueName.Translate, ["p1", "p2", "p3", "p4", "p5", "p6"].map(translatePayload));
    await producer.addFollowUps(QueueName.Translate, ["q1", "q2", "q3"].map(translatePayload));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await payloadsIn(producer, QueueName.Extract)).length < 9) await sleep(50);
    expect((await payloadsIn(producer, QueueName.Extract)).length).toBe(9);
    expect(most).toBe(2);
  });

  it("starts the next job while a finished one waits for its outputs' bundle", async () => {
    // One URL at a time, and a long bundle wait: the first job's output waits 1.5 s for company.
    // The second job must run meanwhile (its output joins the same bundle), not after it leaves.
    const { config, producer } = setUp();
    const ran: number[] = [];
    const worker = createStageWorker(QueueName.Translate, async (payload) => {
      ran.push(Date.now());
      return { ...payload, translation: { provider: "test", source_language: "ru", target_language: "en", translated: false } };
    }, { connection: producer.connection, config, producer }, { bundleMax: 8, bundleWaitMs: 1500, concurrency: 1 });
    opened.push(() => worker.close());
    await producer.add(QueueName.Translate, translatePayload("first"));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && ran.length < 1) await sleep(10);
    await producer.add(QueueName.Translate, translatePayload("second"));
    while (Date.now() < deadline && (await payloadsIn(producer, QueueName.Extract)).length < 2) await sleep(50);
    expect(ran).toHaveLength(2);
    expect(ran[1]! - ran[0]!).toBeLessThan(1000);
    const jobs = await producer.queue(QueueName.Extract).getJobs(["waiting"]);
    expect(jobs.map((j) => (j.name === "bundle" ? j.data.items.length : 1))).toEqual([2]);
  });

  it("splits a bundle whose worker died under it into single jobs", async () => {
    const { config, producer } = setUp();
    const paths = ["one", "two", "three"];
    await producer.addFollowUps(QueueName.Translate, paths.map(translatePayload));
    // A worker takes the bundle and dies with it: its lock runs out and nobody completes it.
    const dying = new Worker(QueueName.Translate, null, { connection: producer.connection, prefix: config.queuePrefix, lockDuration: 1000 });
    const taken = await dying.getNextJob("dead-token");
    expect(taken?.name).toBe("bundle");
    await dying.close();

    const seen: string[] = [];
    const worker = createStageWorker(QueueName.Translate, async (payload, ctx) => {
      seen.push(`${ctx.job.name}:${payload.envelope.url.replace("https://bundles.test/", "")}`);
      return { ...payload, translation: { provider: "test", source_language: "ru", target_language: "en", translated: false } };
    }, { connection: producer.connection, config, producer }, { bundleMax: 8, bundleWaitMs: 10, lockDuration: 1000, stalledInterval: 500 });
    opened.push(() => worker.close());

    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await payloadsIn(producer, QueueName.Extract)).length < 3) await sleep(100);
    expect(urlsOf(await payloadsIn(producer, QueueName.Extract))).toEqual(["one", "three", "two"]);
    // Every URL ran as a job of its own, none inside the stalled bundle.
    expect(seen.sort()).toEqual(["translate-article:one", "translate-article:three", "translate-article:two"]);
    const bundle = await Job.fromId(producer.queue(QueueName.Translate), taken!.id!);
    expect(await bundle?.getState()).toBe("completed");
    expect(bundle?.stalledCounter).toBe(1);
  });
});

describe("fetch bundles (TIDINGS_FETCH_BUNDLE_MAX) through the real fetch worker", () => {
  it("fetches each URL of an enqueued bundle on its own: pages go on to clean, a 404 is recorded alone", async () => {
    const web = await new WebServer({ fixtures: true, seeds: false, corpusPages: 0 }).start();
    const saved = { allow: process.env.TIDINGS_FETCH_ALLOW_HOSTS, delay: process.env.TIDINGS_FETCH_HOST_DELAY_MS };
    process.env.TIDINGS_FETCH_ALLOW_HOSTS = `127.0.0.1:${web.port}`;
    process.env.TIDINGS_FETCH_HOST_DELAY_MS = "0";
    const config = loadConfig({
      REDIS_URL: inject("redisUrl"), TIDINGS_QUEUE_PREFIX: `t-fbundles-${Date.now().toString(36)}`,
      TIDINGS_FETCH_BUNDLE_MAX: "8", TIDINGS_GATHER_MS: "0", LOG_LEVEL: "error",
    });
    const connection = createRedis(config, "worker");
    const producer = new Producer(connection, config);
    const worker = createFetchWorker({ connection, config, producer }, { politeness: { hostConcurrency: 8, hostDelayMs: 0 } });
    try {
      const pages = web.pages.slice(0, 3).map((p) => web.url(p.path));
      const r = await producer.enqueue([...pages, web.url("/errors/not-found")].map((url) => ({ url })), { label: "fetch bundle" });
      expect(r.queued).toBe(4);
      const [bundle, ...others] = await producer.queue(QueueName.Fetch).getJobs(["waiting", "active", "completed"]);
      expect(others).toHaveLength(0);
      expect(bundle!.name).toBe("bundle");
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await bundle!.getState()) !== "completed") await sleep(100);
      // The bundle completes: its three pages went on to clean, its 404 became a failure record.
      expect(await bundle!.getState()).toBe("completed");
      const toClean = await payloadsIn(producer, QueueName.Clean);
      expect(toClean.map((p) => (p.envelope as JobEnvelope).url).sort()).toEqual([...pages].sort());
      const failures = await payloadsIn(producer, QueueName.Index);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ kind: "failure", envelope: { url: web.url("/errors/not-found") }, failure: { stage: "fetch", reason: "http_404", attempts: 1 } });
    } finally {
      await worker.close();
      await producer.close();
      const keys = await connection.keys(`${config.queuePrefix}:*`);
      if (keys.length > 0) await connection.del(...keys);
      await connection.quit();
      await web.stop();
      process.env.TIDINGS_FETCH_ALLOW_HOSTS = saved.allow;
      process.env.TIDINGS_FETCH_HOST_DELAY_MS = saved.delay;
      if (saved.allow === undefined) delete process.env.TIDINGS_FETCH_ALLOW_HOSTS;
      if (saved.delay === undefined) delete process.env.TIDINGS_FETCH_HOST_DELAY_MS;
    }
  });
});

// The type checker keeps the test's payloads honest.
void ((p: TranslatePayload): AnyPayload => p);
