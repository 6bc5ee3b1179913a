import { describe, expect, it } from "vitest";
import { parseLine } from "../src/commands/enqueue.ts";
import { parseStages } from "../src/commands/worker.ts";
import { buildEventsQuery } from "../src/query/events-query.ts";

describe("enqueue input lines", () => {
  it.each([
    ["", undefined],
    ["# comment", undefined],
    ["https://a.test/x", { url: "https://a.test/x" }],
    ['{"url":"https://a.test/y","published":"2024-01-02","language":"zh"}', { url: "https://a.test/y", meta: { published: "2024-01-02", language: "zh" } }],
    ["{not json", { url: "{not json" }],
  ])("%j", (line, expected) => {
    expect(parseLine(line)).toEqual(expected);
  });

  it("does not parse a megabyte line, it records it as an invalid input", () => {
    const item = parseLine("x".repeat(1_000_000));
    expect(item?.url.length).toBeLessThan(300);
  });
});

describe("worker stages", () => {
  it("parses and validates --stages", () => {
    expect(parseStages(undefined)).toHaveLength(5);
    expect(parseStages("fetch,clean,fetch")).toEqual(["fetch", "clean"]);
    expect(() => parseStages("fetch,bogus")).toThrow("bogus");
  });
});

describe("events query", () => {
  it("builds role-aware nested clauses and never passes raw query strings", () => {
    const q = buildEventsQuery({ actor: ["PRK"], target: ["RUS"], type: ["consult"], from: "2023-09-01", to: "2023-09-30", size: 10000 });
    const s = JSON.stringify(q);
    expect(s).toContain('"nested"');
    expect(s).toContain('"actors.role":"target"');
    expect(s).toContain('"CONSULT"');
    expect(s).not.toContain("query_string");
    expect((q as { size: number }).size).toBe(500);
  });
});

describe("the tidings command", () => {
  it("answers a mistyped option with the option's name and exit code 2, without a stack", async () => {
    const { main } = await import("../src/cli.ts");
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    try {
      expect(await main(["eval-clean", "--bogus"])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join("\n")).toContain("--bogus");
    expect(errors.join("\n")).not.toContain("    at ");
  });
});
