/**
 * Worker child processes for the end-to-end run (`node scripts/bin/tidings.js worker --stages
 * <stage>`), and what /proc says about them: CPU time (utime + stime of /proc/<pid>/stat) and
 * peak resident memory (VmHWM of /proc/<pid>/status). Linux only; elsewhere these read as
 * undefined and the report says "-".
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../demo/paths.ts";
import { WORKER_NODE_FLAGS } from "../worker-node-flags.ts";

export interface StageProcess {
  stage: string;
  child: ChildProcess;
  pid: number;
  /** Last ~64 KB of its stdout+stderr (JSON logs), for diagnostics. */
  tail(): string;
  exited: Promise<string>;
  alive(): boolean;
}

let ticks: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat times (getconf CLK_TCK; 100 on Linux). */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime of a process in ms (all its threads), or undefined. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/** VmHWM (peak resident set) of a process in KiB, or undefined. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function spawnStageWorker(stage: string, env: NodeJS.ProcessEnv): StageProcess {
  // The workers' own flags (WORKER_NODE_FLAGS, as `npm run worker` passes them), then
  // TIDINGS_BENCH_NODE_ARGS: extra node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to
  // profile them (NODE_OPTIONS refuses --cpu-prof), or "--no-single-threaded-gc" for V8's default
  // collector (the later flag wins).
  const nodeArgs = [...WORKER_NODE_FLAGS, ...(env.TIDINGS_BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, "scripts/bin/tidings.js"), "worker", "--stages", stage], {
    cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start a ${stage} worker`);
  let buf = "";
  // TIDINGS_BENCH_WORKER_LOGS=DIR: each worker's whole output also goes to DIR/<stage>-<pid>.log
  // (the bench keeps only the last 64 KB of it), e.g. for --trace-gc in TIDINGS_BENCH_NODE_ARGS.
  // One stream per worker, so the bench's event loop neither blocks on nor reopens the file per chunk.
  const logDir = env.TIDINGS_BENCH_WORKER_LOGS;
  if (logDir) mkdirSync(logDir, { recursive: true });
  const logFile = logDir ? createWriteStream(join(logDir, `${stage}-${child.pid}.log`)) : undefined;
  if (logFile) child.once("close", () => logFile.end());
  const keep = (d: Buffer) => {
    logFile?.write(d);
    buf += d.toString("utf8");
    if (buf.length > 128 * 1024) buf = buf.slice(-64 * 1024);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)));
  return {
    stage, child, pid: child.pid, exited,
    tail: () => buf.slice(-64 * 1024),
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

/** SIGTERM (the worker drains), then SIGKILL after `graceMs`. */
export async function stopStageWorker(p: StageProcess, graceMs = 10_000): Promise<string> {
  if (!p.alive()) return p.exited;
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}
