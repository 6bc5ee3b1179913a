import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  detectBotWall,
  isAllowedByRobots,
  isPermanentStatus,
  MemoryRobotsCache,
  parseRetryAfter,
  policyFromEnv,
  PolicyError,
  resolvePolicy,
  robotsCrawlDelay,
  robotsToken,
} from "../src/index.ts";

describe("policy", () => {
  it("defaults", () => {
    const p = resolvePolicy();
    expect(p).toMatchObject({
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 15_000,
      bodyTimeoutMs: 30_000,
      maxBodyBytes: 5 * 1024 * 1024,
      maxRedirects: 5,
      userAgent: "TidingsBot/0.1 (+https://github.com/tidings)",
      respectRobots: true,
      ssrf: { allowHosts: [], allowCidrs: [] },
    });
    expect(p.allowedContentTypes).toEqual(["text/html", "application/xhtml+xml", "text/plain"]);
    expect(DEFAULT_POLICY.robotsTtlMs).toBe(3_600_000);
  });

  it.each([
    [{ connectTimeoutMs: 0 }, /connectTimeoutMs/],
    [{ maxBodyBytes: -1 }, /maxBodyBytes/],
    [{ maxRedirects: 1.5 }, /maxRedirects/],
    [{ userAgent: "a\r\nb" }, /userAgent/],
    [{ allowedContentTypes: [] }, /allowedContentTypes/],
    [{ allowedContentTypes: ["html"] }, /media type/],
    [{ ssrf: { allowHosts: [], allowCidrs: ["10.0.0.0/99"] } }, /allowCidrs/],
    [{ ssrf: { allowHosts: ["http://x/"], allowCidrs: [] } }, /allowHosts/],
    [{ ssrf: { allowHosts: ["x:99999"], allowCidrs: [] } }, /allowHosts/],
  ])("rejects %j", (partial, msg) => {
    expect(() => resolvePolicy(partial)).toThrow(msg);
  });

  it("policyFromEnv reads TIDINGS_FETCH_* variables", () => {
    const p = policyFromEnv({
      TIDINGS_FETCH_CONNECT_TIMEOUT_MS: "2000",
      TIDINGS_FETCH_HEADERS_TIMEOUT_MS: "3000",
      TIDINGS_FETCH_BODY_TIMEOUT_MS: "4000",
      TIDINGS_FETCH_MAX_BODY_BYTES: "1048576",
      TIDINGS_FETCH_MAX_REDIRECTS: "2",
      TIDINGS_FETCH_USER_AGENT: "TestBot/1.0",
      TIDINGS_FETCH_ALLOWED_CONTENT_TYPES: "text/html, text/plain",
      TIDINGS_FETCH_ALLOW_HOSTS: "localhost:8080, intranet.example",
      TIDINGS_FETCH_ALLOW_CIDRS: "10.0.0.0/8,fd00::/8",
      TIDINGS_FETCH_RESPECT_ROBOTS: "no",
      TIDINGS_FETCH_ROBOTS_TTL_MS: "60000",
      UNRELATED: "x",
    });
    expect(p).toMatchObject({
      connectTimeoutMs: 2000,
      headersTimeoutMs: 3000,
      bodyTimeoutMs: 4000,
      maxBodyBytes: 1048576,
      maxRedirects: 2,
      userAgent: "TestBot/1.0",
      allowedContentTypes: ["text/html", "text/plain"],
      ssrf: { allowHosts: ["localhost:8080", "intranet.example"], allowCidrs: ["10.0.0.0/8", "fd00::/8"] },
      respectRobots: false,
      robotsTtlMs: 60000,
    });
  });

  it("policyFromEnv with nothing set gives the defaults", () => {
    expect(policyFromEnv({})).toMatchObject({ connectTimeoutMs: 10_000, ssrf: { allowHosts: [], allowCidrs: [] } });
  });

  it.each([
    [{ TIDINGS_FETCH_CONNECT_TIMEOUT_MS: "soon" }, /TIDINGS_FETCH_CONNECT_TIMEOUT_MS/],
    [{ TIDINGS_FETCH_MAX_BODY_BYTES: "0" }, /TIDINGS_FETCH_MAX_BODY_BYTES/],
    [{ TIDINGS_FETCH_RESPECT_ROBOTS: "maybe" }, /TIDINGS_FETCH_RESPECT_ROBOTS/],
    [{ TIDINGS_FETCH_ALLOW_CIDRS: "10.0.0.0/8,banana" }, /TIDINGS_FETCH_ALLOW_CIDRS/],
    [{ TIDINGS_FETCH_ALLOW_HOSTS: "a b" }, /TIDINGS_FETCH_ALLOW_HOSTS/],
  ])("policyFromEnv rejects %j", (env, msg) => {
    expect(() => policyFromEnv(env)).toThrow(PolicyError);
    expect(() => policyFromEnv(env)).toThrow(msg);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    ["120", 120_000],
    ["0", 0],
    [" 5 ", 5_000],
    ["Wed, 01 Jan 2025 00:01:00 GMT", 60_000],
    ["Tue, 31 Dec 2024 23:00:00 GMT", 0],
    ["-5", undefined],
    ["1.5", undefined],
    ["soon", undefined],
    ["", undefined],
    [undefined, undefined],
    ["99999999", 7 * 24 * 3600 * 1000],
  ])("%s -> %s", (h, ms) => {
    expect(parseRetryAfter(h, now)).toBe(ms);
  });
  it("takes the first of several values", () => {
    expect(parseRetryAfter(["30", "60"], now)).toBe(30_000);
  });
});

describe("status classification", () => {
  it.each([
    [400, true],
    [401, true],
    [403, true],
    [404, true],
    [408, false],
    [410, true],
    [425, false],
    [429, false],
    [451, true],
    [500, false],
    [502, false],
    [503, false],
    [504, false],
    [304, true],
  ])("%i permanent=%s", (status, permanent) => {
    expect(isPermanentStatus(status)).toBe(permanent);
  });
});

describe("robots", () => {
  const txt = [
    "User-agent: *",
    "Disallow: /private",
    "Allow: /private/open",
    "",
    "User-agent: TidingsBot",
    "Disallow: /no-tidings",
    "Crawl-delay: 2",
    "",
    "User-agent: BadBot",
    "Disallow: /",
  ].join("\n");
  const ua = "TidingsBot/0.1 (+https://github.com/tidings)";
  it.each([
    ["https://x.org/", ua, true],
    ["https://x.org/no-tidings/a", ua, false],
    ["https://x.org/private/a", ua, true], // the TidingsBot group replaces the * group
    ["https://x.org/private/a", "SomeBot/1", false],
    ["https://x.org/private/open/a", "SomeBot/1", true],
    ["https://x.org/anything", "BadBot", false],
  ])("%s for %s -> %s", (url, agent, allowed) => {
    expect(isAllowedByRobots(url, txt, agent)).toBe(allowed);
  });
  it("empty or garbage robots.txt allows all", () => {
    expect(isAllowedByRobots("https://x.org/a", "", ua)).toBe(true);
    expect(isAllowedByRobots("https://x.org/a", "\u0000\u0001 garbage", ua)).toBe(true);
  });
  it("crawl delay and token", () => {
    expect(robotsCrawlDelay("https://x.org/", txt, ua)).toBe(2);
    expect(robotsToken(ua)).toBe("TidingsBot");
  });
  it("MemoryRobotsCache expires entries and evicts the oldest", () => {
    let now = 1000;
    const c = new MemoryRobotsCache(2, () => now);
    c.set("http://a", { kind: "allow_all", fetchedAt: now }, 100);
    expect(c.get("http://a")?.kind).toBe("allow_all");
    now = 1200;
    expect(c.get("http://a")).toBeUndefined();
    c.set("http://a", { kind: "allow_all", fetchedAt: now }, 1000);
    c.set("http://b", { kind: "allow_all", fetchedAt: now }, 1000);
    c.set("http://c", { kind: "allow_all", fetchedAt: now }, 1000);
    expect(c.get("http://a")).toBeUndefined();
    expect(c.size).toBe(2);
  });
});

describe("detectBotWall", () => {
  const article = `<html><head><title>Just a moment in history</title></head><body>${"<p>Real news text. ".repeat(200)}<div class="g-recaptcha"></div></body></html>`;
  it.each([
    [503, {}, "<html><head><title>Just a moment...</title></head><body>checking</body></html>", true],
    [403, {}, "<title>Attention Required! | Cloudflare</title>", true],
    [403, { "cf-mitigated": "challenge" }, "", true],
    [200, {}, "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script>", true],
    [403, {}, "<script src='https://geo.captcha-delivery.com/captcha/'></script>", true],
    [202, {}, "<title>Security check</title><div class='h-captcha'></div>", true],
    [403, {}, "<html><body>Access Denied. You don't have permission. Reference #18.abc</body></html>", true],
    [403, {}, "<html><body><h1>Forbidden</h1></body></html>", false],
    [503, {}, "<html><body>Service Unavailable</body></html>", false],
    [429, {}, "Too many requests", false],
    [200, {}, article, false],
    [404, {}, "<title>Just a moment...</title>", false],
  ])("status %i %j -> wall=%s", (status, headers, body, wall) => {
    expect(detectBotWall(status, headers, body) !== undefined).toBe(wall);
    // The same answer from a body given as a function, read only when the response may be a wall.
    expect(detectBotWall(status, headers, () => body, Buffer.byteLength(body)) !== undefined).toBe(wall);
  });

  it("does not read the body of a response too big, or of a status, to be a wall", () => {
    const unread = () => { throw new Error("the body was read"); };
    expect(detectBotWall(503, {}, unread, 500_000)).toBeUndefined();
    expect(detectBotWall(200, {}, unread, 40_000)).toBeUndefined();
    expect(detectBotWall(404, {}, unread, 1_000)).toBeUndefined();
    expect(detectBotWall(403, { "cf-mitigated": "challenge" }, unread, 1_000)).toBe("cloudflare challenge (cf-mitigated)");
  });
});
