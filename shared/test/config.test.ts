import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("has defaults for everything", () => {
    const c = loadConfig({});
    expect(c.redisUrl).toBe("redis://127.0.0.1:6379");
    expect(c.elasticsearchUrl).toBe("http://127.0.0.1:9200");
    expect(c.indexPrefix).toBe("tidings");
    expect(c.translateProvider).toBe("stub");
    expect(c.concurrency.fetch).toBeGreaterThan(c.concurrency.clean);
    expect(c.gatherMs).toBe(100);
    expect(loadConfig({ TIDINGS_GATHER_MS: "0" }).gatherMs).toBe(0);
    expect(c.redisCoalesce).toBe(true);
    expect(loadConfig({ TIDINGS_REDIS_COALESCE: "0" }).redisCoalesce).toBe(false);
    expect(loadConfig({ TIDINGS_REDIS_COALESCE: "1" }).redisCoalesce).toBe(true);
    expect(c.bundleMax).toBe(16);
    expect(c.bundleWaitMs).toBe(100);
    expect(loadConfig({ TIDINGS_BUNDLE_MAX: "1", TIDINGS_BUNDLE_WAIT_MS: "0" })).toMatchObject({ bundleMax: 1, bundleWaitMs: 0 });
    expect(c.fetchBundleMax).toBe(1);
    expect(loadConfig({ TIDINGS_FETCH_BUNDLE_MAX: "16" }).fetchBundleMax).toBe(16);
    expect(c.inFlightMaxMs).toBe(86_400_000);
    expect(c.bodyCodec).toBe("lz4");
    expect(c.fetchPauseRedisMb).toBe(2048);
    expect(loadConfig({ TIDINGS_FETCH_PAUSE_REDIS_MB: "0" }).fetchPauseRedisMb).toBe(0);
    expect(loadConfig({ TIDINGS_BODY_CODEC: "none" }).bodyCodec).toBe("none");
    expect(loadConfig({ TIDINGS_IN_FLIGHT_MAX_MS: "60000" }).inFlightMaxMs).toBe(60_000);
  });

  it.each([
    [{ REDIS_URL: "http://x" }, "REDIS_URL"],
    [{ ELASTICSEARCH_URL: "not a url" }, "ELASTICSEARCH_URL"],
    [{ TIDINGS_INDEX_PREFIX: "Bad Prefix" }, "TIDINGS_INDEX_PREFIX"],
    [{ TIDINGS_CONCURRENCY_CLEAN: "0" }, "TIDINGS_CONCURRENCY_CLEAN"],
    [{ TIDINGS_ATTEMPTS: "many" }, "TIDINGS_ATTEMPTS"],
    [{ TIDINGS_TRANSLATE_PROVIDER: "magic" }, "TIDINGS_TRANSLATE_PROVIDER"],
    [{ TIDINGS_GATHER_MS: "-5" }, "TIDINGS_GATHER_MS"],
    [{ TIDINGS_GATHER_MS: "soon" }, "TIDINGS_GATHER_MS"],
    [{ TIDINGS_REDIS_COALESCE: "off" }, "TIDINGS_REDIS_COALESCE"],
    [{ TIDINGS_BUNDLE_MAX: "0" }, "TIDINGS_BUNDLE_MAX"],
    [{ TIDINGS_BUNDLE_MAX: "many" }, "TIDINGS_BUNDLE_MAX"],
    [{ TIDINGS_BUNDLE_WAIT_MS: "-1" }, "TIDINGS_BUNDLE_WAIT_MS"],
    [{ TIDINGS_IN_FLIGHT_MAX_MS: "0" }, "TIDINGS_IN_FLIGHT_MAX_MS"],
    [{ TIDINGS_FETCH_BUNDLE_MAX: "0" }, "TIDINGS_FETCH_BUNDLE_MAX"],
    [{ TIDINGS_BODY_CODEC: "zstd" }, "TIDINGS_BODY_CODEC"],
    [{ TIDINGS_FETCH_PAUSE_REDIS_MB: "-1" }, "TIDINGS_FETCH_PAUSE_REDIS_MB"],
  ])("rejects %j naming %s", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("reports every bad variable at once", () => {
    try {
      loadConfig({ REDIS_URL: "x", TIDINGS_ATTEMPTS: "0" });
      expect.unreachable();
    } catch (err) {
      const names = (err as ConfigError).problems.map((p) => p.split(":")[0]);
      expect(new Set(names)).toEqual(new Set(["REDIS_URL", "TIDINGS_ATTEMPTS"]));
    }
  });
});
