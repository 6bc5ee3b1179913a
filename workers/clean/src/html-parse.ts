/**
 * One streaming pass over a page (htmlparser2's tokenizer, html-tree.ts's tree events): a flat
 * list of elements (parent links only) and of text blocks in document order, plus the head
 * metadata. No recursion anywhere; nesting deeper than MAX_DEPTH is flattened, and the amount
 * of input, elements and blocks is capped, so any page (100k-deep nesting, megabyte lines, huge
 * tables) is handled in bounded time and memory.
 */
import { decodeHTML, decodeHTMLAttribute } from "entities";
import { Tokenizer } from "htmlparser2";
import { TreeBuilder } from "./html-tree.ts";
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
  /** Index of the innermost element (itself included) that marks this subtree as boilerplate, or -1. */
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
  junkRoots: readonly number[];
}

/** An inline script that starts like this is Next.js flight data. */
const FLIGHT_START = /^\s*self\.__next_f\.push\(/;
/** Flight data kept per page (characters): the article is in it, not megabytes of it. */
const MAX_FLIGHT_CHARS = 4_000_000;

export interface HeadMeta {
  title?: string;
  /** meta name/property/itemprop (lower-cased) -> contents, in order. */
  metas: Map<string, string[]>;
  jsonld: string[];
  /**
   * Next.js App Router flight data: the text of each inline `self.__next_f.push(...)` script, in
   * order. Pages that render the article on the client carry it only there (see flight-data.ts).
   */
  flight: string[];
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

/**
 * Class/id words that mark boilerplate (menus, share bars, comments, teasers, notices). Comment
 * sections also go by compounds written as one word ("commentdiv", "commentbox").
 */
const NEGATIVE =
  /(?:^|[\s_-])(?:comments?|comment(?:list|div|box|area|block|section|wrap|wrapper|container|thread|form)|disqus|respond|replies|reply|share|sharing|sharer|social|socials|related|recommend(?:ed|ations?)?|promo|sponsor(?:ed)?|advert\w*|ads?|adv|adsense|banner|sidebar|side-?bar|footer|foot|masthead|menu|navbar|nav|navigation|breadcrumbs?|crumbs?|pagination|pager|subscribe|subscription|newsletter|signup|cookies?|consent|gdpr|popup|modal|tags|tag-?list|keywords|toolbar|rss|login|popular|trending|most-?read|mostread|read-?more|readmore|also-?read|more-?news|more-?stories|outbrain|taboola|teasers?|hot-?news|hotnews|paywall|author-?bio|copyright|print|rating|tools|byline-share|hidden|hide|visually-?hidden|sr-only|screen-reader-text)(?:$|[\s_-])/;
/** Class/id words that mark the article itself; they rescue a weak negative. */
const POSITIVE = /(?:^|[\s_-])(?:article|articlebody|article-?body|body|content|entry|main|post|story|text|detail|news)(?:$|[\s_-])/;
/** Negatives that hold even when a positive word is present. */
const STRONG_NEGATIVE =
  /(?:^|[\s_-])(?:comments?|comment(?:list|div|box|area|block|section|wrap|wrapper|container|thread|form)|disqus|replies|share|sharing|social|related|recommend(?:ed|ations?)?|newsletter|cookies?|consent|gdpr|sidebar|breadcrumbs?|outbrain|taboola|popular|trending|most-?read|read-?more|readmore|also-?read|more-?news|more-?stories|teasers?|hot-?news|hotnews|paywall|visually-?hidden|sr-only|screen-reader-text)(?:$|[\s_-])/;
/** Elements that start the article. */
const ARTICLE_HINT = /(?:^|[\s_-])(?:articlebody|article-?body|article-?content|article-?text|story-?body|entry-?content|post-?content|post-?body|news-?content|content-?body|main-?text)(?:$|[\s_-])/;

/** Strong negatives that also mark boilerplate nested inside another junk root (no layout words). */
const NESTED_NEGATIVE =
  /(?:^|[\s_-])(?:comments?|comment(?:list|div|box|area|block|section|wrap|wrapper|container|thread|form)|disqus|replies|share|sharing|social|related|recommend(?:ed|ations?)?|newsletter|cookies?|consent|gdpr|breadcrumbs?|outbrain|taboola|popular|trending|most-?read|read-?more|readmore|also-?read|more-?news|more-?stories|teasers?|hot-?news|hotnews|paywall)(?:$|[\s_-])/;

interface ClassInfo {
  /** class + " " + id, lower-cased. */
  cls: string;
  junk: boolean;
  /** Junk even inside another junk root. */
  nestedJunk: boolean;
  hint: boolean;
  author: boolean;
}

/**
 * What the role words of one attribute (class or id) say. The patterns match whole words and
 * none spans a space, so a "class id" pair matches a pattern exactly when one of its parts
 * does: the parts are judged (and cached) apiece and combined (withId).
 */
interface RoleInfo {
  lower: string;
  negative: boolean;
  strong: boolean;
  nested: boolean;
  positive: boolean;
  hint: boolean;
  author: boolean;
}
const AUTHOR_CLASS = /(?:^|[\s_-])(?:byline|author|author-?name)(?:$|[\s_-])/;
const roleCache = new Map<string, RoleInfo>();

function roleInfo(raw: string): RoleInfo {
  let info = roleCache.get(raw);
  if (info) return info;
  const lower = raw.toLowerCase();
  const words = roleWords(lower);
  // STRONG_NEGATIVE and NESTED_NEGATIVE list only words NEGATIVE lists too: no need to try
  // them on the many class names NEGATIVE does not match. (POSITIVE is needed either way: the
  // other part of a "class id" pair may be the negative one.)
  const negative = NEGATIVE.test(words);
  info = {
    lower,
    negative,
    strong: negative && STRONG_NEGATIVE.test(words),
    nested: negative && NESTED_NEGATIVE.test(words),
    positive: POSITIVE.test(words),
    hint: ARTICLE_HINT.test(words),
    author: AUTHOR_CLASS.test(words),
  };
  if (roleCache.size > 50_000) roleCache.clear();
  roleCache.set(raw, info);
  return info;
}

function classInfoOf(cls: string, a: RoleInfo, b: RoleInfo | undefined): ClassInfo {
  return {
    cls,
    junk: a.strong || b?.strong === true || ((a.negative || b?.negative === true) && !(a.positive || b?.positive === true)),
    nestedJunk: a.nested || b?.nested === true,
    hint: a.hint || b?.hint === true,
    author: a.author || b?.author === true,
  };
}

const classOnlyCache = new Map<string, ClassInfo>();

/** The verdict on an element with a class and no id, cached by the class attribute: pages repeat them. */
function classOnlyInfo(cls: string): ClassInfo {
  let info = classOnlyCache.get(cls);
  if (info) return info;
  const a = roleInfo(cls);
  info = classInfoOf(a.lower + " ", a, undefined);
  if (classOnlyCache.size > 50_000) classOnlyCache.clear();
  classOnlyCache.set(cls, info);
  return info;
}

/** The verdict on an element with an id (ids are mostly unique: the pair is not cached). */
function withId(cls: string | undefined, id: string): ClassInfo {
  const a = roleInfo(cls ?? "");
  const b = roleInfo(id);
  return classInfoOf(a.lower + " " + b.lower, a, b);
}

/** Utility-CSS variants ("md:block", "hover:underline") and overflow clipping say nothing about a role. */
const VARIANT = /(?:^|\s)(?:[\w-]+:[^\s]*|overflow(?:-[xy])?-hidden|text-(?:hidden|clip)|truncate)(?=\s|$)/g;

/** The class/id words that can say what an element is (utility-CSS variants dropped). */
export function roleWords(cls: string): string {
  if (!cls.includes(":") && !cls.includes("hidden") && !cls.includes("truncate")) return cls;
  return cls.replace(VARIANT, " ");
}

const STREAMED = /^S:\d+$/;

/** ARIA roles of the panels of disclosure widgets (accordions, tabs): hidden until opened, not boilerplate. */
const DISCLOSURE_PANEL = new Set(["region", "tabpanel"]);

function isHiddenStyle(style: string): boolean {
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** Deeper than this, tags are dropped before parsing (htmlparser2's stack costs O(depth) a tag). */
const PARSER_DEPTH_CAP = 1000;
const END_SCRIPT = /<\/script/gi;
const END_STYLE = /<\/style/gi;

/**
 * One linear scan that removes the tags nested deeper than PARSER_DEPTH_CAP (their text stays),
 * so that pathological nesting cannot make parsing quadratic. Returns the input when shallow.
 */
export function capNesting(html: string, cap = PARSER_DEPTH_CAP): string {
  // Fewer tags than the cap cannot nest deeper than it.
  let lt = 0;
  for (let p = html.indexOf("<"); p >= 0 && lt <= cap; p = html.indexOf("<", p + 1)) lt++;
  if (lt <= cap) return html;
  let depth = 0;
  let cut: number[] | null = null;
  const len = html.length;
  let pos = html.indexOf("<");
  while (pos >= 0 && pos < len) {
    let i = pos + 1;
    const close = html.charCodeAt(i) === 47; // "/"
    if (close) i++;
    const c0 = html.charCodeAt(i) | 0x20;
    if (c0 < 97 || c0 > 122) {
      pos = html.indexOf("<", pos + 1);
      continue;
    }
    const nameStart = i;
    for (i++; i < len; i++) {
      const c = html.charCodeAt(i);
      const l = c | 0x20;
      if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 58 || c === 45)) break;
    }
    const end = html.indexOf(">", i);
    if (end < 0) break;
    const name = html.slice(nameStart, i).toLowerCase();
    const selfClosing = html.charCodeAt(end - 1) === 47;
    let next = end + 1;
    if (!VOID.has(name) && !selfClosing) {
      if (close) {
        if (depth > cap) (cut ??= []).push(pos, end + 1);
        depth = Math.max(0, depth - 1);
      } else {
        depth++;
        if (depth > cap) (cut ??= []).push(pos, end + 1);
        if (name === "script" || name === "style") {
          const endRe = name === "script" ? END_SCRIPT : END_STYLE;
          endRe.lastIndex = next;
          const m = endRe.exec(html);
          if (!m) break;
          next = m.index;
        }
      }
    }
    pos = html.indexOf("<", next);
  }
  if (!cut) return html;
  const parts: string[] = [];
  let at = 0;
  for (let k = 0; k < cut.length; k += 2) {
    parts.push(html.slice(at, cut[k]));
    at = cut[k + 1] ?? at;
  }
  parts.push(html.slice(at));
  return parts.join("");
}

/**
 * The attributes onopentag reads, as one object shape for every tag (reading a property of
 * objects that all share a shape is fast; htmlparser2's own attribute objects each grow their own).
 * The other attributes (srcset, data-*, alt, inline handlers: most of a tag's bytes) are dropped.
 * Values are entity-decoded (attributeValue).
 */
class TagAttributes {
  property: string | undefined = undefined;
  name: string | undefined = undefined;
  itemprop: string | undefined = undefined;
  "http-equiv": string | undefined = undefined;
  content: string | undefined = undefined;
  rel: string | undefined = undefined;
  href: string | undefined = undefined;
  lang: string | undefined = undefined;
  "xml:lang": string | undefined = undefined;
  type: string | undefined = undefined;
  src: string | undefined = undefined;
  datetime: string | undefined = undefined;
  title: string | undefined = undefined;
  id: string | undefined = undefined;
  class: string | undefined = undefined;
  style: string | undefined = undefined;
  role: string | undefined = undefined;
  hidden: string | undefined = undefined;
  "aria-hidden": string | undefined = undefined;
}
const READ_ATTRS: ReadonlySet<string> = new Set(Object.keys(new TagAttributes()));

/** Tokenizer fields that fastForwardTo touches (private in htmlparser2's typings). */
interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
}

/**
 * htmlparser2's Tokenizer with its skip-ahead loop (to the next "<" in text and script, the
 * closing quote of an attribute value, the "-" of "-->") done by String.indexOf, which scans
 * natively, instead of a charCodeAt loop: the same positions, found several times faster.
 */
class FastTokenizer extends Tokenizer {}
Object.defineProperty(FastTokenizer.prototype, "fastForwardTo", {
  value: function fastForwardTo(this: TokenizerInternals, c: number): boolean {
    const at = this.buffer.indexOf(String.fromCharCode(c), this.index + 1 - this.offset);
    if (at >= 0) {
      this.index = at + this.offset;
      return true;
    }
    // As the original: the parse loop increments the index past the buffer's end.
    this.index = this.buffer.length + this.offset - 1;
    return false;
  },
});

/** An attribute's name as TagAttributes spells it (lower-cased only when needed), or undefined if not read. */
function keptAttributeName(raw: string): string | undefined {
  if (READ_ATTRS.has(raw)) return raw;
  const lower = raw.toLowerCase();
  return READ_ATTRS.has(lower) ? lower : undefined;
}

/** An attribute value as stored: entities decoded (the tokenizer leaves them raw). */
function attributeValue(raw: string): string {
  return raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
}

/** A byte of a multi-byte UTF-8 sequence, read as one Latin-1 character. */
const HIGH_BYTE = /[\x80-\xff]/;

/**
 * Text from a page given as its UTF-8 bytes (one character per byte, see parseHtml): the real
 * characters. Pure-ASCII text (markup, whitespace, most English) is the same either way.
 */
export function textOfBytes(s: string): string {
  return HIGH_BYTE.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

/** attributeValue for a page given as its UTF-8 bytes: the characters first, then entities. */
function attributeValueOfBytes(raw: string): string {
  return attributeValue(textOfBytes(raw));
}

const newTagAttributes = (): TagAttributes => new TagAttributes();

const NO_JUNK: readonly number[] = [];
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/** Thrown by a parse that finds nesting deeper than PARSER_DEPTH_CAP. */
const TOO_DEEP = new Error("nesting deeper than the parser cap");

/**
 * Parse an HTML string into elements, blocks and head metadata. The page is parsed as is; only
 * when it turns out to nest deeper than PARSER_DEPTH_CAP is it parsed again after capNesting, so
 * ordinary pages skip that extra scan.
 *
 * `utf8Bytes`: the string is the page's UTF-8 bytes, one Latin-1 character per byte
 * (`buffer.toString("latin1")`, see pageFromUtf8), not its text. The markup HTML's tokenizer reads is ASCII, and no byte
 * of a multi-byte UTF-8 sequence is ASCII, so the page tokenizes the same either way; only the
 * strings parseHtml keeps (text, kept attribute values, title, JSON-LD, flight data) are turned
 * into characters, and a page's megabytes of scripts, styles and skipped attributes never are.
 * Decoding a whole page to UTF-16 cost about 0.6 ms of the clean stage's 4 (V8 decodes UTF-8 at
 * about 250 MB/s here); the Latin-1 copy and the pieces kept cost about a third of that, and
 * tokenizing a one-byte string is no slower than a two-byte one. MAX_INPUT then counts bytes.
 */
export function parseHtml(htmlIn: string, opts: { utf8Bytes?: boolean } = {}): ParsedPage {
  const html = htmlIn.length > MAX_INPUT ? htmlIn.slice(0, MAX_INPUT) : htmlIn;
  const bytes = opts.utf8Bytes === true;
  try {
    return parseOnce(html, true, bytes);
  } catch (err) {
    if (err !== TOO_DEEP) throw err;
    return parseOnce(capNesting(html), false, bytes);
  }
}

const identity = (s: string): string => s;

function parseOnce(html: string, depthGuard: boolean, utf8Bytes: boolean): ParsedPage {
  /** The characters of a kept piece of the input (see parseHtml's utf8Bytes). */
  const chars = utf8Bytes ? textOfBytes : identity;
  const elems: Elem[] = [{ tag: "#root", parent: -1, depth: 0, cls: "", junkRoot: -1, articleHint: false }];
  const blocks: Block[] = [];
  // Junk roots on each element's ancestor chain, itself included (innermost first).
  const junkLists: (readonly number[])[] = [NO_JUNK];
  const head: HeadMeta = { metas: new Map(), jsonld: [], flight: [], h1: [], times: [], authorTexts: [] };

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
  // An inline script's text is kept only when it turns out to be flight data: 1 = an inline
  // script just opened (its first text decides), 2 = flight data being read.
  let scriptState = 0;
  let flightBuf = "";
  let flightChars = 0;
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
      if (buf.length) buf = [];
      if (linkChars.length) linkChars = [];
      return;
    }
    const joined = buf.length === 1 ? (buf[0] ?? "") : buf.join("");
    buf = [];
    bufLen = 0;
    const links = linkChars;
    if (links.length) linkChars = [];
    if (blocks.length >= MAX_BLOCKS) return;
    const text = normalizeSpace(joined);
    if (!text) return;
    const tokens = countTokens(text);
    if (tokens === 0) return;
    const el = elems[bufElem] ?? elems[0];
    // Every junk root on the ancestor chain (outermost last), shared per element.
    const junkRoots = junkLists[bufElem] ?? NO_JUNK;
    blocks.push({
      elem: bufElem,
      text,
      tokens,
      linkTokens: links.length ? Math.min(tokens, countTokens(links.length === 1 ? (links[0] ?? "") : links.join(" "))) : 0,
      tag: el?.tag ?? "div",
      heading: bufHeading,
      listItem: bufLi,
      caption: bufCaption,
      junkRoots,
    });
  };

  // Entities: the tokenizer runs with decoding off, so it skips through text and attribute values
  // with indexOf-like scans instead of visiting every character (about a sixth of the clean
  // stage's CPU profile on the corpus); the callbacks decode the few strings they keep with "&".
  const builder = new TreeBuilder<TagAttributes>(
    {
      onopentag(name, attrs) {
        const tag = name; // lowerCaseTags
        if (depthGuard && stack.length > PARSER_DEPTH_CAP) throw TOO_DEEP;
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
        else if (tag === "script" && attrs.src === undefined && flightChars < MAX_FLIGHT_CHARS) scriptState = 1;
        const itemprop = (attrs.itemprop ?? "").toLowerCase();
        if (tag === "time" || itemprop === "datepublished" || itemprop === "datecreated") {
          const v = attrs.datetime ?? attrs.content ?? (tag === "time" ? undefined : attrs.title);
          if (v) head.times.push({ value: v, itemprop: itemprop || undefined, inArticle: inArticle > 0 });
        }
        // Inside a skipped subtree (svg icons, hidden menus, templates) no text is read: keep the
        // stack in step and record nothing.
        if (skipStack[skipStack.length - 1] === true) {
          if (VOID.has(tag)) return;
          if (tag === "a") linkDepth++;
          overflow++;
          skipStack.push(true);
          stack.push(-2);
          return;
        }
        const ci = attrs.id === undefined ? (attrs.class === undefined ? undefined : classOnlyInfo(attrs.class)) : withId(attrs.class, attrs.id);
        const clsRaw = ci?.cls ?? "";
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
        // React's streamed server rendering parks finished content in <div hidden id="S:0"> until
        // a script swaps it in: that content is the page.
        // A collapsed accordion or tab panel (WAI-ARIA: role=region or tabpanel, shown on a click)
        // holds the article's own text, hidden only until the reader opens it.
        const hidden =
          (((attrs.hidden !== undefined && !(tag === "div" && attrs.id !== undefined && STREAMED.test(attrs.id))) ||
            (attrs.style !== undefined && isHiddenStyle(attrs.style))) &&
            !DISCLOSURE_PANEL.has(attrs.role ?? "")) ||
          attrs["aria-hidden"] === "true";
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
        // Boilerplate nested in another junk root is a junk root of its own when its tag or a strong
        // class says so: when the outer root turns out to be a page wrapper (and is cancelled), the
        // comment list or share bar inside it is still boilerplate.
        let junkRoot = parent?.junkRoot ?? -1;
        const articleHint =
          (parent?.articleHint ?? false) || tag === "article" || itemprop === "articlebody" || ci?.hint === true;
        if (tag !== "body" && tag !== "html" && tag !== "main" && tag !== "article") {
          const junkTag = JUNK_TAGS.has(tag) || role === "navigation" || role === "complementary" || role === "contentinfo";
          const junkCls = junkRoot >= 0 ? ci?.nestedJunk === true : ci?.junk === true;
          if (junkTag || junkCls) junkRoot = idx;
        }
        elems.push({ tag, parent: parentIdx >= 0 ? parentIdx : 0, depth: stack.length, cls: clsRaw, junkRoot, articleHint });
        const parentJunk = junkLists[parentIdx >= 0 ? parentIdx : 0] ?? NO_JUNK;
        junkLists.push(junkRoot === idx ? [idx, ...parentJunk] : parentJunk);
        stack.push(idx);
        skipStack.push(skip);
        if (skip && !parentSkip) skipDepth++;
        if (tag === "a") linkDepth++;
        if (HEADINGS.has(tag)) headingDepth++;
        if (tag === "figcaption" || tag === "figure" || tag === "caption") captionDepth++;
        if (tag === "li" || tag === "dt" || tag === "dd") liDepth++;
        if (articleHint) inArticle++;
      },
      ontext(raw) {
        // Raw text elements (script, style) hold no entities; everything else is decoded here.
        // Script text stays as the input has it (bytes, possibly) until it is kept whole.
        if (jsonldBuf !== null) {
          if (jsonldBuf.length < 2_000_000) jsonldBuf += raw;
          return;
        }
        if (scriptState !== 0) {
          if (scriptState === 1 && /\S/.test(raw)) scriptState = FLIGHT_START.test(raw) ? 2 : 0;
          if (scriptState === 2) {
            if (flightChars + flightBuf.length < MAX_FLIGHT_CHARS) flightBuf += raw;
            return;
          }
        }
        if (!inTitle && (skipDepth > 0 || inHead)) return;
        const text = chars(raw);
        const data = text.includes("&") ? decodeHTML(text) : text;
        if (inTitle) {
          titleBuf += data;
          return;
        }
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
        const tag = name; // lowerCaseTags
        if (tag === "title" && inTitle) {
          inTitle = false;
          const t = normalizeSpace(titleBuf);
          if (t && !head.title) head.title = t;
        }
        if (tag === "script" && jsonldBuf !== null) {
          head.jsonld.push(chars(jsonldBuf));
          jsonldBuf = null;
        }
        if (tag === "script" && scriptState !== 0) {
          if (scriptState === 2) {
            head.flight.push(chars(flightBuf));
            flightChars += flightBuf.length;
          }
          scriptState = 0;
          flightBuf = "";
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
        if (HEADINGS.has(el.tag)) headingDepth = Math.max(0, headingDepth - 1);
        if (el.tag === "figcaption" || el.tag === "figure" || el.tag === "caption") captionDepth = Math.max(0, captionDepth - 1);
        if (el.tag === "li" || el.tag === "dt" || el.tag === "dd") liDepth = Math.max(0, liDepth - 1);
        if (el.articleHint) inArticle = Math.max(0, inArticle - 1);
      },
    },
    newTagAttributes,
    keptAttributeName,
    utf8Bytes ? attributeValueOfBytes : attributeValue,
  );
  builder.parse(html, FastTokenizer);
  flush();
  return { elems, blocks, head };
}
