import { describe, it, expect } from "vitest";
import { cleanTitle, stripSiteSuffix } from "../src/title.ts";

describe("stripSiteSuffix", () => {
  const cases: [string, string | undefined, string][] = [
    ["Restaurants to be rated for hygiene - BBC News", undefined, "Restaurants to be rated for hygiene"],
    ["格兰仕连曝3起质量门 专家:多元化战略需脚踏实地_网易新闻中心", undefined, "格兰仕连曝3起质量门 专家:多元化战略需脚踏实地"],
    ["10月中国减持美国国债142亿美元 仍是最大持有国_财经_凤凰网", undefined, "10月中国减持美国国债142亿美元 仍是最大持有国"],
    ["Ученые выявили, что купание опасно - АН-online", undefined, "Ученые выявили, что купание опасно"],
    ["Is it really always the DNS? | APNIC Blog", undefined, "Is it really always the DNS?"],
    ["GAME CHANGER | Newegg.com", undefined, "GAME CHANGER"],
    ["Chính sách mới có hiệu lực từ tháng 3/2026", undefined, "Chính sách mới có hiệu lực từ tháng 3/2026"],
    ["Biden - Putin talks end", "Example News", "Biden - Putin talks end"],
  ];
  it.each(cases)("%s", (raw, site, want) => expect(stripSiteSuffix(raw, site)).toBe(want));
});

describe("cleanTitle", () => {
  it("prefers the h1 when it is the same headline", () => {
    expect(cleanTitle("Strava taps AI to weed out cheats | TechCrunch", { h1: ["Strava taps AI to weed out cheats"] })).toBe("Strava taps AI to weed out cheats");
  });
  it("ignores an h1 that is the site name", () => {
    expect(cleanTitle("A brief intro to git • Cory Dransfeldt", { h1: ["Cory Dransfeldt"], siteName: "Cory Dransfeldt" })).toBe("A brief intro to git");
  });
  it("returns undefined without any title", () => {
    expect(cleanTitle(undefined)).toBeUndefined();
  });
});
