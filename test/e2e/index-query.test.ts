/**
 * Index and query: one event across many articles and languages, replays that change nothing,
 * and the query side (actor names in any language, roles, places) on the real Elasticsearch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEventParams } from "@tidings/scripts/query/params";
import { searchEvents } from "@tidings/scripts/query/run";
import { isBundle, QueueName, type IndexPayload } from "@tidings/shared";
import { currentIndex, ensureIndices, indexSegmentation, reindexKind, SEGMENTATION_VERSION, segmentedFields, sourceNeedsSegmentedCopy, type EventDocument } from "@tidings/index";
import { startDashboard } from "@tidings/scripts/dashboard/server";
import { openHarness, type Harness } from "../src/harness.ts";

describe("index and query", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness("index");
    const items = h.web.pages.map((p) => ({ url: h.web.url(p.path), ...(p.published ? { meta: { published: p.published } } : {}) }));
    const { batch_id } = await h.producer.enqueue(items, { label: "index-query" });
    await h.waitForBatch(batch_id, 240_000);
  });

  afterAll(async () => {
    await h?.close();
  });

  const summit = (events: EventDocument[]) => events.find((e) =>
    e.type === "CONSULT" && e.date.value === "2023-09-13" && e.actor_countries.includes("PRK") && e.actor_countries.includes("RUS"));

  it("shows one event told by pages in two languages once, with both sources", async () => {
    const e = summit(await h.events());
    expect(e, "the Kim-Putin summit of 2023-09-13").toBeDefined();
    expect(e!.num_sources).toBeGreaterThanOrEqual(2);
    expect(e!.languages).toEqual(expect.arrayContaining(["en", "zh"]));
    expect(new Set(e!.evidence.map((x) => x.source_id)).size).toBe(e!.num_sources > 20 ? 20 : e!.num_sources);
  });

  it("gives a source segmented copies of its text only where they hold other words, and both fields find every language", async () => {
    await h.es.indices.refresh({ index: h.names.sources });
    const res = await h.es.search<Record<string, unknown>>({ index: h.names.sources, size: 500, query: { term: { status: "indexed" } }, _source: ["language", "title", "text", "text_seg"] });
    const docs = res.hits.hits.map((x) => x._source!);
    const withCopy = docs.filter((d) => d.text_seg !== undefined);
    const withoutCopy = docs.filter((d) => d.text_seg === undefined);
    expect(withCopy.map((d) => d.language)).toEqual(expect.arrayContaining(["zh", "vi"]));
    expect(withoutCopy.map((d) => d.language)).toEqual(expect.arrayContaining(["en"]));
    // Exactly the sources the rule names have the copies, in both directions.
    for (const d of docs) expect(d.text_seg !== undefined, String(d.title)).toBe(sourceNeedsSegmentedCopy(String(d.title ?? ""), String(d.text ?? ""), String(d.language ?? "")));
    // The README's query for every language: the segmented phrase or the standard one.
    const hits = await h.es.search<Record<string, unknown>>({ index: h.names.sources, size: 500, _source: ["language"], query: { bool: { should: [
      { match_phrase: { text_seg: "朝鲜" } }, { match_phrase: { text: "North Korea" } }] } } });
    expect([...new Set(hits.hits.hits.map((x) => x._source!.language as string))]).toEqual(expect.arrayContaining(["zh", "en"]));
  });

  it("finds the same events by an actor's name in any language or by country code", async () => {
    const run = async (params: Record<string, string>) =>
      (await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ ...params, size: "500" }))).events.map((e) => e.id as string).sort();
    const zh = await run({ actor: "朝鲜", target: "RUS" });
    const en = await run({ actor: "North Korea", target: "RUS" });
    const vi = await run({ actor: "Triều Tiên", target: "RUS" });
    const code = await run({ actor: "PRK", target: "RUS" });
    expect(zh.length).toBeGreaterThan(0);
    expect(en).toEqual(zh);
    expect(vi).toEqual(zh);
    expect(code).toEqual(zh);
    // Roles matter: Russia as target is not Russia as source.
    const reversed = await run({ source: "RUS", target: "PRK" });
    expect(reversed).not.toEqual(zh);
  });

  it("answers the same questions over HTTP, and refuses bad parameters with their name", async () => {
    const dash = await startDashboard({ config: h.config, redis: h.redis, producer: h.producer, es: h.es }, { host: "127.0.0.1", port: 0, auth: {} });
    try {
      const get = async (path: string) => {
        const res = await fetch(`${dash.url}${path}`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const cli = (await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ actor: "朝鲜", target: "RUS" }))).events.map((e) => e.id);
      const api = await get(`/api/events?actor=${encodeURIComponent("North Korea")}&target=RUS`);
      expect(api.status).toBe(200);
      expect((api.body.events as { id: string }[]).map((e) => e.id)).toEqual(cli);
      const sources = await get("/api/sources?status=indexed&size=5");
      expect((sources.body.sources as unknown[]).length).toBe(5);
      const timeline = await get("/api/timeline?actor=PRK&actor=RUS&interval=month&from=2023-01&to=2024-12");
      expect((timeline.body.buckets as unknown[]).length).toBe(24);
      for (const [path, parameter] of [
        ["/api/events?type=PARTY", "type"], ["/api/events?near=999,0", "near"], ["/api/events?from=last+week", "from"],
        ["/api/events?size=100000", "size"], ["/api/sources?status=*", "status"], ["/api/sources?site=a%20b", "site"],
        ["/api/events?actor=Nobody%20Atall", "actor"], ["/api/timeline?interval=century", "interval"],
      ] as const) {
        const r = await get(path);
        expect(r.status, path).toBe(400);
        expect(r.body.parameter, path).toBe(parameter);
      }
    } finally {
      await dash.close();
    }
  });

  it("finds the Vostochny summit with a geo query around Vladivostok", async () => {
    const { events } = await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ near: "43.12,131.89,1200", size: "100" }));
    const e = summit(events as unknown as EventDocument[]);
    expect(e?.location?.name).toMatch(/Vostochny/);
    const far = await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ near: "-33.86,151.2,500" }));
    expect(far.events.find((x) => x.id === e?.id)).toBeUndefined();
  });

  it("finds events by free text in Chinese and English", async () => {
    const zh = await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ text: "普京" }));
    const en = await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ text: "Putin" }));
    expect(zh.total).toBeGreaterThan(0);
    expect(en.total).toBeGreaterThan(0);
  });

  it("leaves every count identical when every index job is replayed twice", async () => {
    const snapshot = async () => {
      const events = (await h.events()).map((e) => [e.id, e.num_sources, e.num_mentions, e.languages.join(","), e.source_ids.join(",")].join("|")).sort();
      return { sources: await h.count("sources"), events, mentions: await h.count("mentions") };
    };
    const before = await snapshot();
    const queue = h.producer.queue(QueueName.Index);
    const done = await queue.getJobs(["completed"], 0, -1);
    // Jobs carry one URL or a bundle of several (bundles.ts): the replay repeats every URL's.
    expect(done.flatMap((j) => (isBundle(j.data) ? j.data.items : [j.data])).length).toBeGreaterThan(10);
    for (const round of [1, 2]) {
      await queue.addBulk(done.map((j) => ({ name: j.name, data: j.data as IndexPayload, opts: { jobId: `${j.id}-replay${round}` } })));
    }
    // Wait until the replays are through.
    for (let i = 0; i < 600; i++) {
      const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(c).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await queue.getJobCounts("failed")).toEqual({ failed: 0 });
    await h.es.indices.refresh({ index: Object.values(h.names) });
    expect(await snapshot()).toEqual(before);
  });

  it("reindexes into a new version behind the same aliases, and keeps indexing there", async () => {
    const before = { sources: await h.count("sources"), events: await h.count("events"), mentions: await h.count("mentions") };
    // What an older version's segmentation left: one document of each kind with a stale
    // segmented field. The reindex must make it again from the document's text.
    const segField = { sources: "text_seg", events: "evidence_seg", mentions: "sentence_seg" } as const;
    const stale: Array<{ kind: "sources" | "events" | "mentions"; id: string }> = [];
    for (const kind of ["sources", "events", "mentions"] as const) {
      const hit = (await h.es.search({ index: h.names[kind], size: 1, query: { exists: { field: segField[kind] } } })).hits.hits[0]!;
      await h.es.update({ index: hit._index, id: hit._id!, doc: { [segField[kind]]: "stale segmentation" }, refresh: true });
      stale.push({ kind, id: hit._id! });
    }
    // Every index records the segmentation it was made with: none is behind now. One that says
    // it is older (as an index from before the record does) is reported, until the reindex.
    const prefix = h.config.indexPrefix;
    expect(await ensureIndices(h.es, prefix)).toEqual([]);
    const oldSources = (await currentIndex(h.es, prefix, "sources")).index;
    await h.es.indices.putMapping({ index: oldSources, _meta: { segmentation: 1 } });
    expect(await ensureIndices(h.es, prefix)).toEqual([{ kind: "sources", index: oldSources, segmentation: 1 }]);
    for (const kind of ["sources", "events", "mentions"] as const) {
      const r = await reindexKind(h.es, h.config.indexPrefix, kind);
      expect(r.to).toMatch(/-v2$/);
      expect((await currentIndex(h.es, h.config.indexPrefix, kind)).version).toBe(2);
    }
    await h.es.indices.refresh({ index: Object.values(h.names) });
    expect({ sources: await h.count("sources"), events: await h.count("events"), mentions: await h.count("mentions") }).toEqual(before);
    expect(await ensureIndices(h.es, prefix)).toEqual([]);
    expect(await indexSegmentation(h.es, (await currentIndex(h.es, prefix, "sources")).index)).toBe(SEGMENTATION_VERSION);
    for (const { kind, id } of stale) {
      const doc = (await h.es.get<Record<string, unknown>>({ index: h.names[kind], id }))._source!;
      expect(doc[segField[kind]], kind).not.toBe("stale segmentation");
      expect(doc[segField[kind]], kind).toBe(segmentedFields(kind, doc)[segField[kind]]);
    }
    // Queries read through the alias: the same answers.
    const { events } = await searchEvents(h.es, h.config.indexPrefix, parseEventParams({ actor: "朝鲜", target: "RUS" }));
    expect(events.length).toBeGreaterThan(0);
    // And the pipeline writes to the new version: enqueue one more page.
    const { batch_id } = await h.producer.enqueue([{ url: h.web.url("/errors/server-error") }], { label: "after reindex" });
    await h.waitForBatch(batch_id, 60_000);
    expect(await h.count("sources")).toBe(before.sources + 1);
  });
});
