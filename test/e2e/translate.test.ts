/**
 * The translate stage on the real services: the http provider's Redis cache, the provider
 * counts on a real Elasticsearch index, and the whole pipeline with the stub (as before) and
 * with the http provider against a local LibreTranslate-compatible server.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createElasticsearch, createRedis, loadConfig, sourceIdOf, type EnqueueItem, type SourceRecord } from "@tidings/shared";
import { cleanPage } from "@tidings/clean";
import { createProvider, providerCounts, sha256, translateArticle, type HttpTranslationProvider, type TranslateStats } from "@tidings/translate";
import { LibreServer } from "@tidings/translate/libre-server";
import type { Redis } from "ioredis";
import { openHarness, type Harness } from "../src/harness.ts";

async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) n += await redis.unlink(...keys);
  } while (cursor !== "0");
  return n;
}

describe("http provider cache on real Redis", () => {
  let server: LibreServer;
  let redis: Redis;
  const prefix = `t-translate-cache-${Date.now().toString(36)}:`;

  beforeAll(async () => {
    server = await new LibreServer({ charLimit: 200 }).start();
    redis = createRedis({ redisUrl: inject("redisUrl") }, "producer");
  });

  afterAll(async () => {
    await deleteKeys(redis, `${prefix}*`);
    await redis.quit().catch(() => redis.disconnect());
    await server.stop();
  });

  const provider = (env: Record<string, string> = {}) => createProvider("http", {
    redis, cachePrefix: prefix, env: { TIDINGS_TRANSLATE_URL: server.url, TIDINGS_TRANSLATE_BATCH_CHARS: "200", ...env },
  }) as HttpTranslationProvider;

  it("serves a second translation of the same texts from Redis without a request", async () => {
    const texts = ["Заголовок", "Первый абзац.", "Второй абзац."];
    const first = await provider().translate({ source: "ru", target: "en", texts });
    expect(first.stats).toMatchObject({ cached: 0, requests: 1 });
    expect(server.translateRequests).toHaveLength(1);

    // A new provider (a new worker process) with the same Redis: no request at all.
    const second = await provider().translate({ source: "ru", target: "en", texts });
    expect(second.texts).toEqual(first.texts);
    expect(second.stats).toMatchObject({ cached: 3, requests: 0, chars: 0 });
    expect(server.translateRequests).toHaveLength(1);

    // One key per (provider+model, source, target, sha256 of text), with a 30-day TTL.
    const key = `${prefix}http:libretranslate:ru:en:${sha256("Первый абзац.")}`;
    expect(await redis.get(key)).toBe("[ru>en] Первый абзац.");
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(30 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400);
  });

  it("sends only the texts it has not seen, and keeps pairs and models apart", async () => {
    const before = server.translateRequests.length;
    const r = await provider().translate({ source: "ru", target: "en", texts: ["Заголовок", "Новый абзац."] });
    expect(r.texts).toEqual(["[ru>en] Заголовок", "[ru>en] Новый абзац."]);
    expect(server.translateRequests.slice(before).map((q) => q.body?.q)).toEqual(["Новый абзац."]);

    await provider().translate({ source: "fr", target: "en", texts: ["Заголовок"] }); // another pair: a miss
    await provider({ TIDINGS_TRANSLATE_MODEL: "other-model" }).translate({ source: "ru", target: "en", texts: ["Заголовок"] }); // another model: a miss
    expect(server.translateRequests.length).toBe(before + 3);
  });

  it("caches a long text split into several requests as one entry", async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} of a long paragraph.`).join(" ");
    const before = server.translateRequests.length;
    const first = await provider().translate({ source: "fr", target: "en", texts: [long] });
    expect(server.translateRequests.length - before).toBeGreaterThan(1);
    const second = await provider().translate({ source: "fr", target: "en", texts: [long] });
    expect(second.texts).toEqual(first.texts);
    expect(second.stats?.requests).toBe(0);
  });

  it("does not cache with TIDINGS_TRANSLATE_CACHE_TTL_DAYS=0", async () => {
    const before = server.translateRequests.length;
    const p = () => provider({ TIDINGS_TRANSLATE_CACHE_TTL_DAYS: "0" });
    await p().translate({ source: "ko", target: "en", texts: ["제목"] });
    await p().translate({ source: "ko", target: "en", texts: ["제목"] });
    expect(server.translateRequests.length).toBe(before + 2);
  });
});

describe("providerCounts on real Elasticsearch", () => {
  const es = createElasticsearch(loadConfig({ ...process.env, ELASTICSEARCH_URL: inject("elasticsearchUrl") }));
  const index = `t-translate-counts-${Date.now().toString(36)}`;
  const mappings = {
    properties: {
      translation: {
        properties: { provider: { type: "keyword" as const }, translated: { type: "boolean" as const }, reason: { type: "keyword" as const } },
      },
    },
  };

  afterAll(async () => {
    await es.indices.delete({ index: [index, `${index}-empty`], ignore_unavailable: true });
    await es.close();
  });

  it("counts translated and skipped sources per provider, with reasons", async () => {
    await es.indices.create({ index, mappings });
    const docs = [
      { provider: "stub", translated: false, reason: "stub" },
      { provider: "stub", translated: false, reason: "stub" },
      { provider: "stub", translated: false, reason: "same_language" },
      { provider: "http", translated: true },
      { provider: "http", translated: true },
      { provider: "http", translated: true },
      { provider: "http", translated: false, reason: "unsupported_pair" },
    ];
    await es.bulk({
      refresh: true,
      operations: docs.flatMap((translation, i) => [{ index: { _index: index, _id: String(i) } }, { translation }]),
    });
    await es.index({ index, id: "failed", document: { status: "failed" }, refresh: true }); // no translation: not counted

    const counts = await providerCounts(es, index);
    expect(counts).toEqual([
      { provider: "http", translated: 3, skipped: 1, reasons: { unsupported_pair: 1 } },
      { provider: "stub", translated: 0, skipped: 3, reasons: { stub: 2, same_language: 1 } },
    ]);
  });

  it("answers an empty list for an index without translations", async () => {
    await es.indices.create({ index: `${index}-empty`, mappings });
    await es.index({ index: `${index}-empty`, document: { status: "failed" }, refresh: true });
    expect(await providerCounts(es, `${index}-empty`)).toEqual([]);
  });

});

/** The fixture pages of these languages, one each, plus one English page. */
function pickPages(h: Harness): { items: EnqueueItem[]; languageOf: Map<string, string> } {
  const languageOf = new Map<string, string>();
  const items: EnqueueItem[] = [];
  const seen = new Set<string>();
  for (const p of h.web.pages) {
    if (p.origin === "seed") continue;
    const lang = p.language ?? p.path.split("/")[1] ?? "";
    if (seen.has(lang)) continue;
    seen.add(lang);
    const url = h.web.url(p.path);
    languageOf.set(sourceIdOf(url), lang);
    items.push({ url, ...(p.published ? { meta: { published: p.published } } : {}) });
  }
  return { items, languageOf };
}

describe("pipeline with the stub (the default)", () => {
  let h: Harness;
  let sources: SourceRecord[];

  beforeAll(async () => {
    delete process.env.TIDINGS_TRANSLATE_PROVIDER;
    h = await openHarness("translate-stub", { fixtures: true, seeds: false, corpusPages: 0 });
    expect(h.config.translateProvider).toBe("stub");
    const { items } = pickPages(h);
    const { batch_id } = await h.producer.enqueue(items, { label: "translate stub" });
    await h.waitForBatch(batch_id);
    sources = await h.sources(batch_id);
    expect(sources).toHaveLength(items.length);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("records the stub as provider and translates nothing", async () => {
    for (const s of sources) {
      expect(s.status, s.url).toBe("indexed");
      expect(s.translation, s.url).toMatchObject({ provider: "stub", translated: false, target_language: "en" });
      expect(s.translation?.reason, s.url).toBe(s.language === "en" ? "same_language" : "stub");
      expect(s.translation?.text, s.url).toBeUndefined();
    }
    const counts = await providerCounts(h.es, h.names.sources);
    expect(counts).toHaveLength(1);
    expect(counts[0]).toMatchObject({ provider: "stub", translated: 0, skipped: sources.length });
  });
});

describe("pipeline with the http provider", () => {
  let h: Harness;
  let server: LibreServer;
  let sources: SourceRecord[];
  const saved = { ...process.env };

  beforeAll(async () => {
    // Korean is left out of the server's languages: those pages are skipped as unsupported_pair.
    server = await new LibreServer({
      languages: [
        { code: "en", targets: ["zh-Hans", "vi", "ru", "ja"] }, { code: "zh-Hans", targets: ["en"] },
        { code: "vi", targets: ["en"] }, { code: "ru", targets: ["en"] }, { code: "ja", targets: ["en"] },
      ],
      charLimit: 400,
      apiKey: "e2e-key",
    }).start();
    Object.assign(process.env, {
      TIDINGS_TRANSLATE_PROVIDER: "http", TIDINGS_TRANSLATE_URL: server.url, TIDINGS_TRANSLATE_API_KEY: "e2e-key",
      TIDINGS_TRANSLATE_BATCH_CHARS: "400",
    });
    h = await openHarness("translate-http", { fixtures: true, seeds: false, corpusPages: 0 });
    expect(h.config.translateProvider).toBe("http");
    const { items } = pickPages(h);
    const { batch_id } = await h.producer.enqueue(items, { label: "translate http" });
    await h.waitForBatch(batch_id);
    sources = await h.sources(batch_id);
    expect(sources).toHaveLength(items.length);
  });

  afterAll(async () => {
    await h?.close();
    await server?.stop();
    for (const k of ["TIDINGS_TRANSLATE_PROVIDER", "TIDINGS_TRANSLATE_URL", "TIDINGS_TRANSLATE_API_KEY", "TIDINGS_TRANSLATE_BATCH_CHARS"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("translates supported languages, skips English and unsupported pairs, keeps the original text", async () => {
    const byLanguage = new Map(sources.map((s) => [s.language ?? "", s]));
    for (const s of sources) {
      expect(s.status, s.url).toBe("indexed");
      expect(s.translation?.provider, s.url).toBe("http");
      expect(s.text?.includes("[") && s.text.includes(">en]"), `${s.url}: the source keeps its original text`).toBe(false);
    }
    for (const lang of ["zh", "vi", "ru"]) {
      const s = byLanguage.get(lang);
      expect(s, lang).toBeDefined();
      expect(s!.translation, lang).toMatchObject({ translated: true, model: "libretranslate", source_language: lang, target_language: "en" });
      expect(s!.translation?.text, lang).toMatch(/^\[[a-zA-Z-]+>en\] /);
      expect(s!.translation?.reason, lang).toBeUndefined();
    }
    expect(byLanguage.get("en")?.translation).toMatchObject({ translated: false, reason: "same_language" });
    expect(byLanguage.get("ko")?.translation).toMatchObject({ translated: false, reason: "unsupported_pair" });
    // Every request stayed within the server's char limit (it answers 400 otherwise) and carried the key.
    for (const r of server.translateRequests) expect(r.body?.api_key).toBe("e2e-key");

    const counts = await providerCounts(h.es, h.names.sources);
    const translated = sources.filter((s) => s.translation?.translated).length;
    expect(counts).toEqual([{
      provider: "http", translated, skipped: sources.length - translated,
      reasons: { same_language: sources.filter((s) => s.language === "en").length, unsupported_pair: 1 },
    }]);
  });

  it("extracts events from the original text as before", async () => {
    expect((await h.events()).length).toBeGreaterThan(0);
  });

  it("caches translations under the queue prefix, so re-processing an article costs no request", async () => {
    const keys = await h.redis.keys(`${h.config.queuePrefix}:translate:http:libretranslate:*`);
    expect(keys.length).toBeGreaterThan(0);
    // Clean the Russian page again, as a re-run would, and translate it with the workers' cache.
    const ru = sources.find((s) => s.language === "ru")!;
    const body = await (await fetch(ru.url)).text();
    const article = cleanPage({ body, kind: "html", url: ru.url }, { url: ru.url });
    const provider = createProvider("http", { redis: h.redis, cachePrefix: `${h.config.queuePrefix}:translate:` });
    const before = server.translateRequests.length;
    let stats: TranslateStats | undefined;
    const again = await translateArticle(article, provider, "en", { onResult: (r) => { stats = r.stats; } });
    expect(server.translateRequests.length).toBe(before);
    expect(stats).toMatchObject({ requests: 0 });
    expect(again).toEqual(ru.translation);
  });

});
