// What this project started: <data>/services.json records the pid of each server we launched, so
// `down` stops only those, and `status` can tell ours from someone else's. A lock file keeps two
// concurrent `up`s (say a test run and a developer) from both starting servers.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { sleep } from "./command.ts";

export type ServiceName = "redis" | "elasticsearch";

export interface ServiceRecord {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
  /** A substring of /proc/<pid>/cmdline that proves the pid is still our server. */
  cmdlineMatch: string;
  pidFile?: string;
  logFile?: string;
}

export type ServicesState = Partial<Record<ServiceName, ServiceRecord>>;

export function readState(file: string): ServicesState {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ServicesState;
  } catch {
    return {};
  }
}

export function writeState(file: string, state: ServicesState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function updateState(file: string, name: ServiceName, record: ServiceRecord | undefined): void {
  const state = readState(file);
  if (record) state[name] = record;
  else delete state[name];
  writeState(file, state);
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // a zombie (exited, not yet reaped) counts as gone
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

export function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return null;
  }
}

/** The recorded pid is alive and still the program we started (pids get reused). */
export function recordAlive(rec: ServiceRecord | undefined): boolean {
  if (!rec || !pidAlive(rec.pid)) return false;
  const cmd = cmdlineOf(rec.pid);
  return cmd === null || cmd.includes(rec.cmdlineMatch);
}

export function readPidFile(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** SIGTERM, wait up to `timeoutMs`, then SIGKILL and wait a bit more. Returns true if it exited. */
export async function stopPid(pid: number, timeoutMs: number): Promise<boolean> {
  if (!pidAlive(pid)) return true;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return !pidAlive(pid);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await sleep(200);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
  for (let i = 0; i < 50; i++) {
    if (!pidAlive(pid)) return true;
    await sleep(100);
  }
  return false;
}

/** Run fn holding an exclusive lock file (pid inside; a dead holder's lock is taken over). */
export async function withLock<T>(file: string, fn: () => Promise<T>, log: (m: string) => void, timeoutMs = 15 * 60_000): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readPidFile(file);
      if (holder === null || holder === process.pid || !pidAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${holder})`);
      if (!told) {
        log(`another \`tidings services\` (pid ${holder}) is busy; waiting for it`);
        told = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPidFile(file) === process.pid) rmSync(file, { force: true });
  }
}
