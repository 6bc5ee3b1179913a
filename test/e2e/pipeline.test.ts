/**
 * The whole pipeline through real Redis and Elasticsearch: pages from the local web server ->
 * fetch -> clean -> translate -> extract -> index. Seeds are served when ../shared is there
 * (always in CI); the repository's own fixture pages are served always.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtureManifest } from "@tidings/scripts/demo/web-server";
import { isBundle, QueueName, type EnqueueItem } from "@tidings/shared";
import { openHarness, type Harness } from "../src/harness.ts";

describe("pipeline end to end", () => {
  let h: Harness;
  let batchId: string;
  let items: EnqueueItem[];

  beforeAll(async () => {
    h = await openHarness("pipeline");
    items = h.web.pages.map((p) => ({ url: h.web.url(p.path), ...(p.published ? { meta: { published: p.published } } : {}) }));
    items.push({ url: h.web.url("/errors/not-found") }, { url: "javascript:alert(1)" });
    const result = await h.producer.enqueue(items, { label: "e2e" });
    batchId = result.batch_id;
    expect(result.invalid).toHaveLength(1);
    await h.waitForBatch(batchId, 240_000);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("accounts for every URL exactly once", async () => {
    const sources = await h.sources(batchId);
    expect(sources).toHaveLength(items.length);
    expect(new Set(sources.map((s) => s.id)).size).toBe(items.length);
    const progress = await h.producer.batches.progress(batchId);
    expect(progress?.ended.indexed).toBe(items.length - 2);
    expect(progress?.ended.failed).toBe(2);
  });

  it("keeps no page body in Redis once the clean stage is done with it", async () => {
    const bodies = async () => (await h.redis.keys(`${h.config.queuePrefix}:body:*`)).length;
    for (let i = 0; i < 50 && (await bodies()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await bodies()).toBe(0);
    // ...and the retained clean jobs hold references, not pages: each URL's payload, whether its
    // job carries it alone or in a bundle (bundles.ts).
    const cleanJobs = await h.producer.queue(QueueName.Clean).getJobs(["completed"], 0, -1);
    expect(cleanJobs.length).toBeGreaterThan(0);
    const payloads = cleanJobs.flatMap((j) => (isBundle(j.data) ? j.data.items : [j.data]));
    const big = payloads.filter((p) => JSON.stringify(p).length > 8192);
    expect(big).toEqual([]);
  });

  it("indexes the seed pages with their language, title and publication date", async (ctx) => {
    const seeds = h.web.pages.filter((p) => p.origin === "seed");
    if (seeds.length === 0) ctx.skip(); // only without ../shared; CI always has it
    expect(seeds).toHaveLength(5);
    const sources = await h.sources(batchId);
    const expectedLanguage: Record<string, string> = { "000": "zh", "001": "zh", "002": "vi", "003": "vi", "004": "zh" };
    for (const seed of seeds) {
      const s = sources.find((x) => x.url === h.web.url(seed.path));
      expect(s, seed.name).toBeDefined();
      expect(s!.status).toBe("indexed");
      expect(s!.language).toBe(expectedLanguage[seed.name.slice(0, 3)]);
      expect(s!.title?.length ?? 0).toBeGreaterThan(4);
      expect(s!.published?.slice(0, 10)).toBe(seed.published);
      expect(s!.event_ids.length, `${seed.name} has events`).toBeGreaterThan(0);
    }
  });

  it("indexes the fixture pages with the manifest's language, title and date", async () => {
    const sources = await h.sources(batchId);
    for (const page of loadFixtureManifest()) {
      const s = sources.find((x) => x.url === h.web.url(page.path));
      expect(s, page.file).toBeDefined();
      expect(s!.status, page.file).toBe("indexed");
      expect(s!.language, page.file).toBe(page.language);
      // Whitespace is normalised by the clean stage (an ideographic space becomes a space).
      const ws = (t: string | undefined) => t?.replace(/\s+/g, " ").trim();
      if (page.title) expect(ws(s!.title), page.file).toBe(ws(page.title));
      if (page.published) expect(s!.published?.slice(0, 10), page.file).toBe(page.published);
    }
  });

  it("indexes events whose evidence points at their sources", async () => {
    const events = await h.events();
    expect(events.length).toBeGreaterThan(5);
    const sources = new Map((await h.sources(batchId)).map((s) => [s.id, s]));
    for (const e of events) {
      expect(e.evidence.length).toBeGreaterThan(0);
      expect(e.num_sources).toBe(e.source_ids.length);
      for (const ev of e.evidence) {
        const s = sources.get(ev.source_id);
        expect(s, `evidence source of ${e.id}`).toBeDefined();
        expect(s!.event_ids).toContain(e.id);
        expect(s!.text?.slice(ev.offset[0], ev.offset[1])).toBe(ev.sentence);
      }
    }
    expect(await h.count("mentions")).toBeGreaterThanOrEqual(events.length);
  });

  it("records a URL that 404s as a failed source with stage and reason", async () => {
    const s = (await h.sources(batchId)).find((x) => x.url === h.web.url("/errors/not-found"));
    expect(s?.status).toBe("failed");
    expect(s?.failure?.stage).toBe("fetch");
    expect(s?.failure?.reason).toBe("http_404");
    const bad = (await h.sources(batchId)).find((x) => x.url.startsWith("javascript:"));
    expect(bad?.status).toBe("failed");
    expect(bad?.failure).toMatchObject({ stage: "enqueue", reason: "bad_url" });
  });

  it("changes no counts when the same batch is enqueued again", async () => {
    const before = { sources: await h.count("sources"), events: await h.count("events"), mentions: await h.count("mentions") };
    const eventsBefore = new Map((await h.events()).map((e) => [e.id, [e.num_sources, e.num_mentions]]));
    const again = await h.producer.enqueue(items, { label: "e2e again" });
    await h.waitForBatch(again.batch_id, 120_000);
    const after = { sources: await h.count("sources"), events: await h.count("events"), mentions: await h.count("mentions") };
    expect(after).toEqual(before);
    const eventsAfter = new Map((await h.events()).map((e) => [e.id, [e.num_sources, e.num_mentions]]));
    expect(eventsAfter).toEqual(eventsBefore);
    // Every source now lists both batches.
    const sources = await h.sources(again.batch_id);
    expect(sources).toHaveLength(items.length);
    for (const s of sources) expect(s.batch_ids).toEqual(expect.arrayContaining([batchId, again.batch_id]));
  });
});
