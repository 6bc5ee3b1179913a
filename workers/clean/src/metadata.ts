/**
 * Article metadata from the head (meta tags, JSON-LD, canonical link, <time>) and from the text
 * around the article (printed dates, bylines).
 */
import type { HeadMeta } from "./html-parse.ts";
import type { JsonLdArticle } from "./jsonld.ts";
import { dateFromTitle, dateFromUrl, findDateInLines, findLabelledDate, findPrintedDate, parseDate } from "./dates.ts";
import { cleanTitle } from "./title.ts";
import { normalizeSpace } from "./text-utils.ts";

export interface PageMetadata {
  title?: string;
  published?: string;
  authors: string[];
  site_name?: string;
  canonical_url?: string;
  description?: string;
  declaredLanguage?: string;
}

function meta(head: HeadMeta, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = head.metas.get(k);
    if (v) for (const x of v) if (x.trim()) return x.trim();
  }
  return undefined;
}

const PUBLISHED_KEYS = [
  "article:published_time", "og:article:published_time", "article:published", "datepublished",
  "publishdate", "publish-date", "publish_date", "pubdate", "publication_date", "sailthru.date",
  "parsely-pub-date", "dc.date.issued", "dcterms.created", "dc.date", "dcterms.date", "date",
  "og:published_time", "published_time", "article.published", "citation_publication_date",
  "cxenseparse:recs:publishtime", "bt:pubdate", "weibo: article:create_at", "datecreated",
  "article:created_time",
];

const MODIFIED_KEYS = ["article:modified_time", "og:updated_time", "og:modified_time", "last-modified", "dateModified".toLowerCase(), "updated"];

function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href.trim(), base).toString();
  } catch {
    return /^https?:\/\//i.test(href) ? href.trim() : undefined;
  }
}

/** Split a byline or author field into names. */
export function splitAuthors(raw: string): string[] {
  let s = normalizeSpace(raw).replace(/^(by|von|par|por|di|автор|作者|文|记者|tác giả)\s*[:：]?\s*/iu, "");
  s = s.replace(/\s*(\||·|•)\s*.*$/u, "");
  if (!s || s.length > 120 || /^https?:/i.test(s)) return [];
  return s
    .split(/\s*(?:,|;|、|\band\b|\bund\b|\bet\b|\by\b|&|\bи\b)\s*/u)
    .map((x) => x.trim())
    .filter((x) => x.length > 1 && x.length < 60 && !/^\d/.test(x));
}

export function readMetadata(
  head: HeadMeta,
  ld: JsonLdArticle | undefined,
  opts: { url?: string; textLines: readonly string[]; datelines?: readonly string[]; laterLines?: readonly string[]; dayFirst: boolean },
): PageMetadata {
  const site_name = meta(head, "og:site_name", "application-name", "twitter:site:name") ?? ld?.publisher;
  const ogTitle = meta(head, "og:title", "twitter:title", "title", "headline");
  const rawTitle = ogTitle ?? ld?.headline ?? head.title ?? head.h1[0];
  const title = cleanTitle(rawTitle, {
    h1: head.h1.slice(0, 3),
    siteName: site_name,
    docTitle: head.title,
    // A page may print a second og:title: one more source an h1 can agree with.
    others: [meta(head, "twitter:title"), ld?.headline, ...(head.metas.get("og:title") ?? []).slice(1)],
    voters: [meta(head, "og:title"), meta(head, "twitter:title"), ld?.headline, head.title],
  });

  // Dates, most explicit first.
  const dayFirst = opts.dayFirst;
  // Pages carry several publication dates (JSON-LD, meta tags, microdata) that do not always
  // agree: the one printed by the headline is the one readers see, so it settles which.
  // (Modification dates are left out: whether a page's "date" is its last update is a coin flip.)
  const known = new Set<string>();
  const addKnown = (v: string | undefined, df = dayFirst): void => {
    const d = parseDate(v, { dayFirst: df });
    if (d) known.add(d);
  };
  addKnown(ld?.datePublished);
  addKnown(ld?.dateCreated);
  for (const k of PUBLISHED_KEYS) for (const v of head.metas.get(k) ?? []) addKnown(v);
  for (const t of head.times) if (t.itemprop) addKnown(t.value);
  let published: string | undefined =
    findPrintedDate(opts.datelines ?? [], known, { dayFirst }) ??
    parseDate(ld?.datePublished) ??
    parseDate(meta(head, ...PUBLISHED_KEYS), { dayFirst }) ??
    parseDate(head.times.find((t) => t.itemprop === "datepublished")?.value) ??
    parseDate(ld?.dateCreated);
  if (!published) {
    const inArticle = head.times.find((t) => t.inArticle) ?? head.times[0];
    published = parseDate(inArticle?.value, { dayFirst });
  }
  published ??= dateFromTitle(head.title, { dayFirst });
  published ??= findDateInLines(opts.textLines, { dayFirst });
  published ??= findLabelledDate(opts.laterLines ?? [], { dayFirst });
  published ??= dateFromUrl(opts.url) ?? dateFromUrl(head.canonical ?? meta(head, "og:url"));
  published ??= parseDate(ld?.dateModified) ?? parseDate(meta(head, ...MODIFIED_KEYS), { dayFirst });

  const authors: string[] = [];
  const add = (xs: string[]): void => {
    for (const x of xs) if (!authors.includes(x) && authors.length < 10) authors.push(x);
  };
  if (ld?.authors.length) add(ld.authors.flatMap((a) => (/^https?:/i.test(a) ? [] : [normalizeSpace(a)])));
  if (!authors.length) {
    const m = meta(head, "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl", "citation_author");
    if (m) add(splitAuthors(m));
  }
  if (!authors.length) for (const t of head.authorTexts.slice(0, 2)) add(splitAuthors(t));

  const canonical_url = resolveUrl(head.canonical, opts.url) ?? resolveUrl(meta(head, "og:url"), opts.url) ?? resolveUrl(ld?.url, opts.url);
  const description = meta(head, "og:description", "description", "twitter:description") ?? ld?.description;
  const declaredLanguage =
    head.htmlLang ?? meta(head, "og:locale", "content-language", "language", "dc.language", "inlanguage") ?? ld?.inLanguage;
  return {
    title,
    published,
    authors,
    site_name: site_name ? normalizeSpace(site_name) : undefined,
    canonical_url,
    description: description ? normalizeSpace(description) : undefined,
    declaredLanguage,
  };
}
