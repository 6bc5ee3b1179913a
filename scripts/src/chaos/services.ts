/**
 * The chaos run's own Redis and Elasticsearch: started by the project's services code on their
 * own ports with their own data dir (never the shared ones: restarting and freezing them is the
 * point), restarted and frozen here, stopped at the end.
 *
 *  - Redis restart: SHUTDOWN (which persists: AOF is on in the config the services code writes),
 *    wait for the process to exit, start it again with the services code (same config, same
 *    data dir: the AOF is replayed).
 *  - Elasticsearch outage: SIGSTOP the JVM (pid from <data>/services.json) for the outage, then
 *    SIGCONT: connections are accepted by the kernel but nothing answers, as with a hung or
 *    partitioned node. A process exit handler sends SIGCONT whatever happens.
 */
import { Redis } from "ioredis";
import type { Log } from "../services/apt.ts";
import { servicesDown, servicesUp } from "../services/index.ts";
import { servicePaths, type ServicePaths } from "../services/paths.ts";
import { startRedis, waitForRedis } from "../services/redis.ts";
import { pidAlive, readState, recordAlive, updateState } from "../services/state.ts";
import { parseElasticsearchUrl, parseRedisUrl } from "../services/url.ts";

export interface ChaosServicesOptions {
  redisUrl: string;
  elasticsearchUrl: string;
  dataDir: string;
  /** TIDINGS_ES_HEAP for a newly started Elasticsearch (default: the services default, 1g). */
  esHeap?: string;
  log: Log;
}

const SHARED_PORTS = { redis: 6379, elasticsearch: 9200 };

/** Run fn with these environment variables set (the services code reads its settings from the environment). */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export class ChaosServices {
  readonly paths: ServicePaths;
  private frozen: number | undefined;
  private readonly onExit = () => this.thaw();
  started: string[] = [];

  constructor(readonly opts: ChaosServicesOptions) {
    const r = parseRedisUrl(opts.redisUrl);
    const e = parseElasticsearchUrl(opts.elasticsearchUrl);
    if (r.port === SHARED_PORTS.redis || e.port === SHARED_PORTS.elasticsearch) {
      throw new Error(`chaos restarts Redis and freezes Elasticsearch: give it its own ports (not ${SHARED_PORTS.redis}/${SHARED_PORTS.elasticsearch}, which others use)`);
    }
    this.paths = servicePaths({ ...process.env, TIDINGS_DATA_DIR: opts.dataDir });
  }

  private env() {
    return {
      REDIS_URL: this.opts.redisUrl, ELASTICSEARCH_URL: this.opts.elasticsearchUrl, TIDINGS_DATA_DIR: this.opts.dataDir,
      ...(this.opts.esHeap ? { TIDINGS_ES_HEAP: this.opts.esHeap } : {}),
    };
  }

  /** Start (or reuse) both, and check that both are ours: recorded in this data dir on these ports. */
  async up(): Promise<void> {
    const res = await withEnv(this.env(), () => servicesUp({ log: this.opts.log }));
    this.started = res.started;
    const state = readState(this.paths.stateFile);
    const r = parseRedisUrl(this.opts.redisUrl);
    const e = parseElasticsearchUrl(this.opts.elasticsearchUrl);
    if (!recordAlive(state.redis) || state.redis?.port !== r.port) {
      throw new Error(`Redis at ${this.opts.redisUrl} was not started by tidings with data dir ${this.opts.dataDir}: chaos only restarts its own`);
    }
    if (!recordAlive(state.elasticsearch) || state.elasticsearch?.port !== e.port) {
      throw new Error(`Elasticsearch at ${this.opts.elasticsearchUrl} was not started by tidings with data dir ${this.opts.dataDir}: chaos only freezes its own`);
    }
    process.on("exit", this.onExit);
  }

  redisPid(): number {
    const rec = readState(this.paths.stateFile).redis;
    if (!rec || !recordAlive(rec)) throw new Error("the chaos Redis is not running");
    return rec.pid;
  }

  elasticsearchPid(): number {
    const rec = readState(this.paths.stateFile).elasticsearch;
    if (!rec || !recordAlive(rec)) throw new Error("the chaos Elasticsearch is not running");
    return rec.pid;
  }

  /** SHUTDOWN (persisting), then start again from the same data dir. Returns the downtime (ms). */
  async restartRedis(): Promise<number> {
    const pid = this.redisPid();
    const t0 = Date.now();
    const conn = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    try {
      await conn.connect();
      await conn.call("SHUTDOWN").catch(() => undefined); // the connection closes: that is the answer
    } finally {
      conn.disconnect();
    }
    for (let i = 0; i < 300 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (pidAlive(pid)) throw new Error(`Redis pid ${pid} did not exit after SHUTDOWN`);
    const record = await withEnv(this.env(), () => startRedis(this.opts.redisUrl, this.paths.redisDir, this.opts.log));
    updateState(this.paths.stateFile, "redis", record);
    const probe = await waitForRedis(parseRedisUrl(this.opts.redisUrl), 30_000);
    if (!probe.up) throw new Error(`Redis did not come back: ${probe.error ?? "?"}`);
    return Date.now() - t0;
  }

  /** SIGSTOP the Elasticsearch JVM for ms, then SIGCONT. */
  async freezeElasticsearch(ms: number): Promise<void> {
    const pid = this.elasticsearchPid();
    this.frozen = pid;
    process.kill(pid, "SIGSTOP");
    try {
      await new Promise((r) => setTimeout(r, ms));
    } finally {
      this.thaw();
    }
  }

  thaw(): void {
    if (this.frozen === undefined) return;
    try {
      process.kill(this.frozen, "SIGCONT");
    } catch {
      // gone
    }
    this.frozen = undefined;
  }

  async down(): Promise<void> {
    this.thaw();
    process.off("exit", this.onExit);
    await withEnv(this.env(), () => servicesDown({ log: this.opts.log }));
  }
}
