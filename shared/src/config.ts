/**
 * Configuration from the environment, with defaults, validated once at start-up.
 * Every option is listed here with its variable, default and meaning; `loadConfig` throws a
 * ConfigError naming every bad variable at once, so a misconfigured worker never starts.
 */
import { z } from "zod";

export const STAGE_QUEUES = ["fetch", "clean", "translate", "extract", "index"] as const;
export type PipelineStage = (typeof STAGE_QUEUES)[number];

const intFrom = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max);

const schema = z.object({
  /** REDIS_URL: Redis for BullMQ queues, batches and caches. Default redis://127.0.0.1:6379. */
  redisUrl: z.string().url().refine((u) => /^rediss?:\/\//.test(u), "must start with redis:// or rediss://"),
  /** ELASTICSEARCH_URL: Elasticsearch HTTP endpoint. Default http://127.0.0.1:9200. */
  elasticsearchUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), "must start with http:// or https://"),
  /** ELASTICSEARCH_API_KEY / ELASTICSEARCH_USERNAME + ELASTICSEARCH_PASSWORD: optional credentials. */
  elasticsearchApiKey: z.string().optional(),
  elasticsearchUsername: z.string().optional(),
  elasticsearchPassword: z.string().optional(),
  /** TIDINGS_INDEX_PREFIX: prefix of every index, alias and template. Default "tidings". */
  indexPrefix: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "lower-case letters, digits, - and _ only"),
  /** TIDINGS_QUEUE_PREFIX: BullMQ key prefix (use a {hash tag} for Redis Cluster). Default "tidings". */
  queuePrefix: z.string().min(1).max(64),
  /** TIDINGS_CONCURRENCY_<STAGE>: jobs one worker process runs at once, per stage. */
  concurrency: z.object({
    fetch: intFrom(1, 1000), clean: intFrom(1, 256), translate: intFrom(1, 256),
    extract: intFrom(1, 256), index: intFrom(1, 256),
  }),
  /** TIDINGS_ATTEMPTS: attempts per job before it fails for good. Default 4. */
  attempts: intFrom(1, 50),
  /** TIDINGS_BACKOFF_MS: base delay of the exponential backoff (with jitter). Default 2000. */
  backoffMs: intFrom(0, 3_600_000),
  /** TIDINGS_KEEP_COMPLETED: completed jobs kept per queue (older are removed). Default 1000. */
  keepCompleted: intFrom(0, 10_000_000),
  /** TIDINGS_KEEP_FAILED: failed jobs kept per queue. Default 100000. */
  keepFailed: intFrom(0, 10_000_000),
  /** TIDINGS_SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for active jobs before closing. Default 30000. */
  shutdownTimeoutMs: intFrom(0, 3_600_000),
  /**
   * TIDINGS_CPU_THREADS: worker threads per clean or extract process that run the stage's parsing
   * off the event loop (0: in the event loop). Default 0: on a machine whose cores the stage
   * processes already keep busy, a thread adds no parallelism, and handing each page to it and
   * back cost 0.4-0.7 ms of CPU an article per stage (README, performance). More processes are
   * the way to use more cores; a thread is worth it where a process's event loop must stay
   * responsive while it parses.
   */
  cpuThreads: intFrom(0, 64),
  /**
   * TIDINGS_GATHER_MS: how long a worker that found its queue empty waits, once a job arrives,
   * before it fetches it, so that jobs arriving meanwhile are fetched back to back (gather.ts:
   * a trickle of jobs costs several times the CPU of a backlog). Adds up to this much latency
   * per stage. 0 turns it off. Default 100.
   */
  gatherMs: intFrom(0, 60_000),
  /**
   * TIDINGS_REDIS_COALESCE: 1 sends the Redis commands of one event-loop turn in one socket write
   * (connections.ts, coalesceWrites); 0 writes each command at once. Default 1.
   */
  redisCoalesce: z.enum(["0", "1"], { message: "must be 0 or 1" }).transform((v) => v === "1"),
  /**
   * TIDINGS_BUNDLE_MAX: most URLs one job carries from the clean queue onwards (bundles.ts):
   * outputs a worker hands on close together travel as one job, which saves BullMQ's per-job
   * cost in Redis and in the workers. 1 turns bundling off. Default 16 (8 until the twelfth
   * performance round: 16 took 0.6-1.0 ms less CPU an article in four paired e2e runs).
   */
  bundleMax: intFrom(1, 256),
  /**
   * TIDINGS_FETCH_BUNDLE_MAX: most URLs one fetch job carries; an enqueue adds a batch's URLs in
   * fetch jobs of this many (bundles.ts). Default 1. With 16 the fetch stage alone fetched 30-38%
   * more 20 ms pages a second (a single job leaves its slot idle for a job round trip after each
   * page, which matters only when pages are that fast), slow pages among them did not hurt, but
   * end to end five pairs of bench runs favoured single jobs four times (README, Performance,
   * thirteenth round).
   */
  fetchBundleMax: intFrom(1, 256),
  /**
   * TIDINGS_BUNDLE_WAIT_MS: how long a stage's output waits for others to share its job (ms).
   * Default 100. With 20, a process handed on 4.6-7.9 URLs a job after clean and two processes
   * per stage 3.4-5.7, as each sees half the outputs; with 50 (and twice as many job slots as
   * URL slots, bundles.ts jobsAtOnce) 7.8-14.5 and 5.3-10.3, 3.6% less CPU an article with one
   * process per stage and 6.5% less with two (seventeenth round); with 100, 7.7-14.3 URLs a job
   * with two processes, 9.8 against 10.8 ms an article (188.7 against 172.6 articles/s) and 3%
   * less with one (README, Performance, eighteenth round). Each hand-over may add this much to
   * a URL's latency; 200 ms (with TIDINGS_BUNDLE_MAX=32) saved another 2% at most.
   */
  bundleWaitMs: intFrom(0, 10_000),
  /**
   * TIDINGS_IN_FLIGHT_MAX_MS: how long an enqueue trusts that a URL queued earlier and not yet
   * ended is still in flight, and joins the new batch to that run instead of fetching the URL
   * again (producer.ts). Past it the earlier run is taken for lost (Redis lost its jobs, or an
   * enqueue died between recording the URL and adding its job) and the URL is queued afresh; a
   * run that was only slow then runs twice, which the idempotent writes absorb. Default 86400000
   * (24 h).
   */
  inFlightMaxMs: intFrom(1000, 365 * 24 * 3_600_000),
  /**
   * TIDINGS_FETCH_PAUSE_REDIS_MB: fetch workers stop taking jobs while Redis uses more than this
   * many MB, and take them again below 80% of it (workers/fetch/src/memory-gate.ts): page bodies
   * wait in Redis for the clean stage, and fetch outpaces clean. Lowered to 80% of Redis's
   * maxmemory when Redis has a lower one. 0 turns the gate off. Default 2048.
   */
  fetchPauseRedisMb: intFrom(0, 1_048_576),
  /**
   * TIDINGS_BODY_CODEC: how the fetch stage stores a page body in Redis for the clean stage
   * (bodies.ts): "lz4" (default) or "none" (no codec CPU, about 3.4 times the memory per page
   * waiting for clean). Clean reads either.
   */
  bodyCodec: z.enum(["lz4", "none"]),
  /** TIDINGS_TRANSLATE_PROVIDER: "stub" (default) or "http". */
  translateProvider: z.enum(["stub", "http"]),
  /** TIDINGS_TRANSLATE_TARGET: target language of translations. Default "en". */
  translateTarget: z.string().regex(/^[a-z]{2,3}$/),
  /** LOG_LEVEL: error | warn | info | debug. Default info. */
  logLevel: z.enum(["error", "warn", "info", "http", "verbose", "debug", "silly"]),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** Environment variable of each config path, used in error messages. */
const ENV_NAMES: Record<string, string> = {
  redisUrl: "REDIS_URL", elasticsearchUrl: "ELASTICSEARCH_URL", indexPrefix: "TIDINGS_INDEX_PREFIX",
  queuePrefix: "TIDINGS_QUEUE_PREFIX", attempts: "TIDINGS_ATTEMPTS", backoffMs: "TIDINGS_BACKOFF_MS",
  keepCompleted: "TIDINGS_KEEP_COMPLETED", keepFailed: "TIDINGS_KEEP_FAILED",
  shutdownTimeoutMs: "TIDINGS_SHUTDOWN_TIMEOUT_MS", cpuThreads: "TIDINGS_CPU_THREADS", gatherMs: "TIDINGS_GATHER_MS", redisCoalesce: "TIDINGS_REDIS_COALESCE",
  bundleMax: "TIDINGS_BUNDLE_MAX", bundleWaitMs: "TIDINGS_BUNDLE_WAIT_MS", fetchBundleMax: "TIDINGS_FETCH_BUNDLE_MAX", inFlightMaxMs: "TIDINGS_IN_FLIGHT_MAX_MS", bodyCodec: "TIDINGS_BODY_CODEC", fetchPauseRedisMb: "TIDINGS_FETCH_PAUSE_REDIS_MB", translateProvider: "TIDINGS_TRANSLATE_PROVIDER",
  translateTarget: "TIDINGS_TRANSLATE_TARGET", logLevel: "LOG_LEVEL",
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === "" ? fallback : v;
  };
  const raw = {
    redisUrl: e("REDIS_URL", "redis://127.0.0.1:6379"),
    elasticsearchUrl: e("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
    elasticsearchApiKey: env.ELASTICSEARCH_API_KEY || undefined,
    elasticsearchUsername: env.ELASTICSEARCH_USERNAME || undefined,
    elasticsearchPassword: env.ELASTICSEARCH_PASSWORD || undefined,
    indexPrefix: e("TIDINGS_INDEX_PREFIX", "tidings"),
    queuePrefix: e("TIDINGS_QUEUE_PREFIX", "tidings"),
    concurrency: {
      // Defaults for a 2-core machine: fetch waits on the network, index batches, the CPU
      // stages gain nothing from more than a couple of jobs at once.
      fetch: e("TIDINGS_CONCURRENCY_FETCH", "16"),
      clean: e("TIDINGS_CONCURRENCY_CLEAN", "2"),
      translate: e("TIDINGS_CONCURRENCY_TRANSLATE", "8"),
      extract: e("TIDINGS_CONCURRENCY_EXTRACT", "2"),
      index: e("TIDINGS_CONCURRENCY_INDEX", "64"),
    },
    attempts: e("TIDINGS_ATTEMPTS", "4"),
    backoffMs: e("TIDINGS_BACKOFF_MS", "2000"),
    keepCompleted: e("TIDINGS_KEEP_COMPLETED", "1000"),
    keepFailed: e("TIDINGS_KEEP_FAILED", "100000"),
    shutdownTimeoutMs: e("TIDINGS_SHUTDOWN_TIMEOUT_MS", "30000"),
    cpuThreads: e("TIDINGS_CPU_THREADS", "0"),
    gatherMs: e("TIDINGS_GATHER_MS", "100"),
    redisCoalesce: e("TIDINGS_REDIS_COALESCE", "1"),
    bundleMax: e("TIDINGS_BUNDLE_MAX", "16"),
    bundleWaitMs: e("TIDINGS_BUNDLE_WAIT_MS", "100"),
    fetchBundleMax: e("TIDINGS_FETCH_BUNDLE_MAX", "1"),
    inFlightMaxMs: e("TIDINGS_IN_FLIGHT_MAX_MS", "86400000"),
    bodyCodec: e("TIDINGS_BODY_CODEC", "lz4"),
    fetchPauseRedisMb: e("TIDINGS_FETCH_PAUSE_REDIS_MB", "2048"),
    translateProvider: e("TIDINGS_TRANSLATE_PROVIDER", "stub"),
    translateTarget: e("TIDINGS_TRANSLATE_TARGET", "en"),
    logLevel: e("LOG_LEVEL", "info"),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const path = i.path.join(".");
        const name = path.startsWith("concurrency.")
          ? `TIDINGS_CONCURRENCY_${String(i.path[1]).toUpperCase()}`
          : (ENV_NAMES[path] ?? path);
        return `${name}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}
