import { readFileSync } from "node:fs";
import { createCpuRunner } from "@tidings/shared";
import { describe, expect, it } from "vitest";
import { cleanPage } from "../src/index.ts";

const PAGE = new URL("../../../test/fixtures/pages/en-summit-vostochny.html", import.meta.url);

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
});
