/**
 * The Scrapinghub article-extraction-benchmark metric: 4-token shingles, tokens are \w+ runs
 * except that each CJK ideograph, kana and hangul syllable is a token; per page TP/FP/FN
 * normalised by their sum; precision = mean over pages with a prediction, recall = mean over
 * pages with truth; F1 = harmonic mean of the means; both empty = 1.
 */
const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2fa1f}";
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}_])+`, "gu");

export function metricTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function shingles(text: string, n = 4): Map<string, number> {
  const toks = metricTokens(text);
  const out = new Map<string, number>();
  const count = Math.max(1, toks.length - n + 1);
  for (let i = 0; i < count; i++) {
    const s = toks.slice(i, i + n).join(" ");
    if (s) out.set(s, (out.get(s) ?? 0) + 1);
  }
  return out;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** undefined when the page has no prediction (and truth is non-empty) */
  precision?: number;
  /** undefined when the page has no truth (and prediction is non-empty) */
  recall?: number;
}

export function scorePage(truth: string, pred: string): PageScore {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [s, c] of p) {
    const tc = t.get(s) ?? 0;
    tp += Math.min(c, tc);
    fp += Math.max(0, c - tc);
  }
  for (const [s, c] of t) fn += Math.max(0, c - (p.get(s) ?? 0));
  const sum = tp + fp + fn;
  if (sum === 0) return { tp: 0, fp: 0, fn: 0, precision: 1, recall: 1 };
  const ntp = tp / sum;
  const nfp = fp / sum;
  const nfn = fn / sum;
  return {
    tp: ntp,
    fp: nfp,
    fn: nfn,
    precision: ntp + nfp > 0 ? ntp / (ntp + nfp) : undefined,
    recall: ntp + nfn > 0 ? ntp / (ntp + nfn) : undefined,
  };
}

export interface Aggregate {
  n: number;
  precision: number;
  recall: number;
  f1: number;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function aggregate(scores: readonly PageScore[]): Aggregate {
  const p = mean(scores.flatMap((s) => (s.precision === undefined ? [] : [s.precision])));
  const r = mean(scores.flatMap((s) => (s.recall === undefined ? [] : [s.recall])));
  return { n: scores.length, precision: p, recall: r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}
