#!/usr/bin/env node
// README command 2 (`npm run test:all`): start the services the tests need (the project's own
// `services up`), typecheck and lint every workspace, run every test (unit and end-to-end
// against the real Redis and Elasticsearch), and close with one plain summary line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "0" };

function step(title, command, args) {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  return r.status ?? 1;
}

let code = step("services", "node", ["scripts/bin/tidings.js", "services", "up"]);
if (code !== 0) {
  console.error("services did not start: see above (no test runs without real Redis and Elasticsearch)");
  process.exit(code);
}
code = step("typecheck + lint", "npx", ["turbo", "run", "typecheck", "lint", "--output-logs=errors-only"]);
if (code !== 0) process.exit(code);
mkdirSync(`${root}/test-output`, { recursive: true });
const out = `${root}/test-output/vitest.json`;
code = step("tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)]);
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, "utf8"));
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
}
process.exit(code);
