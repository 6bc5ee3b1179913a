/**
 * The http provider against a real local LibreTranslate-compatible server (node:http on
 * 127.0.0.1, started here), without a cache: the cache is tested on real Redis in
 * test/e2e/translate.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { StageError, type CleanedArticle } from "@tidings/shared";
import { HttpTranslationProvider, loadHttpTranslateConfig, parseRetryAfter, resolveLanguage, translateArticle, type HttpTranslateConfig } from "../src/index.ts";
import { LibreServer, type LibreServerOptions } from "../src/libre-server.ts";

let server: LibreServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function setup(serverOptions: LibreServerOptions = {}, config: Partial<HttpTranslateConfig> = {}) {
  server = await new LibreServer(serverOptions).start();
  const retries: { attempt: number; delayMs: number; reason: string }[] = [];
  const provider = new HttpTranslationProvider({
    config: { ...loadHttpTranslateConfig({ TIDINGS_TRANSLATE_URL: server.url }), backoffMs: 20, ...config },
    onRetry: (r) => retries.push(r),
  });
  return { server, provider, retries };
}

const caught = async (p: Promise<unknown>): Promise<StageError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StageError);
    return err as StageError;
  }
  throw new Error("expected a StageError");
};

describe("http provider (LibreTranslate protocol)", () => {
  it("translates a batch in one request, with provenance", async () => {
    const { server, provider } = await setup({}, { apiKey: "secret" });
    const r = await provider.translate({ source: "ru", target: "en", texts: ["Заголовок", "Первый абзац.", "Второй абзац."] });
    expect(r).toMatchObject({
      texts: ["[ru>en] Заголовок", "[ru>en] Первый абзац.", "[ru>en] Второй абзац."],
      provider: "http", model: "libretranslate", source: "ru", target: "en", translated: true,
      stats: { texts: 3, cached: 0, requests: 1 },
    });
    expect(server.translateRequests).toHaveLength(1);
    expect(server.translateRequests[0]!.body).toEqual({
      q: ["Заголовок", "Первый абзац.", "Второй абзац."], source: "ru", target: "en", format: "text", api_key: "secret",
    });
  });

  it("sends a lone text as a string and keeps blank texts without sending them", async () => {
    const { server, provider } = await setup();
    const r = await provider.translate({ source: "fr", target: "en", texts: ["", "Bonjour."] });
    expect(r.texts).toEqual(["", "[fr>en] Bonjour."]);
    expect(server.translateRequests[0]!.body?.q).toBe("Bonjour.");
  });

  it("maps zh to the server's zh-Hans", async () => {
    const { server, provider } = await setup();
    expect(resolveLanguage("zh", ["en", "zh-Hans", "zh-Hant"])).toBe("zh-Hans");
    expect(resolveLanguage("pt", ["pt-BR"])).toBe("pt-BR");
    expect(resolveLanguage("xx", ["en"])).toBeUndefined();
    const r = await provider.translate({ source: "zh", target: "en", texts: ["朝鲜与俄罗斯举行会谈。"] });
    expect(r.texts).toEqual(["[zh-Hans>en] 朝鲜与俄罗斯举行会谈。"]);
    expect(server.translateRequests[0]!.body).toMatchObject({ source: "zh-Hans", target: "en" });
  });

  it("splits into several requests under the char budget, keeping the order", async () => {
    // The server refuses anything over 60 characters, as LibreTranslate's --char-limit does.
    const { server, provider } = await setup({ charLimit: 60 }, { batchChars: 60 });
    const texts = Array.from({ length: 8 }, (_, i) => `Paragraph number ${i} of the article.`); // 35 chars each
    const long = "One sentence that is long enough. Another sentence, also long enough. And a third one to end.";
    const r = await provider.translate({ source: "fr", target: "en", texts: [...texts, long] });
    expect(r.texts.slice(0, 8)).toEqual(texts.map((t) => `[fr>en] ${t}`));
    // The over-long text went out in sentence pieces and came back joined, in order.
    expect(r.texts[8]).toBe("[fr>en] One sentence that is long enough. [fr>en] Another sentence, also long enough. And a third one to end.");
    const requests = server.translateRequests;
    expect(requests.length).toBeGreaterThan(8);
    expect(r.stats?.requests).toBe(requests.length);
    const sent = requests.flatMap((q) => (Array.isArray(q.body?.q) ? q.body.q : [q.body?.q ?? ""]));
    expect(sent.slice(0, 8)).toEqual(texts);
    for (const q of requests) {
      const items = Array.isArray(q.body?.q) ? q.body.q : [q.body?.q ?? ""];
      expect(items.join("").length).toBeLessThanOrEqual(60);
    }
  });

  it("sends each distinct text once", async () => {
    const { server, provider } = await setup();
    const r = await provider.translate({ source: "fr", target: "en", texts: ["Oui.", "Non.", "Oui."] });
    expect(r.texts).toEqual(["[fr>en] Oui.", "[fr>en] Non.", "[fr>en] Oui."]);
    expect(server.translateRequests[0]!.body?.q).toEqual(["Oui.", "Non."]);
  });

  it("times out a slow server, retries, then fails with a transient timeout", async () => {
    const { server, provider, retries } = await setup({ delayMs: 2000 }, { timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const err = await caught(provider.translate({ source: "fr", target: "en", texts: ["Lent."] }));
    expect(err.reason).toBe("timeout");
    expect(err.permanent).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(retries.map((r) => r.reason)).toEqual(["timeout"]);
    expect(server.translateRequests).toHaveLength(2);
  });

  it("refuses a pair the server lacks with a permanent unsupported_pair, before sending any text", async () => {
    const { server, provider } = await setup();
    expect(await provider.supports("ru", "en")).toBe(true);
    expect(await provider.supports("en", "ru")).toBe(true);
    expect(await provider.supports("ru", "ja")).toBe(false); // ru has targets [en] only
    expect(await provider.supports("sw", "en")).toBe(false);
    const err = await caught(provider.translate({ source: "sw", target: "en", texts: ["Habari."] }));
    expect(err).toMatchObject({ reason: "unsupported_pair", permanent: true });
    expect(server.translateRequests).toHaveLength(0);
    expect(server.requests.filter((r) => r.path === "/languages")).toHaveLength(1); // asked once, kept
  });

  it("reads the server's own 'not supported' answer as unsupported_pair", async () => {
    const { server, provider } = await setup();
    await provider.supports("fr", "en");
    server.failNext(1, 400, undefined, { error: "fr is not supported" });
    const err = await caught(provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] }));
    expect(err).toMatchObject({ reason: "unsupported_pair", permanent: true });
    // The languages are asked again next time, since the server's answer has changed.
    await provider.supports("fr", "en");
    expect(server.requests.filter((r) => r.path === "/languages")).toHaveLength(2);
  });

  it("retries a server error with backoff, then succeeds", async () => {
    const { server, provider, retries } = await setup();
    await provider.supports("fr", "en");
    server.failNext(2, 503);
    const r = await provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] });
    expect(r.texts).toEqual(["[fr>en] Bonjour."]);
    expect(retries.map((x) => x.reason)).toEqual(["http_503", "http_503"]);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(20); // 2nd retry: 40 ms +-50%
    expect(server.translateRequests).toHaveLength(3);
  });

  it("waits as long as Retry-After says on 429", async () => {
    const { server, provider, retries } = await setup();
    await provider.supports("fr", "en");
    server.failNext(1, 429, { "retry-after": "1" });
    const started = Date.now();
    const r = await provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] });
    expect(r.translated).toBe(true);
    expect(retries[0]).toMatchObject({ reason: "http_429", delayMs: 1000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("hands a long Retry-After back to the queue instead of waiting", async () => {
    const { server, provider } = await setup({}, { maxRetryAfterMs: 5000 });
    await provider.supports("fr", "en");
    server.failNext(1, 429, { "retry-after": "120" });
    const err = await caught(provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] }));
    expect(err).toMatchObject({ reason: "http_429", permanent: false, retryAfterMs: 120_000 });
    expect(server.translateRequests).toHaveLength(1);
  });

  it("gives up after the retries with a transient error", async () => {
    const { server, provider } = await setup({}, { retries: 2 });
    await provider.supports("fr", "en");
    server.failNext(5, 502);
    const err = await caught(provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] }));
    expect(err).toMatchObject({ reason: "http_502", permanent: false });
    expect(server.translateRequests).toHaveLength(3);
  });

  it("fails at once, permanently, on a refused API key", async () => {
    const { server, provider } = await setup({ apiKey: "right" }, { apiKey: "wrong" });
    const err = await caught(provider.translate({ source: "fr", target: "en", texts: ["Bonjour."] }));
    expect(err).toMatchObject({ reason: "translate_auth", permanent: true });
    expect(err.detail).toMatch(/TIDINGS_TRANSLATE_API_KEY/);
    expect(server.translateRequests).toHaveLength(1);
  });

  it("reports a server that is not there as a transient network error", async () => {
    const { server, provider } = await setup({}, { retries: 0 });
    await server.stop();
    const err = await caught(provider.supports("fr", "en"));
    expect(err).toMatchObject({ reason: "network", permanent: false });
  });

  it("translates an article through translateArticle, skipping what needs no translation", async () => {
    const { server, provider } = await setup();
    const article = (language: string, paragraphs: string[], title?: string): CleanedArticle => ({
      ...(title ? { title } : {}), paragraphs, text: paragraphs.join("\n\n"), language, language_confidence: 1, authors: [],
    });
    const zh = await translateArticle(article("zh", ["第一段。", "第二段。"], "标题"), provider, "en");
    expect(zh).toEqual({
      provider: "http", model: "libretranslate", source_language: "zh", target_language: "en", translated: true,
      title: "[zh-Hans>en] 标题", text: "[zh-Hans>en] 第一段。\n\n[zh-Hans>en] 第二段。",
    });
    expect(await translateArticle(article("en", ["Already English."]), provider, "en")).toMatchObject({ translated: false, reason: "same_language" });
    expect(await translateArticle(article("sw", ["Habari."]), provider, "en")).toMatchObject({ provider: "http", translated: false, reason: "unsupported_pair" });
    expect(server.translateRequests).toHaveLength(1);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
