/**
 * `tidings enqueue <file> --wait` for real, as a user runs it: workers in their own process
 * (`tidings worker`), the command in a pseudo-terminal (util-linux `script`), so the live bars
 * are redrawn in place; then the same without a terminal. Asserts on what the user sees.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebServer } from "@tidings/scripts/demo/web-server";
import { createElasticsearch, createRedis, loadConfig } from "@tidings/shared";
import { dropRun } from "../src/teardown.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = join(ROOT, "scripts", "bin", "tidings.js");

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(cmd, args, { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }));
    child.stdin?.end();
  });
}

/** Without the terminal's escape sequences (cursor moves, erase). */
const ESC = String.fromCharCode(27);
const plain = (s: string) => s.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g"), "").replace(/\r/g, "");

describe("enqueue --wait", () => {
  const prefix = `t-wait-${Date.now().toString(36)}`;
  let web: WebServer;
  let workers: ChildProcess;
  let workerLog = "";
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let urlFile: string;

  beforeAll(async () => {
    web = await new WebServer({ fixtures: true, seeds: false, corpusPages: 0 }).start();
    env = {
      ...process.env,
      REDIS_URL: inject("redisUrl"), ELASTICSEARCH_URL: inject("elasticsearchUrl"),
      TIDINGS_QUEUE_PREFIX: prefix, TIDINGS_INDEX_PREFIX: prefix,
      TIDINGS_FETCH_ALLOW_HOSTS: `127.0.0.1:${web.port}`,
      TIDINGS_ATTEMPTS: "2", TIDINGS_BACKOFF_MS: "200", TIDINGS_SHUTDOWN_TIMEOUT_MS: "5000",
      LOG_LEVEL: "warn", TERM: "xterm-256color",
    };
    workers = spawn("node", [CLI, "worker"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    workers.stdout?.on("data", (d: Buffer) => (workerLog += d.toString()));
    workers.stderr?.on("data", (d: Buffer) => (workerLog += d.toString()));
    dir = mkdtempSync(join(tmpdir(), "tidings-wait-"));
    urlFile = join(dir, "urls.txt");
    writeFileSync(urlFile, [
      "# fixture pages, one URL that 404s and one that is not a URL",
      ...web.pages.map((p) => web.url(p.path)),
      web.url("/errors/not-found"),
      "not a url at all",
      "",
    ].join("\n"));
  });

  afterAll(async () => {
    if (workers && workers.exitCode === null) {
      const exited = new Promise((r) => workers.once("exit", r));
      workers.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (workers.exitCode === null) workers.kill("SIGKILL");
    }
    const config = loadConfig({ ...env });
    await dropRun(prefix, { es: createElasticsearch(config), redis: createRedis(config, "producer") });
    await web?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws live bars in a terminal, then a summary that ends with done and the failure reasons", async () => {
    const cmd = `node ${JSON.stringify(CLI)} enqueue ${JSON.stringify(urlFile)} --label "wait e2e" --wait`;
    const r = await run("script", ["-qefc", cmd, "/dev/null"], env);
    expect(r.code, `${r.stdout}\n${r.stderr}\nworkers:\n${workerLog.slice(-3000)}`).toBe(0);
    const raw = r.stdout;
    const out = plain(raw);
    const total = web.pages.length + 2;
    expect(out).toMatch(new RegExp(`batch b_\\w+: ${total} URL\\(s\\), ${web.pages.length + 1} queued`));
    expect(out).toContain("invalid: not a url at all");
    // Progress: one bar per stage, redrawn in place (cursor up + erase) in a terminal.
    for (const stage of ["fetch", "clean", "translate", "extract", "index", "ended"]) expect(out).toMatch(new RegExp(`^  ${stage} +[█░]+ +\\d+/${total}`, "m"));
    expect(raw).toMatch(new RegExp(`${ESC}\\[\\d+F${ESC}\\[J`));
    expect(out).toMatch(new RegExp(`ended +█+ +${total}/${total} +indexed ${web.pages.length}, failed 2, skipped 0`));
    // The summary: failures by stage:reason, then "done" last.
    expect(out).toContain("failures by stage:reason");
    expect(out).toMatch(/^ +1 +fetch:http_404$/m);
    expect(out).toMatch(/^ +1 +enqueue:bad_url$/m);
    expect(out.trimEnd().split("\n").at(-1)?.trim()).toBe("done");
  });

  it("prints each new state once, without escape sequences, when not in a terminal", async () => {
    const r = await run("node", [CLI, "enqueue", urlFile, "--label", "wait e2e, piped", "--wait"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("\x1b[");
    expect(r.stdout).toMatch(/batch b_\w+: \d+ URL\(s\)/);
    expect(r.stdout).toMatch(/^ {2}ended /m);
    expect(r.stdout).toMatch(/^ +1 +fetch:http_404$/m);
    expect(r.stdout.trimEnd().split("\n").at(-1)?.trim()).toBe("done");
  });
});
