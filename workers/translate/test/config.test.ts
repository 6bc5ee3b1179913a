import { describe, expect, it } from "vitest";
import { ConfigError } from "@tidings/shared";
import { createProvider, HttpTranslationProvider, loadHttpTranslateConfig } from "../src/index.ts";

describe("http provider settings", () => {
  it("has defaults and normalises the URL", () => {
    const c = loadHttpTranslateConfig({ TIDINGS_TRANSLATE_URL: "http://127.0.0.1:5000/" });
    expect(c).toMatchObject({
      url: "http://127.0.0.1:5000", model: "libretranslate", timeoutMs: 30_000, batchChars: 2000,
      retries: 3, cacheTtlSeconds: 30 * 86_400,
    });
    expect(c.apiKey).toBeUndefined();
  });

  it("reads every variable", () => {
    const c = loadHttpTranslateConfig({
      TIDINGS_TRANSLATE_URL: "https://mt.example.org/lt", TIDINGS_TRANSLATE_API_KEY: "k",
      TIDINGS_TRANSLATE_TIMEOUT_MS: "5000", TIDINGS_TRANSLATE_BATCH_CHARS: "500", TIDINGS_TRANSLATE_CACHE_TTL_DAYS: "0",
      TIDINGS_TRANSLATE_MODEL: "argos-1.9",
    });
    expect(c).toMatchObject({ url: "https://mt.example.org/lt", apiKey: "k", timeoutMs: 5000, batchChars: 500, cacheTtlSeconds: 0, model: "argos-1.9" });
  });

  it("names every bad variable at once", () => {
    let error: unknown;
    try {
      loadHttpTranslateConfig({ TIDINGS_TRANSLATE_URL: "ftp://x", TIDINGS_TRANSLATE_TIMEOUT_MS: "soon", TIDINGS_TRANSLATE_BATCH_CHARS: "10" });
    } catch (err) { error = err; }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/TIDINGS_TRANSLATE_URL: must be an http/);
    expect(problems).toMatch(/TIDINGS_TRANSLATE_TIMEOUT_MS/);
    expect(problems).toMatch(/TIDINGS_TRANSLATE_BATCH_CHARS: must be an integer from 50/);
  });

  it("createProvider('http') wants a URL and says so", () => {
    expect(() => createProvider("http", { env: {} })).toThrow(/TIDINGS_TRANSLATE_URL: required when TIDINGS_TRANSLATE_PROVIDER=http/);
    expect(createProvider("http", { env: { TIDINGS_TRANSLATE_URL: "http://127.0.0.1:1" } })).toBeInstanceOf(HttpTranslationProvider);
  });
});
