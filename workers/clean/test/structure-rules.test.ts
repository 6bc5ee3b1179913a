/**
 * Table tests for the structural rules of main-text selection: comment threads without comment
 * class names, notices under the article, nested boilerplate inside a cancelled wrapper, capped
 * link penalties for CJK teaser lists, utility-CSS class words, streamed React content, entity-
 * escaped articleBody, and the char-code token counter.
 */
import { describe, it, expect } from "vitest";
import { cleanPage } from "../src/index.ts";
import { withoutRepeats } from "../src/clean.ts";
import { cutTail, extractMainText, isRepetitive, sameClassWords } from "../src/html-extract.ts";
import { isAboutHeading, isCommentHeading, isCreditCaption, isEndHeading, isLabel, isPaywallNotice, isTimestampLine } from "../src/boilerplate-text.ts";
import { capNesting, parseHtml, roleWords } from "../src/html-parse.ts";
import { articleBodyParagraphs } from "../src/jsonld-body.ts";
import { countTokens, tokenize } from "../src/text-utils.ts";
import type { Block } from "../src/html-parse.ts";

const EN = [
  "The city council approved the new budget on Tuesday after a long debate about school funding and road repairs.",
  "Council members said the plan raises spending on public transport by ten percent while keeping property taxes flat.",
  "The mayor welcomed the vote and said work on the first road projects would begin in the spring of next year.",
  "Opposition members argued that the plan relies on optimistic revenue forecasts that may not hold if the economy slows.",
];

function html(body: string, lang = "en"): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Budget approved</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>${body}</body></html>`;
}

const paras = (xs: readonly string[]): string => xs.map((x) => `<p>${x}</p>`).join("\n");

describe("comment threads recognised by structure", () => {
  const cases: { name: string; tail: string; drop: string[] }[] = [
    {
      name: "a 'Comments (3)' heading, no comment class names",
      tail: `<h3>Comments (3)</h3><p>I think this budget is a disaster for the schools in our district, honestly.</p><p>Great news for the buses at last, about time someone did something.</p>`,
      drop: ["disaster for the schools", "Great news for the buses"],
    },
    {
      name: "a Russian comments heading with a count glued on",
      tail: `<div>Комментарии12</div><p>Это очень хорошая новость для нашего города, давно пора было принять такой бюджет.</p>`,
      drop: ["очень хорошая новость"],
    },
    {
      name: "entries headed by a name and a date with a clock time",
      tail: `<div>Ivan</div><div>07.01.2012, 17:44</div><p>What about the hospitals? Nobody in the council ever talks about the hospitals in this town.</p>
<div>Maria</div><div>07.01.2012, 18:02</div><p>Agreed with Ivan, the hospitals are falling apart and this budget does nothing at all for them.</p>`,
      drop: ["What about the hospitals", "Agreed with Ivan", "07.01.2012"],
    },
    {
      name: "a blog's post meta and a press contact under the article",
      tail: `<p>Posted by Kirsty Topping on Jan 17 2012. Filed under Top Stories, UK & World. You can follow any responses to this entry through the RSS 2.0 feed.</p><p>For media interviews contact the press office at 555-0100.</p>`,
      drop: ["Filed under", "For media interviews"],
    },
    {
      name: "a disclaimer and contact lines under the article",
      tail: `<p>免责声明：本文仅代表作者个人观点，与本网无关。其原创性以及文中陈述文字和内容未经本站证实。</p><p>电话：021-52921234 传真：021-62677454</p>`,
      drop: ["免责声明", "电话"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = cleanPage({ body: html(`<div class="content">${paras(EN)}${c.tail}</div>`), kind: "html" });
      expect(out.text).toContain("raises spending on public transport");
      expect(out.text).toContain("optimistic revenue forecasts");
      for (const d of c.drop) expect(out.text).not.toContain(d);
    });
  }
});

describe("comment heading and timestamp line predicates", () => {
  const headings: [string, boolean][] = [
    ["Comments", true],
    ["| 13 Comment(s)", true],
    ["Leave a Reply", true],
    ["Комментарии (5)", true],
    ["网友评论", true],
    ["Bình luận", true],
    ["댓글", true],
    ["Comments on the draft budget were invited until March", false],
    ["Discussion", false],
    ["Comments are now closed for this story", true],
    ["Comments closed.", true],
    ["Comments are now closed on the bridge project, the council said", false],
  ];
  for (const [text, want] of headings) it(`heading ${JSON.stringify(text)} -> ${want}`, () => expect(isCommentHeading(text, countTokens(text))).toBe(want));
  const stamps: [string, boolean][] = [
    ["07.01.2012, 17:44", true],
    ["2005-06-10 05:53:20", true],
    ["January 5, 2012 at 3:15 pm", true],
    ["17:44", false],
    ["07.01.2012", false],
    ["The meeting starts at 17:44 on 07.01.2012 in the main hall of the city council building downtown", false],
  ];
  for (const [text, want] of stamps) it(`timestamp ${JSON.stringify(text)} -> ${want}`, () => expect(isTimestampLine(text, countTokens(text))).toBe(want));
});

describe("'related stories' headings", () => {
  const cases: [string, boolean][] = [
    ["You may also like", true],
    ["Related Articles:", true],
    ["Смотрите также:", true],
    ["More on this story", true],
    ["相关新闻", true],
    ["Tin liên quan", true],
    ["Related work on school funding", false],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)} -> ${want}`, () => expect(isEndHeading(text, countTokens(text))).toBe(want));
  const teaser = "A short snippet of another story on the site.";
  it("end the article when only teaser snippets follow", () => {
    const body = `<div class="content">${paras(EN)}<h3>Related stories</h3><p>${teaser}</p><p>${teaser.replace("another", "a third")}</p></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("snippet");
  });
  it("do not end it when the article resumes after an inline box", () => {
    const long = `${EN[0] ?? ""} ${EN[1] ?? ""} The council will meet again next month.`;
    const body = `<div class="content">${paras(EN)}<h3>Related stories</h3><p>${long}</p></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("will meet again next month");
  });
  // Teasers whose snippets are long enough to pass for the article resuming.
  const longSnippet = (n: number): string =>
    `<p>Story ${n}: the regional court heard the case of a man accused of fraud on Monday, and witnesses described how the scheme worked over several years before the police were called in by a bank that had noticed the transfers.</p>`;
  const teasers = (n: number): string =>
    Array.from({ length: n }, (_, i) => `<div class="box"><a href="/s${i}">Court hears fraud case number ${i + 1} in the region</a>${longSnippet(i + 1)}</div>`).join("\n");
  it("end the article at a run of linked headlines with long snippets", () => {
    const body = `<div class="content">${paras(EN)}<h3>Смотрите также:</h3>${teasers(3)}</div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("regional court");
  });
  it("do not end it at an inline link box (headlines without snippets) before the article goes on", () => {
    const links = [1, 2, 3].map((i) => `<div><a href="/r${i}">Another story about the budget debate number ${i}</a></div>`).join("");
    const long = `${EN[0] ?? ""} ${EN[1] ?? ""} The council will meet again next month.`;
    const body = `<div class="content">${paras(EN)}<h3>Related stories</h3>${links}<p>${long}</p>${paras(EN.slice(2))}</div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("will meet again next month");
  });
  it("do not end it when only two teasers come before the article resumes", () => {
    const body = `<div class="content">${paras(EN)}<h3>Related stories</h3>${teasers(2)}<p>${EN[0] ?? ""} ${EN[1] ?? ""} The council will meet again next month.</p></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("will meet again next month");
  });
});

describe("a 'related' box inside the article's container", () => {
  it("does not count against the container (the heading announces the links)", () => {
    const body = `<div class="main"><div class="text">${paras(EN.slice(0, 2))}<h2>Материалы по теме:</h2><ul><li><a href="/x">Another story about the municipal budget debate in the neighbouring city</a></li></ul></div></div>
<ul class="topics"><li><a href="/a">City hall news</a></li><li><a href="/b">School board news</a></li><li><a href="/c">Transport news here</a></li></ul>
<div class="col"><p>A long teaser paragraph in another column that must not beat the article, even though it is prose of some length.</p></div>`;
    const page = parseHtml(html(body));
    const main = extractMainText(page);
    expect(page.elems[main.container ?? 0]?.cls.trim()).toBe("text");
    expect(main.paragraphs.join("\n")).toContain("property taxes flat");
  });
});

describe("ad labels, read-more controls, UI labels and publication stamps", () => {
  const cases: [string, boolean][] = [
    ["Advertisement", true],
    ["ADVERTISEMENT", true],
    ["Реклама", true],
    ["广告", true],
    ["Read more »", true],
    ["Anzeige", true],
    ["Advertisement revenue fell sharply", false],
    ["Read more about the budget", false],
    ["More...", true],
    ["End Quote", true],
    ["Font:", true],
    ["Table of Contents", true],
    ["In this article:", true],
    ["Updated: Wed Jan. 11 2012 17:05:16", true],
    ["First Posted: Jan 12, 2012 7:18am | Last Updated: Jan 12, 2012 7:21am", true],
    ["Last updated on June 2, 2025", true],
    ["Опубликовано: 12.01.2012 10:15", true],
    ["发布时间：2024-06-19 11:06:00", true],
    ["Updated guidance from the ministry says schools must reopen by 3 March.", false],
    ["More than 200 people were evacuated", false],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)} -> ${want}`, () => expect(isLabel({ text, tokens: countTokens(text) })).toBe(want));
  it("a label between article paragraphs is dropped", () => {
    const body = `<div class="content">${paras(EN.slice(0, 2))}<div>Advertisement</div>${paras(EN.slice(2))}</div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("Advertisement");
  });
});

describe("cutTail", () => {
  const block = (text: string): Block => ({ elem: 1, text, tokens: countTokens(text), linkTokens: 0, tag: "p", heading: false, listItem: false, caption: false, junkRoots: [] });
  it("never cuts before a fifth of the article", () => {
    const blocks = [block("Comments"), ...EN.map(block)];
    const kept = blocks.map((_, i) => i);
    cutTail(kept, blocks);
    expect(kept).toEqual([0, 1, 2, 3, 4]);
  });
  it("a single dated line inside the article is no thread", () => {
    const blocks = [block(EN[0] ?? ""), block("Updated 07.01.2012, 17:44"), ...EN.slice(1).map(block)];
    const kept = blocks.map((_, i) => i);
    cutTail(kept, blocks);
    expect(kept).toHaveLength(5);
  });
});

describe("boilerplate nested in a cancelled page wrapper", () => {
  it("a comment list inside a wrapper with a boilerplate class stays out", () => {
    const body = `<div class="page-footer-wrap sidebar-layout"><h1>Budget approved</h1>${paras(EN)}
<div class="all_comments"><p>This is a reader comment that is long enough to look like a paragraph of prose text.</p>
<p>Another reader comment that is also long enough to be taken for a paragraph of the article.</p></div></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("raises spending on public transport");
    expect(out.text).not.toContain("reader comment");
  });
  it("layout words (widget) inside the wrapper do not hide the article", () => {
    const body = `<div class="elementor-widget-container">${paras(EN)}</div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
  });
});

describe("CJK teaser lists under the article", () => {
  it("do not outweigh the article (link penalty capped per block)", () => {
    const base = [
      "东京女子医科大学的新校舍建设工程中，前理事长涉嫌以业务报酬的名义让大学不正当地支付约一点二亿日元，警视厅十三日以背信嫌疑将其逮捕。",
      "据调查，前理事长在二零一八年至二零二零年期间，让大学向一名建筑顾问支付了报酬，其中一部分资金流入了前理事长本人的账户。",
      "大学方面十三日召开记者会，现任理事长表示将全面配合警方调查，并向学生和患者致歉，承诺彻底改革学校的治理体制。",
    ];
    const zh = [...base, ...base.map((x) => `另据报道，${x}`)];
    const teasers = Array.from({ length: 3 }, (_, i) => `<li><a href="/n${i}">这是一条很长的新闻标题用来测试链接惩罚是否被限制在合理范围之内第${i}条</a></li>`).join("");
    const page = parseHtml(html(`<div class="main"><div class="entry">${paras(zh)}<ul>${teasers}</ul></div></div>`, "zh"));
    const main = extractMainText(page);
    expect(page.elems[main.container ?? 0]?.cls.trim()).toBe("entry");
    expect(main.paragraphs.join("\n")).toContain("彻底改革学校的治理体制");
    expect(main.paragraphs.join("\n")).not.toContain("新闻标题");
  });
});

describe("class words", () => {
  const cases: [string, string][] = [
    ["wrapper px-5 overflow-hidden", "wrapper px-5"],
    ["nav-item md:hidden lg:flex", "nav-item"],
    ["article-body truncate", "article-body"],
    ["article-body", "article-body"],
  ];
  for (const [cls, want] of cases) it(`roleWords(${JSON.stringify(cls)})`, () => expect(roleWords(cls).replace(/\s+/g, " ").trim()).toBe(want));
  it("an article in an overflow-hidden wrapper is kept", () => {
    const out = cleanPage({ body: html(`<div class="wrapper overflow-hidden">${paras(EN)}</div>`), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
  });
  it.each(["commentdiv", "commentbox", "comment-area", "commentWrapper"])("a comment section classed %s is dropped inside the story container", (cls) => {
    const comment = (who: string): string => `<table><tr><td><p>${who}</p><p>said</p></td><td>I think the council should have spent the money on the schools instead of the roads, as everyone in this town knows.</td></tr></table>`;
    const body = `<div class="storycontent">${paras(EN)}<div class="${cls}">${comment("jamie s")}${comment("joe")}${comment("Sylvie in Ottawa")}</div></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("spent the money");
  });
});

describe("React streamed content", () => {
  it("<div hidden id=\"S:0\"> is read; other hidden elements are not", () => {
    const body = `<main><template id="B:0"></template></main><div hidden id="S:0"><article>${paras(EN)}</article></div><div hidden><p>${"Hidden teaser text that must never be part of the article body. ".repeat(3)}</p></div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("Hidden teaser");
  });
});

describe("a dateline above the article", () => {
  it.each([
    ["Politics | Updated Friday 30/11/12 04:00 PM", false],
    ["Sống trẻ Giáo dục | Cập nhật thứ sáu, ngày 30/11/12 04:00 chiều", false],
    ["2012年01月12日15:03 来源：新华网", false],
  ])("%j is left out, and the date is still read", (line) => {
    const body = `<div class="content"><p>${line}</p>${paras(EN)}</div>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.paragraphs[0]).toBe(EN[0]);
    expect(out.published?.slice(0, 4)).toBe("2012");
  });
  it("a line with a date and a time inside the article stays", () => {
    const line = "Polls close at 20:00 on 12/01/2012";
    const body = `<div class="content">${paras(EN.slice(0, 2))}<p>${line}</p>${paras(EN.slice(2))}</div>`;
    expect(cleanPage({ body: html(body), kind: "html" }).paragraphs).toContain(line);
  });
});

describe("collapsed accordion and tab panels", () => {
  it.each([
    ["region", "style=\"display:none;\""],
    ["tabpanel", "hidden"],
  ])("a hidden role=%s panel inside the article is read; a hidden div is not", (role, hide) => {
    const panel = `<div role="${role}" ${hide} aria-labelledby="step1"><p>${EN[2] ?? ""}</p><p>${EN[3] ?? ""}</p></div>`;
    const body = `<article>${paras(EN.slice(0, 2))}<button id="step1">1. What happens next</button>${panel}<div style="display:none"><p>${"Hidden promo text that must never be part of the article body. ".repeat(3)}</p></div></article>`;
    const out = cleanPage({ body: html(body), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("Hidden promo");
  });
});

describe("articleBody with HTML entities", () => {
  const cases: [string, string[]][] = [
    ["Çorum&#39;un Alaca il&ccedil;esi", ["Çorum'un Alaca ilçesi"]],
    ["<p>A &amp; B</p><p>C&nbsp;D</p>", ["A & B", "C D"]],
    ["plain text, no entities", ["plain text, no entities"]],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => expect(articleBodyParagraphs(input)).toEqual(want));
});

describe("entities are decoded by parseHtml (the tokenizer leaves them raw)", () => {
  const page = (headPart: string, bodyPart: string): ReturnType<typeof parseHtml> =>
    parseHtml(`<html><head>${headPart}</head><body>${bodyPart}</body></html>`);
  it.each([
    ["text", () => page("", "<p>AT&amp;T &lt;b&gt; caf&eacute;&nbsp;&#8220;x&#x201D; &copy</p>").blocks[0]?.text, "AT&T <b> café “x” ©"],
    ["title", () => page("<title>Q&amp;A &ndash; Site</title>", "").head.title, "Q&A – Site"],
    ["h1", () => page("", "<h1>Tom &amp; Jerry</h1>").head.h1[0], "Tom & Jerry"],
    ["meta content", () => page('<meta property="og:title" content="Rock &amp; Roll &quot;live&quot;">', "").head.metas.get("og:title")?.[0], 'Rock & Roll "live"'],
    ["canonical href", () => page('<link rel="canonical" href="https://x.test/a?b=1&amp;c=2">', "").head.canonical, "https://x.test/a?b=1&c=2"],
    // In an attribute, a legacy entity without ";" before "=" is literal text (HTML spec).
    ["attribute legacy entity", () => page('<link rel="canonical" href="https://x.test/?a=1&copy=2">', "").head.canonical, "https://x.test/?a=1&copy=2"],
    // Script content is raw text: JSON-LD keeps "&amp;" as written.
    ["JSON-LD", () => page('<script type="application/ld+json">{"headline":"A &amp; B"}</script>', "").head.jsonld[0], '{"headline":"A &amp; B"}'],
    ["entity split by a tag", () => page("", "<p>x &amp;<b>amp;</b> y</p>").blocks[0]?.text, "x &amp; y"],
  ])("%s", (_name, got, want) => expect(got()).toBe(want));
});

describe("countTokens agrees with the metric's tokenizer", () => {
  const cases = ["hello world", "中文字符 abc", "a_b-c 12,5", "𠀀𠀁x", "Tiếng Việt có dấu", "한국어 문장입니다.", "ｱｲｳ", "x\u0301y", "𝐀𝐁 test", "日本語のテキスト。カタカナ", "", "  ", "Привет, мир!"];
  for (const c of cases) it(JSON.stringify(c), () => expect(countTokens(c)).toBe(tokenize(c).length));
});

describe("deep nesting", () => {
  it("a page nested deeper than the parser cap is re-parsed after capNesting", () => {
    const deep = `<html><body>${"<div>".repeat(5000)}<p>Deep text here.</p>${"</div>".repeat(5000)}</body></html>`;
    const p = parseHtml(deep);
    expect(p.blocks.map((b) => b.text)).toEqual(["Deep text here."]);
  });
  it("capNesting leaves shallow pages alone and drops only the deep tags", () => {
    const shallow = "<div><p>x</p></div>";
    expect(capNesting(shallow)).toBe(shallow);
    const out = capNesting(`${"<b>".repeat(5)}y${"</b>".repeat(5)}`, 2);
    expect(out).toBe("<b><b>y</b></b>");
  });
});

describe("withoutRepeats", () => {
  const long = "North Korea's foreign minister held talks with Sergei Lavrov in Moscow on Tuesday, the ministry said.";
  it.each([
    ["drops the second copy of a long paragraph", ["Title", long, "Other text.", long], ["Title", long, "Other text."]],
    ["keeps short repeated lines (they may be labels the tail rules judge)", ["Photo", long, "Photo"], ["Photo", long, "Photo"]],
    ["drops a paragraph that is only a URL", [long, "http://news.test/a/b-205214/", "www.news.test/x"], [long]],
    ["keeps a sentence that mentions a URL", [`${long} See https://news.test/a.`], [`${long} See https://news.test/a.`]],
  ])("%s", (_name, input, want) => {
    expect(withoutRepeats(input)).toEqual(want);
  });
});

describe("an article split over a page builder's repeated text blocks", () => {
  // Each section of the article sits in its own wrapper chain (block > content > html div), the
  // wrappers repeated with different ids; a long link list under the same column outweighs any
  // one section, so no common ancestor wins on its own.
  const block = (id: string, inner: string): string =>
    `<div class="sqs-block html-block" id="block-${id}"><div class="sqs-block-content"><div class="sqs-html-content">${inner}</div></div></div>`;
  const links = Array.from({ length: 40 }, (_, i) => `<p><a href="/city/${i}">Average costs for cleaning services in city number ${i}</a></p>`).join("");
  const page = html(`<div class="col">${block("a1", paras(EN.slice(0, 2)))}<div class="image-block"><img src="x.jpg"></div>${block("b2", `<h2>What the vote means</h2>${paras(EN.slice(2))}`)}<div class="row">${links}</div>
<div class="contact"><p>Phone: 555-0100, fax: 555-0101, newsroom open daily from nine to six.</p></div></div>`);

  it("keeps every repeat of the container's wrapper and nothing else beside it", () => {
    const out = cleanPage({ body: page, kind: "html" });
    for (const p of EN) expect(out.text).toContain(p);
    expect(out.text).toContain("What the vote means");
    expect(out.text).not.toContain("city number");
    expect(out.text).not.toContain("Phone: 555-0100");
  });
});

describe("sameClassWords: repeats of one wrapper", () => {
  it.each([
    ["sqs-block html-block block-a1", "sqs-block html-block block-b2", true],
    ["sqs-block html-block", "sqs-block html-block", true],
    ["entry-content", "entry-content post-7", true],
    ["sqs-block html-block", "sqs-block image-block", true],
    ["sqs-block html-block", "contact widget", false],
    ["article body", "sidebar related list", false],
    ["", "", false],
  ])("%j ~ %j -> %s", (a, b, want) => {
    expect(sameClassWords(a, b)).toBe(want);
  });
});

describe("a headline printed twice", () => {
  it("keeps one copy: a header band's, not the story's own", () => {
    const lead = "The council voted nine to four for a budget that raises transport spending and keeps taxes flat.";
    const body = `<div class="col"><div class="head"><h1>Council approves the new budget</h1><h2>${lead}</h2></div><div class="side"><a href="/a">Other story one here</a> <a href="/b">Other story two</a></div>
<div class="story"><h1>Council approves the new budget</h1><h2>${lead}</h2>${paras(EN)}</div></div>`;
    const out = cleanPage({ body: html(body).replace("<title>Budget approved</title>", "<title>Council approves the new budget</title>"), kind: "html" });
    expect(out.paragraphs.filter((p) => p === "Council approves the new budget")).toHaveLength(1);
    expect(out.paragraphs[0]).toBe("Council approves the new budget");
  });
});

describe("paywall and sign-up prompts", () => {
  it.each([
    ["THIS CONTENT IS RESERVED FOR SUBSCRIBERS ONLY", true],
    ["REGISTER / SIGN IN TO UNLOCK MORE ARTICLES", true],
    ["Create an account or sign in to continue with your reading experience.", true],
    ["This article is exclusive to STAT+ subscribers", true],
    ["Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.", true],
    ["Jetzt abonnieren und von der Vorlesefunktion profitieren.", true],
    ["Материал доступен только подписчикам", true],
    ["订阅后阅读全文", true],
    ["Подпишитесь, чтобы читать дальше", true],
    ["Il vous reste 40% de cet article à découvrir.", true],
    ["Want more? Sign up for our newsletter, The Selection, and shop smarter.", true],
    ["This article was made possible by the support of readers like you. Donate to JTA now.", true],
    ["Subscription required to unlock all features", false],
    ["The newspaper said it had lost 2,000 subscribers since the price rise in March.", false],
  ])("%s -> %s", (text, want) => {
    expect(isPaywallNotice(text, countTokens(text))).toBe(want);
  });

  it("drops the promo box the prompt heads, and keeps the standfirst before it", () => {
    const lead = "The council voted nine to four for a budget that raises transport spending and keeps taxes flat.";
    const promo = `<div class="intro"><p>${lead}</p><div class="h2">THIS CONTENT IS RESERVED FOR SUBSCRIBERS ONLY</div>
<p>Subscribe now to read the latest news in your city and across the country.</p>
<ul><li>Exclusive articles by our top columnists and unlimited online access to all our news sites.</li><li>The ePaper, an electronic replica of the print edition to view on any device.</li></ul></div>`;
    const out = cleanPage({ body: html(`<div class="story">${promo}${paras(EN)}</div>`), kind: "html" });
    expect(out.text).toContain("raises spending on public transport");
    expect(out.text).toContain(lead);
    for (const gone of ["RESERVED FOR SUBSCRIBERS", "Subscribe now", "Exclusive articles", "ePaper"]) expect(out.text).not.toContain(gone);
  });
});

describe("'About Acme Corp' and author bios at the end", () => {
  it.each([
    ["About Ford Motor Company", true],
    ["About the author", true],
    ["About Us", true],
    ["Über den Autor", true],
    ["Об авторе", true],
    ["About filing your tax return", false],
    ["About 200 people were evacuated", false],
  ])("%s -> %s", (text, want) => {
    expect(isAboutHeading(text, text.split(/\s+/).length)).toBe(want);
  });

  it("cuts a press release's company boilerplate, not an 'About' heading in the first half", () => {
    const boiler = `<h3>About Acme Corp</h3><p>Acme Corp, based in Springfield, manufactures and distributes anvils, rockets and other products across six continents.</p>`;
    const out = cleanPage({ body: html(`<div class="content">${paras(EN)}${boiler}</div>`), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("manufactures and distributes anvils");
    const early = cleanPage({ body: html(`<div class="content"><h3>About Acme Corp</h3>${paras(EN)}</div>`), kind: "html" });
    expect(early.text).toContain("optimistic revenue forecasts");
  });
});

describe("captions told by their credit line", () => {
  it.each([
    ["A poll shows the mayor is more popular than his rival (Image: Getty)", true],
    ["The new tram line at its opening on Monday. Photo: City Transport/Anna Berg", true],
    ["Your tent should be chosen for the length and climate of your trip. Credit: Clark Tate", true],
    ["Getty Images", true],
    ["Francesco Carta Fotografo | Moment | Getty Images", true],
    ["Photo: Shutterstock", true],
    ["Benny Snyder, AP", true],
    ["Sitemap", false],
    ["The council published a photo of the plan on Tuesday and said work would begin in spring.", false],
    ["Reuters reported the vote on Tuesday, citing two officials.", false],
  ])("%s -> %s", (text, want) => {
    expect(isCreditCaption(text, text.split(/\s+/).length)).toBe(want);
  });

  it("leaves a credited caption out of the article", () => {
    const cap = "<p>The mayor at the council meeting on Tuesday (Image: Getty)</p>";
    const out = cleanPage({ body: html(`<div class="content">${paras(EN.slice(0, 2))}${cap}${paras(EN.slice(2))}</div>`), kind: "html" });
    expect(out.text).toContain("optimistic revenue forecasts");
    expect(out.text).not.toContain("Image: Getty");
  });
});

describe("a junk root that outweighs the article", () => {
  const promo = Array.from({ length: 12 }, (_, i) =>
    `<p>Free standard shipping on orders over ${20 + i * 5} dollars in region ${i}. For more information on shipping rates and timelines, please visit our shipping page.</p>`).join("");
  const page = (junk: string) => html(`<div class="promo-bar">${junk}</div><div class="page">${paras(EN.slice(0, 1))}</div>`);

  it("stays boilerplate when its blocks are one template repeated", () => {
    const parsed = parseHtml(page(promo));
    const root = parsed.blocks.find((b) => b.text.startsWith("Free standard shipping"))?.junkRoots[0] ?? -1;
    expect(isRepetitive(parsed.blocks, root)).toBe(true);
    const out = cleanPage({ body: page(promo), kind: "html" });
    expect(out.text).toContain("approved the new budget");
    expect(out.text).not.toContain("Free standard shipping");
  });

  it("is a wrapper when its blocks are distinct paragraphs", () => {
    const parsed = parseHtml(page(paras(EN)));
    const root = parsed.blocks.find((b) => b.text.startsWith("Council members"))?.junkRoots[0] ?? -1;
    expect(isRepetitive(parsed.blocks, root)).toBe(false);
  });
});
