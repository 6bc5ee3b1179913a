import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/demo/paths.ts";

/**
 * The workspace packages (`@tidings/...`) that importing `module` resolves, in a fresh Node
 * process: a module-resolution hook (which runs on its own thread) appends each to a file.
 */
function tidingsImportsOf(module: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "tidings-imports-"));
  const log = join(dir, "imports.txt");
  try {
    const hooks = `data:text/javascript,${encodeURIComponent(`
      import { appendFileSync } from "node:fs";
      let log;
      export function initialize(data) { log = data.log; }
      export async function resolve(specifier, context, next) {
        if (specifier.startsWith("@tidings/")) appendFileSync(log, specifier + "\\n");
        return next(specifier, context);
      }`)}`;
    const script = `
      import { register } from "node:module";
      register(${JSON.stringify(hooks)}, { data: { log: ${JSON.stringify(log)} } });
      await import(${JSON.stringify(pathToFileURL(module).href)});`;
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO_ROOT, stdio: "ignore" });
    return [...new Set(readFileSync(log, "utf8").split("\n").filter(Boolean))].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the worker command", () => {
  it("imports no stage's code until it starts that stage (a fetch process carries no lexicons, dictionaries or Elasticsearch client)", () => {
    expect(tidingsImportsOf(join(REPO_ROOT, "scripts/src/commands/worker.ts"))).toEqual(["@tidings/shared"]);
  });
});
