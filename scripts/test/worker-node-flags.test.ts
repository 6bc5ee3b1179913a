import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/demo/paths.ts";
import { gcMode, WORKER_NODE_FLAGS } from "../src/worker-node-flags.ts";

describe("gcMode", () => {
  it.each([
    [[], "parallel"],
    [["--single-threaded-gc"], "single-threaded"],
    [["--cpu-prof", "--single-threaded-gc"], "single-threaded"],
    [["--single-threaded-gc", "--no-single-threaded-gc"], "parallel"],
    [["--no-single-threaded-gc", "--single-threaded-gc"], "single-threaded"],
    [["--no-single-threaded-gc"], "parallel"],
  ])("%j -> %s", (execArgv, expected) => {
    expect(gcMode(execArgv)).toBe(expected);
  });
});

describe("every launcher of workers passes WORKER_NODE_FLAGS", () => {
  it("npm run worker", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.worker).toBe(`node ${WORKER_NODE_FLAGS.join(" ")} scripts/bin/tidings.js worker`);
  });

  it("infra/docker-compose.yml", () => {
    const compose = readFileSync(join(REPO_ROOT, "infra/docker-compose.yml"), "utf8");
    const args = WORKER_NODE_FLAGS.map((f) => `"${f}", `).join("");
    expect(compose).toContain(`command: ["node", ${args}"scripts/bin/tidings.js", "worker"]`);
  });

  it("this Node accepts them and a process started with them reports the single-threaded collector", () => {
    const out = execFileSync(process.execPath, [...WORKER_NODE_FLAGS, "-p", "process.execArgv.join(' ')"], { encoding: "utf8" });
    expect(gcMode(out.trim().split(" "))).toBe("single-threaded");
  });
});
