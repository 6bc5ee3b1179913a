/**
 * Mojibake repair: text whose bytes were once read in the wrong charset and written out again as
 * UTF-8, perhaps more than once. "北京" stored as GBK, read as latin-1 and saved as UTF-8 reads
 * "±±¾©"; saved through latin-1 a second time it reads "Â±Â±Â¾Â©". UTF-8 read as windows-1252
 * ("CafÃ© for Café") is the everyday case. The bytes are valid UTF-8, so the charset decision
 * (charset.ts) accepts them; only the text shows what happened.
 *
 * The repair undoes one layer at a time: each character goes back to the byte a single-byte
 * charset (windows-1252, ISO-8859-1 or ISO-8859-15) gives it, and the bytes are read as UTF-8 again
 * while they are valid UTF-8. What is left at the bottom, when a multi-byte legacy charset is
 * declared (GBK, Big5, Shift_JIS, EUC-*), is read in that charset. It acts only on text that
 * carries the signature of the mistake: most of its non-ASCII characters in pairs and triples that
 * spell a UTF-8 sequence in latin-1 ("Ã©", "Â±", "æ°"). Real latin-1 text (French, German,
 * Portuguese "SÃO") does not look like that, and it is left as it is.
 */
import { Buffer, isUtf8 } from "node:buffer";
import chardet from "chardet";

/** The most layers the repair undoes (each one a read in the wrong charset and a save as UTF-8). */
export const MAX_LAYERS = 3;

/**
 * Share of the non-ASCII characters that must sit in UTF-8-shaped runs for the text to count as
 * mojibake. Real text in a latin script puts an accented letter next to a symbol from the
 * U+0080-U+00BF row only by accident; mojibake does it for nearly every character.
 */
export const SIGNATURE_SHARE = 0.6;

/** Fewest UTF-8-shaped runs before the repair is tried at all (a stray "Ã©" is not a page). */
export const MIN_SIGNATURE_RUNS = 8;

/**
 * Least chardet confidence (0-100) that the bottom layer's bytes are in the declared multi-byte
 * charset: decoding without errors alone proves little when the charset takes most byte pairs.
 */
export const MIN_BOTTOM_CONFIDENCE = 50;

/** Byte tables of the single-byte charsets a layer may have been read in: char -> byte. */
const SINGLE_BYTE = ["windows-1252", "iso-8859-15", "latin1-strict"] as const;
type SingleByte = (typeof SINGLE_BYTE)[number];

function buildTable(name: SingleByte): Map<number, number> {
  const table = new Map<number, number>();
  if (name === "latin1-strict") {
    // Byte n is U+00nn: what a hand-made "decode as latin-1" (not the WHATWG one) does.
    for (let b = 0x80; b <= 0xff; b++) table.set(b, b);
    return table;
  }
  const dec = new TextDecoder(name);
  for (let b = 0x80; b <= 0xff; b++) {
    const c = dec.decode(Uint8Array.of(b)).codePointAt(0)!;
    if (!table.has(c)) table.set(c, b);
  }
  return table;
}

const TABLES = new Map<SingleByte, Map<number, number>>(SINGLE_BYTE.map((n) => [n, buildTable(n)]));

/** Every character some single-byte table gives a byte to. */
const LATIN_REPERTOIRE = new Set<number>([...TABLES.values()].flatMap((t) => [...t.keys()]));

/** The text as bytes of a single-byte charset, or undefined when a character has no byte there. */
function toSingleBytes(text: string, table: Map<number, number>): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[i] = c;
      continue;
    }
    const b = table.get(c);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

/** A UTF-8 lead byte's character followed by its continuation bytes' characters, as latin-1/cp1252 shows them. */
const UTF8_SHAPED = /[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|[\u00e0-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2}/gu;

/** The same, for a yes/no scan (no global flag: no lastIndex to carry into the next scan). */
const UTF8_SHAPED_ONE = new RegExp(UTF8_SHAPED.source, "u");

/** Non-ASCII characters in the text, and how many of them sit in UTF-8-shaped runs. */
export function mojibakeSignature(text: string): { nonAscii: number; inRuns: number; runs: number } {
  const nonAscii = countNonAscii(text);
  let inRuns = 0;
  let runs = 0;
  if (nonAscii > 0) {
    for (const m of text.matchAll(UTF8_SHAPED)) {
      runs++;
      inRuns += m[0].length;
    }
  }
  return { nonAscii, inRuns, runs };
}

/** Whether the text looks like UTF-8 (or legacy multi-byte) bytes shown through a single-byte charset. */
export function looksLikeMojibake(text: string): boolean {
  // Most pages have no such run at all: one regex scan says so before any counting.
  if (!UTF8_SHAPED_ONE.test(text)) return false;
  const s = mojibakeSignature(text);
  return s.runs >= MIN_SIGNATURE_RUNS && s.inRuns >= s.nonAscii * SIGNATURE_SHARE;
}

/** UTF-8 lead bytes of the characters that may follow a run's first character in UTF8_SHAPED. */
const SHAPED_SECOND_LEAD = new Set([0xc2, 0xc5, 0xc6, 0xcb, 0xe2]);

/**
 * Whether valid UTF-8 bytes may decode to text that looksLikeMojibake, told from the bytes alone
 * (so a page that cannot be mojibake need not be decoded to find out). Every UTF8_SHAPED run
 * starts with a character U+00C2-U+00EF, in UTF-8 the bytes C3 82-AF, followed by a character
 * whose UTF-8 lead byte is C2 (U+0080-U+00BF), C5, C6, CB (the cp1252 letters and accents) or E2
 * (the cp1252 punctuation). Fewer than MIN_SIGNATURE_RUNS such byte triples: fewer runs than
 * looksLikeMojibake asks for. More: maybe (the text decides).
 */
export function mayHoldMojibake(bytes: Uint8Array): boolean {
  let triples = 0;
  for (let i = bytes.indexOf(0xc3); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xc3, i + 1)) {
    const second = bytes[i + 1] as number;
    if (second >= 0x82 && second <= 0xaf && SHAPED_SECOND_LEAD.has(bytes[i + 2] as number) && ++triples >= MIN_SIGNATURE_RUNS) return true;
  }
  return false;
}

/** Fewest non-ASCII characters for a page in latin-1 letters under a CJK declaration to be looked at. */
export const MIN_LATIN_UNDER_CJK = 32;

/**
 * The other signature, one layer deep: a page that declares a multi-byte CJK charset and whose
 * non-ASCII characters all come from a single-byte charset's upper half ("±±¾©" for "北京"):
 * GBK, Big5 or Shift_JIS bytes read as latin-1 and saved as UTF-8.
 */
function latinUnderCjkDeclaration(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c > 0x2122 || !LATIN_REPERTOIRE.has(c)) return false;
    n++;
  }
  return n >= MIN_LATIN_UNDER_CJK;
}

const MULTIBYTE_LEGACY = new Set(["gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr"]);

export interface Repair {
  text: string;
  /** Layers undone: single-byte charsets read by mistake, outermost first, then the charset of the bottom layer. */
  layers: string[];
}

function countReplacement(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) n++;
  return n;
}

function countNonAscii(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) n++;
  return n;
}

/** chardet's confidence (0-100) that the bytes are in `encoding`. */
function confidence(bytes: Uint8Array, encoding: string): number {
  const sample = bytes.length > 65536 ? bytes.subarray(0, 65536) : bytes;
  for (const m of chardet.analyse(sample)) {
    const name = m.name.toLowerCase();
    if (name === encoding || (encoding === "gbk" && name === "gb18030") || (encoding === "shift_jis" && name === "shift_jis")) return m.confidence;
  }
  return 0;
}

/**
 * Undo mis-decoding layers of `text`. `declared` is the multi-byte legacy charset the page
 * declares, if any (WHATWG name): the charset of the bottom layer. Returns undefined when the text
 * shows no sign of mojibake or no repair reads clean.
 */
export function repairMojibake(text: string, declared?: string): Repair | undefined {
  const bottom = declared && MULTIBYTE_LEGACY.has(declared) ? declared : undefined;
  if (!looksLikeMojibake(text) && !(bottom && latinUnderCjkDeclaration(text))) return undefined;
  let current = text;
  const layers: string[] = [];
  for (let depth = 0; depth < MAX_LAYERS; depth++) {
    // One layer: the single-byte charset whose bytes are UTF-8 again.
    let next: string | undefined;
    for (const name of SINGLE_BYTE) {
      const bytes = toSingleBytes(current, TABLES.get(name)!);
      if (bytes && isUtf8(bytes)) {
        const decoded = Buffer.from(bytes).toString("utf8");
        // Only a layer that joins bytes into characters is one (pure ASCII reads the same).
        if (decoded.length >= current.length) break;
        next = decoded;
        layers.push(name);
        break;
      }
    }
    if (next === undefined) break;
    current = next;
  }
  // The bottom layer in a declared multi-byte charset: the byte table chardet finds most plausible.
  if (bottom) {
    let best: { text: string; name: SingleByte; errors: number; conf: number } | undefined;
    for (const name of SINGLE_BYTE) {
      const bytes = toSingleBytes(current, TABLES.get(name)!);
      if (!bytes || isUtf8(bytes)) continue;
      const decoded = new TextDecoder(bottom).decode(bytes);
      const errors = countReplacement(decoded);
      const conf = confidence(bytes, bottom);
      if (!best || errors < best.errors || (errors === best.errors && conf > best.conf)) best = { text: decoded, name, errors, conf };
    }
    // Clean (a stray bad byte allowed, as charset.ts allows) and statistically the charset's text.
    if (best && best.errors <= Math.max(1, Math.floor(countNonAscii(current) * 0.005)) && best.conf >= MIN_BOTTOM_CONFIDENCE) {
      layers.push(best.name, bottom);
      current = best.text;
    }
  }
  if (layers.length === 0 || looksLikeMojibake(current)) return undefined;
  return { text: current, layers };
}
