// Running external programs: capture output, look things up on PATH, read log tails.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Stream output lines to this function as they come (e.g. for apt-get). */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    const feed = (chunk: string) => {
      if (!opts.onLine) return;
      partial += chunk;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) opts.onLine(line);
    };
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      feed(c);
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
      feed(c);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
    child.on("error", (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (opts.onLine && partial.trim()) opts.onLine(partial);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like run() but throws with the command's output when it exits non-zero. */
export async function runChecked(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const res = await run(cmd, args, opts);
  if (res.code !== 0) {
    const out = (res.stderr.trim() || res.stdout.trim()).split("\n").slice(-15).join("\n");
    throw new Error(`\`${[cmd, ...args].join(" ")}\` exited with ${res.code}${out ? `:\n${out}` : ""}`);
  }
  return res;
}

/** Full path of an executable on PATH (or null). */
export function which(cmd: string, path: string = process.env.PATH ?? ""): string | null {
  if (cmd.includes("/")) return isExecutable(cmd) ? cmd : null;
  const dirs = path.split(delimiter).filter(Boolean);
  // Root's PATH normally has the sbin dirs; a user's may not, and useradd/runuser live there.
  for (const extra of ["/usr/local/sbin", "/usr/sbin", "/sbin"]) if (!dirs.includes(extra)) dirs.push(extra);
  for (const dir of dirs) {
    const full = join(dir, cmd);
    if (isExecutable(full)) return full;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The last `n` non-empty lines of a text file ("" if it does not exist). */
export function tailFile(file: string, n = 30): string {
  if (!existsSync(file)) return "";
  try {
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
    return lines.slice(-n).join("\n");
  } catch {
    return "";
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when something accepts TCP connections on host:port (so we must not start a server there). */
export function portInUse(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const sock = connect({ host, port });
    const done = (inUse: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolvePromise(inUse);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}
