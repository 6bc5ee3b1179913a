/**
 * Main-text selection on the parsed blocks, without per-site rules.
 *
 * Every text block gets a value: its non-link tokens minus a heavy penalty for link tokens
 * (menus, teaser headlines), a small penalty for short fragments (labels, dates, buttons), and a
 * negative value inside boilerplate (nav/footer/aside, share/comment/related classes). The
 * element whose subtree has the highest total is the article container (a maximum-sum subtree);
 * sibling subtrees that are article-like too are added; then the container's blocks are filtered.
 */
import type { Block, ParsedPage } from "./html-parse.ts";

const LONG_BLOCK = 10;
const LINK_PENALTY = 5;
const LINK_PENALTY_IN_PROSE = 1.5;
const SHORT_PENALTY = 1;
const PROSE_END = /[.!?。！？…"»”)）]$/u;
/** Teaser snippets are cut off with an ellipsis. */
const TRUNCATED = /(?:\.\.\.|…|\.\s\.\s\.)\s*(?:[\])）»>›]|更多|more|далее|mehr|plus|xem thêm)?\s*$/iu;
/** Copyright and legal notices. */
const LEGAL = /(©|copyright|\(c\)\s*(?:19|20)\d\d|all rights reserved|правообладател|все права защищены|版权所有|版權所有|bản quyền|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados)/i;

/** Class/id words of reader-comment sections. */
const COMMENTS = /(?:^|[\s_-])(?:comments?|commentlist|commentthread|disqus|replies|respond)(?:$|[\s_]|-(?!enabled|open|closed|count|on\b|off\b))/;

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
  // Reader comments stay boilerplate even when they outweigh the article.
  for (const [r, t] of junkText) if (t > 0.5 * totalText && !COMMENTS.test(elems[r]?.cls ?? "")) cancelled.add(r);
  const isJunk = (b: Block): boolean => b.junkRoots.some((r) => !cancelled.has(r));

  // 2. Block values.
  const value = new Float64Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!b) continue;
    const plain = b.tokens - b.linkTokens;
    let v: number;
    if (isJunk(b)) v = 0;
    else if (LEGAL.test(b.text) && b.tokens < 120) v = -b.tokens;
    else if (TRUNCATED.test(b.text) && b.tokens < 120 && !elems[b.elem]?.articleHint) v = -b.tokens;
    else if ((b.tokens >= LONG_BLOCK || (b.tokens >= 5 && b.linkTokens === 0 && PROSE_END.test(b.text))) && linkDensity(b) < 0.5) v = plain - LINK_PENALTY_IN_PROSE * b.linkTokens;
    else if (b.linkTokens > 0) v = -LINK_PENALTY * b.linkTokens;
    else v = -SHORT_PENALTY;
    if (b.caption && v > 0) v = 0;
    value[i] = v;
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
  const parent = elems[best]?.parent ?? -1;
  if (best > 0 && parent >= 0 && bestScore > 0) {
    for (let e = best + 1; e < n; e++) {
      // only direct children of parent
      if (elems[e]?.parent !== parent) continue;
      const s = score[e] ?? 0;
      if (s > Math.max(8, 0.15 * bestScore) && (first[e] ?? -1) >= 0) ranges.push([first[e] ?? 0, last[e] ?? -1]);
    }
    for (let e = best - 1; e > parent; e--) {
      if (elems[e]?.parent !== parent) continue;
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
      if (isJunk(b) || b.caption || ((value[i] ?? 0) < 0 && (LEGAL.test(b.text) || TRUNCATED.test(b.text)))) continue;
      const ld = linkDensity(b);
      if (ld >= 0.5) continue;
      if (b.tokens < LONG_BLOCK && ld > 0) continue;
      kept.push(i);
    }
  }
  // Trim short fragments before the first and after the last long block.
  const isLong = (i: number): boolean => (blocks[i]?.tokens ?? 0) >= LONG_BLOCK;
  let s = 0;
  while (s < kept.length && !isLong(kept[s] ?? 0)) s++;
  let z = kept.length - 1;
  while (z >= s && !isLong(kept[z] ?? 0)) z--;
  const chosen = kept.slice(s, z + 1);
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
