import { readFileSync } from "node:fs";
import { compressBody, createCpuRunner } from "@tidings/shared";
import { describe, expect, it } from "vitest";
import { cleanPage } from "../src/index.ts";

const PAGE = new URL("../../../test/fixtures/pages/en-summit-vostochny.html", import.meta.url);
const ZH_PAGE = new URL("../../../test/fixtures/pages/zh-summit-vostochny.html", import.meta.url);

describe("clean thread entry", () => {
  it("cleans a page in a worker thread exactly as in the event loop", async () => {
    const args = { page: { body: readFileSync(PAGE, "utf8"), kind: "html" as const, url: "http://news.test/summit" }, meta: { url: "http://news.test/summit" } };
    const cpu = createCpuRunner(new URL("../src/thread.js", import.meta.url), 1, {});
    try {
      const threaded = await cpu.run("clean", args);
      expect(threaded).toEqual(cleanPage(args.page, args.meta));
      expect((threaded as { paragraphs: string[] }).paragraphs.length).toBeGreaterThan(2);
    } finally {
      await cpu.close();
    }
  });

  it("cleans a stored (compressed) body from its bytes exactly as the decoded page", async () => {
    const html = readFileSync(ZH_PAGE, "utf8");
    const compressed = compressBody(Buffer.from(html, "utf8"), "lz4");
    const page = { compressedBody: { codec: "lz4" as const, bytes: new Uint8Array(compressed) }, kind: "html" as const, url: "http://news.test/zh" };
    const meta = { url: "http://news.test/zh" };
    const cpu = createCpuRunner(new URL("../src/thread.js", import.meta.url), 1, {});
    try {
      const threaded = (await cpu.run("clean", { page, meta })) as { text: string; language: string };
      expect(threaded).toEqual(cleanPage({ body: html, kind: "html", url: page.url }, meta));
      expect(threaded.language).toBe("zh");
      expect(threaded.text).toContain("金正恩");
    } finally {
      await cpu.close();
    }
  });
});
