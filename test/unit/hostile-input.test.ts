/**
 * Hostile input to the pipeline's pure functions: every case gives a clear outcome (a value or
 * a named error), never an uncaught crash, and no call blocks the event loop for a second or
 * more (each call is synchronous, so its duration IS the time the event loop was blocked).
 * The same inputs through the queue: test/e2e/hostile-input.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanPage, detectLanguage, pageFromUtf8, parseDate } from "@tidings/clean";
import { extractEvents } from "@tidings/extract";
import { decodeBody } from "@tidings/fetch";
import { isoDateOrUndefined, mergeEvent, mentionDocs } from "@tidings/index";
import { BadUrlError, normaliseUrl, type CleanedArticle } from "@tidings/shared";
import { parseLine, readItems } from "@tidings/scripts/commands/enqueue";

const BLOCK_LIMIT_MS = 1000;

/** Run fn, return its value and how long it held the event loop. */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function extract(article: CleanedArticle) {
  return extractEvents({ article, source: { id: "0".repeat(32), url: "https://example.org/a", published: "2024-03-14" } });
}

const html = (body: string, head = "") => `<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const ARTICLE_P = "<p>The foreign minister of France met officials from Germany in Berlin on 12 March 2024, according to a statement released by the ministry on Thursday evening.</p>";

describe("hostile pages through the clean stage", () => {
  it("cleans a 50 MB one-line document in bounded time (HTML and plain text)", () => {
    const line = `<p>${"word ".repeat(10_000_000)}</p>`; // 50 MB, no newline
    expect(line.length).toBeGreaterThanOrEqual(50_000_000);
    const h = timed(() => cleanPage({ body: line, kind: "html" }));
    expect(h.ms, "html: event loop blocked").toBeLessThan(BLOCK_LIMIT_MS);
    expect(typeof h.value.text).toBe("string");
    const letters = "a".repeat(50_000_000); // one 50-million-letter "word": used to overflow the regex stack
    const t = timed(() => cleanPage({ body: letters, kind: "text" }));
    expect(t.ms, "text: event loop blocked").toBeLessThan(BLOCK_LIMIT_MS);
    expect(t.value.paragraphs.length).toBeLessThanOrEqual(1);
  });

  it("survives invalid UTF-8 and NUL bytes", () => {
    const bytes = Buffer.concat([Buffer.from(html(ARTICLE_P.replace("France", "Fr\u0000ance"))), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.alloc(4096, 0)]);
    const decoded = decodeBody(bytes, "text/html; charset=utf-8");
    expect(typeof decoded.text).toBe("string"); // decoded (replacement characters or a fallback charset), no exception
    expect(decoded.text).toContain("foreign minister");
    const { value, ms } = timed(() => cleanPage({ body: decoded.text, kind: "html" }));
    expect(ms).toBeLessThan(BLOCK_LIMIT_MS);
    expect(value.text).toContain("foreign minister");
    expect(() => extract(value)).not.toThrow();
  });

  it("handles 100,000-deep nesting, closed and unclosed", () => {
    for (const body of [`${"<div>".repeat(100_000)}${ARTICLE_P}${"</div>".repeat(100_000)}`, `<html><body>${"<span><b>".repeat(100_000)}${ARTICLE_P}`]) {
      const { value, ms } = timed(() => cleanPage({ body, kind: "html" }));
      expect(ms).toBeLessThan(BLOCK_LIMIT_MS);
      expect(typeof value.text).toBe("string");
    }
  });

  it("handles JSON-LD of absurd size and depth, and a date in year 99999", () => {
    const huge = JSON.stringify({
      "@context": "https://schema.org", "@type": "NewsArticle", headline: "H".repeat(100_000), datePublished: "99999-12-31T00:00:00Z",
      articleBody: "Body text. ".repeat(500_000), author: Array.from({ length: 100_000 }, (_, i) => ({ "@type": "Person", name: `Author ${i}` })),
    });
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const deepObj = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
    for (const ld of [huge, deep, deepObj, "{not json at all", `{"@type":"NewsArticle","datePublished":"+099999-01-01"}`]) {
      const page = html(`<article><h1>Talks in Berlin</h1>${ARTICLE_P}</article>`, `<script type="application/ld+json">${ld}</script>`);
      const { value, ms } = timed(() => cleanPage({ body: page, kind: "html" }));
      expect(ms).toBeLessThan(BLOCK_LIMIT_MS);
      expect(value.published ?? "").not.toMatch(/9999/);
      expect((value.authors ?? []).length).toBeLessThan(1000);
    }
  });

  it("refuses impossible dates everywhere (year 99999, year 0, month 13)", () => {
    for (const d of ["99999-01-01", "+099999-01-01T00:00:00Z", "0000-01-01", "2024-13-45", "１９９９９年１月１日"]) {
      expect(isoDateOrUndefined(d), d).toBeUndefined();
      const parsed = parseDate(d);
      if (parsed !== undefined) expect(Number(parsed.slice(0, 4)), d).toBeLessThan(3000);
    }
    const page = html(`<article><p>On 31 December 99999 the president of France met the chancellor of Germany in Berlin to discuss trade and energy supplies for the coming winter.</p></article>`,
      `<meta property="article:published_time" content="99999-12-31T00:00:00Z">`);
    const a = cleanPage({ body: page, kind: "html" });
    expect(a.published).toBeUndefined();
    for (const e of extract(a)) expect(Number(e.date.value.slice(0, 4))).toBeLessThan(3000);
  });

  it("handles zero-width and bidi controls, RTL text and emoji", () => {
    const tricky = "\u202Eevil\u202C \u200B\u200D\u2066x\u2069 France\u200B met\u200B Germany 🇫🇷🇩🇪 💥👨‍👩‍👧";
    const page = html(`<article><h1>${tricky}</h1><p>${tricky.repeat(10)}</p>
      <p>التقى وزير الخارجية الفرنسي نظيره الألماني في برلين يوم 12 مارس 2024 لبحث العلاقات التجارية بين البلدين.</p>
      <p>שר החוץ של צרפת נפגש עם עמיתו הגרמני בברלין ב-12 במרץ 2024 כדי לדון ביחסי הסחר.</p>
      ${ARTICLE_P}</article>`);
    const { value, ms } = timed(() => cleanPage({ body: page, kind: "html" }));
    expect(ms).toBeLessThan(BLOCK_LIMIT_MS);
    expect(value.text).not.toMatch(/\u200B/); // zero-width spaces are whitespace
    expect(() => detectLanguage(tricky.repeat(1000))).not.toThrow();
    const events = extract(value);
    for (const e of events) {
      // Whatever is found, its evidence points at real text and the mention documents build.
      expect(() => mentionDocs(e, "0".repeat(32))).not.toThrow();
      expect(() => mergeEvent(undefined, e, { id: "0".repeat(32), language: value.language, seen: "2024-03-14", mentions: e.evidence.length }, new Date().toISOString())).not.toThrow();
    }
    // Emoji alone, a million of them
    const emoji = timed(() => cleanPage({ body: html(`<p>${"💥".repeat(1_000_000)}</p>`), kind: "html" }));
    expect(emoji.ms).toBeLessThan(BLOCK_LIMIT_MS);
  });

  it("cleans hostile stored bodies from their bytes (the clean stage's path) in bounded time", () => {
    const cases: [string, Buffer][] = [
      ["a 50 MB line", Buffer.from(`<p>${"слово 词 ".repeat(5_000_000)}</p>`, "utf8")],
      ["100,000-deep nesting", Buffer.from(`${"<div>".repeat(100_000)}${ARTICLE_P}${"</div>".repeat(100_000)}`, "utf8")],
      ["a million emoji", Buffer.from(html(`<p>${"💥".repeat(1_000_000)}</p>`), "utf8")],
      // Not what the fetch stage stores (it writes valid UTF-8), but what a damaged store could hold.
      ["invalid UTF-8 and NUL bytes", Buffer.concat([Buffer.from(html(ARTICLE_P)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x28, 0xa1, 0xf0, 0x28]), Buffer.alloc(4096, 0)])],
    ];
    for (const [name, bytes] of cases) {
      const { value, ms } = timed(() => cleanPage(pageFromUtf8(bytes, { kind: "html" })));
      expect(ms, name).toBeLessThan(BLOCK_LIMIT_MS);
      expect(typeof value.text, name).toBe("string");
    }
  });

  it("extracts from hostile article text of a long article's size in bounded time", () => {
    const texts = ["\u0000".repeat(100_000), "France ".repeat(5_000), "Germany met France. ".repeat(1_000), "\u202E".repeat(100_000), "🇫🇷".repeat(100_000)];
    for (const text of texts) {
      const article: CleanedArticle = { paragraphs: [text], text, language: "en", language_confidence: 1, authors: [] };
      const { ms } = timed(() => extract(article));
      expect(ms, text.slice(0, 20)).toBeLessThan(BLOCK_LIMIT_MS);
    }
  });

  // Dense text made the extract stage superlinear ("France " x 200,000 blocked for ~40 s): it now
  // reads at most MAX_EXTRACT_CHARS of an article, far more than any news story.
  it("extracts from 1 MB of dense hostile text in bounded time (it reads the first 30,000 characters)", () => {
    for (const text of ["France ".repeat(200_000), "Germany met France. ".repeat(50_000)]) {
      const article: CleanedArticle = { paragraphs: [text], text, language: "en", language_confidence: 1, authors: [] };
      expect(timed(() => extract(article)).ms).toBeLessThan(BLOCK_LIMIT_MS);
    }
  });
});

describe("hostile URLs", () => {
  const reason = (u: string) => {
    try {
      normaliseUrl(u);
      return "accepted";
    } catch (e) {
      expect(e).toBeInstanceOf(BadUrlError);
      return (e as BadUrlError).reason;
    }
  };

  it("refuses javascript:, file:, data:, gopher: and friends with a reason", () => {
    expect(reason("javascript:alert(1)")).toMatch(/scheme javascript/);
    expect(reason("JaVaScRiPt:alert(1)")).toMatch(/scheme javascript/);
    expect(reason("file:///etc/passwd")).toMatch(/scheme file/);
    expect(reason("data:text/html,<script>alert(1)</script>")).toMatch(/scheme data/);
    expect(reason("gopher://127.0.0.1:6379/_FLUSHALL")).toMatch(/scheme gopher/);
    expect(reason("ftp://example.org/")).toMatch(/scheme ftp/);
    expect(reason("//example.org/a")).toMatch(/scheme/);
    expect(reason("http://exa\u0000mple.org/")).toMatch(/control/);
    expect(reason(`http://example.org/${"a".repeat(20_000)}`)).toMatch(/longer than/);
  });

  it("refuses credentials in URLs (they would leak into ids and logs)", () => {
    expect(reason("http://user:pass@example.org/")).toMatch(/credentials/);
    expect(reason("https://token@example.org/")).toMatch(/credentials/);
    expect(reason("http://example.org@evil.example/")).toMatch(/credentials/);
  });

  it("turns homoglyph (IDN) hosts into punycode, so they cannot pass for the real one", () => {
    const cyrillic = normaliseUrl("http://\u0430pple.com/news"); // Cyrillic а
    expect(cyrillic).toMatch(/^http:\/\/xn--/);
    expect(cyrillic).not.toBe(normaliseUrl("http://apple.com/news"));
    expect(normaliseUrl("https://bücher.de/")).toBe("https://xn--bcher-kva.de/");
    expect(normaliseUrl("http://ＥＸＡＭＰＬＥ.org/")).toBe("http://example.org/"); // full-width folds (WHATWG)
  });

  it("canonicalises decimal and octal IPv4 forms (the SSRF guard then sees the real address)", () => {
    expect(normaliseUrl("http://2130706433/")).toBe("http://127.0.0.1/");
    expect(normaliseUrl("http://0177.0.0.1/")).toBe("http://127.0.0.1/");
    expect(normaliseUrl("http://0x7f.1/")).toBe("http://127.0.0.1/");
  });
});

describe("hostile enqueue files", () => {
  it("parses binary garbage and 1 MB lines into items that are recorded as invalid, not crashes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tidings-hostile-"));
    try {
      const file = join(dir, "urls.txt");
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      const megaLine = `https://example.org/${"a".repeat(1024 * 1024)}`;
      writeFileSync(file, Buffer.concat([
        Buffer.from("https://example.org/good\n"), garbage, Buffer.from("\n"), Buffer.from(megaLine), Buffer.from("\n"),
        Buffer.from(`{"url": "https://example.org/json", "published": "99999-01-01", "title": "${"t".repeat(100)}"}\n`),
        Buffer.from(`{"url": ${"[".repeat(10_000)}\n`), Buffer.from("\u0000\u0000\u0000\n"), Buffer.from("javascript:alert(1)\n"),
      ]));
      const { value: items, ms } = await (async () => { const t0 = performance.now(); const v = await readItems(file); return { value: v, ms: performance.now() - t0 }; })();
      expect(ms).toBeLessThan(BLOCK_LIMIT_MS * 2);
      expect(items.length).toBeGreaterThanOrEqual(5);
      expect(items[0]).toEqual({ url: "https://example.org/good" });
      for (const item of items) expect(item.url.length).toBeLessThanOrEqual(16_384);
      const big = items.find((i) => i.url.includes("https://example.org/aaaa"));
      expect(big?.url).toMatch(/^line too long \(1048596 characters\)/); // not cut to a fetchable URL
      expect(() => normaliseUrl(big!.url)).toThrow(BadUrlError);
      const valid = items.filter((i) => { try { normaliseUrl(i.url); return true; } catch { return false; } });
      expect(valid.map((i) => i.url)).toEqual(["https://example.org/good", "https://example.org/json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parseLine never throws", () => {
    for (const line of ["\uFEFF# comment", "{", '{"url": 5}', '{"url": null, "file": 7}', "\uD800", "x".repeat(1_000_000), "\u0000"]) {
      expect(() => parseLine(line)).not.toThrow();
    }
  });
});
