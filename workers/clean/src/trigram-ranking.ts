/**
 * franc's trigram ranking (francAll with an `only` list), computed the same way on franc's own
 * data, script expressions and trigrams (trigram-utils), two to three times faster: franc looks
 * every trigram of the text up in every candidate's model (31 hash lookups a trigram for Latin
 * text); here each trigram is looked up once in a table that holds its weight in all the
 * candidates' models. The result is identical to francAll's, scores and order (a test compares
 * them on many texts).
 */
import { data } from "franc/data.js";
import { expressions } from "franc/expressions.js";
import { trigrams } from "trigram-utils";

/** franc's constants: the longest sample it reads, and the distance of a trigram a model lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

export type Ranking = [language: string, score: number][];

interface ScriptTable {
  /** Candidate languages of one script, in franc's data order (ties keep this order). */
  langs: string[];
  /** Trigram -> its weight in each candidate's model (index into langs), -1 when absent. */
  weights: Map<string, Int16Array>;
}

/** Tables built on first use, per script and candidate list. */
const tables = new Map<string, ScriptTable>();

function tableFor(script: string, only: readonly string[]): ScriptTable {
  const key = `${script}:${only.join(",")}`;
  let table = tables.get(key);
  if (table) return table;
  const models = data[script] ?? {};
  const langs = Object.keys(models).filter((l) => only.length === 0 || only.includes(l));
  const weights = new Map<string, Int16Array>();
  langs.forEach((lang, i) => {
    const model = (models[lang] ?? "").split("|");
    // franc assigns from the last trigram to the first, so a repeated trigram keeps its first rank.
    for (let w = model.length - 1; w >= 0; w--) {
      const tri = model[w] ?? "";
      let row = weights.get(tri);
      if (!row) weights.set(tri, (row = new Int16Array(langs.length).fill(-1)));
      row[i] = w;
    }
  });
  table = { langs, weights };
  tables.set(key, table);
  return table;
}

/** The script franc would pick: the expression matching the largest share of the text (first wins ties). */
function topScript(value: string): [string | undefined, number] {
  let top: string | undefined;
  let topCount = -1;
  for (const script in expressions) {
    const re = expressions[script];
    if (!re) continue;
    const count = (value.match(re)?.length ?? 0) / value.length || 0;
    if (count > topCount) {
      topCount = count;
      top = script;
    }
  }
  return [top, topCount];
}

/** How often each of franc's trigrams (trigram-utils: cleaned, padded text) occurs. */
function trigramCounts(value: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tri of trigrams(value)) counts.set(tri, (counts.get(tri) ?? 0) + 1);
  return counts;
}

/** francAll(value, { only, minLength }); an empty `only` allows every language of the script. */
export function rankLanguages(text: string, only: readonly string[], minLength = 10): Ranking {
  if (!text || text.length < minLength) return [["und", 1]];
  const value = text.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  if (!script || !(script in data)) {
    // A script with one language (Han for cmn, Hangul for kor, ...).
    if (!script || share === 0 || !(only.length === 0 || only.includes(script))) return [["und", 1]];
    return [[script, 1]];
  }
  const { langs, weights } = tableFor(script, only);
  if (langs.length === 0) return [["und", 1]];
  const distance = new Array<number>(langs.length).fill(0);
  let missing = 0;
  for (const [tri, count] of trigramCounts(value)) {
    const row = weights.get(tri);
    if (!row) {
      missing += MAX_DIFFERENCE;
      continue;
    }
    for (let i = 0; i < row.length; i++) {
      const w = row[i] ?? -1;
      distance[i] = (distance[i] ?? 0) + (w < 0 ? MAX_DIFFERENCE : Math.abs(count - w - 1));
    }
  }
  const ranked: Ranking = langs.map((l, i) => [l, (distance[i] ?? 0) + missing]);
  ranked.sort((a, b) => a[1] - b[1]);
  // franc's normalisation: 1 for the best, falling with the distance relative to the text's length.
  const min = ranked[0]?.[1] ?? 0;
  const max = value.length * MAX_DIFFERENCE - min;
  for (const r of ranked) r[1] = 1 - (r[1] - min) / max || 0;
  return ranked;
}
