import { describe, expect, it } from "vitest";
import { backoffDelay, classifyError, StageError } from "../src/errors.ts";

describe("backoffDelay", () => {
  it.each([
    [1, 0.5, 1000],
    [2, 0.5, 2000],
    [3, 0.5, 4000],
    [3, 0, 2000],
    [3, 0.999, 5996],
  ])("attempt %i with random %f -> %i ms", (attempt, r, expected) => {
    expect(backoffDelay(attempt, 1000, undefined, () => r)).toBe(expected);
  });

  it("never retries sooner than Retry-After asked", () => {
    expect(backoffDelay(1, 1000, 120_000, () => 0.5)).toBe(120_000);
  });

  it("is capped at about an hour", () => {
    expect(backoffDelay(40, 1000, undefined, () => 0.5)).toBe(3_600_000);
  });
});

describe("classifyError", () => {
  it.each([
    [new StageError("http_404", "Not Found"), { reason: "http_404", permanent: true }],
    [new StageError("timeout", "slow", { permanent: false, retryAfterMs: 5 }), { reason: "timeout", permanent: false, retryAfterMs: 5 }],
    [new StageError("host_busy", "slot taken", { permanent: false, retryAfterMs: 50, wait: true }), { wait: true }],
    [new StageError("unsupported_type", "image/png", { skipped: true }), { skipped: true }],
    [new Error("boom"), { reason: "error", permanent: false }],
    [Object.assign(new Error("x"), { name: "InvalidPayloadError" }), { reason: "invalid_payload", permanent: true }],
    ["a string", { reason: "error", permanent: false }],
  ])("%s", (err, expected) => {
    expect(classifyError(err)).toMatchObject(expected);
  });
});
