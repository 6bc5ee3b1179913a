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
    ["Ex-Ministerin neue Chefin von Migrations-Thinktank", undefined, "Ex-Ministerin neue Chefin von Migrations-Thinktank"],
    ["Itaipu hat sechs neue Ausschreibungen in Höhe von 11 Millionen US-Dollar", undefined, "Itaipu hat sechs neue Ausschreibungen in Höhe von 11 Millionen US-Dollar"],
    ["El Córdoba logra un punto vital ante Noia (3-3)", undefined, "El Córdoba logra un punto vital ante Noia (3-3)"],
    ["장동혁, 한동훈 제명했지만 부담 커졌다-정치ㅣ한국일보", undefined, "장동혁, 한동훈 제명했지만 부담 커졌다"],
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
  it("takes a short h1 when the meta title is that h1 plus a decoration", () => {
    expect(cleanTitle("„Unermüdlicher Einsatz“ - Die Neue Zeitung", { h1: ["„Unermüdlicher Einsatz“"] })).toBe("„Unermüdlicher Einsatz“");
  });
  it("ignores an og:title that is just the site name", () => {
    expect(cleanTitle("Robomow", { siteName: "Robomow", docTitle: "Which mower suits which lawn? | Robomow" })).toBe("Which mower suits which lawn?");
  });
  it("takes the h1 when another headline source agrees with it", () => {
    expect(
      cleanTitle("Blog post >> Visit our blog to learn more", {
        h1: ["Paid Time-Off Policies: Best Practices and Benefits"],
        docTitle: "Paid Time Off Policies: Best Practices & Benefits | Example Blog",
        others: [undefined, "Paid Time-Off Policies: Best Practices and Benefits"],
      }),
    ).toBe("Paid Time-Off Policies: Best Practices and Benefits");
  });
  it("keeps the meta title when no source agrees with the h1", () => {
    expect(cleanTitle("Strava taps AI to weed out cheats", { h1: ["Latest news"], docTitle: "Strava taps AI to weed out cheats | TechCrunch" })).toBe("Strava taps AI to weed out cheats");
  });
  it("returns undefined without any title", () => {
    expect(cleanTitle(undefined)).toBeUndefined();
  });
});
