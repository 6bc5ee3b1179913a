/**
 * robots.txt: a pure check (`isAllowedByRobots`) and a per-origin cache interface with an
 * in-memory default. Fetching robots.txt lives in fetch.ts (it goes through the same SSRF guard).
 */
import robotsParserModule from "robots-parser";

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS (module.exports = function); its typings declare a default export.
const robotsParser = ((robotsParserModule as unknown as { default?: unknown }).default ?? robotsParserModule) as (
  url: string,
  contents: string,
) => Robot;

/** What we know about one origin's robots.txt. */
export type RobotsEntry =
  /** robots.txt was fetched: apply its rules. */
  | { kind: "rules"; body: string; fetchedAt: number }
  /** No usable robots.txt (4xx, too many redirects, refused target...): everything is allowed (RFC 9309 2.3.1.3). */
  | { kind: "allow_all"; fetchedAt: number; note?: string };

/**
 * Per-origin robots.txt cache ("http://example.com:8080" -> entry). Methods may be sync or
 * async so a Redis-backed cache shared by many workers can implement the same interface.
 */
export interface RobotsCache {
  get(origin: string): RobotsEntry | undefined | Promise<RobotsEntry | undefined>;
  set(origin: string, entry: RobotsEntry, ttlMs: number): void | Promise<void>;
}

/** In-memory RobotsCache: per origin, TTL per entry, at most `maxEntries` (oldest evicted first). */
export class MemoryRobotsCache implements RobotsCache {
  private readonly entries = new Map<string, { entry: RobotsEntry; expires: number }>();
  constructor(private readonly maxEntries = 10_000, private readonly now: () => number = Date.now) {}

  get(origin: string): RobotsEntry | undefined {
    const hit = this.entries.get(origin);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(origin);
      return undefined;
    }
    return hit.entry;
  }

  set(origin: string, entry: RobotsEntry, ttlMs: number): void {
    this.entries.delete(origin);
    this.entries.set(origin, { entry, expires: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The robots.txt product token of a User-Agent string: "TidingsBot/0.1 (+https://...)" -> "TidingsBot". */
export function robotsToken(userAgent: string): string {
  return userAgent.trim().split(/[/\s]/, 1)[0] || "*";
}

/** The robots.txt URL that governs a URL (same scheme, host and port). */
export function robotsUrlFor(url: string | URL): string {
  const u = typeof url === "string" ? new URL(url) : url;
  return `${u.origin}/robots.txt`;
}

/**
 * Pure check: may `userAgent` fetch `url` under `robotsTxt` (the file's text)?
 * The group for the UA's product token applies, else the `*` group; longest match wins,
 * Allow wins ties (RFC 9309). An empty or unparsable file allows everything.
 */
export function isAllowedByRobots(url: string, robotsTxt: string, userAgent: string): boolean {
  let robots;
  try {
    robots = robotsParser(robotsUrlFor(url), robotsTxt);
  } catch {
    return true;
  }
  return robots.isAllowed(url, robotsToken(userAgent)) ?? true;
}

/** Crawl-delay in seconds for the UA's group (or `*`), if the file sets one. */
export function robotsCrawlDelay(url: string, robotsTxt: string, userAgent: string): number | undefined {
  try {
    return robotsParser(robotsUrlFor(url), robotsTxt).getCrawlDelay(robotsToken(userAgent));
  } catch {
    return undefined;
  }
}
