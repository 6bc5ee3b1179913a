/**
 * The clean stage's pure core: a fetched page (HTML or plain text) -> the article's paragraphs,
 * title, date, authors, site name, canonical URL, description and language.
 */
import { PARAGRAPH_SEPARATOR, type CleanedArticle, type SourceMeta } from "@tidings/shared/article";
import { bufferView } from "@tidings/shared/bodies";
import { parseHtml, textOfBytes } from "./html-parse.ts";
import { extractMainText } from "./html-extract.ts";
import { readJsonLd } from "./jsonld.ts";
import { readMetadata } from "./metadata.ts";
import { detectLanguage } from "./language.ts";
import { extractFromText } from "./text-extract.ts";
import { findDateInLines, parseDate } from "./dates.ts";
import { normalizeSpace } from "./text-utils.ts";
import { cleanTitle, firstSentenceTitle, isHeadlineLike } from "./title.ts";
import { chooseBody } from "./jsonld-body.ts";
import { flightArticleHtml } from "./flight-data.ts";

export interface PageInput {
  body: string;
  kind: "html" | "text";
  url?: string;
  /**
   * `body` is the page's UTF-8 bytes as a Latin-1 string (one character per byte, as
   * `openBodyBytes` gives it), not its text: HTML is then parsed without decoding the whole page
   * (parseHtml). Default false.
   */
  utf8Bytes?: boolean;
}

/** How far before and after the article start a printed dateline is looked for (blocks). */
const DATELINE_BEFORE = 10;
const DATELINE_AFTER = 3;
const LABELLED_DATE_AFTER = 60;
/** ... and at most this many blocks past the article's last one (a byline under the text). */
const LABELLED_DATE_PAST_END = 3;

function languageOf(text: string, title: string | undefined, declared: string | undefined) {
  const sample = text.length >= 20 ? text : `${title ?? ""}\n${text}`;
  return detectLanguage(sample, { declared });
}

/** What both paths (HTML and plain text) say the same way: title, body, and its language. */
function bodyAndLanguage(title: string | undefined, paragraphs: string[], declared: string | undefined) {
  const text = paragraphs.join(PARAGRAPH_SEPARATOR);
  const lang = languageOf(text, title, declared);
  return { title, paragraphs, text, language: lang.language, language_confidence: lang.confidence, script: lang.script };
}

/** Day-first unless the page is US English. */
function dayFirstFor(declared: string | undefined): boolean {
  if (!declared) return true;
  return !/^en(?:-us)?$/i.test(declared.trim());
}

/**
 * A page whose text blocks are all siblings under one element and that has no links at all is a
 * text document in HTML clothing (a converted dump, a saved "reader" page): markup gives no
 * signal there, so the line-based rules of plain-text input apply to its blocks.
 */
export function isFlatTextPage(parsed: ReturnType<typeof parseHtml>): boolean {
  const { blocks } = parsed;
  if (blocks.length < 8) return false;
  const parent = parsed.elems[blocks[0]!.elem]?.parent;
  return blocks.every((b) => b.linkTokens === 0 && b.junkRoots.length === 0 && parsed.elems[b.elem]?.parent === parent);
}

function cleanHtml(page: PageInput, meta: SourceMeta | undefined): CleanedArticle {
  const parsed = parseHtml(page.body, { utf8Bytes: page.utf8Bytes === true });
  if (isFlatTextPage(parsed)) {
    const asText = cleanText({ ...page, kind: "text", body: parsed.blocks.map((b) => b.text).join("\n"), utf8Bytes: false }, meta);
    const title = cleanTitle(parsed.head.title);
    return title ? { ...asText, title } : asText;
  }
  const ld = readJsonLd(parsed.head.jsonld);
  const main = extractMainText(parsed);
  const paragraphs = withoutRepeats(chooseBody(flightFallback(parsed, main.paragraphs, main.tokens), ld?.articleBody));
  // Lines around the start of the article: where bylines and printed dates live.
  const from = Math.max(0, main.firstBlock - 25);
  const to = Math.min(parsed.blocks.length, main.firstBlock + 8);
  const textLines: string[] = [];
  for (let i = from; i < to; i++) {
    const b = parsed.blocks[i];
    if (b && b.text.length < 300) textLines.push(b.text);
  }
  // The dateline: short lines just above the article (nearest first), then its first lines.
  const datelines: string[] = [];
  for (let i = main.firstBlock - 1; i >= Math.max(0, main.firstBlock - DATELINE_BEFORE); i--) {
    const b = parsed.blocks[i];
    if (b) datelines.push(b.text);
  }
  for (let i = main.firstBlock; i < Math.min(parsed.blocks.length, main.firstBlock + DATELINE_AFTER); i++) {
    const b = parsed.blocks[i];
    if (b) datelines.push(b.text);
  }
  // Lines further down (the article and just after it, never the teasers and lists that follow
  // it): labelled dates only.
  const laterLines: string[] = [];
  const laterEnd = Math.min(parsed.blocks.length, main.firstBlock + LABELLED_DATE_AFTER, main.lastBlock + 1 + LABELLED_DATE_PAST_END);
  for (let i = to; i < laterEnd; i++) {
    const b = parsed.blocks[i];
    if (b && b.text.length < 200) laterLines.push(b.text);
  }
  const url = page.url ?? meta?.url;
  const declaredHint = parsed.head.htmlLang ?? meta?.language;
  const md = readMetadata(parsed.head, ld, { url, textLines, datelines, laterLines, dayFirst: dayFirstFor(declaredHint) });
  // A page without <title>, og:title or h1: the headline-like line just before the article,
  // else the article's first sentence.
  const title = md.title ?? (meta?.title ? normalizeSpace(meta.title) : undefined)
    ?? [...textLines.slice(0, Math.max(0, main.firstBlock - from))].reverse().find(isHeadlineLike)
    ?? firstSentenceTitle(paragraphs);
  {
    const hb = headlineBlock(parsed.blocks, main.firstBlock, title, parsed.head.h1);
    if (hb && paragraphs[0] !== hb) paragraphs.unshift(hb);
    // A page that prints its headline block twice (a header band, then the story's own copy):
    // the article does not repeat its headline, so later copies go.
    const headline = hb ?? (title && paragraphs[0] === normalizeSpace(title) ? paragraphs[0] : undefined);
    if (headline) for (let i = paragraphs.length - 1; i > 0; i--) if (paragraphs[i] === headline) paragraphs.splice(i, 1);
  }
  return {
    ...bodyAndLanguage(title, paragraphs, meta?.language ?? md.declaredLanguage),
    published: md.published ?? parseDate(meta?.published),
    authors: md.authors,
    site_name: md.site_name,
    canonical_url: md.canonical_url ?? url,
    description: md.description,
  };
}

/** Below this many tokens in the page's markup, a client-rendered article is looked for in its data. */
const FLIGHT_FALLBACK_TOKENS = 100;

/**
 * The article of a page that renders it on the client (an App Router shell with the body only in
 * its flight data), when the markup gave next to nothing; else the markup's paragraphs.
 */
function flightFallback(parsed: ReturnType<typeof parseHtml>, paragraphs: string[], tokens: number): string[] {
  if (tokens >= FLIGHT_FALLBACK_TOKENS || parsed.head.flight.length === 0) return paragraphs;
  const fragment = flightArticleHtml(parsed.head.flight);
  if (!fragment) return paragraphs;
  const fromData = extractMainText(parseHtml(fragment));
  return fromData.tokens > 2 * tokens ? fromData.paragraphs : paragraphs;
}

/** Paragraphs this long said twice are the page printing the article twice (a print or mobile copy). */
const REPEAT_MIN_CHARS = 60;
const BARE_URL = /^(?:https?:\/\/|www\.)\S+$/iu;

/**
 * The body without a second copy of a long paragraph (pages that render the article twice, the
 * second copy hidden or for print) and without paragraphs that are only a URL (the "source:"
 * link printed under an article). An article does not repeat a long paragraph word for word.
 */
export function withoutRepeats(paragraphs: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paragraphs) {
    if (BARE_URL.test(p)) continue;
    if (p.length >= REPEAT_MIN_CHARS) {
      if (seen.has(p)) continue;
      seen.add(p);
    }
    out.push(p);
  }
  return out;
}

/** The headline as printed just before the article body (the page's own h1 or title text). */
function headlineBlock(blocks: readonly { text: string; heading: boolean }[], first: number, title: string | undefined, h1: readonly string[]): string | undefined {
  const wanted = [title, ...h1.slice(0, 2)].filter((x): x is string => !!x).map((x) => normalizeSpace(x));
  if (!wanted.length) return undefined;
  for (let i = first - 1; i >= Math.max(0, first - 30); i--) {
    const b = blocks[i];
    if (!b) continue;
    if (wanted.includes(b.text)) return b.text;
  }
  return undefined;
}

function cleanText(page: PageInput, meta: SourceMeta | undefined): CleanedArticle {
  const { paragraphs, lines, start } = extractFromText(page.body);
  // Title: a meta title, else the last short heading-like line just before the article.
  let title = meta?.title ? normalizeSpace(meta.title) : undefined;
  if (!title) {
    for (let i = start; i >= Math.max(0, start - 6); i--) {
      const l = lines[i];
      if (!l) continue;
      if (!l.barrier && isHeadlineLike(l.text) && !/\d{4}[-/年]/u.test(l.text)) {
        title = l.text;
        if (i < start) break;
      }
    }
  }
  title ??= firstSentenceTitle(paragraphs);
  const head = lines.slice(Math.max(0, start - 8), start + 3).map((l) => l.text);
  const body = bodyAndLanguage(title, paragraphs, meta?.language);
  const published = findDateInLines(head, { dayFirst: body.language !== "en" }) ?? parseDate(meta?.published);
  return {
    ...body,
    published,
    authors: [],
    canonical_url: page.url ?? meta?.url,
  };
}

/**
 * Longest body cleaned (characters, or bytes for a body given as UTF-8 bytes); the rest is cut off. Above the fetch stage's 5 MiB cap, so
 * no fetched page is affected; it bounds the time one call blocks the event loop, and V8's regex
 * engine overflows its stack on a single run of tens of millions of letters.
 */
export const MAX_CLEAN_CHARS = 6_000_000;

/**
 * A page held as its UTF-8 bytes (as the fetch stage stores it), ready for cleanPage without
 * decoding it: one Latin-1 character per byte (see PageInput.utf8Bytes).
 */
export function pageFromUtf8(bytes: Uint8Array, page: Omit<PageInput, "body" | "utf8Bytes">): PageInput {
  return { ...page, body: bufferView(bytes).toString("latin1"), utf8Bytes: true };
}

/** Clean one page: synchronous and pure. */
export function cleanPage(page: PageInput, meta?: SourceMeta): CleanedArticle {
  const input = page.body.length > MAX_CLEAN_CHARS ? { ...page, body: page.body.slice(0, MAX_CLEAN_CHARS) } : page;
  if (input.kind === "html") return cleanHtml(input, meta);
  // Plain text is read line by line as characters: the bytes become text first.
  return cleanText(input.utf8Bytes ? { ...input, body: textOfBytes(input.body), utf8Bytes: false } : input, meta);
}
