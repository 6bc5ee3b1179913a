/**
 * A stored page is parsed from its UTF-8 bytes (one Latin-1 character per byte) without decoding
 * it whole (parseHtml's utf8Bytes, pageFromUtf8): everything the clean stage keeps must come out
 * exactly as from the decoded text.
 */
import { describe, expect, it } from "vitest";
import { cleanPage, pageFromUtf8 } from "../src/index.ts";
import { parseHtml, textOfBytes } from "../src/html-parse.ts";

const asBytes = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

describe("textOfBytes", () => {
  it.each([
    ["ASCII stays as it is", "plain <b>text</b> & more"],
    ["Chinese (three bytes a character)", "金正恩与普京在东方航天发射场会晤"],
    ["Vietnamese (precomposed and combining marks)", "Thủ tướng Phạm Minh Chính, Việt Nam"],
    ["Cyrillic and Hangul", "Шойгу прибыл в Пхеньян · 대사 초치"],
    ["astral characters (four bytes)", "💥 𠀀 🇰🇷"],
    ["non-ASCII whitespace", "a\u00a0b\u3000c\u200bd\ufeff"],
    ["empty", ""],
  ])("%s", (_, text) => {
    expect(textOfBytes(asBytes(text))).toBe(text);
  });

  it("returns an ASCII string itself, without copying it through a buffer", () => {
    const ascii = "x".repeat(100);
    expect(textOfBytes(ascii)).toBe(ascii);
  });
});

/** One page with every place parseHtml keeps a string from: text, attributes, title, JSON-LD, metas. */
const TRICKY = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>朝鲜&amp;俄罗斯 — 会晤 &laquo;东方&raquo;</title>
<meta property="og:title" content="金正恩&quot;访俄&quot; · Пхеньян">
<meta name="description" content="普京&nbsp;邀请 — résumé">
<meta name="author" content="记者 王小明">
<link rel="canonical" href="https://news.test/zh/文章?id=1&amp;p=2">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"金正恩与普京会晤","datePublished":"2023-09-13T10:00:00+08:00","author":{"name":"李华"},"articleBody":"朝鲜最高领导人金正恩周三在俄罗斯远东与普京举行会晤。"}</script>
<script>var s = "不是数据 </div>";</script>
</head><body>
<nav class="菜单 menu"><a href="/">首页</a> <a href="/国际">国际</a></nav>
<div class="文章 article-body" id="正文">
<h1>金正恩与普京会晤&#x3002;</h1>
<p class="byline">记者&nbsp;王小明 <time datetime="2023-09-13">2023年9月13日</time></p>
<p>朝鲜最高领导人金正恩周三（13日）在俄罗斯远东阿穆尔州的东方航天发射场与俄罗斯总统普京举行会晤，双方讨论了军事合作。</p>
<p>\u00a0<b>\u00a0</b><i>克里姆林宫</i>发言人佩斯科夫说，会谈持续了数小时&#8230; 他还邀请普京访问平壤&amp;首尔。</p>
<p title="提示 &amp; 说明">Việt Nam: Thủ tướng nói “hợp tác” — 💥 &#128165; Шойгу.</p>
<p>\u3000\u3000分析人士认为，俄罗斯希望从朝鲜获得炮弹等弹药，而朝鲜则希望获得卫星与潜艇技术。</p>
</div>
<footer>版权所有 © 2023</footer>
</body></html>`;

describe("a page parsed from its UTF-8 bytes", () => {
  it("gives exactly the parse of its text: blocks, elements and head metadata", () => {
    const fromText = parseHtml(TRICKY);
    const fromBytes = parseHtml(asBytes(TRICKY), { utf8Bytes: true });
    expect(fromBytes).toEqual(fromText);
    // ... and that parse is the real text, not bytes: a wrong decode would differ from both.
    expect(fromText.head.title).toBe("朝鲜&俄罗斯 — 会晤 «东方»");
    expect(fromText.head.metas.get("og:title")).toEqual(["金正恩\"访俄\" · Пхеньян"]);
    expect(fromText.head.canonical).toBe("https://news.test/zh/文章?id=1&p=2");
    expect(fromText.head.jsonld[0]).toContain("金正恩与普京会晤");
    expect(fromText.head.h1).toEqual(["金正恩与普京会晤。"]);
    expect(fromText.elems.some((e) => e.cls.includes("文章"))).toBe(true);
  });

  it("cleans to the same article (pageFromUtf8), with its text decoded", () => {
    const meta = { url: "https://news.test/zh/1" };
    const fromText = cleanPage({ body: TRICKY, kind: "html", url: meta.url }, meta);
    const fromBytes = cleanPage(pageFromUtf8(Buffer.from(TRICKY, "utf8"), { kind: "html", url: meta.url }), meta);
    expect(fromBytes).toEqual(fromText);
    expect(fromText.language).toBe("zh");
    expect(fromText.text).toContain("克里姆林宫发言人佩斯科夫说，会谈持续了数小时… 他还邀请普京访问平壤&首尔。");
    expect(fromText.text).toContain("Việt Nam: Thủ tướng nói “hợp tác” — 💥 💥 Шойгу.");
    expect(fromText.text).not.toContain("首页");
  });

  it("reads plain text given as bytes as its characters", () => {
    const text = "会谈\n\n朝鲜最高领导人金正恩周三在俄罗斯远东与俄罗斯总统普京举行会晤，双方讨论了军事合作与卫星技术。\n";
    const fromBytes = cleanPage(pageFromUtf8(Buffer.from(text, "utf8"), { kind: "text" }));
    expect(fromBytes).toEqual(cleanPage({ body: text, kind: "text" }));
    expect(fromBytes.text).toContain("朝鲜最高领导人");
  });

  it("takes a Uint8Array view into a larger buffer at its own offset", () => {
    const html = "<html><body><p>Ten-word paragraph about the summit held in Vladivostok on Wednesday.</p></body></html>";
    const bytes = Buffer.from(`xxxx${html}yyyy`, "utf8");
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 4, bytes.length - 8);
    expect(cleanPage(pageFromUtf8(view, { kind: "html" }))).toEqual(cleanPage({ body: html, kind: "html" }));
  });
});
