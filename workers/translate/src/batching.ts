/**
 * How texts are cut into requests under a character budget (pure, no I/O).
 *
 * Each text becomes a layout: literal pieces kept verbatim (line breaks, leading and trailing
 * whitespace) and segments to translate. A segment is a line of the text, or, for a line over
 * the budget, its sentences merged back up to the budget (a sentence over the budget is cut at
 * spaces, a run without spaces at characters). Segments are then packed in order into batches
 * of at most `maxChars` characters and `maxItems` segments, and `assemble` puts the translated
 * segments back into their texts, in the original order.
 *
 * Characters are counted in Unicode code points, as LibreTranslate counts its char limit.
 */

export interface BatchOptions {
  /** Most characters in one request (and in one segment). */
  maxChars: number;
  /** Most segments in one request. Default: unlimited. */
  maxItems?: number;
  /** Language of the texts, for sentence boundaries (Intl.Segmenter). */
  language?: string;
}

/** A literal string kept as is, or the index of a segment to translate. */
export type LayoutPart = string | number;

export interface BatchPlan {
  /** Texts to translate, each at most maxChars. */
  segments: string[];
  /** Per input text, how to rebuild it from literals and translated segments. */
  layouts: LayoutPart[][];
  /** Segment indices per request, in order: every segment exactly once. */
  batches: number[][];
}

export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // a low surrogate belongs to the code point before it
  }
  return n;
}

export function planBatches(texts: readonly string[], opts: BatchOptions): BatchPlan {
  const max = Math.max(1, Math.floor(opts.maxChars));
  const maxItems = Math.max(1, Math.floor(opts.maxItems ?? Number.MAX_SAFE_INTEGER));
  const segments: string[] = [];
  const layouts = texts.map((text) =>
    layoutOf(text, max, opts.language).map((part) => (part.kind === "text" ? segments.push(part.value) - 1 : part.value)));

  const batches: number[][] = [];
  let current: number[] = [];
  let chars = 0;
  segments.forEach((segment, i) => {
    const n = charCount(segment);
    if (current.length > 0 && (chars + n > max || current.length >= maxItems)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(i);
    chars += n;
  });
  if (current.length > 0) batches.push(current);
  return { segments, layouts, batches };
}

/** Rebuild the texts from the plan and the translation of every segment (same indices as plan.segments). */
export function assemble(plan: BatchPlan, translated: readonly string[]): string[] {
  return plan.layouts.map((layout) =>
    layout.map((part) => {
      if (typeof part === "string") return part;
      const t = translated[part];
      if (t === undefined) throw new Error(`segment ${part} has no translation`);
      return t;
    }).join(""));
}

type Part = { kind: "literal"; value: string } | { kind: "text"; value: string };

function layoutOf(text: string, max: number, language: string | undefined): Part[] {
  const parts: Part[] = [];
  const literal = (value: string) => {
    if (value === "") return;
    const last = parts[parts.length - 1];
    if (last?.kind === "literal") last.value += value;
    else parts.push({ kind: "literal", value });
  };
  // Lines (and paragraphs) are never merged: the line breaks stay exactly where they were.
  for (const piece of text.split(/(\s*\n\s*)/)) {
    if (piece === "") continue;
    if (/^\s+$/.test(piece)) { literal(piece); continue; }
    for (const chunk of chunksOf(piece, max, language)) {
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(chunk)!;
      literal(m[1] ?? "");
      if (m[2]) parts.push({ kind: "text", value: m[2] });
      literal(m[3] ?? "");
    }
  }
  return parts;
}

/** Cut one line into chunks of at most `max` characters whose concatenation is the line. */
function chunksOf(line: string, max: number, language: string | undefined): string[] {
  if (charCount(line) <= max) return [line];
  return merge(sentences(line, language), max, (sentence) =>
    merge(sentence.split(/(?<=\s)(?=\S)/), max, (word) => hardCut(word, max)));
}

/** Greedily merge consecutive units into chunks <= max; a unit over max is split by `split`. */
function merge(units: string[], max: number, split: (unit: string) => string[]): string[] {
  const out: string[] = [];
  let current = "";
  let n = 0;
  const flush = () => {
    if (current !== "") out.push(current);
    current = "";
    n = 0;
  };
  for (const unit of units) {
    const u = charCount(unit);
    if (u > max) {
      flush();
      out.push(...split(unit));
      continue;
    }
    // Trailing whitespace does not count against the budget: it becomes a literal.
    if (n + charCount(unit.trimEnd()) > max) flush();
    current += unit;
    n += u;
  }
  flush();
  return out;
}

function sentences(line: string, language: string | undefined): string[] {
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(language && language !== "und" ? language : undefined, { granularity: "sentence" });
  } catch {
    segmenter = new Intl.Segmenter(undefined, { granularity: "sentence" });
  }
  return Array.from(segmenter.segment(line), (s) => s.segment);
}

function hardCut(word: string, max: number): string[] {
  const cps = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += max) out.push(cps.slice(i, i + max).join(""));
  return out;
}
