import { describe, it, expect } from "vitest";
import { cleanTitle, foldHeadline, stripSiteSuffix, voteTitle } from "../src/title.ts";

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
    ["Ferries Are Not Required When Bridges Open--Commuters Save an Hour", undefined, "Ferries Are Not Required When Bridges Open--Commuters Save an Hour"],
    ["大桥今日通车--交通--示例网", undefined, "大桥今日通车"],
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

describe("foldHeadline", () => {
  const cases: [string, string][] = [
    ["Why Hasn’t the Bridge Opened?", "Why Hasn't the Bridge Opened?"],
    ["Mayor: “No delays”", 'Mayor: "No delays"'],
    ["Ferries—and bridges", "Ferries-and bridges"],
    ["Ferries--and bridges", "Ferries-and bridges"],
    ["Wait for it…", "Wait for it..."],
    ["Costs & Benefits", "Costs and Benefits"],
  ];
  it.each(cases)("%s", (a, b) => expect(foldHeadline(a)).toBe(foldHeadline(b)));
  it("keeps case", () => expect(foldHeadline("How To Fix It")).not.toBe(foldHeadline("How to fix it")));
});

describe("voteTitle", () => {
  const cases: [string, string, string[], string | undefined, string][] = [
    ["majority spelling of the same headline", "Why Hasn’t the Bridge Opened?", ["Why Hasn't the Bridge Opened?", "Why Hasn't the Bridge Opened?", "Why Hasn’t the Bridge Opened?"], undefined, "Why Hasn't the Bridge Opened?"],
    ["a different headline has no say", "Bridge opens at last", ["Council hails new bridge", "Council hails new bridge", "Bridge opens at last"], undefined, "Bridge opens at last"],
    ["a tie stays with the choice", "Mayor’s bridge opens", ["Mayor's bridge opens", "Mayor’s bridge opens"], undefined, "Mayor’s bridge opens"],
    ["a tie goes to the tie-breaker", "Mayor’s bridge opens", ["Mayor's bridge opens", "Mayor’s bridge opens"], "Mayor's bridge opens", "Mayor's bridge opens"],
    ["'&' and 'and' are one headline", "Costs and Benefits of the New Bridge", ["Costs & Benefits of the New Bridge", "Costs & Benefits of the New Bridge"], undefined, "Costs & Benefits of the New Bridge"],
    ["an all-caps choice takes the sources' case", "NEW BRIDGE OPENS TO TRAFFIC", ["New Bridge Opens to Traffic"], undefined, "New Bridge Opens to Traffic"],
    ["case differences alone do not vote", "How to Cross the New Bridge", ["How To Cross The New Bridge", "How To Cross The New Bridge"], undefined, "How to Cross the New Bridge"],
  ];
  it.each(cases)("%s", (_name, current, cands, tie, want) => expect(voteTitle(current, cands, tie)).toBe(want));
});

describe("cleanTitle with voters", () => {
  const cases: [string, string | undefined, { h1: string[]; docTitle?: string; voters: (string | undefined)[]; siteName?: string; others?: (string | undefined)[] }, string][] = [
    [
      "the h1's spelling loses to the sources' majority",
      "Why Hasn't the Bridge Opened?",
      { h1: ["Why Hasn’t the Bridge Opened?"], docTitle: "Why Hasn't the Bridge Opened? | Example Times", voters: ["Why Hasn't the Bridge Opened?", undefined, undefined, "Why Hasn't the Bridge Opened? | Example Times"], siteName: "Example Times" },
      "Why Hasn't the Bridge Opened?",
    ],
    [
      "a kicker before the headline is cut",
      "Council votes to reopen the old bridge",
      { h1: ["Transport Council votes to reopen the old bridge"], docTitle: "Council votes to reopen the old bridge | Example Times", voters: ["Council votes to reopen the old bridge", undefined, undefined, "Council votes to reopen the old bridge | Example Times"] },
      "Council votes to reopen the old bridge",
    ],
    [
      "a label before the headline is cut",
      "Ten ways to cross the river | Example Blog",
      { h1: ["Blog: Ten ways to cross the river"], docTitle: "Ten ways to cross the river | Example Blog", voters: ["Ten ways to cross the river | Example Blog", undefined, "Ten ways to cross the river | Example Blog", "Ten ways to cross the river | Example Blog"] },
      "Ten ways to cross the river",
    ],
    [
      "a date after the headline is cut",
      "Ten ways to cross the river",
      { h1: ["Ten ways to cross the river January 1, 2025"], docTitle: "Ten ways to cross the river", voters: ["Ten ways to cross the river", undefined, undefined, "Ten ways to cross the river"] },
      "Ten ways to cross the river",
    ],
    [
      "markup debris after the headline is cut",
      "Ten ways to cross the river",
      { h1: ["Ten ways to cross the river</>"], docTitle: "Ten ways to cross the river | Example Blog", voters: ["Ten ways to cross the river", undefined, undefined, "Ten ways to cross the river | Example Blog"] },
      "Ten ways to cross the river",
    ],
    [
      "a subtitle after the headline is kept",
      "Ten ways to cross the river",
      { h1: ["Ten ways to cross the river: a walker's guide"], docTitle: "Ten ways to cross the river", voters: ["Ten ways to cross the river", undefined, undefined, "Ten ways to cross the river"] },
      "Ten ways to cross the river: a walker's guide",
    ],
    [
      "an h1 that agrees with a second og:title value",
      "Cheap bridges for small towns",
      { h1: ["Affordable Bridge Building Services for Small Towns"], docTitle: "Cheap bridges for small towns", voters: ["Cheap bridges for small towns", undefined, undefined, "Cheap bridges for small towns"], others: [undefined, undefined, "Affordable Bridge Building Services for Small Towns"] },
      "Affordable Bridge Building Services for Small Towns",
    ],
  ];
  it.each(cases)("%s", (_name, raw, opts, want) => expect(cleanTitle(raw, opts)).toBe(want));
});
