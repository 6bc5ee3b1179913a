import { describe, it, expect } from "vitest";
import { cleanPage } from "../src/index.ts";

const para = (s: string, n = 1) => Array.from({ length: n }, () => `<p>${s}</p>`).join("\n");

function page(lang: string, head: string, article: string, extra = ""): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="layout"><main><article>${article}</article>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<section class="related"><h3>Related</h3><ul>
<li><a href="/a">Another story about something that happened somewhere else today</a></li>
<li><a href="/b">Second related headline that links to a different article entirely</a></li></ul></section>
<div id="comments"><p>Great article, I completely agree with everything the author says here about this.</p></div>
</main><aside class="sidebar"><h3>Most read</h3><p>Sidebar teaser text that should never be part of the article body at all.</p></aside></div>
${extra}<footer><p>Copyright © 2023 Example News. All rights reserved. Contact us: news@example.com</p></footer></body></html>`;
}

describe("cleanPage on HTML", () => {
  const cases: { name: string; html: string; keep: string[]; drop: string[]; lang: string; script?: string; title?: string; published?: string }[] = [
    {
      name: "zh with printed date",
      html: page(
        "zh-CN",
        "<title>金正恩与普京举行会晤_国际新闻_示例网</title>",
        `<h1>金正恩与普京举行会晤</h1><div class="info">发布时间:2024-06-19 11:06:00 来源:示例网</div>
${para("朝鲜最高领导人金正恩和俄罗斯总统普京上周三在俄罗斯阿穆尔州东方航天发射场举行会晤，双方讨论了军事合作事宜。")}
${para("韩国外交部周六表示，美国国务卿布林肯和韩国、日本外长对俄罗斯与朝鲜之间的军事合作表示严重关切。")}
<figure><img src="x.jpg"><figcaption>朝鲜最高领导人金正恩和俄罗斯总统普京握手合影。</figcaption></figure>
${para("据韩联社报导，韩国外交部周二召见了俄罗斯驻韩国大使，就此事表达了政府的立场。")}`,
      ),
      keep: ["东方航天发射场举行会晤", "就此事表达了政府的立场"],
      drop: ["Share on Facebook", "Another story", "Great article", "Sidebar teaser", "Copyright", "握手合影"],
      lang: "zh",
      script: "Hans",
      title: "金正恩与普京举行会晤",
      published: "2024-06-19",
    },
    {
      name: "vi with day-first date",
      html: page(
        "vi",
        "<title>Mỹ, Hàn lo Triều Tiên hợp tác với Nga - Báo Ví Dụ</title>",
        `<h1>Mỹ, Hàn lo Triều Tiên hợp tác với Nga</h1><span class="date">Thứ năm, 09/11/2023, 22:05</span>
${para("Ngoại trưởng Mỹ Antony Blinken gọi quan hệ hợp tác giữa Matxcơva và Bình Nhưỡng là đường hai chiều, đề cập đến việc chuyển giao vũ khí.")}
${para("Trong chuyến thăm hai ngày đến Hàn Quốc, Ngoại trưởng Mỹ cho biết Mỹ chia sẻ cùng Hàn Quốc các quan ngại về hợp tác quân sự.")}`,
      ),
      keep: ["đường hai chiều", "quan ngại về hợp tác quân sự"],
      drop: ["Share on X", "Second related headline", "Sidebar teaser"],
      lang: "vi",
      title: "Mỹ, Hàn lo Triều Tiên hợp tác với Nga",
      published: "2023-11-09",
    },
    {
      name: "en with JSON-LD and Open Graph",
      html: page(
        "en",
        `<title>Restaurants to be rated for hygiene | Example News</title><meta property="og:title" content="Restaurants to be rated for hygiene">
<meta property="article:published_time" content="2011-12-01T08:00:00Z"><link rel="canonical" href="https://example.com/news/hygiene">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Restaurants to be rated for hygiene","datePublished":"2011-12-01T08:00:00Z","author":{"@type":"Person","name":"Jane Smith"},"publisher":{"@type":"Organization","name":"Example News"}}</script>`,
        `<h1>Restaurants to be rated for hygiene</h1>
${para("Wales could compel restaurants and takeaways to publicly display hygiene ratings on their premises, ministers said on Thursday.")}
${para("Welsh Government ministers are keen to drive up hygiene standards in the principality via a proposed scores-on-the-doors system.")}
${para("Under the scheme, businesses would be given a rating from zero to five following an inspection by environmental health officers.")}`,
      ),
      keep: ["publicly display hygiene ratings", "environmental health officers"],
      drop: ["Home", "Share on Facebook", "Another story", "Great article", "Copyright"],
      lang: "en",
      title: "Restaurants to be rated for hygiene",
      published: "2011-12-01",
    },
    {
      name: "ru with cookie notice and meta date",
      html: page(
        "ru",
        `<title>Вагоны грузового поезда сошли с рельсов - Новости</title><meta name="pubdate" content="2012-01-04">`,
        `<h1>Вагоны грузового поезда сошли с рельсов</h1>
${para("Вагоны со щебнем сошли с рельсов в Хабаровском крае в среду днем, сообщил представитель пресс-службы регионального центра МЧС.")}
${para("ЧП произошло в Амурском районе, в 65 километрах от Комсомольска-на-Амуре, жертв и пострадавших нет, поезда движутся без задержек.")}`,
        `<div class="cookie-consent"><p>Мы используем файлы cookie, чтобы сделать сайт удобнее для вас и улучшить работу сервиса.</p></div>`,
      ),
      keep: ["Хабаровском крае", "без задержек"],
      drop: ["файлы cookie", "Sidebar teaser"],
      lang: "ru",
      script: "Cyrl",
      title: "Вагоны грузового поезда сошли с рельсов",
      published: "2012-01-04",
    },
  ];

  it.each(cases)("$name", (c) => {
    const out = cleanPage({ body: c.html, kind: "html", url: "https://example.com/news/story" });
    for (const k of c.keep) expect(out.text).toContain(k);
    for (const d of c.drop) expect(out.text).not.toContain(d);
    expect(out.text).toBe(out.paragraphs.join("\n\n"));
    expect(out.language).toBe(c.lang);
    if (c.script) expect(out.script).toBe(c.script);
    if (c.title) expect(out.title).toBe(c.title);
    if (c.published) expect(out.published?.slice(0, 10)).toBe(c.published);
  });

  it("reads authors, site name and canonical URL from JSON-LD and links", () => {
    const out = cleanPage({ body: cases[2]!.html, kind: "html" });
    expect(out.authors).toEqual(["Jane Smith"]);
    expect(out.site_name).toBe("Example News");
    expect(out.canonical_url).toBe("https://example.com/news/hygiene");
  });

  it("uses meta.published when the page states no date, and meta.language as a prior", () => {
    const html = `<html><body><article><p>Short note without any date at all but with enough words to be a paragraph of text.</p></article></body></html>`;
    const out = cleanPage({ body: html, kind: "html" }, { published: "2023-09-23", language: "en" });
    expect(out.published).toBe("2023-09-23");
    expect(out.language).toBe("en");
  });

  it("uses JSON-LD articleBody when the markup yields little", () => {
    const body = "Officials confirmed on Monday that the bridge will reopen next week after repairs. ".repeat(6);
    const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":${JSON.stringify(body)}}</script></head><body><div id="app"></div></body></html>`;
    const out = cleanPage({ body: html, kind: "html" });
    expect(out.text).toContain("bridge will reopen");
  });

  it("keeps reader comments out even when they outweigh the article", () => {
    const comment = (i: number) => `<div class="comment-item"><p>Reader ${i} writes a long opinion about this story that goes on and on, with many words about nothing in particular, again and again.</p></div>`;
    const html = `<html><head><title>Council approves new bridge</title></head><body><div class="page">
<div class="story"><h1>Council approves new bridge</h1>${para("The city council approved the construction of a new bridge across the river on Tuesday evening after a long debate.", 3)}</div>
<div class="commentthread">${Array.from({ length: 12 }, (_, i) => comment(i)).join("")}</div></div></body></html>`;
    const out = cleanPage({ body: html, kind: "html" });
    expect(out.text).toContain("approved the construction");
    expect(out.text).not.toContain("Reader 3 writes");
  });
  it("prefers the printed dateline among the page's metadata dates", () => {
    const html = `<html lang="en"><head><title>Bridge</title><meta name="date" content="01/07/16"><meta property="og:published_time" content="2024-10-08T00:00:00-04:00"></head><body>
<article><h1>Council approves new bridge</h1><p class="date">October 08, 2024</p>${para("The city council approved the construction of a new bridge across the river on Tuesday evening after a long debate.", 3)}</article></body></html>`;
    expect(cleanPage({ body: html, kind: "html" }).published).toBe("2024-10-08");
  });
  it("finds a labelled date further down when the page has no date metadata", () => {
    const html = `<html lang="zh"><head><title>大桥获批</title></head><body><div class="main">
${para("市议会周二晚间经过长时间辩论后批准在河上修建一座新桥，工程预计明年开工，将缓解城市交通压力。", 12)}<p>作者:记者 发表于:2005-07-31 12:30</p></div></body></html>`;
    expect(cleanPage({ body: html, kind: "html" }).published).toBe("2005-07-31");
  });
  it("survives broken markup", () => {
    const html = `<html><body><div><p>Unclosed paragraph with a reasonable amount of words to count as text here<div><span><b>nested <i>badly</b></i> closed</span><p>Another paragraph that has quite a few words in it, enough for prose.</td></tr></table>`;
    const out = cleanPage({ body: html, kind: "html" });
    expect(out.text).toContain("Another paragraph");
  });
});

describe("pathological HTML is handled in bounded time", () => {
  const cases: [string, () => string][] = [
    ["100k-deep nesting", () => "<div>".repeat(100_000) + "<p>deep text that is long enough to be kept as a paragraph here</p>" + "</div>".repeat(100_000)],
    ["unclosed 100k-deep nesting", () => "<html><body>" + "<div><span>".repeat(100_000) + "text"],
    ["megabyte-long line", () => `<html><body><p>${"word ".repeat(250_000)}</p></body></html>`],
    ["huge table", () => `<table>${"<tr><td>cell</td><td><a href='#'>link</a></td></tr>".repeat(50_000)}</table>`],
    ["mismatched closing tags", () => "<div>".repeat(20_000) + "</span>".repeat(20_000) + "<p>text</p>"],
  ];
  it.each(cases)("%s", (_name, make) => {
    const html = make();
    const t0 = performance.now();
    const out = cleanPage({ body: html, kind: "html" });
    const ms = performance.now() - t0;
    expect(typeof out.text).toBe("string");
    expect(ms).toBeLessThan(3000);
  });
});

describe("flat text pages (a text dump wrapped in <p> lines, no links, no structure)", () => {
  it("are cleaned with the plain-text rules: teaser lines and footers out, the byline date in", async () => {
    const { cleanPage } = await import("../src/clean.ts");
    const lines = [
      "Trang chủ", "Thế giới", "Thời sự",
      "Hà Nội và Seoul ký thỏa thuận hợp tác quốc phòng mới",
      "Thứ ba, 12/03/2024, 09:15",
      "Bộ trưởng Quốc phòng hai nước đã ký một thỏa thuận hợp tác mới tại Hà Nội vào sáng nay, mở rộng trao đổi huấn luyện và tìm kiếm cứu nạn trên biển.",
      "Theo thỏa thuận, hai bên sẽ tổ chức đối thoại chính sách quốc phòng thường niên và tăng cường hợp tác trong lĩnh vực công nghiệp quốc phòng trong những năm tới.",
      "Phía Hàn Quốc cho biết thỏa thuận là bước tiến quan trọng trong quan hệ đối tác chiến lược toàn diện giữa hai nước, được nâng cấp từ cuối năm 2022.",
      "Tin liên quan",
      "Kết quả xổ số hôm nay ngày 6 tháng 12 năm 2025",
      "Giá vàng hôm nay tăng mạnh",
      "Bản quyền © 2024 Báo Ví Dụ. Liên hệ: toasoan@vidu.test",
    ];
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${lines.map((l) => `<p>${l}</p>`).join("")}</body></html>`;
    const a = cleanPage({ body: html, kind: "html" }, { published: "2024-03-12" });
    expect(a.published).toBe("2024-03-12");
    expect(a.text).toContain("đối thoại chính sách quốc phòng");
    expect(a.text).not.toContain("xổ số");
    expect(a.text).not.toContain("Bản quyền");
  });
});
