import { describe, expect, it } from "vitest";
import type { CleanedArticle } from "../src/article.ts";
import { baseLanguage, followUp, translationNotNeeded } from "../src/follow-up.ts";
import { sourceIdOf } from "../src/ids.ts";
import type { JobEnvelope, PageInfo, TranslatePayload } from "../src/jobs.ts";
import { QueueName } from "../src/queues.ts";

const envelope: JobEnvelope = {
  v: 1, source_id: sourceIdOf("https://example.test/a"), url: "https://example.test/a", input_url: "https://example.test/a",
  batch_id: "b_1", correlation_id: "c_1", run: "lx2a", enqueued_at: "2024-01-01T00:00:00.000Z",
};
const page: PageInfo = {
  requested_url: envelope.url, final_url: envelope.url, http_status: 200, content_type: "text/html", kind: "html",
  charset: "utf-8", fetched_at: "2024-01-01T00:00:01.000Z", bytes: 100,
};
const article = (language: string, title: string | undefined, paragraphs: string[]): CleanedArticle => ({
  title, paragraphs, text: paragraphs.join("\n\n"), language, language_confidence: 0.9, authors: [],
});
const config = { translateProvider: "stub" as const, translateTarget: "en" };

describe("translationNotNeeded", () => {
  // language, title, paragraphs, target, expected reason (undefined: the provider must be asked)
  it.each([
    ["en", "Title", ["Body."], "en", "same_language"],
    ["en-GB", "Title", ["Body."], "en", "same_language"],
    ["zh-Hans", "标题", ["正文。"], "zh", "same_language"],
    ["und", "Title", ["Body."], "en", "unknown_language"],
    ["", "Title", ["Body."], "en", "unknown_language"],
    ["ru", undefined, [], "en", "empty"],
    ["ru", "  ", ["", " "], "en", "empty"],
    ["ru", "Заголовок", [], "en", undefined],
    ["ru", undefined, ["Текст."], "en", undefined],
    ["vi", "Tiêu đề", ["Nội dung."], "en", undefined],
  ])("%s %j %j -> %s: %s", (language, title, paragraphs, target, reason) => {
    const info = translationNotNeeded(article(language, title, paragraphs), "stub", target);
    if (reason === undefined) return expect(info).toBeUndefined();
    expect(info).toEqual({ provider: "stub", source_language: language, target_language: target, translated: false, reason });
  });

  it.each([["en-US", "en"], ["zh-Hans", "zh"], [" PT_br ", "pt"], ["", ""]])("baseLanguage(%j) = %j", (code, base) => {
    expect(baseLanguage(code)).toBe(base);
  });
});

describe("followUp: where a stage's output goes", () => {
  const cleaned = (language: string): TranslatePayload => ({ envelope, page, article: article(language, "Title", ["Body."]) });

  it("goes to the next stage in order", () => {
    const fetched = { envelope, page: { ...page, body: "<p>x</p>" } };
    expect(followUp(QueueName.Fetch, fetched, config)).toEqual({ queue: QueueName.Clean, payload: fetched, passed: [] });
    const toExtract = { ...cleaned("ru"), translation: { provider: "stub", source_language: "ru", target_language: "en", translated: false } };
    expect(followUp(QueueName.Translate, toExtract, config)?.queue).toBe(QueueName.Extract);
  });

  it("sends an article that needs translating to the translate stage", () => {
    expect(followUp(QueueName.Clean, cleaned("ru"), config)).toEqual({ queue: QueueName.Translate, payload: cleaned("ru"), passed: [] });
  });

  it("skips the translate stage when no provider has anything to do, with the record that stage would write", () => {
    const next = followUp(QueueName.Clean, cleaned("en"), config);
    expect(next?.queue).toBe(QueueName.Extract);
    expect(next?.passed).toEqual([QueueName.Translate]);
    expect(next?.payload).toEqual({
      ...cleaned("en"),
      translation: { provider: "stub", source_language: "en", target_language: "en", translated: false, reason: "same_language" },
    });
    // Another target language: the same article now needs the provider.
    expect(followUp(QueueName.Clean, cleaned("en"), { ...config, translateTarget: "de" })?.queue).toBe(QueueName.Translate);
  });

  it("ends after the last stage, and without output", () => {
    expect(followUp(QueueName.Index, undefined, config)).toBeUndefined();
    expect(followUp(QueueName.Clean, undefined, config)).toBeUndefined();
  });
});
