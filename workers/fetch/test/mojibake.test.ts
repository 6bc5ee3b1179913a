import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { decodeBody } from "../src/index.ts";
import { looksLikeMojibake, mayHoldMojibake, MIN_SIGNATURE_RUNS, repairMojibake } from "../src/mojibake.ts";

const ZH = "北京市消防局确认，今天下午西直门附近的购物中心发生火灾，现场无人员伤亡。记者在现场看到，周边交通已恢复正常。";
const EN = "When you’re opening a business — and it’s your first — you’ll want to know what the state’s “filing fee” is, and whether it’s worth it.";
const FR = "Ça coûte très cher, où est le café ? L’élève, le garçon naïf, à côté de la fenêtre, a dû réfléchir.";

/**
 * Bytes read in a single-byte charset and saved as UTF-8: one layer of mojibake. "latin1" is byte n
 * -> U+00nn (Buffer's latin1); other names are read the WHATWG way, as browsers and Node do.
 */
const layer = (bytes: Uint8Array, readAs: string): Uint8Array => {
  const read = readAs === "latin1" ? Buffer.from(bytes).toString("latin1") : new TextDecoder(readAs).decode(bytes);
  return new Uint8Array(Buffer.from(read, "utf8"));
};
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));
const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

describe("repairMojibake", () => {
  it.each([
    // name, mojibake text, declared charset, expected text, expected layers
    ["UTF-8 read as windows-1252", text(layer(utf8(EN), "windows-1252")), undefined, EN, ["windows-1252"]],
    ["UTF-8 read as windows-1252 twice", text(layer(layer(utf8(EN), "windows-1252"), "windows-1252")), undefined, EN, ["windows-1252", "windows-1252"]],
    ["French UTF-8 read as latin-1", text(layer(utf8(FR), "latin1")), undefined, FR, ["windows-1252"]],
    ["GBK read as ISO-8859-15, then as latin-1", text(layer(layer(iconv.encode(ZH, "gbk"), "iso-8859-15"), "latin1")), "gbk", ZH, ["windows-1252", "iso-8859-15", "gbk"]],
    ["GBK read as windows-1252", text(layer(iconv.encode(ZH, "gbk"), "windows-1252")), "gbk", ZH, ["windows-1252", "gbk"]],
  ])("%s", (_name, input, declared, expected, layers) => {
    const r = repairMojibake(input, declared);
    expect(r?.text).toBe(expected);
    expect(r?.layers).toEqual(layers);
  });

  it.each([
    ["French as written", FR.repeat(3)],
    ["Portuguese capitals", "SÃO PAULO — A ÃNSIA DA NAÇÃO: SÃO JOÃO, MÃE E IRMÃ. ".repeat(5)],
    ["Chinese as written", ZH],
    ["one stray run in English", `${EN.replace(/’/gu, "'")} CafÃ© ${EN.replace(/’/gu, "'")}`],
    // A page whose template is real UTF-8 CJK with a mojibake fragment: no byte table holds 北.
    ["mojibake beside characters no single-byte charset has", `${ZH} ${text(layer(utf8(EN), "windows-1252"))}`],
  ])("leaves alone: %s", (_name, input) => {
    expect(repairMojibake(input, "gbk")).toBeUndefined();
  });

  it("does not read a bottom layer in a declared CJK charset when the bytes are not that charset", () => {
    // Repaired UTF-8 that still has latin-1 letters: a gbk declaration must not turn them into hanzi.
    const r = repairMojibake(text(layer(utf8(FR), "windows-1252")), "gbk");
    expect(r?.text).toBe(FR);
  });

  it("needs the signature on most non-ASCII characters", () => {
    expect(looksLikeMojibake(text(layer(utf8(EN), "windows-1252")))).toBe(true);
    expect(looksLikeMojibake(FR)).toBe(false);
  });
});

describe("mayHoldMojibake (from the bytes, before any decoding)", () => {
  const cafe = (n: number): Uint8Array => utf8(Array.from({ length: n }, () => "CafÃ©").join(" "));
  // name, bytes, expected
  it.each([
    ["double-encoded UTF-8 (curly quotes, dashes)", layer(utf8(EN), "windows-1252"), true],
    ["double-encoded French", layer(utf8(`${FR} ${FR}`), "windows-1252"), true],
    ["GBK read as latin-1 twice", layer(layer(new Uint8Array(iconv.encode(ZH, "gbk")), "iso-8859-15"), "latin1"), true],
    [`${MIN_SIGNATURE_RUNS} runs`, cafe(MIN_SIGNATURE_RUNS), true],
    [`${MIN_SIGNATURE_RUNS - 1} runs: too few for looksLikeMojibake`, cafe(MIN_SIGNATURE_RUNS - 1), false],
    ["real French", utf8(`${FR} ${FR} ${FR}`), false],
    ["real English with curly quotes", utf8(EN), false],
    ["Chinese", utf8(ZH), false],
    ["empty", new Uint8Array(0), false],
  ])("%s: %s", (_name, bytes, expected) => {
    expect(mayHoldMojibake(bytes)).toBe(expected);
  });

  it("never says no to text that looksLikeMojibake (it only skips decoding what cannot be)", () => {
    const samples = [EN, FR, ZH, `${FR} ${EN}`, "Ã©Ã¨Ã Ã¹ ".repeat(10), "Â±Â±Â¾Â© ".repeat(10)];
    for (const s of samples) {
      for (const bytes of [utf8(s), layer(utf8(s), "windows-1252"), layer(utf8(s), "latin1"), layer(layer(utf8(s), "windows-1252"), "windows-1252")]) {
        if (looksLikeMojibake(text(bytes))) expect(mayHoldMojibake(bytes)).toBe(true);
      }
    }
  });
});

describe("decodeBody repairs mojibake", () => {
  const page = (body: string, head = ""): string => `<html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;

  it("GBK saved twice as UTF-8 under a gb2312 declaration reads as Chinese", () => {
    const gbk = iconv.encode(page(ZH, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), "gbk");
    const d = decodeBody(layer(layer(gbk, "iso-8859-15"), "latin1"));
    expect(d.text).toContain(ZH);
    expect(d.charset).toBe("gbk");
    expect(d.repaired).toEqual(["windows-1252", "iso-8859-15", "gbk"]);
  });

  it("double-encoded UTF-8 under a utf-8 header reads as written", () => {
    const d = decodeBody(layer(utf8(page(EN)), "windows-1252"), "text/html; charset=utf-8");
    expect(d.text).toContain(EN);
    expect(d.charset).toBe("utf-8");
    expect(d.charset_source).toBe("header");
    expect(d.repaired).toEqual(["windows-1252"]);
  });

  it("a page read right carries no repair", () => {
    const d = decodeBody(utf8(page(`${FR} ${EN}`)), "text/html; charset=utf-8");
    expect(d.repaired).toBeUndefined();
    expect(d.text).toContain(FR);
  });
});
