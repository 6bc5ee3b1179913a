import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { textHead, utf16LengthOfUtf8 } from "../src/charset.ts";
import { charsetFromContentType, decodeBody, resolveCharsetLabel, sniffMetaCharset } from "../src/index.ts";

const ZH = "中国外交部发言人周三在例行记者会上表示，中方愿同各方一道，推动地区局势缓和。据新华社报道，双方领导人就双边关系和共同关心的国际地区问题深入交换了意见。";
const ZH_HANT = "中國外交部發言人週三在例行記者會上表示，中方願同各方一道，推動地區局勢緩和。據報導，雙方領導人就雙邊關係和共同關心的國際地區問題深入交換了意見。";
const JA = "政府は水曜日、東京で記者会見を開き、新しい経済対策を発表した。首相は国民の生活を守るために全力を尽くすと述べた。";
const KO = "대통령은 수요일 기자회견에서 북한과의 대화를 재개할 준비가 되어 있다고 밝혔다. 정부는 새로운 경제 정책을 발표했다.";
const RU = "Министр иностранных дел России заявил в среду, что Москва готова к переговорам с Киевом при определённых условиях.";
const FR = "Le président de la République a déclaré mercredi à Paris que la France était prête à reprendre les négociations.";
const VI = "Thu tuong Chinh phu da co cuoc gap voi Tong thong tai Ha Noi vao thu Tu, bàn về hợp tác kinh tế.";

const page = (text: string, head = ""): string => `<html><head>${head}<title>t</title></head><body><p>${text}</p></body></html>`;
const enc = (s: string, e: string): Uint8Array => new Uint8Array(iconv.encode(s, e));

describe("decodeBody", () => {
  it.each([
    // name, bytes, Content-Type, expected charset, expected source, text that must appear
    ["utf-8 header", Buffer.from(page(FR)), "text/html; charset=utf-8", "utf-8", "header", FR],
    ["quoted upper-case label", Buffer.from(page(FR)), 'text/html; charset="UTF-8"', "utf-8", "header", FR],
    ["utf-8 BOM beats a wrong header", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(RU))]), "text/html; charset=windows-1251", "utf-8", "bom", RU],
    ["utf-16le BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page(JA), "utf-16le")]), undefined, "utf-16le", "bom", JA],
    ["utf-16be BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(page(KO), "utf-16be")]), undefined, "utf-16be", "bom", KO],
    ["meta charset", enc(page(RU, '<meta charset="windows-1251">'), "win1251"), "text/html", "windows-1251", "meta", RU],
    ["meta http-equiv", enc(page(ZH, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), "gbk"), "text/html", "gbk", "meta", ZH],
    ["xml declaration", enc(`<?xml version="1.0" encoding="koi8-r"?>${page(RU)}`, "koi8-r"), "application/xhtml+xml", "koi8-r", "meta", RU],
    ["koi8-r header", enc(page(RU), "koi8-r"), "text/html; charset=koi8-r", "koi8-r", "header", RU],
    ["windows-1251 header", enc(page(RU), "win1251"), "text/html; charset=cp1251", "windows-1251", "header", RU],
    ["latin-1 header (windows-1252)", enc(page(FR), "latin1"), "text/html; charset=ISO-8859-1", "windows-1252", "header", FR],
    ["windows-1258 header", enc(page(VI), "windows-1258"), "text/html; charset=windows-1258", "windows-1258", "header", "bàn"],
    ["euc-kr header", enc(page(KO), "euc-kr"), "text/html; charset=euc-kr", "euc-kr", "header", KO],
    ["big5 header", enc(page(ZH_HANT), "big5"), "text/html; charset=big5", "big5", "header", ZH_HANT],
    ["GBK, no declaration", enc(page(ZH), "gbk"), "text/html", "gb18030", "sniffed", ZH],
    ["Big5, no declaration", enc(page(ZH_HANT), "big5"), undefined, "big5", "sniffed", ZH_HANT],
    ["Shift_JIS, no declaration", enc(page(JA), "shift_jis"), undefined, "shift_jis", "sniffed", JA],
    ["EUC-JP, no declaration", enc(page(JA), "euc-jp"), undefined, "euc-jp", "sniffed", JA],
    ["EUC-KR, no declaration", enc(page(KO), "euc-kr"), undefined, "euc-kr", "sniffed", KO],
    ["windows-1251, no declaration", enc(page(RU), "win1251"), undefined, "windows-1251", "sniffed", RU],
    ["KOI8-R, no declaration", enc(page(RU), "koi8-r"), undefined, "koi8-r", "sniffed", RU],
    ["utf-8, no declaration", Buffer.from(page(JA)), "text/html", "utf-8", "sniffed", JA],
    ["ascii, no declaration", Buffer.from(page("plain ascii")), undefined, "utf-8", "default", "plain ascii"],
    ["Shift_JIS under a utf-8 header", enc(page(JA), "shift_jis"), "text/html; charset=utf-8", "shift_jis", "sniffed", JA],
    ["Shift_JIS under a latin-1 header", enc(page(JA), "shift_jis"), "text/html; charset=iso-8859-1", "shift_jis", "sniffed", JA],
    ["UTF-8 under a shift_jis header", Buffer.from(page(JA)), "text/html; charset=shift_jis", "utf-8", "sniffed", JA],
    ["UTF-8 under a windows-1251 meta", Buffer.from(page(RU, '<meta charset="windows-1251">')), undefined, "utf-8", "sniffed", RU],
    ["GBK meta under a latin-1 server default", enc(page(ZH, '<meta charset="gbk">'), "gbk"), "text/html; charset=iso-8859-1", "gbk", "meta", ZH],
    ["GBK under a utf-8 header with a gbk meta", enc(page(ZH, '<meta charset="gbk">'), "gbk"), "text/html; charset=utf-8", "gbk", "meta", ZH],
    ["unknown header label falls through to meta", enc(page(RU, '<meta charset="koi8-r">'), "koi8-r"), "text/html; charset=x-bogus", "koi8-r", "meta", RU],
  ])("%s", (_name, bytes, header, charset, source, text) => {
    const d = decodeBody(bytes, header);
    expect(d.charset).toBe(charset);
    expect(d.charset_source).toBe(source);
    expect(d.text).toContain(text);
    expect(d.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it("a latin-1 header on French text stays windows-1252 (no CJK false positive)", () => {
    const long = enc(page(`${FR} ${FR} Ça coûte très cher, où est le café ? Élève, garçon, naïf.`), "latin1");
    expect(decodeBody(long, "text/html; charset=iso-8859-1").charset).toBe("windows-1252");
  });

  it("a stray invalid byte in UTF-8 keeps utf-8", () => {
    const bytes = Buffer.concat([Buffer.from(page(JA)), Buffer.from([0xff]), Buffer.from(page(JA))]);
    const d = decodeBody(bytes, "text/html; charset=utf-8");
    expect(d.charset).toBe("utf-8");
    expect(d.charset_source).toBe("header");
  });

  it("a UTF-8 body cut inside a character is still UTF-8", () => {
    const full = Buffer.from(page(JA));
    const d = decodeBody(full.subarray(0, full.length - 20 - 1), undefined);
    expect(d.charset).toBe("utf-8");
  });

  it("empty input", () => {
    expect(decodeBody(new Uint8Array(0))).toEqual({ text: "", charset: "utf-8", charset_source: "default" });
  });

  it("meta beyond the first 4 KiB is not read", () => {
    const bytes = enc(`<html><head>${" ".repeat(5000)}<meta charset="koi8-r"></head><body>${RU}</body></html>`, "koi8-r");
    expect(decodeBody(bytes).charset_source).not.toBe("meta");
  });
});

describe("decodeBody keeps valid UTF-8 as its bytes", () => {
  const utf8Page = Buffer.from(page(`${ZH} ${FR} ${RU} 😀`));
  const full = Buffer.from(page(JA));
  // name, bytes, Content-Type, whether the bytes are kept as the text
  it.each([
    ["UTF-8 under a utf-8 header", utf8Page, "text/html; charset=utf-8", true],
    ["UTF-8 without any declaration", utf8Page, undefined, true],
    ["UTF-8 with a BOM (the text starts after it)", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8Page]), undefined, false],
    ["UTF-8 cut inside its last character", full.subarray(0, full.indexOf("</p>") - 1), undefined, false],
    ["UTF-8 under a stale legacy declaration", Buffer.from(page(ZH, '<meta charset="gb2312">')), "text/html", false],
    ["UTF-8 with a stray invalid byte", Buffer.concat([full, Buffer.from([0xff]), full]), "text/html; charset=utf-8", false],
    ["windows-1251", enc(page(RU), "win1251"), "text/html; charset=windows-1251", false],
    ["pure ASCII", Buffer.from(page("plain words")), undefined, false],
  ])("%s", (_name, bytes, contentType, kept) => {
    const d = decodeBody(bytes, contentType);
    expect(d.utf8 !== undefined).toBe(kept);
    if (!d.utf8) return;
    // The kept bytes are the input, and the text (decoded when read) encodes back to exactly them.
    expect(d.utf8).toBe(bytes);
    expect(d.text).toBe(new TextDecoder().decode(bytes));
    expect(Buffer.compare(Buffer.from(d.text, "utf8"), Buffer.from(d.utf8))).toBe(0);
    expect(d.charset).toBe("utf-8");
  });

  it.each([0, 1, 5, 40, 200, 100_000])("textHead(%i) is the text's first units, kept bytes or not", (n) => {
    for (const d of [decodeBody(utf8Page), decodeBody(enc(page(RU), "win1251"), "text/html; charset=windows-1251")]) {
      expect(textHead(d, n)).toBe(d.text.slice(0, n));
    }
  });

  it.each([
    ["", Infinity, 0],
    ["abc", Infinity, 3],
    ["wörld", Infinity, 5],
    [ZH, Infinity, ZH.length],
    ["😀😀", Infinity, 4], // astral characters are surrogate pairs
    [`${RU}${JA}😀`, Infinity, `${RU}${JA}😀`.length],
    [ZH, 10, 11], // stops counting once past the cap
  ])("utf16LengthOfUtf8(%j, cap %d) = %i", (text, cap, expected) => {
    expect(utf16LengthOfUtf8(Buffer.from(text, "utf8"), cap)).toBe(expected);
  });
});

describe("charset helpers", () => {
  it.each([
    ["text/html; charset=UTF-8", "UTF-8"],
    ['text/html;charset="gbk"', "gbk"],
    ["text/html; foo=bar; charset=shift_jis", "shift_jis"],
    ["text/html", undefined],
    [undefined, undefined],
  ])("charsetFromContentType(%s)", (h, expected) => {
    expect(charsetFromContentType(h)).toBe(expected);
  });

  it.each([
    ["gb2312", "gbk"],
    ["GBK", "gbk"],
    ["gb18030", "gb18030"],
    ["x-sjis", "shift_jis"],
    ["latin1", "windows-1252"],
    ["iso-8859-1", "windows-1252"],
    ["cp1251", "windows-1251"],
    ["utf8", "utf-8"],
    ["ks_c_5601-1987", "euc-kr"],
    ["iso-2022-kr", undefined],
    ["nonsense", undefined],
  ])("resolveCharsetLabel(%s) = %s", (label, expected) => {
    expect(resolveCharsetLabel(label)).toBe(expected);
  });

  it.each([
    ['<meta charset="utf-8">', "utf-8"],
    ["<meta charset=gbk>", "gbk"],
    ["<META HTTP-EQUIV='content-type' CONTENT='text/html; charset=Shift_JIS'>", "Shift_JIS"],
    ['<meta content="text/html; charset=euc-kr" http-equiv="Content-Type">', "euc-kr"],
    ['<!-- <meta charset="koi8-r"> --><meta charset="utf-8">', "utf-8"],
    ['<?xml version="1.0" encoding="windows-1251"?><html>', "windows-1251"],
    ["<html><head><title>none</title>", undefined],
  ])("sniffMetaCharset(%s)", (head, expected) => {
    expect(sniffMetaCharset(Buffer.from(head))).toBe(expected);
  });
});
