/**
 * One streaming pass of htmlparser2 over a page: a flat list of elements (parent links only) and
 * of text blocks in document order, plus the head metadata. No recursion anywhere; nesting deeper
 * than MAX_DEPTH is flattened, and the amount of input, elements and blocks is capped, so any
 * page (100k-deep nesting, megabyte lines, huge tables) is handled in bounded time and memory.
 */
import { Parser } from "htmlparser2";
import { countTokens, normalizeSpace } from "./text-utils.ts";

export const MAX_DEPTH = 200;
export const MAX_INPUT = 3_000_000;
const MAX_ELEMS = 150_000;
const MAX_BLOCKS = 20_000;
const MAX_BLOCK_CHARS = 50_000;

export interface Elem {
  tag: string;
  parent: number;
  depth: number;
  /** class + id, lower-cased */
  cls: string;
  /** Index of the outermost element that marks this subtree as boilerplate, or -1. */
  junkRoot: number;
  /** Inside <article>, [itemprop=articleBody] or similar. */
  articleHint: boolean;
}

export interface Block {
  /** Innermost non-inline element containing the block's first text. */
  elem: number;
  text: string;
  tokens: number;
  linkTokens: number;
  /** Tag of the block element (p, li, h2, td, div, ...). */
  tag: string;
  /** Nearest heading/list/table/quote context. */
  heading: boolean;
  listItem: boolean;
  caption: boolean;
  /** Junk roots above this block (boilerplate by tag or class). */
  junkRoots: number[];
}

export interface HeadMeta {
  title?: string;
  /** meta name/property/itemprop (lower-cased) -> contents, in order. */
  metas: Map<string, string[]>;
  jsonld: string[];
  canonical?: string;
  htmlLang?: string;
  h1: string[];
  /** datetime attributes of <time> and itemprop=datePublished/dateCreated values. */
  times: { value: string; itemprop?: string; inArticle: boolean }[];
  /** Text of elements marked as author (rel=author, itemprop=author, class byline/author). */
  authorTexts: string[];
}

export interface ParsedPage {
  elems: Elem[];
  blocks: Block[];
  head: HeadMeta;
}

const INLINE = new Set([
  "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
  "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label",
  "big", "strike", "tt", "nobr", "ins", "del", "img", "acronym", "blink", "o:p", "center",
]);

/** Subtrees whose text is never article text. */
const SKIP = new Set([
  "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
  "select", "option", "button", "textarea", "input", "video", "audio", "map", "title",
  "datalist", "dialog", "menu",
]);

/** Elements that are boilerplate by their tag. */
const JUNK_TAGS = new Set(["nav", "footer", "aside", "form"]);

const VOID = new Set(["br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "track", "wbr"]);

/** Class/id words that mark boilerplate (menus, share bars, comments, teasers, notices). */
const NEGATIVE =
  /(?:^|[\s_-])(?:comments?|commentlist|disqus|respond|replies|reply|share|sharing|sharer|social|socials|related|recommend(?:ed|ations?)?|promo|sponsor(?:ed)?|advert\w*|ads?|adv|adsense|banner|sidebar|side-?bar|widget|footer|foot|masthead|menu|navbar|nav|navigation|breadcrumbs?|crumbs?|pagination|pager|subscribe|subscription|newsletter|signup|cookies?|consent|gdpr|popup|modal|tags|tag-?list|keywords|toolbar|rss|login|popular|trending|most-?read|mostread|read-?more|readmore|also-?read|more-?news|more-?stories|outbrain|taboola|teasers?|hot-?news|hotnews|paywall|author-?bio|copyright|print|rating|tools|byline-share|hidden|hide|visually-?hidden|sr-only|screen-reader-text|skip|jump)(?:$|[\s_-])/;
/** Class/id words that mark the article itself; they rescue a weak negative. */
const POSITIVE = /(?:^|[\s_-])(?:article|articlebody|article-?body|body|content|entry|main|post|story|text|detail|news)(?:$|[\s_-])/;
/** Negatives that hold even when a positive word is present. */
const STRONG_NEGATIVE =
  /(?:^|[\s_-])(?:comments?|commentlist|disqus|replies|share|sharing|social|related|recommend(?:ed|ations?)?|newsletter|cookies?|consent|gdpr|sidebar|breadcrumbs?|outbrain|taboola|popular|trending|most-?read|read-?more|readmore|also-?read|more-?news|more-?stories|teasers?|hot-?news|hotnews|paywall|visually-?hidden|sr-only|screen-reader-text)(?:$|[\s_-])/;
/** Elements that start the article. */
const ARTICLE_HINT = /(?:^|[\s_-])(?:articlebody|article-?body|article-?content|article-?text|story-?body|entry-?content|post-?content|post-?body|news-?content|content-?body|main-?text)(?:$|[\s_-])/;

interface ClassInfo {
  junk: boolean;
  hint: boolean;
  author: boolean;
}
const classCache = new Map<string, ClassInfo>();

/** Class/id verdicts, cached: pages repeat the same class strings many times. */
function classInfo(cls: string): ClassInfo {
  let info = classCache.get(cls);
  if (info) return info;
  info = {
    junk: cls.length > 1 && (STRONG_NEGATIVE.test(cls) || (NEGATIVE.test(cls) && !POSITIVE.test(cls))),
    hint: ARTICLE_HINT.test(cls),
    author: /(?:^|[\s_-])(?:byline|author|author-?name)(?:$|[\s_-])/.test(cls),
  };
  if (classCache.size > 50_000) classCache.clear();
  classCache.set(cls, info);
  return info;
}

function isHiddenStyle(style: string): boolean {
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** Deeper than this, tags are dropped before parsing (htmlparser2's stack costs O(depth) a tag). */
const PARSER_DEPTH_CAP = 1000;
const TAG_RE = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(\/?)>/g;
const END_SCRIPT = /<\/script/gi;
const END_STYLE = /<\/style/gi;

/**
 * One linear scan that removes the tags nested deeper than PARSER_DEPTH_CAP (their text stays),
 * so that pathological nesting cannot make parsing quadratic. Returns the input when shallow.
 */
export function capNesting(html: string, cap = PARSER_DEPTH_CAP): string {
  let depth = 0;
  let cut: number[] | null = null;
  TAG_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG_RE.exec(html)) !== null) {
    const close = m[1] === "/";
    const name = (m[2] ?? "").toLowerCase();
    if (VOID.has(name) || m[3] === "/") continue;
    if (close) {
      if (depth > cap) (cut ??= []).push(m.index, m.index + m[0].length);
      depth = Math.max(0, depth - 1);
    } else {
      depth++;
      if (depth > cap) (cut ??= []).push(m.index, m.index + m[0].length);
      if (name === "script" || name === "style") {
        const endRe = name === "script" ? END_SCRIPT : END_STYLE;
        endRe.lastIndex = TAG_RE.lastIndex;
        const end = endRe.exec(html);
        if (!end) break;
        TAG_RE.lastIndex = end.index;
      }
    }
  }
  if (!cut) return html;
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < cut.length; i += 2) {
    parts.push(html.slice(pos, cut[i]));
    pos = cut[i + 1] ?? pos;
  }
  parts.push(html.slice(pos));
  return parts.join("");
}

/** Parse an HTML string into elements, blocks and head metadata. */
export function parseHtml(htmlIn: string): ParsedPage {
  const html = capNesting(htmlIn.length > MAX_INPUT ? htmlIn.slice(0, MAX_INPUT) : htmlIn);
  const elems: Elem[] = [{ tag: "#root", parent: -1, depth: 0, cls: "", junkRoot: -1, articleHint: false }];
  const blocks: Block[] = [];
  const head: HeadMeta = { metas: new Map(), jsonld: [], h1: [], times: [], authorTexts: [] };

  // Stack of open elements (indices into elems); -2 marks an element we did not record.
  const stack: number[] = [0];
  // Flags per stack entry, parallel arrays.
  const skipStack: boolean[] = [false];
  let skipDepth = 0;
  let linkDepth = 0;
  let overflow = 0; // opens beyond MAX_DEPTH not pushed
  let headingDepth = 0;
  let captionDepth = 0;
  let liDepth = 0;
  let inArticle = 0;
  let inTitle = false;
  let titleBuf = "";
  let jsonldBuf: string | null = null;
  let h1Buf: string | null = null;
  let authorBuf: string | null = null;
  let authorDepth = -1;
  let inHead = false;

  // Current block buffer
  let buf: string[] = [];
  let bufLen = 0;
  let linkChars: string[] = [];
  let bufElem = -1;
  let bufHeading = false;
  let bufCaption = false;
  let bufLi = false;

  const nearestBlockElem = (): number => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const e = stack[i];
      if (e === undefined || e < 0) continue;
      const el = elems[e];
      if (el && !INLINE.has(el.tag)) return e;
    }
    return 0;
  };

  const flush = (): void => {
    if (bufLen === 0) {
      buf = [];
      linkChars = [];
      return;
    }
    const text = normalizeSpace(buf.join(""));
    buf = [];
    bufLen = 0;
    const linkText = linkChars.length ? normalizeSpace(linkChars.join(" ")) : "";
    linkChars = [];
    if (!text || blocks.length >= MAX_BLOCKS) return;
    const tokens = countTokens(text);
    if (tokens === 0) return;
    const el = elems[bufElem] ?? elems[0];
    const junkRoots: number[] = [];
    // Collect every junk root on the ancestor chain (outermost last).
    let e: number = bufElem;
    let guard = 0;
    while (e > 0 && guard++ < MAX_DEPTH + 5) {
      const x = elems[e];
      if (!x) break;
      if (x.junkRoot === e) junkRoots.push(e);
      e = x.parent;
    }
    blocks.push({
      elem: bufElem,
      text,
      tokens,
      linkTokens: linkText ? Math.min(tokens, countTokens(linkText)) : 0,
      tag: el?.tag ?? "div",
      heading: bufHeading,
      listItem: bufLi,
      caption: bufCaption,
      junkRoots,
    });
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const tag = name.toLowerCase();
        if (tag === "meta") {
          const key = (attrs.property ?? attrs.name ?? attrs.itemprop ?? attrs["http-equiv"] ?? "").toLowerCase().trim();
          const content = attrs.content;
          if (key && content !== undefined) {
            const list = head.metas.get(key);
            if (list) list.push(content);
            else head.metas.set(key, [content]);
          }
          return;
        }
        if (tag === "link") {
          const rel = (attrs.rel ?? "").toLowerCase();
          if (rel.split(/\s+/).includes("canonical") && attrs.href && !head.canonical) head.canonical = attrs.href;
          return;
        }
        if (tag === "html" && attrs.lang && !head.htmlLang) head.htmlLang = attrs.lang;
        if (tag === "html" && !attrs.lang && attrs["xml:lang"] && !head.htmlLang) head.htmlLang = attrs["xml:lang"];
        if (tag === "head") inHead = true;
        if (tag === "body" || (inHead && !INLINE.has(tag) && tag !== "title" && tag !== "script" && tag !== "style" && tag !== "noscript" && tag !== "base")) inHead = tag === "head";
        if (tag === "title" && !head.title) {
          inTitle = true;
          titleBuf = "";
        }
        if (tag === "script" && (attrs.type ?? "").toLowerCase().includes("ld+json")) jsonldBuf = "";
        const itemprop = (attrs.itemprop ?? "").toLowerCase();
        if (tag === "time" || itemprop === "datepublished" || itemprop === "datecreated") {
          const v = attrs.datetime ?? attrs.content ?? (tag === "time" ? undefined : attrs.title);
          if (v) head.times.push({ value: v, itemprop: itemprop || undefined, inArticle: inArticle > 0 });
        }
        const clsRaw = attrs.class === undefined && attrs.id === undefined ? "" : ((attrs.class ?? "") + " " + (attrs.id ?? "")).toLowerCase();
        const ci = clsRaw ? classInfo(clsRaw) : undefined;
        if (authorBuf === null && (attrs.rel === "author" || itemprop === "author" || ci?.author === true)) {
          authorBuf = "";
          authorDepth = stack.length;
        }
        if (VOID.has(tag)) {
          if (tag === "br" || tag === "hr") flush();
          return;
        }
        if (!INLINE.has(tag)) flush();
        if (tag === "h1" && h1Buf === null) h1Buf = "";
        const parentIdx = stack[stack.length - 1] ?? 0;
        const parentSkip = skipStack[skipStack.length - 1] ?? false;
        const hidden = attrs.hidden !== undefined || (attrs.style !== undefined && isHiddenStyle(attrs.style)) || attrs["aria-hidden"] === "true";
        const skip = parentSkip || SKIP.has(tag) || hidden;
        if (stack.length > MAX_DEPTH || elems.length >= MAX_ELEMS) {
          overflow++;
          // still track state toggles for deep content
          if (tag === "a") linkDepth++;
          if (skip && !parentSkip) skipDepth++;
          skipStack.push(skip);
          stack.push(-2);
          return;
        }
        const parent = parentIdx >= 0 ? elems[parentIdx] : undefined;
        const idx = elems.length;
        const role = (attrs.role ?? "").toLowerCase();
        let junkRoot = parent?.junkRoot ?? -1;
        const articleHint =
          (parent?.articleHint ?? false) || tag === "article" || itemprop === "articlebody" || ci?.hint === true;
        if (junkRoot < 0 && tag !== "body" && tag !== "html" && tag !== "main" && tag !== "article") {
          const junkTag = JUNK_TAGS.has(tag) || role === "navigation" || role === "complementary" || role === "contentinfo";
          const junkCls = ci?.junk === true;
          if (junkTag || junkCls) junkRoot = idx;
        }
        elems.push({ tag, parent: parentIdx >= 0 ? parentIdx : 0, depth: stack.length, cls: clsRaw, junkRoot, articleHint });
        stack.push(idx);
        skipStack.push(skip);
        if (skip && !parentSkip) skipDepth++;
        if (tag === "a") linkDepth++;
        if (/^h[1-6]$/.test(tag)) headingDepth++;
        if (tag === "figcaption" || tag === "figure" || tag === "caption") captionDepth++;
        if (tag === "li" || tag === "dt" || tag === "dd") liDepth++;
        if (articleHint) inArticle++;
      },
      ontext(data) {
        if (inTitle) {
          titleBuf += data;
          return;
        }
        if (jsonldBuf !== null) {
          if (jsonldBuf.length < 2_000_000) jsonldBuf += data;
          return;
        }
        if (skipDepth > 0 || inHead) return;
        if (h1Buf !== null && h1Buf.length < 2000) h1Buf += data;
        if (authorBuf !== null && authorBuf.length < 500) authorBuf += data;
        if (bufLen === 0) {
          if (!/\S/.test(data)) return;
          bufElem = nearestBlockElem();
          bufHeading = headingDepth > 0;
          bufCaption = captionDepth > 0;
          bufLi = liDepth > 0;
        }
        if (bufLen > MAX_BLOCK_CHARS) return;
        buf.push(data);
        bufLen += data.length;
        if (linkDepth > 0) linkChars.push(data);
      },
      onclosetag(name) {
        const tag = name.toLowerCase();
        if (tag === "title" && inTitle) {
          inTitle = false;
          const t = normalizeSpace(titleBuf);
          if (t && !head.title) head.title = t;
        }
        if (tag === "script" && jsonldBuf !== null) {
          head.jsonld.push(jsonldBuf);
          jsonldBuf = null;
        }
        if (tag === "head") inHead = false;
        if (VOID.has(tag)) return;
        if (!INLINE.has(tag)) flush();
        if (tag === "h1" && h1Buf !== null) {
          const t = normalizeSpace(h1Buf);
          if (t) head.h1.push(t);
          h1Buf = null;
        }
        const idx = stack.pop();
        const wasSkip = skipStack.pop() ?? false;
        const parentSkip = skipStack[skipStack.length - 1] ?? false;
        if (wasSkip && !parentSkip) skipDepth = Math.max(0, skipDepth - 1);
        if (authorBuf !== null && stack.length < authorDepth) {
          const t = normalizeSpace(authorBuf);
          if (t && head.authorTexts.length < 10) head.authorTexts.push(t);
          authorBuf = null;
          authorDepth = -1;
        }
        if (tag === "a") linkDepth = Math.max(0, linkDepth - 1);
        if (idx === -2) {
          overflow = Math.max(0, overflow - 1);
          return;
        }
        if (idx === undefined || idx < 0) {
          if (stack.length === 0) {
            stack.push(0);
            skipStack.push(false);
          }
          return;
        }
        const el = elems[idx];
        if (!el) return;
        if (/^h[1-6]$/.test(el.tag)) headingDepth = Math.max(0, headingDepth - 1);
        if (el.tag === "figcaption" || el.tag === "figure" || el.tag === "caption") captionDepth = Math.max(0, captionDepth - 1);
        if (el.tag === "li" || el.tag === "dt" || el.tag === "dd") liDepth = Math.max(0, liDepth - 1);
        if (el.articleHint) inArticle = Math.max(0, inArticle - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return { elems, blocks, head };
}
