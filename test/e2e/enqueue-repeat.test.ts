/**
 * What an enqueue adds to the real Redis (no workers run here): fetch jobs of
 * TIDINGS_FETCH_BUNDLE_MAX URLs (one each by default), each URL's run recorded as queued, and for a URL seen before, the
 * decision its run state calls for (producer.ts, decideRepeat): join the run in flight, attach
 * the batch to a finished one, or queue it afresh after a failure or a run taken for lost.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis, isBundle, JobName, loadConfig, normaliseUrl, Producer, QueueName, sourceIdOf, type Config } from "@tidings/shared";
import type { Job } from "bullmq";
import { dropRun } from "../src/teardown.ts";

describe("enqueue: fetch bundles and URLs seen before", () => {
  const prefix = `t-repeat-${Date.now().toString(36)}`;
  let config: Config;
  let producer: Producer;
  const url = (i: number) => `https://news.example.org/world/${i}.html`;
  const sid = (i: number) => sourceIdOf(normaliseUrl(url(i)));
  const fetchJobs = async (): Promise<Job[]> => producer.queue(QueueName.Fetch).getJobs(["waiting", "delayed", "prioritized"], 0, -1);
  const urlsOf = (jobs: Job[]) => jobs.flatMap((j) => (isBundle(j.data) ? j.data.items : [j.data]).map((d) => (d as { envelope: { url: string } }).envelope.url));

  beforeAll(async () => {
    config = loadConfig({ REDIS_URL: inject("redisUrl"), TIDINGS_QUEUE_PREFIX: prefix, TIDINGS_FETCH_BUNDLE_MAX: "16", TIDINGS_IN_FLIGHT_MAX_MS: "60000" });
    producer = new Producer(createRedis(config, "producer"), config);
  });
  afterAll(async () => {
    await producer.close();
    await dropRun(prefix, { redis: producer.connection });
  });

  it("adds the URLs of a batch in bundles of TIDINGS_FETCH_BUNDLE_MAX, each recorded as queued", async () => {
    const urls = Array.from({ length: 40 }, (_, i) => url(i));
    const r = await producer.enqueue(urls.map((u) => ({ url: u })), { label: "first" });
    expect(r).toMatchObject({ count: 40, queued: 40, attached: 0, duplicates: 0 });
    const jobs = await fetchJobs();
    expect(jobs.map((j) => (isBundle(j.data) ? j.data.items.length : 1)).sort((a, b) => a - b)).toEqual([8, 16, 16]);
    expect(jobs.every((j) => j.name === JobName.Bundle)).toBe(true);
    expect(urlsOf(jobs).sort()).toEqual([...urls].sort());
    // Completed jobs are kept by URL count (TIDINGS_KEEP_COMPLETED over the bundle size).
    expect(jobs[0]!.opts.removeOnComplete).toEqual({ count: Math.ceil(config.keepCompleted / 16) });
    const states = await producer.batches.runStates(urls.map((u) => sourceIdOf(normaliseUrl(u))));
    expect(states.every((s) => s?.state === "queued" && Date.now() - s.since < 60_000)).toBe(true);
    for (const j of jobs) await j.remove();
  });

  it("adds one fetch job a URL by default (TIDINGS_FETCH_BUNDLE_MAX=1)", async () => {
    const single = new Producer(producer.connection, loadConfig({ REDIS_URL: inject("redisUrl"), TIDINGS_QUEUE_PREFIX: prefix }));
    const r = await single.enqueue([50, 51, 52].map((i) => ({ url: url(i) })), { label: "singles" });
    expect(r.queued).toBe(3);
    const jobs = await fetchJobs();
    expect(jobs.map((j) => j.name)).toEqual([JobName.FetchUrl, JobName.FetchUrl, JobName.FetchUrl]);
    expect(urlsOf(jobs).sort()).toEqual([url(50), url(51), url(52)].sort());
    expect(jobs[0]!.opts.removeOnComplete).toEqual({ count: config.keepCompleted });
    for (const j of jobs) await j.remove();
    await Promise.all([...single.queues.values()].map((q) => q.close()));
  });

  it("adds one URL alone as a single fetch job keyed by source and run", async () => {
    const r = await producer.enqueue([{ url: url(100) }], { label: "alone" });
    expect(r.queued).toBe(1);
    const [job, ...rest] = await fetchJobs();
    expect(rest).toHaveLength(0);
    expect(job!.name).toBe(JobName.FetchUrl);
    expect(job!.id).toMatch(new RegExp(`^fetch-${sid(100)}-[0-9a-z]+$`));
    await job!.remove();
  });

  it("joins URLs in flight, attaches finished ones and queues failed ones afresh", async () => {
    // url(0..3) were queued by the first test and are in flight (state queued); now 0 and 1 end.
    const first = (await producer.batches.list(10)).at(-1)!;
    await producer.batches.markEnded([first], sid(0), "indexed");
    await producer.batches.markEnded([first], sid(1), "failed", "fetch:http_503");
    const r = await producer.enqueue([url(0), url(1), url(2), url(3), url(200)].map((u) => ({ url: u })), { label: "again" });
    expect(r).toMatchObject({ count: 5, queued: 2, attached: 3 });
    // Fetched afresh: the failed URL and the new one, in one bundle of a new run.
    expect(urlsOf(await fetchJobs()).sort()).toEqual([url(1), url(200)].sort());
    // The finished one gets an attach-batch job; those in flight get nothing but the membership,
    // which their own index job reads.
    const index = await producer.queue(QueueName.Index).getJobs(["waiting"], 0, -1);
    expect(index.map((j) => [j.name, j.id])).toEqual([[JobName.AttachBatch, `attach-${sid(0)}-${r.batch_id}`]]);
    expect(await producer.batches.batchesOfSource(sid(2))).toEqual([first, r.batch_id].sort());
    const [s0, s1, s2] = await producer.batches.runStates([sid(0), sid(1), sid(2)]);
    expect([s0?.state, s1?.state, s2?.state]).toEqual(["indexed", "queued", "queued"]);
  });

  it("takes a run queued longer ago than TIDINGS_IN_FLIGHT_MAX_MS for lost and queues the URL afresh", async () => {
    for (const j of await fetchJobs()) await j.remove();
    const lost = sid(300);
    await producer.connection.set(`${prefix}:source:${lost}:state`, `queued ${Date.now() - 61_000}`);
    const recent = sid(301);
    await producer.connection.set(`${prefix}:source:${recent}:state`, `queued ${Date.now() - 30_000}`);
    const r = await producer.enqueue([{ url: url(300) }, { url: url(301) }], { label: "lost" });
    expect(r).toMatchObject({ queued: 1, attached: 1 });
    expect(urlsOf(await fetchJobs())).toEqual([url(300)]);
    expect((await producer.batches.runStates([lost]))[0]?.since).toBeGreaterThan(Date.now() - 10_000);
  });
});
