/**
 * Title cleaning: drop the " - Site" / " | Site" / "_频道_网站" decorations that <title> and
 * og:title carry, and prefer the page's own <h1> when it is the same headline.
 */
import { countTokens, normalizeSpace, tokenize } from "./text-utils.ts";
import { parseDate } from "./dates.ts";

/** Separators between a headline and its decorations, with the text after them. */
const TAIL = /(?:\s+[|\-–—·•»«:]{1,2}\s+|\s*[|｜]\s*|_+|\s+::\s+|--+|-(?=[^\s-]{1,12}$)|ㅣ)([^|｜_–—•»«]+?)\s*$/u;

/** What follows a headline in a decorated title: a separator, then the decoration. */
const SEPARATED_TAIL = /^\s*(?:[|｜\-–—·•»:_]{1,2}|::)\s*\S/u;

function norm(s: string): string {
  return normalizeSpace(s).toLowerCase().replace(/[\s"'“”‘’«»「」『』《》]/g, "");
}

/** Remove trailing site/section names: "Headline | Site", "标题_频道_网站". */
export function stripSiteSuffix(title: string, siteName?: string): string {
  let t = normalizeSpace(title);
  const site = siteName ? norm(siteName) : "";
  for (let k = 0; k < 3; k++) {
    const m = TAIL.exec(t);
    if (!m || m.index === undefined) break;
    const tail = m[1] ?? "";
    const head = t.slice(0, m.index).trim();
    const tailTokens = countTokens(tail);
    const headTokens = countTokens(head);
    const isSite = site !== "" && (norm(tail) === site || site.includes(norm(tail)) || norm(tail).includes(site));
    const cjk = /[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]/u.test(tail);
    const shortTail = tailTokens <= (cjk ? 8 : 5);
    const pipe = /^\s*[|｜]/u.test(t.slice(m.index, m.index + 3)) || /\s[|｜]\s/u.test(m[0]);
    const domain = /\.[a-z]{2,4}$/i.test(tail.trim());
    // A bare hyphen ("标题-网易") separates a site name only in CJK titles; elsewhere it is a
    // compound ("Migrations-Thinktank", "US-Dollar", "(3-3)").
    // A doubled hyphen between words ("Problems--Simple") is a typewriter dash, likewise.
    if (/^-+[^\s-]/u.test(m[0]) && !(cjk || /[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]$/u.test(head))) break;
    if (headTokens >= 2 && (isSite || domain || (pipe && tailTokens <= 8) || (shortTail && headTokens > tailTokens))) t = head;
    else break;
  }
  return t;
}

function overlap(a: string, b: string): number {
  const ta = tokenize(a.toLowerCase());
  if (!ta.length) return 0;
  const sb = new Set(tokenize(b.toLowerCase()));
  let hit = 0;
  for (const x of ta) if (sb.has(x)) hit++;
  return hit / ta.length;
}

export interface TitleOptions {
  h1?: readonly string[];
  siteName?: string;
  docTitle?: string;
  others?: readonly (string | undefined)[];
  /**
   * The page's independent headline sources (og:title, twitter:title, JSON-LD headline, <title>):
   * with the h1s, each votes for its spelling of the chosen headline (voteTitle), and a chosen h1
   * that is one of them plus a kicker or debris is cut down to it (trimToSource).
   */
  voters?: readonly (string | undefined)[];
}

/** Typographic folding for comparing headline sources: quotes, dashes, ellipsis, "&"/"and". */
export function foldHeadline(s: string): string {
  return normalizeSpace(s.normalize("NFKC"))
    .replace(/[‘’‚‛′`´]/gu, "'")
    .replace(/[“”„‟″«»]/gu, '"')
    .replace(/[‐‑‒–—―]|--/gu, "-")
    .replace(/…/gu, "...")
    .replace(/\s*&\s*|\s+and\s+/gu, " and ")
    .replace(/\s+/gu, " ");
}

/** A headline in capitals only (display styling, not the headline's own spelling). */
function allCaps(s: string): boolean {
  return /\p{Lu}.*\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
}

/**
 * The spelling of the chosen headline that most of the page's headline sources share: sources
 * that print the same headline up to typography (quotes, dashes, "&"; case too when the choice is
 * in capitals only) vote for their own spelling. A source printing a different headline has no
 * say: which headline is the page's is chooseTitle's call. A tie goes to `tieBreak` (the <title>
 * element's spelling) when given, else stays with the choice.
 */
export function voteTitle(current: string, candidates: readonly string[], tieBreak?: string): string {
  const caps = allCaps(current);
  const key = (s: string): string => (caps ? foldHeadline(s).toLowerCase() : foldHeadline(s));
  const curKey = key(current);
  const counts = new Map<string, number>([[current, 0]]);
  for (const c of candidates) if (c && key(c) === curKey) counts.set(c, (counts.get(c) ?? 0) + 1);
  let pick = current;
  for (const [c, n] of counts) if (n > (counts.get(pick) ?? 0) && !(caps && allCaps(c) && c !== current)) pick = c;
  if (tieBreak !== undefined && tieBreak !== pick && counts.get(tieBreak) === counts.get(pick) && !(caps && allCaps(tieBreak))) pick = tieBreak;
  return pick;
}

/**
 * Choose and clean the headline. `raw` is the best meta title (og:title, JSON-LD headline or
 * <title>); `h1` the page's first headlines; `siteName` helps strip decorations; `others` are the
 * page's other headline sources (twitter:title, JSON-LD headline): an h1 that agrees with any of
 * them is the headline as printed.
 */
export function cleanTitle(raw: string | undefined, opts: TitleOptions = {}): string | undefined {
  const chosen = chooseTitle(raw, opts);
  if (chosen === undefined || !opts.voters) return chosen;
  const site = opts.siteName ? norm(opts.siteName) : "";
  const h1s = [...new Set((opts.h1 ?? []).slice(0, 2).map((h) => normalizeSpace(h)))];
  // A source votes as printed when that is the chosen headline, else without its decorations.
  const same = foldHeadline(chosen);
  const voter = (v: string | undefined): string => (!v ? "" : foldHeadline(v) === same ? normalizeSpace(v) : stripSiteSuffix(v, opts.siteName));
  const keep = (c: string): boolean => c !== "" && !(site && norm(c) === site);
  const metaVotes = opts.voters.map(voter).filter(keep);
  const docVote = opts.docTitle ? voter(opts.docTitle) : undefined;
  const voted = voteTitle(chosen, [...metaVotes, ...h1s.filter(keep)], docVote);
  return trimToSource(voted, metaVotes);
}

/** What a headline carries after its text that is no part of it: markup debris, a date. */
function junkTail(extra: string): boolean {
  const e = extra.trim();
  return !/\p{L}/u.test(e) || parseDate(e) !== undefined;
}

/**
 * A chosen headline (usually the h1) that is another source's headline plus something at either
 * end (a kicker or a "Blog:" label before it; a date or stray markup after it) is cut down to
 * that headline, the one most sources print.
 */
function trimToSource(chosen: string, sources: readonly string[]): string {
  const f = foldHeadline(chosen);
  const counts = new Map<string, number>();
  for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best: string | undefined;
  for (const [s, n] of counts) {
    const fs = foldHeadline(s);
    if (fs.length >= f.length || countTokens(s) < 3) continue;
    // A kicker or label before the headline; after it, only markup debris or a date.
    const kicker = f.endsWith(fs) && /[^\p{L}\p{N}]$/u.test(f.slice(0, f.length - fs.length));
    if (!kicker && !(f.startsWith(fs) && junkTail(f.slice(fs.length)))) continue;
    if (!best || n > (counts.get(best) ?? 0)) best = s;
  }
  return best ?? chosen;
}

function chooseTitle(raw: string | undefined, opts: TitleOptions): string | undefined {
  const site = opts.siteName ? norm(opts.siteName) : "";
  const isSiteName = (x: string): boolean => site !== "" && norm(x) === site;
  const docTitle = opts.docTitle ? normalizeSpace(opts.docTitle) : "";
  // A meta title that is just the site name is no headline.
  let metaTitle = raw ? normalizeSpace(raw) : "";
  if (isSiteName(metaTitle)) metaTitle = "";
  const sources = [metaTitle, docTitle, ...(opts.others ?? []).map((x) => (x ? normalizeSpace(x) : ""))].filter((x) => x && !isSiteName(x));
  const ref = metaTitle || docTitle || sources[0] || "";
  for (const h of (opts.h1 ?? []).slice(0, 2)) {
    const hh = normalizeSpace(h);
    const nh = norm(hh);
    if (!hh || (site && (nh === site || site.includes(nh)))) continue;
    if (!ref) {
      if (countTokens(hh) >= 3) return hh;
      continue;
    }
    // The meta title is this h1 plus a decoration: "Headline - Site".
    if (SEPARATED_TAIL.test(ref.slice(hh.length)) && ref.startsWith(hh)) return hh;
    // Short h1s are often a logo or a section name.
    if (countTokens(hh) < 3 || hh.length > 300) continue;
    for (const src of sources) {
      const ov = Math.min(overlap(hh, src === ref ? ref + " " + docTitle : src), 1);
      const back = overlap(stripSiteSuffix(src, opts.siteName), hh);
      if (ov >= 0.6 && back >= 0.5) return /\s[|｜]\s/u.test(hh) ? stripSiteSuffix(hh, opts.siteName) : hh;
    }
  }
  if (!ref) return undefined;
  return stripSiteSuffix(ref, opts.siteName) || ref;
}

/** Separators of breadcrumb trails ("Home > World > Asia"), never a headline. */
const BREADCRUMB = /\s[>»›/]\s.*\s[>»›/]\s|^\s*(home|trang chủ|首页|главная)\s*[>»›/]/iu;

/**
 * Whether a line reads like a headline: a few words to a long sentence's worth, not ending in
 * sentence punctuation, mostly letters (not a date or a time stamp), not a breadcrumb trail.
 */
export function isHeadlineLike(line: string): boolean {
  const t = countTokens(line);
  if (t < 4 || t > 40) return false;
  if (/[。.!?！？:：]$/u.test(line)) return false;
  if (BREADCRUMB.test(line)) return false;
  const visible = line.replace(/\s/gu, "");
  const letters = (visible.match(/\p{L}/gu) ?? []).length;
  return letters / Math.max(1, visible.length) >= 0.6;
}

/** Longest title made from the article's first sentence when the page prints no headline. */
export const FALLBACK_TITLE_CHARS = 120;

/** The article's first sentence, cut to FALLBACK_TITLE_CHARS: a title when nothing better exists. */
export function firstSentenceTitle(paragraphs: readonly string[]): string | undefined {
  const first = paragraphs.find((p) => countTokens(p) >= 4);
  if (!first) return undefined;
  const sentence = (first.match(/^.+?(?:[。！？]|[.!?](?=\s)|$)/su)?.[0] ?? first).trim();
  return sentence.length > FALLBACK_TITLE_CHARS ? `${sentence.slice(0, FALLBACK_TITLE_CHARS - 1).trimEnd()}…` : sentence;
}
