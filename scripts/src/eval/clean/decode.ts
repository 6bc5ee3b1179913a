/** Decode a page's bytes: BOM, then a valid UTF-8 check, then <meta charset>, then sniffing. */
import chardet from "chardet";

const ALIASES: Record<string, string> = {
  gb2312: "gb18030", gbk: "gb18030", "x-gbk": "gb18030", gb_2312: "gb18030", "gb2312-80": "gb18030", cp936: "gb18030",
  "big5-hkscs": "big5", "x-sjis": "shift_jis", sjis: "shift_jis", "windows-31j": "shift_jis", "ks_c_5601-1987": "euc-kr",
  "iso-8859-1": "windows-1252", latin1: "windows-1252", "us-ascii": "windows-1252", ascii: "windows-1252", cp1251: "windows-1251",
  "utf8": "utf-8", "unicode": "utf-8",
};

function normalizeLabel(label: string): string | undefined {
  const l = label.trim().toLowerCase().replace(/["';]/g, "");
  const mapped = ALIASES[l] ?? l;
  try {
    new TextDecoder(mapped);
    return mapped;
  } catch {
    return undefined;
  }
}

function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 8192));
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head) ?? /<\?xml[^>]+encoding\s*=\s*["']([\w:.-]+)/i.exec(head);
  return m?.[1] ? normalizeLabel(m[1]) : undefined;
}

export interface Decoded {
  text: string;
  charset: string;
  source: "bom" | "utf8-valid" | "meta" | "sniffed" | "default";
}

export function decodeHtml(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), charset: "utf-8", source: "bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), charset: "utf-16le", source: "bom" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), charset: "utf-16be", source: "bom" };
  let hasHigh = false;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) { hasHigh = true; break; }
  if (hasHigh) {
    try {
      // Valid UTF-8 with non-ASCII bytes is almost never an accident, whatever the meta tag says.
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), charset: "utf-8", source: "utf8-valid" };
    } catch {
      /* not UTF-8 */
    }
  }
  const declared = declaredCharset(bytes);
  if (declared && declared !== "utf-8" && declared !== "utf-16le" && declared !== "utf-16be") {
    return { text: new TextDecoder(declared).decode(bytes), charset: declared, source: "meta" };
  }
  if (!hasHigh) return { text: new TextDecoder("utf-8").decode(bytes), charset: "utf-8", source: "default" };
  const guess = chardet.detect(bytes);
  const label = (guess && normalizeLabel(guess)) ?? "windows-1252";
  const cs = label === "utf-8" ? "gb18030" : label;
  return { text: new TextDecoder(cs).decode(bytes), charset: cs, source: "sniffed" };
}
