// Where `tidings services` keeps things:
//  - repo root: the nearest ancestor of this file whose package.json has "name": "tidings"
//  - data dir (TIDINGS_DATA_DIR, default <repo>/.tidings): per-checkout state, Redis and ES data,
//    generated configs, pid files, logs
//  - cache dir (TIDINGS_CACHE_DIR, default ~/.cache/tidings): downloads shared by every clone
//  - ES install dir (TIDINGS_ES_INSTALL_DIR): where the ES zip is extracted. As root the server runs
//    as the system user `tidings-es`, which cannot read anything under /root (mode 700), so the
//    install goes to /var/cache/tidings (world-readable, regenerable from the cached zip);
//    otherwise it goes next to the download in the cache dir.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown };
        if (parsed.name === "tidings") return dir;
      } catch {
        // unreadable package.json: keep climbing
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the tidings repo root above ${from}`);
    dir = parent;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

export interface ServicePaths {
  repoRoot: string;
  dataDir: string;
  cacheDir: string;
  esInstallDir: string;
  stateFile: string;
  lockFile: string;
  redisDir: string;
  esDir: string;
}

export function servicePaths(env: NodeJS.ProcessEnv = process.env, root: boolean = isRoot()): ServicePaths {
  const repoRoot = findRepoRoot();
  const dataDir = resolve(env.TIDINGS_DATA_DIR || join(repoRoot, ".tidings"));
  const cacheDir = resolve(env.TIDINGS_CACHE_DIR || join(env.HOME || homedir(), ".cache", "tidings"));
  const esInstallDir = resolve(env.TIDINGS_ES_INSTALL_DIR || (root ? "/var/cache/tidings" : cacheDir));
  return {
    repoRoot,
    dataDir,
    cacheDir,
    esInstallDir,
    stateFile: join(dataDir, "services.json"),
    lockFile: join(dataDir, "services.lock"),
    redisDir: join(dataDir, "redis"),
    esDir: join(dataDir, "elasticsearch"),
  };
}
