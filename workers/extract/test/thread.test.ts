import { createCpuRunner } from "@tidings/shared";
import { describe, expect, it } from "vitest";
import { extractEvents, type ExtractInput } from "../src/index.ts";

describe("extract thread entry", () => {
  it("extracts in a worker thread exactly as in the event loop", async () => {
    const text = "Russian President Vladimir Putin met North Korean leader Kim Jong Un at the Vostochny Cosmodrome on Wednesday, September 13, 2023.";
    const input = {
      article: { text, paragraphs: [text], title: "Putin meets Kim", language: "en", language_confidence: 1, authors: [], published: "2023-09-13" },
      source: { id: "s1", url: "http://news.test/a", published: "2023-09-13" },
    } as unknown as ExtractInput;
    const cpu = createCpuRunner(new URL("../src/thread.js", import.meta.url), 1, {});
    try {
      const threaded = await cpu.run("extract", input);
      expect(threaded).toEqual(extractEvents(input));
      expect((threaded as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await cpu.close();
    }
  });
});
