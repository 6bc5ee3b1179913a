/**
 * franc's trigram ranking (francAll with an `only` list), computed the same way on franc's own
 * data, script expressions and text cleaning (trigram-utils), several times faster. franc cuts
 * every trigram of the text into a string, counts them in an object, and looks each one up in
 * every candidate's model (31 hash lookups a trigram for Latin text); it picks the script by
 * running 30 regular expressions over the text and counting their matches.
 *
 * Here a trigram is a number (its three UTF-16 code units, see trigramKey), counted in a
 * reusable open-addressing table of numbers, and looked up once in a table that holds its weight
 * in all the candidates' models; the script comes from each code point's cached set of matching
 * expressions. No strings are cut and no Map is consulted per trigram: the Map of trigram strings
 * this replaced cost the clean worker about 0.5 ms a page, and its code kept falling out of
 * optimisation there. The result is identical to francAll's, scores and order (tests compare
 * them on many texts, generated ones included).
 */
import { data } from "franc/data.js";
import { expressions } from "franc/expressions.js";
import { clean } from "trigram-utils";

/** franc's constants: the longest sample it reads, and the distance of a trigram a model lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

export type Ranking = [language: string, score: number][];

/**
 * A trigram as one number: its three UTF-16 code units side by side (48 bits, exact in a double),
 * so equal numbers are equal trigrams.
 */
export function trigramKey(s: string, at: number): number {
  return s.charCodeAt(at) * 4294967296 + s.charCodeAt(at + 1) * 65536 + s.charCodeAt(at + 2);
}

/** Slot of a trigram key in a power-of-two table of `mask + 1` slots (mixes all 48 bits). */
function slotOf(key: number, mask: number): number {
  const high = Math.floor(key / 4294967296);
  let h = Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul(high, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & mask;
}

/** Marks an empty slot (keys are never negative). */
const EMPTY = -1;

/** Empty slots for at least `capacity` keys: a power of two, so the table is at most half full. */
function emptySlots(capacity: number): Float64Array {
  let slots = 16;
  while (slots < capacity * 2) slots *= 2;
  return new Float64Array(slots).fill(EMPTY);
}

/** Where `key` is in an open-addressing table of keys, or the empty slot where it would go. */
function findSlot(keys: Float64Array, key: number): number {
  const mask = keys.length - 1;
  let slot = slotOf(key, mask);
  for (;;) {
    const k = keys[slot]!;
    if (k === key || k === EMPTY) return slot;
    slot = (slot + 1) & mask;
  }
}

/** Trigram keys with their counts: an open-addressing table reused from call to call. */
class KeyCounts {
  private keys: Float64Array;
  private counts: Int32Array;
  /** Slots in use, in order of first use, so a reset clears only those. */
  private used: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = emptySlots(capacity);
    this.counts = new Int32Array(this.keys.length);
    this.used = new Int32Array(capacity);
  }

  /** Empty, with room for `capacity` distinct keys (the table is at most half full). */
  resetFor(capacity: number): KeyCounts {
    if (capacity > this.used.length) return new KeyCounts(capacity);
    for (let i = 0; i < this.size; i++) this.keys[this.used[i]!] = EMPTY;
    this.size = 0;
    return this;
  }

  add(key: number): void {
    const slot = findSlot(this.keys, key);
    if (this.keys[slot] === key) {
      this.counts[slot]!++;
      return;
    }
    this.keys[slot] = key;
    this.counts[slot] = 1;
    this.used[this.size++] = slot;
  }

  keyAt(i: number): number {
    return this.keys[this.used[i]!]!;
  }

  countAt(i: number): number {
    return this.counts[this.used[i]!]!;
  }
}

/**
 * The table reused from call to call. franc reads at most MAX_LENGTH code units, but cleaning
 * lower-cases, which can lengthen a text (İ becomes i and a combining dot): it grows when needed.
 */
let textCounts = new KeyCounts(MAX_LENGTH + 2);

/**
 * franc's trigrams of a text (trigram-utils: cleaned, padded with a space each side, every run of
 * three code units), counted. Returns the shared table: read it before the next call.
 */
function countTrigrams(value: string): KeyCounts {
  const padded = " " + clean(value) + " ";
  textCounts = textCounts.resetFor(padded.length);
  // trigramKey at every position, rolling the units along (calling trigramKey here measured
  // several times slower: V8 did not inline it, and each call returned a boxed double).
  let a = padded.charCodeAt(0);
  let b = padded.charCodeAt(1);
  for (let i = 2; i < padded.length; i++) {
    const c = padded.charCodeAt(i);
    textCounts.add(a * 4294967296 + b * 65536 + c);
    a = b;
    b = c;
  }
  return textCounts;
}

/** Each distinct trigram of a text with its count (franc's asTuples, as keys), for tests. */
export function trigramCounts(value: string): Map<number, number> {
  const counts = countTrigrams(value);
  const out = new Map<number, number>();
  for (let i = 0; i < counts.size; i++) out.set(counts.keyAt(i), counts.countAt(i));
  return out;
}

interface ScriptTable {
  /** Candidate languages of one script, in franc's data order (ties keep this order). */
  langs: string[];
  /** Open-addressing slots: the models' trigram keys (EMPTY where none)... */
  slotKeys: Float64Array;
  /** ...and where each one's row starts in `weights`. */
  slotRows: Int32Array;
  /** A row per trigram: its weight in each candidate's model (index into langs), -1 when absent. */
  weights: Int16Array;
}

/** Tables built on first use, per script and candidate list. */
const tables = new Map<string, ScriptTable>();

function tableFor(script: string, only: readonly string[]): ScriptTable {
  const key = `${script}:${only.join(",")}`;
  let table = tables.get(key);
  if (table) return table;
  const models = data[script] ?? {};
  const langs = Object.keys(models).filter((l) => only.length === 0 || only.includes(l));
  const rows = new Map<number, Int16Array>();
  langs.forEach((lang, i) => {
    const model = (models[lang] ?? "").split("|");
    // franc assigns from the last trigram to the first, so a repeated trigram keeps its first rank.
    for (let w = model.length - 1; w >= 0; w--) {
      const tri = model[w] ?? "";
      // A text's trigrams are three code units each: a model entry of another length never matches.
      if (tri.length !== 3) continue;
      const k = trigramKey(tri, 0);
      let row = rows.get(k);
      if (!row) rows.set(k, (row = new Int16Array(langs.length).fill(-1)));
      row[i] = w;
    }
  });
  const slotKeys = emptySlots(rows.size);
  const slotRows = new Int32Array(slotKeys.length);
  const weights = new Int16Array(rows.size * langs.length);
  let at = 0;
  for (const [k, row] of rows) {
    const slot = findSlot(slotKeys, k);
    slotKeys[slot] = k;
    slotRows[slot] = at;
    weights.set(row, at);
    at += langs.length;
  }
  table = { langs, slotKeys, slotRows, weights };
  tables.set(key, table);
  return table;
}

/** Where a trigram's row starts in the table's weights, or -1 when no candidate's model has it. */
function rowOf(table: ScriptTable, key: number): number {
  const slot = findSlot(table.slotKeys, key);
  return table.slotKeys[slot] === key ? table.slotRows[slot]! : -1;
}

const SCRIPTS = Object.keys(expressions);
// A code point's scripts are bits of a 32-bit integer (franc 6 has 30 expressions).
if (SCRIPTS.length > 30) throw new Error(`trigram-ranking: ${SCRIPTS.length} script expressions, at most 30 fit`);
/** Each expression, anchored and non-global, to test one code point at a time. */
const SCRIPT_TESTS = SCRIPTS.map((s) => new RegExp(`^(?:${expressions[s]!.source})$`));

/** Per BMP code unit: 1 + a bit per script whose expression matches it (0: not yet known). */
const BMP_SCRIPTS = new Int32Array(65536);
const ASTRAL_SCRIPTS = new Map<number, number>();

/** Bit i set when SCRIPTS[i]'s expression matches all of `ch` (a code point: one or two units). */
export function scriptBits(ch: string): number {
  let bits = 0;
  for (let i = 0; i < SCRIPT_TESTS.length; i++) if (SCRIPT_TESTS[i]!.test(ch)) bits |= 1 << i;
  return bits;
}

/**
 * The script franc would pick: the expression matching the largest share of the text (first wins
 * ties). franc counts each expression's matches; every expression matches one code point at a
 * time (a class of BMP characters, or a surrogate pair), so a match count is the number of code
 * points in that expression's set.
 */
function topScript(value: string): [string | undefined, number] {
  const counts = new Float64Array(SCRIPTS.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let bits: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = value.codePointAt(i)!;
      let known = ASTRAL_SCRIPTS.get(cp);
      if (known === undefined) {
        known = scriptBits(String.fromCodePoint(cp));
        if (ASTRAL_SCRIPTS.size < 100_000) ASTRAL_SCRIPTS.set(cp, known);
      }
      bits = known;
      i++;
    } else {
      let known = BMP_SCRIPTS[c]!;
      if (known === 0) BMP_SCRIPTS[c] = known = 1 + scriptBits(String.fromCharCode(c));
      bits = known - 1;
    }
    for (let s = 0; bits !== 0; s++, bits >>>= 1) if (bits & 1) counts[s]!++;
  }
  let top: string | undefined;
  let topCount = -1;
  for (let s = 0; s < SCRIPTS.length; s++) {
    const share = counts[s]! / value.length || 0;
    if (share > topCount) {
      topCount = share;
      top = SCRIPTS[s];
    }
  }
  return [top, topCount];
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
  const table = tableFor(script, only);
  const { langs, weights } = table;
  const n = langs.length;
  if (n === 0) return [["und", 1]];
  const distance = new Float64Array(n);
  let missing = 0;
  const counts = countTrigrams(value);
  for (let t = 0; t < counts.size; t++) {
    const row = rowOf(table, counts.keyAt(t));
    if (row < 0) {
      missing += MAX_DIFFERENCE;
      continue;
    }
    const count = counts.countAt(t);
    for (let l = 0; l < n; l++) {
      const w = weights[row + l]!;
      distance[l] = distance[l]! + (w < 0 ? MAX_DIFFERENCE : Math.abs(count - w - 1));
    }
  }
  const ranked: Ranking = langs.map((l, i) => [l, distance[i]! + missing]);
  ranked.sort((a, b) => a[1] - b[1]);
  // franc's normalisation: 1 for the best, falling with the distance relative to the text's length.
  const min = ranked[0]?.[1] ?? 0;
  const max = value.length * MAX_DIFFERENCE - min;
  for (const r of ranked) r[1] = 1 - (r[1] - min) / max || 0;
  return ranked;
}
