/**
 * Client-rendered pages: the article's HTML read from Next.js App Router flight data when the
 * markup is an empty shell, and the flight payload's text rows cut at their byte lengths.
 */
import { describe, expect, it } from "vitest";
import { cleanPage } from "../src/index.ts";
import { flightArticleHtml, flightPayload, textRows } from "../src/flight-data.ts";

const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");
/** A flight script pushing one chunk, written the way Next.js writes it (a JSON string literal). */
const push = (chunk: string): string => `<script>self.__next_f.push([1,${JSON.stringify(chunk).replace(/</g, "\\u003c")}])</script>`;

const ARTICLE = [
  "국민의힘은 조만간 인재영입위원회를 발족하는 등 당을 지방선거 체제로 조속히 전환할 방침이다. 이를 통해 여진을 최소화하겠다는 계산이다.",
  "장 대표 측은 특히 제명이 중도층과의 결별을 의미하지는 않는다는 점을 거듭 강조한다. 최근 주요 여론조사 결과도 근거로 들었다.",
  "당내에서는 다음 달 1심 선고에 맞춰 노선을 정리할 것이라는 관측이 나온다. 지방선거 결과가 리더십의 시험대가 될 전망이다.",
];
const articleHtml = `<div class="editor-p">${ARTICLE.join("</div><div class=\"editor-p\">")}</div>`;

function shellPage(rows: string[]): string {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>장동혁, 한동훈 제명 - 한국일보</title></head>
<body><main><nav><a href="/">홈</a> <a href="/politics">정치</a></nav><div class="spinner">불러오는 중</div></main>
${rows.map(push).join("")}</body></html>`;
}

describe("flight payload", () => {
  it("joins the pushed chunks, unescaping their string literals", () => {
    const scripts = [`self.__next_f.push([1,"0:{\\"a\\":1}\\n"])`, `self.__next_f.push([1,"1:T5,\\u003cp\\u003e"])`];
    expect(flightPayload(scripts)).toBe('0:{"a":1}\n1:T5,<p>');
  });

  it.each([
    ["ASCII", "<p>Hello world</p>"],
    ["Korean (three bytes a character)", "<p>국민의힘은 조만간</p>"],
    ["emoji (four bytes, two UTF-16 units)", "<p>ok 👍 done</p>"],
  ])("cuts a text row at its byte length: %s", (_name, text) => {
    const payload = `2:["$","div",null,{}]\n7:T${byteLength(text).toString(16)},${text}8:["$","p",null,{}]\n`;
    expect(textRows(payload)).toEqual([text]);
  });

  it("picks the row with the most text that has paragraphs", () => {
    const small = "<p>Short caption</p>";
    const scripts = [`self.__next_f.push([1,${JSON.stringify(`3:T${byteLength(small).toString(16)},${small}4:T${byteLength(articleHtml).toString(16)},${articleHtml}`)}])`];
    expect(flightArticleHtml(scripts)).toBe(articleHtml);
    expect(flightArticleHtml([])).toBeUndefined();
  });
});

describe("a client-rendered page", () => {
  it("gets its article from the flight data when the markup has none", () => {
    const rows = ['0:["$","html",null,{"lang":"ko"}]\n', `24:T${byteLength(articleHtml).toString(16)},`, articleHtml, '25:["$","$L27",null,{}]\n'];
    const out = cleanPage({ body: shellPage(rows), kind: "html", url: "https://news.example.kr/article/1" });
    for (const p of ARTICLE) expect(out.paragraphs).toContain(p);
    expect(out.language).toBe("ko");
  });

  it("keeps the markup's article when the page rendered it", () => {
    const body = `<!doctype html><html lang="en"><head><title>Budget</title></head><body><article>
${["The city council approved the new budget on Tuesday after a long debate about school funding and road repairs in the city.",
   "Council members said the plan raises spending on public transport by ten percent while keeping property taxes flat.",
   "The mayor welcomed the vote and said work on the first road projects would begin in the spring of next year, as planned.",
   "Opposition members argued that the plan relies on optimistic revenue forecasts that may not hold if the economy slows down."].map((p) => `<p>${p}</p>`).join("")}
</article>${push(`9:T${byteLength(articleHtml).toString(16)},${articleHtml}`)}</body></html>`;
    const out = cleanPage({ body, kind: "html" });
    expect(out.text).toContain("approved the new budget");
    expect(out.text).not.toContain("국민의힘");
  });
});
