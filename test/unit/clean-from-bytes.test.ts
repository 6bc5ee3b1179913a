/**
 * The clean stage parses a stored page from its UTF-8 bytes, never decoding it whole
 * (pageFromUtf8, parseHtml's utf8Bytes). On every fixture page, and with ../shared on every
 * corpus page, the article must be exactly the one cleaned from the decoded text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanPage, pageFromUtf8 } from "@tidings/clean";
import { decodeBody } from "@tidings/fetch";
import { loadPages } from "@tidings/scripts/bench/page-server";
import { FIXTURE_PAGES_DIR } from "@tidings/scripts/demo/paths";

interface Page {
  name: string;
  /** The page's text, decoded as the fetch stage decodes it. */
  text: string;
}

/** A page cleaned both ways: from its text, and from the UTF-8 bytes the fetch stage stores. */
function bothWays(page: Page) {
  const url = `http://news.test/${encodeURIComponent(page.name)}`;
  return {
    fromText: cleanPage({ body: page.text, kind: "html", url }, { url }),
    fromBytes: cleanPage(pageFromUtf8(Buffer.from(page.text, "utf8"), { kind: "html", url }), { url }),
  };
}

const fixtures: Page[] = (JSON.parse(readFileSync(join(FIXTURE_PAGES_DIR, "manifest.json"), "utf8")) as { file: string; content_type?: string }[])
  .filter((m) => m.file.endsWith(".html"))
  .map((m) => ({ name: m.file, text: decodeBody(readFileSync(join(FIXTURE_PAGES_DIR, m.file)), m.content_type ?? "text/html").text }));

describe("cleaning a stored page from its UTF-8 bytes", () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("fixture %s: the same article as from its text", (_, page) => {
    const { fromText, fromBytes } = bothWays(page);
    expect(fromBytes).toEqual(fromText);
    expect(fromText.paragraphs.length).toBeGreaterThan(0);
  });

  const corpus = loadPages();
  it.runIf(corpus.origin === "corpus")("every page of ../shared/corpus: the same article as from its text", () => {
    const differ: string[] = [];
    for (const p of corpus.pages) {
      const { fromText, fromBytes } = bothWays({ name: p.id, text: decodeBody(new Uint8Array(p.bytes), "text/html").text });
      if (JSON.stringify(fromBytes) !== JSON.stringify(fromText)) differ.push(p.id);
    }
    expect(differ).toEqual([]);
    expect(corpus.pages.length).toBeGreaterThan(800);
  }, 300_000);
});
