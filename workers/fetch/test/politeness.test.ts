/** Politeness options, delays and keys: pure. The Redis limiter itself: test/e2e/fetch-politeness-redis.test.ts. */
import { describe, expect, it } from "vitest";
import { PolicyError } from "../src/index.ts";
import { DEFAULT_POLITENESS, effectiveDelayMs, hostKeyOf, politenessFromEnv, resolvePoliteness } from "../src/politeness.ts";
import { ignoresRobots } from "../src/worker.ts";

describe("politeness options", () => {
  it("defaults: 2 requests per host at once, 1 s between starts", () => {
    expect(politenessFromEnv({})).toEqual(DEFAULT_POLITENESS);
    expect(DEFAULT_POLITENESS).toMatchObject({ hostConcurrency: 2, hostDelayMs: 1000, maxCrawlDelayMs: 30_000, leaseMs: 30_000 });
  });

  it("reads TIDINGS_FETCH_HOST_CONCURRENCY / _HOST_DELAY_MS / _MAX_CRAWL_DELAY_MS / _HOST_LEASE_MS", () => {
    expect(politenessFromEnv({
      TIDINGS_FETCH_HOST_CONCURRENCY: "4", TIDINGS_FETCH_HOST_DELAY_MS: "0",
      TIDINGS_FETCH_MAX_CRAWL_DELAY_MS: "10_000", TIDINGS_FETCH_HOST_LEASE_MS: " 5000 ", TIDINGS_FETCH_HOST_MAX_SPREAD_MS: "",
    })).toMatchObject({ hostConcurrency: 4, hostDelayMs: 0, maxCrawlDelayMs: 10_000, leaseMs: 5000, maxSpreadMs: 60_000 });
  });

  it.each([
    [{ TIDINGS_FETCH_HOST_CONCURRENCY: "0" }, /TIDINGS_FETCH_HOST_CONCURRENCY/],
    [{ TIDINGS_FETCH_HOST_CONCURRENCY: "two" }, /TIDINGS_FETCH_HOST_CONCURRENCY/],
    [{ TIDINGS_FETCH_HOST_DELAY_MS: "-1" }, /TIDINGS_FETCH_HOST_DELAY_MS/],
    [{ TIDINGS_FETCH_HOST_DELAY_MS: "1.5" }, /TIDINGS_FETCH_HOST_DELAY_MS/],
    [{ TIDINGS_FETCH_HOST_LEASE_MS: "10" }, /TIDINGS_FETCH_HOST_LEASE_MS/],
  ])("refuses %j", (env, re) => {
    expect(() => politenessFromEnv(env)).toThrow(PolicyError);
    expect(() => politenessFromEnv(env)).toThrow(re);
  });

  it("validates options given in code", () => {
    expect(() => resolvePoliteness({ hostConcurrency: 0 })).toThrow(/hostConcurrency/);
    expect(() => resolvePoliteness({ leaseMs: 1.5 })).toThrow(/leaseMs/);
  });
});

describe("effective delay", () => {
  const o = { hostDelayMs: 1000, maxCrawlDelayMs: 30_000 };
  it("is the configured delay without a Crawl-delay", () => {
    expect(effectiveDelayMs(o)).toBe(1000);
    expect(effectiveDelayMs(o, 0)).toBe(1000);
    expect(effectiveDelayMs(o, Number.NaN)).toBe(1000);
  });
  it("takes a larger Crawl-delay (seconds, fractional too), capped", () => {
    expect(effectiveDelayMs(o, 0.5)).toBe(1000);
    expect(effectiveDelayMs(o, 2.5)).toBe(2500);
    expect(effectiveDelayMs(o, 3600)).toBe(30_000);
    expect(effectiveDelayMs({ hostDelayMs: 0, maxCrawlDelayMs: 5000 }, 10)).toBe(5000);
  });
});

describe("host keys", () => {
  it("are the URL's host, lower case, with a non-default port", () => {
    expect(hostKeyOf("https://Example.COM/a")).toBe("example.com");
    expect(hostKeyOf("http://example.com:80/a")).toBe("example.com");
    expect(hostKeyOf("http://127.0.0.1:8080/a")).toBe("127.0.0.1:8080");
    expect(hostKeyOf(new URL("http://[::1]:81/"))).toBe("[::1]:81");
    expect(hostKeyOf("http://bücher.de/")).toBe("xn--bcher-kva.de");
  });
});

describe("ignore_robots", () => {
  it("is only an explicit true in the envelope's meta", () => {
    expect(ignoresRobots({})).toBe(false);
    expect(ignoresRobots({ meta: {} })).toBe(false);
    expect(ignoresRobots({ meta: { ignore_robots: "true" } as never })).toBe(false);
    expect(ignoresRobots({ meta: { ignore_robots: true } as never })).toBe(true);
  });
});
