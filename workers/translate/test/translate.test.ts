import { describe, expect, it } from "vitest";
import type { CleanedArticle } from "@tidings/shared";
import { createProvider, StubProvider, translateArticle } from "../src/index.ts";

const article = (language: string, paragraphs = ["朝鲜与俄罗斯举行会谈。"]): CleanedArticle => ({
  title: "标题", paragraphs, text: paragraphs.join("\n\n"), language, language_confidence: 1, authors: [],
});

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

  it("skips an empty article", async () => {
    const t = await translateArticle({ ...article("zh", []), title: undefined }, stub, "en");
    expect(t.reason).toBe("empty");
  });

  it("names an unknown provider clearly", () => {
    expect(() => createProvider("nope")).toThrow(/not available/);
  });
});
