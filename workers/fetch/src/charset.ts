/**
 * Charset decision and decoding. Pure: bytes (+ optional Content-Type header) in, text out.
 *
 * Order: BOM (unambiguous, wins), HTTP header charset, <meta charset> / <meta http-equiv> /
 * <?xml encoding?> in the first 4 KiB, then sniffing (chardet) — and the bytes get a veto:
 * - a declared legacy charset on bytes that are valid UTF-8 with non-ASCII -> "utf-8" (sniffed);
 * - a declaration whose decoding is full of errors (e.g. header "utf-8" on Shift_JIS bytes) -> the
 *   next declaration, else the sniffed charset if it decodes clean;
 * - a header saying latin-1/windows-1252 (a common server default, and a charset every byte
 *   decodes in): a differing <meta> that decodes clean wins; without one, a CJK multi-byte
 *   charset chardet is sure of (confidence >= 50) that decodes clean wins ("sniffed");
 * - nothing declared: pure ASCII -> utf-8 ("default"), valid UTF-8 -> utf-8 ("sniffed"), else
 *   chardet's best candidate that decodes clean, else windows-1252 ("default").
 * Valid UTF-8 whose text is mojibake (legacy text read in a single-byte charset and saved as UTF-8,
 * once or more) is repaired: see mojibake.ts.
 * Labels are resolved the WHATWG way (TextDecoder): "gb2312" -> "gbk", "latin1" -> "windows-1252",
 * "x-sjis" -> "shift_jis", ...
 */
import { Buffer, isAscii, isUtf8 } from "node:buffer";
import chardet from "chardet";
import { mayHoldMojibake, repairMojibake } from "./mojibake.ts";

export type CharsetSource = "header" | "bom" | "meta" | "sniffed" | "default";

export interface DecodedBody {
  /** The text. Where `utf8` is set, decoded from it the first time it is read. */
  readonly text: string;
  /**
   * WHATWG encoding name the text was decoded with ("utf-8", "gbk", "shift_jis", ...). For a
   * repaired body, the charset of its bottom layer (what the page was written in).
   */
  charset: string;
  charset_source: CharsetSource;
  /** Mis-decoding layers undone (mojibake.ts), outermost first: absent on a body read as it came. */
  repaired?: string[];
  /**
   * The body's own bytes, when they are exactly `text` in UTF-8 (valid UTF-8, no BOM, nothing to
   * repair): the common case. Whoever needs the text as UTF-8 (to store or send it) takes these
   * instead of encoding it again, and a page whose text nobody reads is never decoded at all.
   */
  utf8?: Uint8Array;
}

/** Resolve a charset label to its WHATWG encoding name, or undefined when unknown. */
export function resolveCharsetLabel(label: string | undefined | null): string | undefined {
  if (!label) return undefined;
  const l = label.trim().replace(/^["']|["']$/g, "").toLowerCase();
  if (!l) return undefined;
  try {
    const enc = new TextDecoder(l).encoding;
    // "replacement" (iso-2022-kr, hz-gb-2312 ...) would decode to one U+FFFD: treat as unknown.
    return enc === "replacement" ? undefined : enc;
  } catch {
    return undefined;
  }
}

/** The charset parameter of a Content-Type header value. */
export function charsetFromContentType(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(header);
  return m?.[2];
}

/** Charset from a BOM: [encoding, BOM length]. */
export function sniffBom(bytes: Uint8Array): [string, number] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return ["utf-8", 3];
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return ["utf-16be", 2];
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return ["utf-16le", 2];
  return undefined;
}

export const META_PRESCAN_BYTES = 4096;

/**
 * Charset declared inside the document's first `META_PRESCAN_BYTES`:
 * <meta charset=...>, <meta http-equiv="Content-Type" content="...; charset=...">, or the XML
 * declaration's encoding. Comments are skipped. Returns the raw label.
 */
export function sniffMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, META_PRESCAN_BYTES)).toString("latin1");
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const scan = head.replace(/<!--[\s\S]*?(-->|$)/g, " ");
  const metaRe = /<meta\b([^>]*)>?/gi;
  let m: RegExpExecArray | null;
  while ((m = metaRe.exec(scan)) !== null) {
    const attrs = m[1] ?? "";
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(attrs);
    if (direct && !/\bcontent\s*=/i.test(attrs.slice(0, direct.index))) return direct[1];
    if (/\bhttp-equiv\s*=\s*["']?\s*content-type/i.test(attrs)) {
      const content = /\bcontent\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
      const value = content?.[2] ?? content?.[3] ?? content?.[4];
      const cs = charsetFromContentType(value ? `x;${value.replace(/^[^;]*;?/, "")}` : undefined);
      if (cs) return cs;
    }
    if (direct) return direct[1];
  }
  return xml?.[1];
}

/** Bytes >= 0x80 (decodeBody calls it only once isAscii has said there are some). */
function countNonAscii(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) n++;
  return n;
}

/**
 * Whether bytes are UTF-8: "valid" throughout, "cut" (valid but for a character cut off at the
 * end, as a truncated body is), or "invalid". isUtf8 (simdutf) validates without building a
 * string; a fatal TextDecoder took as long as a decode.
 */
function utf8Validity(bytes: Uint8Array): "valid" | "cut" | "invalid" {
  if (isUtf8(bytes)) return "valid";
  return bytes.length > 4 && isUtf8(bytes.subarray(0, trimPartialUtf8(bytes))) ? "cut" : "invalid";
}

/**
 * Valid UTF-8 that cannot be mojibake (mayHoldMojibake) is its own text: the bytes are kept as
 * `utf8`, and the text is decoded only when first read. Anything else is decoded now (utf8Result).
 */
function keptUtf8(bytes: Uint8Array, validity: "valid" | "cut", source: CharsetSource): DecodedBody {
  if (validity === "cut" || mayHoldMojibake(bytes)) return utf8Result(bytes, decodeValidUtf8(bytes), source);
  let text: string | undefined;
  return {
    get text() {
      return (text ??= decodeValidUtf8(bytes).text);
    },
    charset: "utf-8",
    charset_source: source,
    utf8: bytes,
  };
}

/** The first `n` UTF-16 units of a body's text, decoding no more of kept `utf8` bytes than that takes. */
export function textHead(body: DecodedBody, n: number): string {
  const bytes = body.utf8;
  // A UTF-16 unit takes at most 3 UTF-8 bytes (a 4-byte character is 2 units); 3 more cover a cut character.
  if (!bytes || bytes.length <= 3 * n + 3) return body.text.slice(0, n);
  return decodeValidUtf8(bytes.subarray(0, 3 * n + 3)).text.slice(0, n);
}

/**
 * The UTF-16 length (String.length) of the text that valid UTF-8 bytes encode, without decoding
 * them; the count stops as soon as it passes `cap` (then any result above `cap` means "longer").
 */
export function utf16LengthOfUtf8(bytes: Uint8Array, cap = Infinity): number {
  let units = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    // A lead byte starts a character; a 4-byte one is a surrogate pair in UTF-16.
    if ((b & 0xc0) !== 0x80 && (units += b >= 0xf0 ? 2 : 1) > cap) break;
  }
  return units;
}

/** Bytes known to be valid UTF-8 (but for a cut last character) as text: Buffer's decoder, no error scan needed. */
function decodeValidUtf8(bytes: Uint8Array): Trial {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  // A cut last character decodes to one U+FFFD at the very end.
  return { text, errors: text.endsWith("\ufffd") ? 1 : 0 };
}

function trimPartialUtf8(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i] as number;
    if ((b & 0xc0) === 0xc0) return end - i; // lead byte of a cut sequence
    if ((b & 0xc0) !== 0x80) break;
  }
  return end;
}

interface Trial {
  text: string;
  errors: number;
}

function decodeWith(encoding: string, bytes: Uint8Array): Trial {
  const text = new TextDecoder(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
  let errors = 0;
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) errors++;
  return { text, errors };
}

/** Few enough decoding errors to call the decoding right (allows a stray bad byte or a cut tail). */
function clean(trial: Trial, nonAscii: number): boolean {
  return trial.errors <= Math.max(1, Math.floor(nonAscii * 0.005));
}

const MULTIBYTE = new Set(["gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr", "iso-2022-jp"]);

/** chardet name -> WHATWG encoding name (only ones TextDecoder can decode). */
function chardetToWhatwg(name: string): string | undefined {
  switch (name) {
    case "ASCII":
      return "utf-8";
    case "ISO-8859-1":
      return "windows-1252";
    case "ISO-8859-9":
      return "windows-1254";
    case "UTF-32":
    case "UTF-32BE":
    case "UTF-32LE":
    case "mbcs":
    case "sbcs":
    case "ISO_2022":
    case "ISO-2022-CN":
    case "ISO-2022-KR":
      return undefined;
    default:
      return resolveCharsetLabel(name);
  }
}

const SNIFF_SAMPLE = 64 * 1024;

interface Sniffed {
  encoding: string;
  confidence: number;
  trial: Trial;
}

/** chardet's candidates, best first, that decode the bytes clean. */
function sniff(bytes: Uint8Array, nonAscii: number, exclude?: string): Sniffed | undefined {
  const sample = bytes.length > SNIFF_SAMPLE ? bytes.subarray(0, SNIFF_SAMPLE) : bytes;
  let matches: Array<{ name: string; confidence: number }>;
  try {
    matches = chardet.analyse(sample);
  } catch {
    return undefined;
  }
  const tried = new Set<string>();
  for (const m of matches) {
    const enc = chardetToWhatwg(m.name);
    if (!enc || tried.has(enc) || enc === exclude) continue;
    tried.add(enc);
    if (enc === "utf-8" && nonAscii > 0) continue; // already known not to be valid UTF-8
    if (m.confidence < 10) break;
    const trial = decodeWith(enc, bytes);
    if (clean(trial, nonAscii)) return { encoding: enc, confidence: m.confidence, trial };
  }
  return undefined;
}

function result(trial: Trial, charset: string, source: CharsetSource): DecodedBody {
  return { text: trial.text.charCodeAt(0) === 0xfeff ? trial.text.slice(1) : trial.text, charset, charset_source: source };
}

/**
 * A body read as UTF-8, with any mojibake under it undone (mojibake.ts). `legacy` is a declared
 * non-UTF-8 charset: the one a repair reads the bottom layer in. The repair is looked for only
 * when the bytes hold 0xC3, the UTF-8 lead byte of every character that starts a mojibake run
 * (U+00C2-U+00EF): one memchr on pages that have none, CJK and Cyrillic pages among them.
 */
function utf8Result(bytes: Uint8Array, trial: Trial, source: CharsetSource, legacy?: string): DecodedBody {
  const plain = result(trial, "utf-8", source);
  if (bytes.indexOf(0xc3) < 0) return plain;
  const fixed = repairMojibake(plain.text, legacy);
  if (!fixed) return plain;
  const bottom = fixed.layers.at(-1)!;
  return { text: fixed.text, charset: bottom === legacy ? bottom : "utf-8", charset_source: source, repaired: fixed.layers };
}

/**
 * Decide the charset of a body and decode it. `contentTypeHeader` is the HTTP Content-Type value
 * (its charset parameter is the "header" declaration); omit it for local files.
 */
export function decodeBody(bytes: Uint8Array, contentTypeHeader?: string): DecodedBody {
  const bom = sniffBom(bytes);
  if (bom) {
    const [enc, len] = bom;
    return { text: new TextDecoder(enc, { ignoreBOM: true }).decode(bytes.subarray(len)), charset: enc, charset_source: "bom" };
  }
  const asciiOnly = isAscii(bytes);
  const header = resolveCharsetLabel(charsetFromContentType(contentTypeHeader));
  let meta = resolveCharsetLabel(sniffMetaCharset(bytes));
  // WHATWG: a meta declaring UTF-16 on bytes that are not UTF-16 means UTF-8; x-user-defined -> windows-1252.
  if (meta === "utf-16le" || meta === "utf-16be") meta = "utf-8";
  if (meta === "x-user-defined") meta = "windows-1252";

  const declared: Array<[string, CharsetSource]> = [];
  if (header) declared.push([header, "header"]);
  if (meta && meta !== header) declared.push([meta, "meta"]);

  if (asciiOnly) {
    const first = declared[0];
    // ASCII bytes read the same in every ASCII-compatible charset; keep the declaration.
    // (latin1 here is byte -> same code point: exact for ASCII, and the cheapest decoder there is.)
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    if (first && !first[0].startsWith("utf-16")) return { text, charset: first[0], charset_source: first[1] };
    return { text, charset: "utf-8", charset_source: "default" };
  }

  const validity = utf8Validity(bytes);
  const validUtf8 = validity !== "invalid";
  // The common case, valid UTF-8 declared as such (or not declared): one validation, the bytes kept.
  const first0 = declared[0];
  if (validUtf8 && (!first0 || first0[0] === "utf-8")) return keptUtf8(bytes, validity, first0 ? first0[1] : "sniffed");
  const nonAscii = countNonAscii(bytes);
  // UTF-8 with a stray bad byte or two is still UTF-8 (a single-byte charset would "decode" it
  // without errors and garble every other character).
  const utf8Trial = validUtf8 ? undefined : decodeWith("utf-8", bytes);
  const mostlyUtf8 = validUtf8 || (utf8Trial !== undefined && clean(utf8Trial, nonAscii) && nonAscii >= 16);

  if (declared.length > 0) {
    const [first, firstSource] = declared[0] as [string, CharsetSource];
    if (first === "utf-8") {
      if (mostlyUtf8) return utf8Result(bytes, utf8Trial ?? decodeValidUtf8(bytes), firstSource);
    } else if (validUtf8 && !first.startsWith("utf-16")) {
      // Legacy declaration over bytes that are valid UTF-8: the declaration is stale, or the
      // legacy text under a layer or two of mojibake.
      return utf8Result(bytes, decodeValidUtf8(bytes), "sniffed", first);
    }
    // Try the declarations in order; the first that decodes clean wins, with one exception:
    // a latin-1 style header over bytes chardet is sure are CJK.
    for (const [enc, source] of declared) {
      if (enc === "utf-8" && !mostlyUtf8) continue;
      const trial = decodeWith(enc, bytes);
      if (!clean(trial, nonAscii)) continue;
      if (source === "header" && enc === "windows-1252") {
        // windows-1252 decodes any byte, so "clean" proves nothing: a page's own <meta> beats a
        // server default, and without one chardet may overrule it for a confident CJK guess.
        const metaDecl = declared[1];
        if (metaDecl) {
          const t = decodeWith(metaDecl[0], bytes);
          if (clean(t, nonAscii)) return result(t, metaDecl[0], "meta");
        } else {
          const s = sniff(bytes, nonAscii, enc);
          if (s && MULTIBYTE.has(s.encoding) && s.confidence >= 50) return result(s.trial, s.encoding, "sniffed");
        }
      }
      return result(trial, enc, source);
    }
    const s = sniff(bytes, nonAscii);
    if (s) return result(s.trial, s.encoding, "sniffed");
    // Nothing decodes clean: keep the first declaration (errors become U+FFFD).
    return result(decodeWith(first, bytes), first, firstSource);
  }

  if (mostlyUtf8) return utf8Result(bytes, utf8Trial ?? decodeValidUtf8(bytes), "sniffed");
  const s = sniff(bytes, nonAscii);
  if (s) return result(s.trial, s.encoding, "sniffed");
  return result(decodeWith("windows-1252", bytes), "windows-1252", "default");
}
