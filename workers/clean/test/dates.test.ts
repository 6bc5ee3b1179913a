import { describe, it, expect } from "vitest";
import { dateFromUrl, findDateInLines, parseDate } from "../src/dates.ts";

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
