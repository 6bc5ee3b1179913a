import { describe, expect, it } from "vitest";
import { BadUrlError, isHttpUrl, normaliseUrl, parseHttpUrl, siteOf } from "../src/url.ts";

describe("normaliseUrl", () => {
  it.each([
    // scheme and host case, default ports
    ["HTTP://Example.COM/a", "http://example.com/a"],
    ["https://EXAMPLE.com:443/a", "https://example.com/a"],
    ["http://example.com:80/a", "http://example.com/a"],
    ["http://example.com:8080/a", "http://example.com:8080/a"],
    ["https://example.com:80/a", "https://example.com:80/a"],
    ["  https://example.com/a  ", "https://example.com/a"],
    // empty path and trailing slashes: "/" for an empty path, otherwise kept as written
    ["https://example.com", "https://example.com/"],
    ["https://example.com/a/", "https://example.com/a/"],
    ["https://example.com/a", "https://example.com/a"],
    ["https://example.com//a//b", "https://example.com//a//b"],
    // dot segments, percent-encoding
    ["https://example.com/a/./b/../c", "https://example.com/a/c"],
    ["https://example.com/%7euser/%41b", "https://example.com/~user/Ab"],
    ["https://example.com/a%2fb%3a", "https://example.com/a%2Fb%3A"],
    ["https://example.com/a b", "https://example.com/a%20b"],
    ["https://example.com/新闻", "https://example.com/%E6%96%B0%E9%97%BB"],
    // fragments
    ["https://example.com/a#section-2", "https://example.com/a"],
    ["https://example.com/a?x=1#", "https://example.com/a?x=1"],
    // tracking parameters and query order
    ["https://example.com/a?utm_source=tw&utm_medium=social&id=5", "https://example.com/a?id=5"],
    ["https://example.com/a?fbclid=abc", "https://example.com/a"],
    ["https://example.com/a?gclid=1&b=2&a=1&UTM_Campaign=x", "https://example.com/a?a=1&b=2"],
    ["https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=1&a=0&b=2"],
    ["https://example.com/a?q=a+b&r=a%20b", "https://example.com/a?q=a+b&r=a%20b"],
    ["https://example.com/a?", "https://example.com/a"],
    ["https://example.com/a?&&x=1&", "https://example.com/a?x=1"],
    ["https://example.com/a?flag", "https://example.com/a?flag"],
    ["https://example.com/a?mc_cid=1&mc_eid=2&msclkid=3&_ga=4&igshid=5", "https://example.com/a"],
    // IDN -> punycode, trailing dot
    ["https://bücher.de/", "https://xn--bcher-kva.de/"],
    ["https://BÜCHER.de/", "https://xn--bcher-kva.de/"],
    ["https://新华网.中国/", "https://xn--xkrr14bows.xn--fiqs8s/"],
    ["https://example.com./a", "https://example.com/a"],
    // IP forms (WHATWG canonicalises them; the fetcher's SSRF guard sees the canonical form)
    ["http://2130706433/", "http://127.0.0.1/"],
    ["http://0177.0.0.1/", "http://127.0.0.1/"],
    ["http://0x7f.0.0.1/", "http://127.0.0.1/"],
    ["http://127.1/", "http://127.0.0.1/"],
    ["http://[0:0:0:0:0:0:0:1]/", "http://[::1]/"],
    ["http://[::FFFF:127.0.0.1]/", "http://[::ffff:7f00:1]/"],
  ])("%s -> %s", (input, expected) => {
    expect(normaliseUrl(input)).toBe(expected);
  });

  it("is idempotent", () => {
    const once = normaliseUrl("HTTPS://Bücher.DE:443/a/../b/%7e?z=1&utm_x=2&a=%2f#f");
    expect(normaliseUrl(once)).toBe(once);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["example.com/a", "missing scheme"],
    ["www.example.com", "missing scheme"],
    ["//example.com/a", "missing scheme"],
    ["localhost:8080/a", "scheme localhost"],
    ["javascript:alert(1)", "scheme javascript"],
    ["JavaScript:alert(1)", "scheme javascript"],
    ["file:///etc/passwd", "scheme file"],
    ["data:text/html,<script>alert(1)</script>", "scheme data"],
    ["gopher://example.com/", "scheme gopher"],
    ["ftp://example.com/", "scheme ftp"],
    ["mailto:a@example.com", "scheme mailto"],
    ["http:example.com", "missing //"],
    ["http://", "not a valid absolute URL"],
    ["http:///path", "no host"],
    ["http://user:pass@example.com/", "credentials"],
    ["http://user@example.com/", "credentials"],
    ["http://@example.com/", "credentials"],
    ["http://example.com:0/", "port 0"],
    ["http://example.com:99999/", "not a valid absolute URL"],
    ["http://exa mple.com/", "not a valid absolute URL"],
    ["http://example.com/\u0000", "control characters"],
    ["http://example.com/a\nb", "control characters"],
    ["http://[::1/", "not a valid absolute URL"],
    [`http://example.com/${"a".repeat(9000)}`, "longer than 8192"],
  ])("rejects %j (%s)", (input, reason) => {
    let err: unknown;
    try {
      normaliseUrl(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadUrlError);
    expect((err as BadUrlError).reason).toContain(reason);
    expect((err as BadUrlError).input).toBe(input);
  });
});

describe("helpers", () => {
  it("parseHttpUrl keeps path and query untouched", () => {
    const u = parseHttpUrl("https://Example.com/a?utm_source=x&b=1#f");
    expect(u.href).toBe("https://example.com/a?utm_source=x&b=1#f");
  });
  it("isHttpUrl", () => {
    expect(isHttpUrl("https://example.com")).toBe(true);
    expect(isHttpUrl("javascript:void(0)")).toBe(false);
  });
  it.each([
    ["https://www.example.com/a", "example.com"],
    ["https://news.example.com/a", "news.example.com"],
    ["not a url", undefined],
  ])("siteOf(%s) = %s", (u, site) => {
    expect(siteOf(u)).toBe(site);
  });
});
