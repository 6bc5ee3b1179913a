/**
 * Main-text selection on the parsed blocks, without per-site rules.
 *
 * Every text block gets a value: its non-link tokens minus a heavy penalty for link tokens
 * (menus, teaser headlines), a small penalty for short fragments (labels, dates, buttons), and a
 * negative value inside boilerplate (nav/footer/aside, share/comment/related classes). The
 * element whose subtree has the highest total is the article container (a maximum-sum subtree);
 * sibling subtrees that are article-like too are added; then the container's blocks are filtered
 * and the article's structural end (comments, related stories, notices) is cut (cutTail).
 * What a block's text alone says (labels, notices, prompts, credits, end headings) is in
 * boilerplate-text.ts.
 */
import type { Block, ParsedPage } from "./html-parse.ts";
import {
  hasDateAndClock, isAboutHeading, isCommentHeading, isCreditCaption, isEndHeading, isLabel, isPaywallNotice,
  isTimestampLine, isNotice, LEGAL, TRUNCATED,
} from "./boilerplate-text.ts";

const LONG_BLOCK = 10;
const LINK_PENALTY = 5;
const LINK_PENALTY_IN_PROSE = 1.5;
/**
 * A link block costs at most this much: it is one menu entry or teaser whatever its length (a
 * CJK teaser headline is 40 tokens, an English one 10), so that a teaser list under a CJK article
 * does not outweigh the article.
 */
const LINK_PENALTY_CAP = 40;
const SHORT_PENALTY = 1;
const PROSE_END = /[.!?。！？…"»”)）]$/u;
/** Class/id words of reader-comment sections. */
const COMMENTS = /(?:^|[\s_-])(?:comments?|comment(?:list|thread|div|box|area|block|section|wrap|wrapper|container|form)|disqus|replies|respond)(?:$|[\s_]|-(?!enabled|open|closed|count|on\b|off\b))/;

/**
 * After an end heading, a block this long (chars, or tokens: a CJK character is a token) is the
 * article resuming after an inline box, not a teaser snippet.
 */
const RESUMED_CHARS = 200;
const RESUMED_TOKENS = 100;

/** A paywall prompt's enclosing element with at most this many tokens from the prompt on is a promo box. */
const PAYWALL_BOX_TOKENS = 150;

/** A teaser's headline: a short block that is all link. */
function isLinkedTitle(b: Block): boolean {
  return b.tokens > 0 && b.tokens <= 25 && b.linkTokens >= 0.8 * b.tokens;
}

/**
 * Teasers after a "Related" heading repeat a shape: a linked headline, then a snippet of a few
 * lines. This many headlines in a row, each followed by a snippet of at most TEASER_SNIPPET_TOKENS,
 * make a teaser list however long the snippets' lines are.
 */
const TEASER_REPEATS = 3;
const TEASER_SNIPPET_TOKENS = 120;

/**
 * Whether the article resumes after the end heading at kept[from - 1]: a long block follows, and
 * what follows the heading is not a run of teasers (linked headline, snippet, linked headline...).
 */
/** A paragraph this long, or a sentence of LONG_BLOCK tokens, is the article begun: no dateline after it. */
const PROSE_TOKENS = 30;
const SENTENCE_END = /[.!?。！？]["”’»)]?$/u;

/**
 * A dateline above the article's first paragraph ("Politics | Updated Friday 30/11/12 16:00"): a
 * short line with a date and a clock time, no sentence. It is the page's metadata, not its text.
 */
function isHeadDateline(blocks: readonly Block[], kept: readonly number[], k: number): boolean {
  const b = blocks[kept[k] ?? 0];
  if (!b || b.tokens > 20 || b.text.length > 120 || !hasDateAndClock(b.text) || /[.!?。]$/u.test(b.text)) return false;
  for (let j = 0; j < k; j++) {
    const a = blocks[kept[j] ?? 0];
    if (a && (a.tokens >= PROSE_TOKENS || (a.tokens >= LONG_BLOCK && SENTENCE_END.test(a.text)))) return false;
  }
  return true;
}

function resumes(kept: readonly number[], blocks: readonly Block[], from: number): boolean {
  let long = false;
  for (let k = from; k < kept.length; k++) {
    const b = blocks[kept[k] ?? 0];
    if (b && (b.text.length >= RESUMED_CHARS || b.tokens >= RESUMED_TOKENS)) long = true;
  }
  return long && !teaserRun(blocks, (kept[from - 1] ?? 0) + 1, kept[kept.length - 1] ?? -1);
}

/**
 * Whether blocks from..to (every block, kept or not: the headlines are links, which the filter
 * drops) open with a run of TEASER_REPEATS teasers.
 */
function teaserRun(blocks: readonly Block[], from: number, to: number): boolean {
  let titles = 0;
  let teasers = 0;
  let snippet = 0;
  for (let i = from; i <= to; i++) {
    const b = blocks[i];
    if (!b || b.tokens === 0) continue;
    if (isLinkedTitle(b)) {
      titles++;
      snippet = 0;
      continue;
    }
    // The run must open with a headline, and a snippet is a few lines, not the article going on.
    // (Headlines without snippets are a link box: the article may well resume after one.)
    if (titles === 0) return false;
    if (snippet === 0 && ++teasers >= TEASER_REPEATS) return true;
    snippet += b.tokens;
    if (snippet > TEASER_SNIPPET_TOKENS) return false;
  }
  return false;
}

/**
 * Blocks before this share of the kept tokens, or before this many tokens, never end the article
 * (a comment thread can be ten times longer than the article above it).
 */
const MIN_HEAD_SHARE = 0.2;
const MIN_HEAD_TOKENS = 60;
/** A notice ends the article only this far into it. */
const NOTICE_SHARE = 0.5;
/** Timestamped entries closer than this (kept blocks) form a list: comments or posts. */
const STAMP_GAP = 12;

/**
 * Structural end of the article inside the chosen container, without class names: a
 * "Comments" heading; a "Related stories" heading followed by teaser snippets only; a disclaimer
 * or legal notice in the second half; or a run of entries headed by timestamps (reader comments,
 * further blog posts). Edits `kept` (block indices in order) in place.
 */
export function cutTail(kept: number[], blocks: readonly Block[]): void {
  if (kept.length < 3) return;
  let total = 0;
  for (const i of kept) total += blocks[i]?.tokens ?? 0;
  let firstLong = -1;
  let before = 0;
  let cut = kept.length;
  const stamps: number[] = [];
  for (let k = 0; k < kept.length; k++) {
    const b = blocks[kept[k] ?? 0];
    if (!b) continue;
    if (firstLong >= 0 && (before >= MIN_HEAD_SHARE * total || before >= MIN_HEAD_TOKENS)) {
      if (isCommentHeading(b.text, b.tokens)) {
        cut = k;
        break;
      }
      // "Related stories" ends the article unless it is a box inside it (long paragraphs follow).
      if (isEndHeading(b.text, b.tokens) && !resumes(kept, blocks, k + 1)) {
        cut = k;
        break;
      }
      // "About Acme Corp" or "About the author" in the second half: boilerplate to the end.
      if (before >= NOTICE_SHARE * total && isAboutHeading(b.text, b.tokens)) {
        cut = k;
        break;
      }
      // Contact lines and promos follow a disclaimer; the article does not resume after one.
      if (b.tokens < 120 && before >= NOTICE_SHARE * total && (isNotice(b.text) || LEGAL.test(b.text))) {
        cut = k;
        break;
      }
      if (isTimestampLine(b.text, b.tokens)) stamps.push(k);
    }
    if (firstLong < 0 && b.tokens >= LONG_BLOCK) firstLong = k;
    before += b.tokens;
  }
  // A chain of at least two timestamps, each close to the next.
  for (let s = 0; s + 1 < stamps.length; s++) {
    const a = stamps[s] ?? 0;
    if (a >= cut) break;
    if ((stamps[s + 1] ?? 0) - a <= STAMP_GAP) {
      // The commenter's name just above the first timestamp goes too.
      const prev = blocks[kept[a - 1] ?? -1];
      cut = prev && prev.tokens <= 4 && a - 1 > firstLong ? a - 1 : a;
      break;
    }
  }
  if (cut < kept.length) kept.length = cut;
}

export interface MainText {
  paragraphs: string[];
  /** Index range of the chosen blocks in page.blocks (for metadata lookups). */
  firstBlock: number;
  lastBlock: number;
  tokens: number;
  /** The chosen container element and its score (diagnostics). */
  container?: number;
  containerScore?: number;
}

function linkDensity(b: Block): number {
  return b.tokens === 0 ? 0 : b.linkTokens / b.tokens;
}

/** Whether element e lies inside element anc (a few levels at most). */
function within(elems: ParsedPage["elems"], e: number, anc: number): boolean {
  for (let x = e, k = 0; x > 0 && k < 12; k++) {
    if (x === anc) return true;
    x = elems[x]?.parent ?? 0;
  }
  return false;
}

/**
 * Whether two elements' class (and id) words are the same but for one word each: repeats of one
 * wrapper, whose ids differ. Elements without class words are not repeats of anything.
 */
export function sameClassWords(a: string, b: string): boolean {
  const wa = a.split(/\s+/).filter(Boolean);
  const wb = new Set(b.split(/\s+/).filter(Boolean));
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared > 0 && wa.length - shared <= 1 && wb.size - shared <= 1;
}

/** Share of a junk root's text in blocks that repeat another block's opening or ending. */
const REPEAT_SHARE = 0.5;
const REPEAT_EDGE_CHARS = 30;

/**
 * Whether the text blocks under junk root r (link lists aside) are mostly one template said
 * again and again: a block counts as a repeat when its first or last 30 characters open or end
 * another block there.
 */
export function isRepetitive(blocks: readonly Block[], r: number): boolean {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const mine: Block[] = [];
  let total = 0;
  for (const b of blocks) {
    if (!b.junkRoots.includes(r) || b.text.length < 2 * REPEAT_EDGE_CHARS || b.linkTokens * 2 >= b.tokens) continue;
    mine.push(b);
    total += b.tokens;
    const s = b.text.slice(0, REPEAT_EDGE_CHARS);
    const e = b.text.slice(-REPEAT_EDGE_CHARS);
    starts.set(s, (starts.get(s) ?? 0) + 1);
    ends.set(e, (ends.get(e) ?? 0) + 1);
  }
  if (mine.length < 4 || total === 0) return false;
  let repeated = 0;
  for (const b of mine) {
    if ((starts.get(b.text.slice(0, REPEAT_EDGE_CHARS)) ?? 0) > 1 || (ends.get(b.text.slice(-REPEAT_EDGE_CHARS)) ?? 0) > 1) repeated += b.tokens;
  }
  return repeated > REPEAT_SHARE * total;
}

/** Select the article's paragraphs from a parsed page. */
export function extractMainText(page: ParsedPage): MainText {
  const { elems, blocks } = page;
  const n = elems.length;
  if (blocks.length === 0) return { paragraphs: [], firstBlock: 0, lastBlock: -1, tokens: 0 };

  // 1. Junk roots that hold most of the page's text are wrappers, not boilerplate.
  let totalText = 0;
  const junkText = new Map<number, number>();
  for (const b of blocks) {
    const plain = linkDensity(b) < 0.5 ? b.tokens - b.linkTokens : 0;
    totalText += plain;
    for (const r of b.junkRoots) junkText.set(r, (junkText.get(r) ?? 0) + plain);
  }
  const cancelled = new Set<number>();
  // Reader comments stay boilerplate even when they outweigh the article, and so does a
  // template repeated over and over (a promo carousel in every locale): an article does not.
  for (const [r, t] of junkText) if (t > 0.5 * totalText && !COMMENTS.test(elems[r]?.cls ?? "") && !isRepetitive(blocks, r)) cancelled.add(r);
  const isJunk = (b: Block): boolean => b.junkRoots.some((r) => !cancelled.has(r));

  // Last block inside each element's subtree (children always come after their parents).
  const lastIn = new Int32Array(n).fill(-1);
  for (let i = 0; i < blocks.length; i++) lastIn[blocks[i]?.elem ?? 0] = i;
  for (let e = n - 1; e > 0; e--) {
    const p = elems[e]?.parent ?? 0;
    if ((lastIn[e] ?? -1) > (lastIn[p] ?? -1)) lastIn[p] = lastIn[e] ?? -1;
  }

  // 2. Block values.
  const value = new Float64Array(blocks.length);
  const label = new Uint8Array(blocks.length);
  // Legal lines, notices and truncated teasers (never kept).
  const notice = new Uint8Array(blocks.length);
  // Captions told by their credit line (markup captions are b.caption).
  const caption = new Uint8Array(blocks.length);
  // The parent of the last "Related stories" heading while link blocks under it follow.
  let announced = -1;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b) continue;
    const plain = b.tokens - b.linkTokens;
    let v: number;
    if (isJunk(b)) v = 0;
    else if (isLabel(b)) {
      v = -1 - b.tokens;
      label[i] = 1;
    } else if (b.tokens < 120 && (LEGAL.test(b.text) || isNotice(b.text))) {
      v = -b.tokens;
      notice[i] = 1;
    } else if (b.tokens < 120 && !elems[b.elem]?.articleHint && TRUNCATED.test(b.text)) {
      v = -b.tokens;
      notice[i] = 1;
    } else if ((b.tokens >= LONG_BLOCK || (b.tokens >= 5 && b.linkTokens === 0 && PROSE_END.test(b.text))) && linkDensity(b) < 0.5) v = plain - LINK_PENALTY_IN_PROSE * b.linkTokens;
    else if (b.linkTokens > 0) v = -Math.min(LINK_PENALTY * b.linkTokens, LINK_PENALTY_CAP);
    else v = -SHORT_PENALTY;
    // A "Related stories" heading announces the links under it: they are a box the block filter
    // drops, not evidence against the container that holds them.
    if (!isJunk(b) && b.tokens <= 8 && isEndHeading(b.text, b.tokens)) {
      v = 0;
      // The box is the heading's parent, or its grandparent when the heading has a wrapper of its own.
      const parent = elems[b.elem]?.parent ?? -1;
      announced = parent > 0 && (lastIn[parent] ?? -1) <= i ? (elems[parent]?.parent ?? -1) : parent;
    } else if (announced >= 0 && b.linkTokens * 2 >= b.tokens && within(elems, b.elem, announced)) v = 0;
    else announced = -1;
    if (!b.caption && isCreditCaption(b.text, b.tokens)) caption[i] = 1;
    if ((b.caption || caption[i] === 1) && v > 0) v = 0;
    value[i] = v;
  }
  // Paywall prompts, and the small promo box each sits in (its heading, pitch and benefit list).
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b || notice[i] === 1 || isJunk(b) || !isPaywallNotice(b.text, b.tokens)) continue;
    // The prompt heads its box: what follows it there (pitch, benefits, buttons) goes too, not
    // what comes before it (a standfirst sharing the header with the prompt).
    let to = i;
    const box = elems[b.elem]?.parent ?? -1;
    if (box > 0) {
      const z = lastIn[box] ?? i;
      let boxTokens = 0;
      for (let k = i; k <= z; k++) boxTokens += blocks[k]?.tokens ?? 0;
      if (boxTokens <= PAYWALL_BOX_TOKENS) to = z;
    }
    for (let k = i; k <= to; k++) {
      notice[k] = 1;
      value[k] = -(blocks[k]?.tokens ?? 0);
    }
  }

  // 3. Subtree sums (children always come after their parents in elems).
  const score = new Float64Array(n);
  const first = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-1);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b) continue;
    score[b.elem] = (score[b.elem] ?? 0) + (value[i] ?? 0);
    if ((first[b.elem] ?? -1) < 0) first[b.elem] = i;
    last[b.elem] = i;
  }
  for (let e = n - 1; e > 0; e--) {
    const p = elems[e]?.parent ?? 0;
    score[p] = (score[p] ?? 0) + (score[e] ?? 0);
    const fe = first[e] ?? -1;
    if (fe >= 0) {
      const fp = first[p] ?? -1;
      if (fp < 0 || fe < fp) first[p] = fe;
      if ((last[e] ?? -1) > (last[p] ?? -1)) last[p] = last[e] ?? -1;
    }
  }
  let best = 0;
  let bestScore = -Infinity;
  for (let e = 0; e < n; e++) {
    const s = score[e] ?? 0;
    if (s >= bestScore && (first[e] ?? -1) >= 0) {
      bestScore = s;
      best = e;
    }
  }

  // 4. Add article-like siblings (a lead paragraph or a second body part next to the container).
  const ranges: [number, number][] = [[first[best] ?? 0, last[best] ?? -1]];
  // Wrappers that hold nothing but the container (a block, its content div, its html div) are
  // the container too: its siblings are those of the outermost such wrapper.
  let unit = best;
  for (let p = elems[unit]?.parent ?? -1; p > 0 && first[p] === first[unit] && last[p] === last[unit]; p = elems[p]?.parent ?? -1) unit = p;
  const parent = elems[unit]?.parent ?? -1;
  // Above the container's own wrappers, only repeats of the wrapper (a page builder's sequence
  // of text blocks) are more of the article; a contact box or sidebar there is not.
  const sameShape = (e: number): boolean => unit === best || (elems[e]?.tag === elems[unit]?.tag && sameClassWords(elems[e]?.cls ?? "", elems[unit]?.cls ?? ""));
  if (best > 0 && parent >= 0 && bestScore > 0) {
    for (let e = unit + 1; e < n; e++) {
      // only direct children of parent
      if (elems[e]?.parent !== parent || !sameShape(e)) continue;
      const s = score[e] ?? 0;
      if (s > Math.max(8, 0.15 * bestScore) && (first[e] ?? -1) >= 0) ranges.push([first[e] ?? 0, last[e] ?? -1]);
    }
    for (let e = unit - 1; e > parent; e--) {
      if (elems[e]?.parent !== parent || !sameShape(e)) continue;
      const s = score[e] ?? 0;
      if (s > Math.max(8, 0.15 * bestScore) && (first[e] ?? -1) >= 0) ranges.push([first[e] ?? 0, last[e] ?? -1]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
  }

  // 5. Filter the blocks of the chosen subtrees.
  const kept: number[] = [];
  for (const [a, z] of ranges) {
    for (let i = a; i <= z; i++) {
      const b = blocks[i];
      if (!b) continue;
      if (isJunk(b) || b.caption || caption[i] === 1 || label[i] === 1 || notice[i] === 1) continue;
      const ld = linkDensity(b);
      if (ld >= 0.5) continue;
      if (b.tokens < LONG_BLOCK && ld > 0) continue;
      kept.push(i);
    }
  }
  cutTail(kept, blocks);
  // Trim short fragments before the first and after the last long block.
  const isLong = (i: number): boolean => (blocks[i]?.tokens ?? 0) >= LONG_BLOCK;
  let s = 0;
  while (s < kept.length && !isLong(kept[s] ?? 0)) s++;
  let z = kept.length - 1;
  while (z >= s && !isLong(kept[z] ?? 0)) z--;
  const chosen = kept.slice(s, z + 1).filter((i, k, all) => !isHeadDateline(blocks, all, k));
  const paragraphs: string[] = [];
  let tokens = 0;
  for (const i of chosen) {
    const b = blocks[i];
    if (!b) continue;
    if (paragraphs.length > 0 && paragraphs[paragraphs.length - 1] === b.text) continue;
    paragraphs.push(b.text);
    tokens += b.tokens;
  }
  return { paragraphs, firstBlock: chosen[0] ?? 0, lastBlock: chosen[chosen.length - 1] ?? -1, tokens, container: best, containerScore: bestScore };
}
