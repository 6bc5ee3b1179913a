import { describe, expect, it } from "vitest";
import { StageError, type CleanedArticle } from "@tidings/shared";
import { baseLanguage, createProvider, StubProvider, translateArticle, type TranslateRequest, type TranslationProvider } from "../src/index.ts";

const article = (language: string, paragraphs = ["朝鲜与俄罗斯举行会谈。"]): CleanedArticle => ({
  title: "标题", paragraphs, text: paragraphs.join("\n\n"), language, language_confidence: 1, authors: [],
});

/** A provider that upper-cases, supports a fixed set of pairs and records its calls. */
class FakeProvider implements TranslationProvider {
  readonly name = "fake";
  readonly calls: TranslateRequest[] = [];
  supportsCalls = 0;
  constructor(private readonly pairs: string[]) {}
  async supports(source: string, target: string) {
    this.supportsCalls++;
    return this.pairs.includes(`${source}>${target}`);
  }
  async translate(request: TranslateRequest) {
    this.calls.push(request);
    return { texts: request.texts.map((t) => t.toUpperCase()), provider: this.name, model: "fake-1", source: request.source, target: request.target, translated: true };
  }
}

describe("translateArticle with the stub", () => {
  const stub = new StubProvider();
  it.each([
    ["zh", false, "stub"],
    ["en", false, "same_language"],
    ["und", false, "unknown_language"],
  ])("%s -> en: translated %s because %s", async (language, translated, reason) => {
    const t = await translateArticle(article(language), stub, "en");
    expect(t).toMatchObject({ provider: "stub", source_language: language, target_language: "en", translated, reason });
    expect(t.text).toBeUndefined(); // nothing pretends to be English
  });

  it("records the stub's model", async () => {
    expect(await translateArticle(article("vi"), stub, "en")).toEqual({
      provider: "stub", model: "passthrough-v1", source_language: "vi", target_language: "en", translated: false, reason: "stub",
    });
  });

  it("skips an empty article", async () => {
    const t = await translateArticle({ ...article("zh", []), title: undefined }, stub, "en");
    expect(t.reason).toBe("empty");
  });

  it("names an unknown provider clearly", () => {
    expect(() => createProvider("nope")).toThrow(/not available \(known: stub, http\)/);
  });
});

describe("routing", () => {
  it("translates a supported pair: title first, paragraphs joined", async () => {
    const p = new FakeProvider(["vi>en"]);
    const t = await translateArticle({ ...article("vi", ["một.", "", "hai."]), title: "tựa" }, p, "en");
    expect(p.calls).toEqual([{ source: "vi", target: "en", texts: ["tựa", "một.", "hai."] }]);
    expect(t).toEqual({ provider: "fake", model: "fake-1", source_language: "vi", target_language: "en", translated: true, title: "TỰA", text: "MỘT.\n\nHAI." });
  });

  it("skips an unsupported pair without sending text", async () => {
    const p = new FakeProvider(["vi>en"]);
    const t = await translateArticle(article("ko"), p, "en");
    expect(t).toEqual({ provider: "fake", source_language: "ko", target_language: "en", translated: false, reason: "unsupported_pair" });
    expect(p.calls).toHaveLength(0);
  });

  it("treats a regional variant of the target as the same language, asking the provider nothing", async () => {
    const p = new FakeProvider([]);
    expect((await translateArticle(article("en-GB"), p, "en")).reason).toBe("same_language");
    expect((await translateArticle(article("zh"), p, "zh")).reason).toBe("same_language");
    expect(p.supportsCalls).toBe(0);
    expect(baseLanguage("zh-Hans")).toBe("zh");
  });

  it("passes the provider's reason and an empty title through", async () => {
    const p = new FakeProvider(["ru>en"]);
    const t = await translateArticle({ ...article("ru", ["текст"]), title: undefined }, p, "en");
    expect(p.calls[0]!.texts).toEqual(["", "текст"]);
    expect(t.title).toBeUndefined();
    expect(t.text).toBe("ТЕКСТ");
  });

  it("records a pair the provider refuses when sent as unsupported_pair, not as a failure", async () => {
    const p = new FakeProvider(["ru>en"]);
    p.translate = async () => { throw new StageError("unsupported_pair", "ru is not supported"); };
    expect(await translateArticle(article("ru"), p, "en")).toEqual({
      provider: "fake", source_language: "ru", target_language: "en", translated: false, reason: "unsupported_pair",
    });
  });

  it("lets provider errors through (the stage worker classifies them)", async () => {
    const p = new FakeProvider(["ru>en"]);
    p.translate = async () => { throw new Error("boom"); };
    await expect(translateArticle(article("ru"), p, "en")).rejects.toThrow("boom");
  });
});
