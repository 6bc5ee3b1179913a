// A Java runtime for Elasticsearch. The integ-test-zip distribution has no bundled JDK, so we
// point ES_JAVA_HOME at JAVA_HOME, or the `java` on PATH, or one under /usr/lib/jvm, when it is
// version 17 or newer; otherwise we apt-get install OpenJDK 17 (Debian 12's default JRE).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { aptCandidate, aptInstall, type Log } from "./apt.ts";
import { run, which } from "./command.ts";

export const MIN_JAVA_MAJOR = 17;
/** Debian package names to try, best first. */
export const JDK_PACKAGES = ["openjdk-17-jre-headless", "openjdk-21-jre-headless", "default-jre-headless"];

export interface Jdk {
  javaHome: string;
  major: number;
  version: string;
}

/** Major version from `java -version` output: "17.0.15" -> 17, "1.8.0_292" -> 8, "21" -> 21. */
export function parseJavaVersion(output: string): { major: number; version: string } | null {
  const m = /version "([^"]+)"/.exec(output);
  if (!m || m[1] === undefined) return null;
  const version = m[1];
  const parts = version.split(/[.+_-]/);
  const first = Number(parts[0]);
  if (!Number.isFinite(first)) return null;
  const major = first === 1 ? Number(parts[1]) : first;
  return Number.isFinite(major) ? { major, version } : null;
}

/** `java.home = /usr/lib/jvm/...` from `java -XshowSettings:properties -version`. */
export function parseJavaHome(output: string): string | null {
  const m = /^\s*java\.home = (.+)$/m.exec(output);
  return m && m[1] !== undefined ? m[1].trim() : null;
}

async function probe(javaBin: string): Promise<Jdk | null> {
  try {
    const res = await run(javaBin, ["-XshowSettings:properties", "-version"], { timeoutMs: 30_000 });
    const out = res.stderr + res.stdout;
    const v = parseJavaVersion(out);
    const home = parseJavaHome(out);
    if (!v || !home) return null;
    return { javaHome: home, major: v.major, version: v.version };
  } catch {
    return null;
  }
}

/** Every java we can find, in order of preference. */
async function candidates(): Promise<Jdk[]> {
  const bins: string[] = [];
  for (const home of [process.env.ES_JAVA_HOME, process.env.JAVA_HOME]) {
    if (home) bins.push(join(home, "bin", "java"));
  }
  const onPath = which("java");
  if (onPath) bins.push(onPath);
  if (existsSync("/usr/lib/jvm")) {
    for (const d of readdirSync("/usr/lib/jvm").sort().reverse()) bins.push(join("/usr/lib/jvm", d, "bin", "java"));
  }
  const found: Jdk[] = [];
  for (const bin of [...new Set(bins)]) {
    if (!existsSync(bin)) continue;
    const jdk = await probe(bin);
    if (jdk) found.push(jdk);
  }
  return found;
}

export async function findJdk(): Promise<Jdk | null> {
  return (await candidates()).find((j) => j.major >= MIN_JAVA_MAJOR) ?? null;
}

export async function ensureJdk(log: Log): Promise<Jdk> {
  const existing = await findJdk();
  if (existing) return existing;
  log(`no Java ${MIN_JAVA_MAJOR}+ found (checked ES_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm)`);
  let pkg: string | null = null;
  try {
    for (const p of JDK_PACKAGES) {
      if (await aptCandidate(p, log)) {
        pkg = p;
        break;
      }
    }
  } catch {
    // not root / no apt: aptInstall below explains
  }
  await aptInstall([pkg ?? JDK_PACKAGES[0]!], log, `Elasticsearch needs Java ${MIN_JAVA_MAJOR}+`);
  const after = await findJdk();
  if (!after) throw new Error(`installed ${pkg} but still no Java ${MIN_JAVA_MAJOR}+ found`);
  return after;
}
