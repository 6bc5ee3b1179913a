// `tidings services up|down|status`: real Redis and Elasticsearch without Docker.
//
//  up      use REDIS_URL / ELASTICSEARCH_URL as they are when they answer; otherwise, for a
//          loopback URL, install and start a local server on that port (recorded in
//          <data>/services.json); a non-loopback URL that does not answer is an error.
//  down    stop only the servers this project started (pids from the state file).
//  status  print both services.
import type { Log } from "./apt.ts";
import { majorOf, ES_VERSION, probeElasticsearch, startElasticsearch, waitForElasticsearch, type EsProbe } from "./elasticsearch.ts";
import { portInUse } from "./command.ts";
import { servicePaths } from "./paths.ts";
import { probeRedis, startRedis, waitForRedis, type RedisProbe } from "./redis.ts";
import { readState, recordAlive, stopPid, updateState, withLock, type ServiceName } from "./state.ts";
import { elasticsearchUrlFromEnv, isLoopbackHost, parseElasticsearchUrl, parseRedisUrl, redactUrl, redisUrlFromEnv } from "./url.ts";

export { ES_VERSION, esConfigYaml, esArtifactUrl } from "./elasticsearch.ts";
export { redisConfig } from "./redis.ts";
export { servicePaths, findRepoRoot } from "./paths.ts";
export { isLoopbackHost, parseRedisUrl, parseElasticsearchUrl, redisUrlFromEnv, elasticsearchUrlFromEnv } from "./url.ts";

export interface ServicesUpOptions {
  log?: Log;
  /** Seconds to wait for Elasticsearch to reach yellow health (default 180, env TIDINGS_ES_TIMEOUT). */
  elasticsearchTimeoutSeconds?: number;
}

export interface ServicesUpResult {
  redisUrl: string;
  elasticsearchUrl: string;
  /** The services this call started ("redis", "elasticsearch"); empty when all were already up. */
  started: string[];
}

export interface ServiceStatus {
  url: string;
  up: boolean;
  startedByUs: boolean;
  pid?: number;
  version?: string;
  error?: string;
}

export interface ServicesStatus {
  redis: ServiceStatus;
  elasticsearch: ServiceStatus & { health?: string };
}

const defaultLog: Log = (msg) => console.log(`[services] ${msg}`);

function esTimeoutMs(opts: ServicesUpOptions): number {
  const fromEnv = Number(process.env.TIDINGS_ES_TIMEOUT);
  const s = opts.elasticsearchTimeoutSeconds ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 180);
  return s * 1000;
}

async function redisUp(url: string, log: Log): Promise<boolean> {
  const paths = servicePaths();
  const target = parseRedisUrl(url);
  const shown = redactUrl(url);
  let probe: RedisProbe = await probeRedis(target);
  const ours = readState(paths.stateFile).redis;
  if (!probe.up && recordAlive(ours)) {
    // ours, but not answering yet (just started by someone else?): give it a moment
    probe = await waitForRedis(target, 15_000);
  }
  if (probe.up) {
    const mine = recordAlive(ours) && ours?.port === target.port;
    log(`redis: ${shown} is up (Redis ${probe.version ?? "?"}${mine ? `, started by tidings, pid ${ours?.pid}` : ", not started by tidings"})`);
    if (probe.maxmemoryPolicy && probe.maxmemoryPolicy !== "noeviction") {
      log(`redis: WARNING maxmemory-policy is ${probe.maxmemoryPolicy}; BullMQ needs noeviction (see infra/redis/redis.conf)`);
    }
    return false;
  }
  if (probe.answered) {
    throw new Error(`Redis at ${shown} answers but is not usable: ${probe.error ?? "unknown error"}. Fix REDIS_URL (credentials?) or stop that server.`);
  }
  if (!isLoopbackHost(target.host)) {
    throw new Error(`Redis at ${shown} does not answer (${probe.error ?? "no answer"}) and is not on this machine, so it cannot be started here. Check REDIS_URL.`);
  }
  if (recordAlive(ours) && ours?.port !== target.port) {
    throw new Error(`the Redis tidings started (pid ${ours?.pid}) serves port ${ours?.port}, not ${target.port}; run \`tidings services down\` first or fix REDIS_URL`);
  }
  if (await portInUse(target.host, target.port)) {
    throw new Error(`port ${target.port} on ${target.host} is taken by something that is not a usable Redis (${probe.error ?? "?"}); fix REDIS_URL or free the port`);
  }
  log(`redis: nothing answers at ${shown} (${probe.error ?? "no answer"}); starting a local one`);
  const record = await startRedis(url, paths.redisDir, log);
  updateState(paths.stateFile, "redis", record);
  log(`redis: up at ${shown} (pid ${record.pid}, config ${paths.redisDir}/redis.conf)`);
  return true;
}

function checkEsVersion(probe: EsProbe, log: Log): void {
  if (probe.version && majorOf(probe.version) !== majorOf(ES_VERSION)) {
    log(`elasticsearch: WARNING server ${probe.version} is not major ${majorOf(ES_VERSION)}; the Node client (8.19) may not work with it`);
  }
}

async function elasticsearchUp(url: string, log: Log, timeoutMs: number): Promise<boolean> {
  const paths = servicePaths();
  const target = parseElasticsearchUrl(url);
  const shown = redactUrl(url);
  let probe = await probeElasticsearch(target);
  const ours = readState(paths.stateFile).elasticsearch;
  const mine = recordAlive(ours) && ours?.port === target.port;
  if (!probe.up && mine) {
    log(`elasticsearch: ours (pid ${ours?.pid}) is running but not answering yet; waiting`);
    probe = await waitForElasticsearch(target, timeoutMs, () => recordAlive(ours));
    if (!probe.up) throw new Error(`Elasticsearch (pid ${ours?.pid}) did not become healthy: ${probe.error ?? "?"}; try \`tidings services down\` then \`up\``);
  }
  if (probe.up) {
    if (!probe.health || probe.health === "red") {
      log(`elasticsearch: ${shown} answers (health ${probe.health ?? "?"}); waiting for yellow`);
      probe = await waitForElasticsearch(target, timeoutMs);
      if (!probe.up) throw new Error(`Elasticsearch at ${shown} answers but its cluster health did not reach yellow: ${probe.error ?? "?"}`);
    }
    log(`elasticsearch: ${shown} is up (Elasticsearch ${probe.version ?? "?"}, health ${probe.health ?? "?"}${mine ? `, started by tidings, pid ${ours?.pid}` : ", not started by tidings"})`);
    checkEsVersion(probe, log);
    return false;
  }
  if (probe.answered) {
    throw new Error(`something answers at ${shown} but it is not a usable Elasticsearch: ${probe.error ?? "?"}. Fix ELASTICSEARCH_URL or stop it.`);
  }
  if (!isLoopbackHost(target.host)) {
    throw new Error(`Elasticsearch at ${shown} does not answer (${probe.error ?? "no answer"}) and is not on this machine, so it cannot be started here. Check ELASTICSEARCH_URL.`);
  }
  if (recordAlive(ours) && ours?.port !== target.port) {
    throw new Error(
      `the Elasticsearch tidings started (pid ${ours?.pid}) serves port ${ours?.port}, not ${target.port}; run \`tidings services down\` first or fix ELASTICSEARCH_URL`,
    );
  }
  if (await portInUse(target.host, target.port)) {
    throw new Error(`port ${target.port} on ${target.host} is taken by something that is not Elasticsearch (${probe.error ?? "?"}); fix ELASTICSEARCH_URL or free the port`);
  }
  log(`elasticsearch: nothing answers at ${shown} (${probe.error ?? "no answer"}); starting a local one`);
  const res = await startElasticsearch(url, paths, log, timeoutMs);
  updateState(paths.stateFile, "elasticsearch", res.record);
  log(`elasticsearch: up at ${shown} in ${res.seconds.toFixed(1)} s (Elasticsearch ${res.probe.version ?? "?"}, health ${res.probe.health ?? "?"}, pid ${res.record.pid})`);
  return true;
}

/** Make sure Redis and Elasticsearch answer at REDIS_URL / ELASTICSEARCH_URL, starting local ones if needed. */
export async function servicesUp(opts: ServicesUpOptions = {}): Promise<ServicesUpResult> {
  const log = opts.log ?? defaultLog;
  const redisUrl = redisUrlFromEnv();
  const elasticsearchUrl = elasticsearchUrlFromEnv();
  const paths = servicePaths();
  return withLock(
    paths.lockFile,
    async () => {
      const started: string[] = [];
      if (await redisUp(redisUrl, log)) started.push("redis");
      if (await elasticsearchUp(elasticsearchUrl, log, esTimeoutMs(opts))) started.push("elasticsearch");
      return { redisUrl, elasticsearchUrl, started };
    },
    log,
  );
}

/** Wait (without starting anything) until both services answer; throws after timeoutMs. */
export async function waitForServices(timeoutMs = 180_000): Promise<{ redisUrl: string; elasticsearchUrl: string }> {
  const redisUrl = redisUrlFromEnv();
  const elasticsearchUrl = elasticsearchUrlFromEnv();
  const started = Date.now();
  const r = await waitForRedis(parseRedisUrl(redisUrl), timeoutMs);
  if (!r.up) throw new Error(`Redis at ${redactUrl(redisUrl)} is not up: ${r.error ?? "?"}`);
  const e = await waitForElasticsearch(parseElasticsearchUrl(elasticsearchUrl), Math.max(1000, timeoutMs - (Date.now() - started)));
  if (!e.up) throw new Error(`Elasticsearch at ${redactUrl(elasticsearchUrl)} is not up: ${e.error ?? "?"}`);
  return { redisUrl, elasticsearchUrl };
}

/** Stop the servers this project started (and only those). */
export async function servicesDown(opts: { log?: Log } = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  const paths = servicePaths();
  await withLock(
    paths.lockFile,
    async () => {
      const state = readState(paths.stateFile);
      // Elasticsearch first: it takes longest, and nothing of ours depends on it stopping last
      for (const name of ["elasticsearch", "redis"] as ServiceName[]) {
        const rec = state[name];
        if (!rec) {
          log(`${name}: nothing started by tidings is recorded; nothing to stop`);
          continue;
        }
        if (!recordAlive(rec)) {
          log(`${name}: pid ${rec.pid} is no longer running`);
          updateState(paths.stateFile, name, undefined);
          continue;
        }
        log(`${name}: stopping pid ${rec.pid}`);
        const t0 = Date.now();
        const ok = await stopPid(rec.pid, name === "elasticsearch" ? 60_000 : 20_000);
        if (!ok) throw new Error(`${name}: pid ${rec.pid} did not exit`);
        updateState(paths.stateFile, name, undefined);
        log(`${name}: stopped (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    },
    log,
  );
}

/** Probe both services; report whether each was started by this project. */
export async function servicesStatus(): Promise<ServicesStatus> {
  const paths = servicePaths();
  const state = readState(paths.stateFile);
  const redisUrl = redisUrlFromEnv();
  const esUrl = elasticsearchUrlFromEnv();
  const redisTarget = parseRedisUrl(redisUrl);
  const esTarget = parseElasticsearchUrl(esUrl);
  const [r, e] = await Promise.all([probeRedis(redisTarget), probeElasticsearch(esTarget)]);
  const rOurs = recordAlive(state.redis) && state.redis?.port === redisTarget.port;
  const eOurs = recordAlive(state.elasticsearch) && state.elasticsearch?.port === esTarget.port;
  const redis: ServiceStatus = { url: redisUrl, up: r.up, startedByUs: rOurs };
  if (rOurs && state.redis) redis.pid = state.redis.pid;
  if (r.version) redis.version = r.version;
  if (!r.up && r.error) redis.error = r.error;
  const elasticsearch: ServicesStatus["elasticsearch"] = { url: esUrl, up: e.up, startedByUs: eOurs };
  if (eOurs && state.elasticsearch) elasticsearch.pid = state.elasticsearch.pid;
  if (e.version) elasticsearch.version = e.version;
  if (e.health) elasticsearch.health = e.health;
  if (!e.up && e.error) elasticsearch.error = e.error;
  return { redis, elasticsearch };
}

export function formatStatusLine(name: string, s: ServiceStatus & { health?: string }): string {
  const parts = [name.padEnd(14), redactUrl(s.url).padEnd(26), s.up ? "up  " : "DOWN"];
  if (s.version) parts.push(`v${s.version}`);
  if (s.health) parts.push(`health ${s.health}`);
  parts.push(s.startedByUs ? `started by tidings (pid ${s.pid})` : s.up ? "external (not started by tidings)" : "");
  if (s.error) parts.push(`(${s.error})`);
  return parts.filter(Boolean).join("  ");
}

const USAGE = "usage: tidings services <up|down|status>";

/** CLI entry: returns the exit code (status: 0 when both are up, 3 otherwise). */
export async function servicesCommand(args: string[]): Promise<number> {
  const sub = args[0];
  try {
    switch (sub) {
      case "up": {
        const t0 = Date.now();
        const res = await servicesUp();
        console.log(`[services] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s${res.started.length ? ` (started: ${res.started.join(", ")})` : " (nothing to start)"}`);
        console.log(`REDIS_URL=${redactUrl(res.redisUrl)}`);
        console.log(`ELASTICSEARCH_URL=${redactUrl(res.elasticsearchUrl)}`);
        return 0;
      }
      case "down":
        await servicesDown();
        return 0;
      case "status": {
        const s = await servicesStatus();
        console.log(formatStatusLine("redis", s.redis));
        console.log(formatStatusLine("elasticsearch", s.elasticsearch));
        return s.redis.up && s.elasticsearch.up ? 0 : 3;
      }
      case undefined:
      case "-h":
      case "--help":
      case "help":
        console.log(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        console.error(`unknown services command ${JSON.stringify(sub)}\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`[services] ERROR: ${(err as Error).message}`);
    return 1;
  }
}
