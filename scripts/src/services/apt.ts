// Debian packages: install what a fresh machine lacks. Only as root; otherwise say what to install.
import { existsSync, unlinkSync, writeFileSync } from "node:fs";
import { run, runChecked, which } from "./command.ts";
import { isRoot } from "./paths.ts";

export type Log = (msg: string) => void;

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: "noninteractive", NEEDRESTART_MODE: "a" };
let updated = false;

export function aptAvailable(): boolean {
  return which("apt-get") !== null;
}

/** `apt-get update`, at most once per process. */
export async function aptUpdateOnce(log: Log): Promise<void> {
  if (updated) return;
  log("apt-get update");
  await runChecked("apt-get", ["update", "-q"], { env: APT_ENV });
  updated = true;
}

/** The candidate version `apt-cache policy` reports for a package, or null when there is none. */
export function parseAptPolicyCandidate(output: string): string | null {
  const m = /^\s*Candidate:\s*(\S+)/m.exec(output);
  if (!m || m[1] === undefined || m[1] === "(none)") return null;
  return m[1];
}

export async function aptCandidate(pkg: string, log: Log): Promise<string | null> {
  await aptUpdateOnce(log);
  const res = await run("apt-cache", ["policy", pkg], { env: APT_ENV });
  return res.code === 0 ? parseAptPolicyCandidate(res.stdout) : null;
}

/**
 * `apt-get install -y` the packages. Debian's postinst scripts would start the distribution's own
 * service (e.g. redis-server on 6379) where an init system lets them; we run our own instance
 * instead, so while installing we put a policy-rc.d that forbids service starts, when the machine
 * has none (Docker-style images already ship one), and remove it again afterwards.
 */
export async function aptInstall(pkgs: string[], log: Log, why: string): Promise<void> {
  if (!isRoot() || !aptAvailable()) {
    throw new Error(
      `${why}: please install the Debian/Ubuntu package(s) ${pkgs.join(" ")} ` +
        `(sudo apt-get install -y ${pkgs.join(" ")}), or run this command as root so it can install them.`,
    );
  }
  await aptUpdateOnce(log);
  const policy = "/usr/sbin/policy-rc.d";
  const addedPolicy = !existsSync(policy);
  if (addedPolicy) writeFileSync(policy, "#!/bin/sh\n# temporary, written by tidings services\nexit 101\n", { mode: 0o755 });
  try {
    log(`apt-get install -y ${pkgs.join(" ")} (${why})`);
    await runChecked("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...pkgs], {
      env: APT_ENV,
      onLine: (line) => {
        if (/^(Setting up|Unpacking|E:)/.test(line)) log(`  ${line}`);
      },
    });
  } finally {
    if (addedPolicy) {
      try {
        unlinkSync(policy);
      } catch {
        // already gone
      }
    }
  }
}

/** Make sure a command exists, installing its package with apt when needed. */
export async function ensureCommand(cmd: string, pkg: string, log: Log, why: string): Promise<string> {
  const found = which(cmd);
  if (found) return found;
  await aptInstall([pkg], log, `${why} needs \`${cmd}\``);
  const after = which(cmd);
  if (!after) throw new Error(`installed ${pkg} but \`${cmd}\` is still not on PATH`);
  return after;
}
