/**
 * The level methods of the shared logger return at once for a level no transport writes
 * (logger.ts, skipUnwantedLevels): the line is never built. A transport added later (captureLogs)
 * is seen at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs, childLogger, rootLogger } from "@tidings/shared";

/** Metadata that counts how often winston reads it. */
function countedMeta(): { meta: Record<string, unknown>; reads: () => number } {
  let reads = 0;
  const meta = {};
  Object.defineProperty(meta, "detail", { enumerable: true, get: () => (reads++, "d") });
  return { meta, reads: () => reads };
}

describe("logger levels", () => {
  const savedLevel = rootLogger().level;
  afterEach(() => {
    rootLogger().level = savedLevel;
  });

  it("does not build a line of a level no transport writes", () => {
    rootLogger().level = "warn";
    const log = childLogger({ stage: "logger-test" });
    const { meta, reads } = countedMeta();
    expect(log.info("not wanted", meta)).toBe(log);
    expect(log.debug("not wanted either", meta)).toBe(log);
    expect(reads()).toBe(0);
  });

  it("writes such a level again as soon as a transport wants it, and stops when it goes", () => {
    rootLogger().level = "warn";
    const log = childLogger({ stage: "logger-test" });
    const cap = captureLogs();
    const { meta, reads } = countedMeta();
    try {
      log.debug("wanted by the capture", meta);
    } finally {
      cap.stop();
    }
    expect(reads()).toBeGreaterThan(0);
    const line = cap.lines().map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === "wanted by the capture");
    expect(line).toMatchObject({ level: "debug", stage: "logger-test", detail: "d" });
    const after = reads();
    log.debug("not wanted after the capture", meta);
    expect(reads()).toBe(after);
    expect(cap.lines().some((l) => l.includes("not wanted after"))).toBe(false);
  });
});
