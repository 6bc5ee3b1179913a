import { describe, it, expect } from "vitest";
import { dateFromTitle, dateFromUrl, findDateInLines, findLabelledDate, findPrintedDate, parseDate } from "../src/dates.ts";

describe("parseDate", () => {
  const cases: [string, string | undefined, boolean?][] = [
    ["2023-09-13T10:00:00+08:00", "2023-09-13"],
    ["2025-06-05 14:46:12+02:00", "2025-06-05"],
    ["发布时间:2024-06-19 11:06:00", "2024-06-19"],
    ["2023年9月13日 星期三", "2023-09-13"],
    ["2023년 9월 13일", "2023-09-13"],
    ["09/11/2023 22:05 GMT+7", "2023-11-09"],
    ["Thứ năm, 20/12/2012, 10:18", "2012-12-20"],
    ["ngày 9 tháng 11 năm 2023", "2023-11-09"],
    ["13.09.2023", "2023-09-13"],
    ["09/11/2023", "2023-09-11", false],
    ["September 13, 2023", "2023-09-13"],
    ["13 September 2023", "2023-09-13"],
    ["5. Juni 2025", "2025-06-05"],
    ["13 сентября 2023 г.", "2023-09-13"],
    ["13 de septiembre de 2023", "2023-09-13"],
    ["Thu, 09 Nov 2023 22:05:00 GMT", "2023-11-09"],
    ["2005-5-7 21:23:57", "2005-05-07"],
    ["20230913", "2023-09-13"],
    ["2023-02-30", undefined],
    ["no date here", undefined],
  ];
  it.each(cases)("%s -> %s", (s, want, dayFirst) => {
    expect(parseDate(s, dayFirst === undefined ? {} : { dayFirst })).toBe(want);
  });
});

describe("dateFromUrl", () => {
  const cases: [string, string | undefined][] = [
    ["https://example.com/2023/09/13/some-story", "2023-09-13"],
    ["https://example.com/news/20230913/123.html", "2023-09-13"],
    ["https://example.com/a/2023-9-3-title", "2023-09-03"],
    ["https://example.com/story/12345", undefined],
  ];
  it.each(cases)("%s -> %s", (url, want) => expect(dateFromUrl(url)).toBe(want));
});

describe("findDateInLines", () => {
  it("prefers a labelled publication date over other dates", () => {
    expect(findDateInLines(["更新时间:2024-06-20 10:00", "发布时间:2024-06-19 11:06:00"])).toBe("2024-06-19");
    expect(findDateInLines(["Home", "09/11/2023 22:05 GMT+7"])).toBe("2023-11-09");
  });
});

describe("findPrintedDate (the dateline settles which metadata date)", () => {
  const known = new Set(["2024-10-08", "2016-01-07", "2021-03-12"]);
  const cases: [string, string[], string | undefined][] = [
    ["nearest short dateline that metadata knows", ["By Jane Doe", "October 08, 2024", "January 7, 2016"], "2024-10-08"],
    ["a date metadata does not carry is ignored", ["June 2, 2025", "January 7, 2016"], "2016-01-07"],
    ["updated lines are skipped", ["Updated October 8, 2024", "January 7, 2016"], "2016-01-07"],
    ["two dates on a line are skipped", ["Mar 12, 2021Oct 8, 2024 by Someone"], undefined],
    ["long sentences are skipped", ["On October 8, 2024 the committee met for the first time in a long while to discuss the budget"], undefined],
  ];
  it.each(cases)("%s", (_n, lines, want) => expect(findPrintedDate(lines, known, { dayFirst: false })).toBe(want));
  it("needs known dates", () => expect(findPrintedDate(["October 08, 2024"], new Set())).toBeUndefined());
});

describe("findLabelledDate / dateFromTitle", () => {
  it("reads labelled lines only", () => {
    expect(findLabelledDate(["2019-01-01 some list", "作者:某人 阅读(1660) 发表于:2005-07-31 12:30"])).toBe("2005-07-31");
    expect(findLabelledDate(["Published on March 02, 2025"], { dayFirst: false })).toBe("2025-03-02");
    expect(findLabelledDate(["Last updated: Jul 22, 2021"])).toBeUndefined();
  });
  const cases: [string, string | undefined][] = [
    ["Ukrainische Gegenoffensive: Ziele, Chancen, Risiken | Europa | DW | 28.04.2023", "2023-04-28"],
    ["Headline of the day - 5 June 2025", "2025-06-05"],
    ["Top 10 phones of 2025 | Reviews", undefined],
    ["Best laptops 2026: Premium, budget, gaming", undefined],
  ];
  it.each(cases)("%s", (t, want) => expect(dateFromTitle(t)).toBe(want));
});

describe("dateFromUrl article ids", () => {
  const cases: [string, string | undefined][] = [
    ["https://news.example.kr/news/article/A2026012914320005196", "2026-01-29"],
    ["https://example.com/story/20231305123456", undefined],
    ["https://example.com/p/123456789", undefined],
  ];
  it.each(cases)("%s", (u, want) => expect(dateFromUrl(u)).toBe(want));
});
