/**
 * Pipeline metrics recorded in Redis, so that counters of every worker process reach the one
 * process that serves `/metrics` (the dashboard). Cheap on the hot path: observations are summed
 * in memory and sent as one pipelined round of HINCRBYs every FLUSH_INTERVAL_MS (and when the
 * worker closes), without waiting for the answer (a metric must never slow down or fail a job).
 *
 * Keys (all under the queue prefix):
 *   <p>:metrics:counters               hash  name|labels -> count           (counters)
 *   <p>:metrics:hist:<name>|<labels>   hash  b<i> (per-bucket count), count, sum_us   (histograms)
 *   <p>:metrics:hists                  set   the histogram keys' suffixes (name|labels)
 *   <p>:metrics:minute:<stage>:<outcome>:<minute>   string   URLs that stage completed or failed for
 *                                      good in that minute (minutes since the epoch), kept
 *                                      MINUTE_COUNT_TTL_S: the dashboard's last-hour series
 *
 * Counts are of URLs, not jobs: a job that carries a bundle (bundles.ts) counts each of its URLs,
 * so these are the figures to read for throughput (BullMQ's own job counts are of jobs).
 *
 * Label sets are encoded as `k=v,k=v` with values stripped of the separators, so the number of
 * series stays what the label values make it (stages, reasons, status codes): small.
 */
import type { Redis } from "ioredis";

/** Upper bounds (seconds) of the histogram buckets; one more bucket (+Inf) follows. */
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

export type Labels = Record<string, string>;

/** Counters and histograms the pipeline records (name -> help text and type). */
export const METRIC_DEFS = {
  tidings_jobs_completed_total: { type: "counter", help: "URLs a stage completed (each URL of a bundle counts)." },
  tidings_job_failures_total: { type: "counter", help: "URLs that failed for good (or were skipped), by stage and reason." },
  tidings_job_retries_total: { type: "counter", help: "Failed attempts of a URL that will be retried, by stage and reason." },
  tidings_fetch_responses_total: { type: "counter", help: "HTTP responses the fetch stage received, by status code." },
  tidings_fetch_bytes_total: { type: "counter", help: "Bytes of pages the fetch stage received." },
  tidings_job_duration_seconds: { type: "histogram", help: "Time a stage spent on one URL's attempt, by stage and outcome." },
  tidings_es_bulk_duration_seconds: { type: "histogram", help: "Latency of Elasticsearch bulk requests of the index stage, by kind." },
} as const;

export type MetricName = keyof typeof METRIC_DEFS;

function cleanValue(v: string): string {
  return v.replace(/[,=|\n\r]/g, "_").slice(0, 120);
}

export function encodeLabels(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}=${cleanValue(labels[k] ?? "")}`).join(",");
}

export function decodeLabels(text: string): Labels {
  const out: Labels = {};
  if (!text) return out;
  for (const pair of text.split(",")) {
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** Index of the bucket a value (seconds) falls in; DURATION_BUCKETS_S.length is +Inf. */
export function bucketIndex(seconds: number): number {
  const i = DURATION_BUCKETS_S.findIndex((le) => seconds <= le);
  return i === -1 ? DURATION_BUCKETS_S.length : i;
}

/** How often a recorder sends what it summed (ms). */
export const FLUSH_INTERVAL_MS = 250;

/** How long a per-minute count is kept (s): the dashboard shows the last hour. */
export const MINUTE_COUNT_TTL_S = 2 * 3600;

const MINUTE_MS = 60_000;

/** The key of a stage's count of an outcome in one minute (minutes since the epoch): written and read by this file only. */
function minuteKey(prefix: string, stage: string, outcome: string, minute: number): string {
  return [prefix, "metrics", "minute", stage, outcome, String(minute)].join(":");
}

export class MetricsRecorder {
  /** Pending counter increments: Redis hash field -> amount. */
  private counters = new Map<string, number>();
  /** Pending histogram observations: series -> bucket counts, count, sum (µs). */
  private hists = new Map<string, { buckets: Map<number, number>; count: number; sumUs: number }>();
  /** Pending per-minute counts: their key (minuteKey) -> URLs. */
  private minutes = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly flushIntervalMs = FLUSH_INTERVAL_MS) {}

  private key(...parts: string[]): string {
    return [this.prefix, "metrics", ...parts].join(":");
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Send what was summed since the last flush; errors are dropped (metrics are best effort). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counters.size === 0 && this.hists.size === 0 && this.minutes.size === 0) return;
    const counters = this.counters;
    const hists = this.hists;
    const minutes = this.minutes;
    this.counters = new Map();
    this.hists = new Map();
    this.minutes = new Map();
    try {
      const p = this.redis.pipeline();
      for (const [field, by] of counters) p.hincrby(this.key("counters"), field, Math.round(by));
      for (const [series, h] of hists) {
        const k = this.key("hist", series);
        for (const [b, n] of h.buckets) p.hincrby(k, `b${b}`, n);
        p.hincrby(k, "count", h.count);
        p.hincrby(k, "sum_us", h.sumUs);
        p.sadd(this.key("hists"), series);
      }
      for (const [k, n] of minutes) {
        p.incrby(k, n);
        p.expire(k, MINUTE_COUNT_TTL_S);
      }
      p.exec().catch(() => undefined);
    } catch {
      // a closed connection: nothing to record
    }
  }

  private incr(name: MetricName, labels: Labels, by = 1): void {
    const field = `${name}|${encodeLabels(labels)}`;
    this.counters.set(field, (this.counters.get(field) ?? 0) + by);
    this.schedule();
  }

  private observe(name: MetricName, labels: Labels, seconds: number): void {
    const series = `${name}|${encodeLabels(labels)}`;
    let h = this.hists.get(series);
    if (!h) this.hists.set(series, (h = { buckets: new Map(), count: 0, sumUs: 0 }));
    const b = bucketIndex(seconds);
    h.buckets.set(b, (h.buckets.get(b) ?? 0) + 1);
    h.count++;
    h.sumUs += Math.max(0, Math.round(seconds * 1e6));
    this.schedule();
  }

  /**
   * A URL's attempt at a stage ended (its job's, or its own within a bundle): completed, failed
   * for good, or failed and will be retried. `ms` undefined (a job that failed outside its
   * processor, e.g. stalled) counts without a duration.
   */
  job(stage: string, outcome: "completed" | "failed" | "retry", ms: number | undefined, reason?: string, now = Date.now()): void {
    if (ms !== undefined) this.observe("tidings_job_duration_seconds", { stage, outcome }, ms / 1000);
    if (outcome !== "retry") {
      const k = minuteKey(this.prefix, stage, outcome, Math.floor(now / MINUTE_MS));
      this.minutes.set(k, (this.minutes.get(k) ?? 0) + 1);
    }
    if (outcome === "completed") this.incr("tidings_jobs_completed_total", { stage });
    else this.incr(outcome === "failed" ? "tidings_job_failures_total" : "tidings_job_retries_total", { stage, reason: reason ?? "error" });
  }

  /** A response of the fetch stage (status code) and its size. */
  fetched(status: number, bytes: number): void {
    this.incr("tidings_fetch_responses_total", { code: String(status) });
    if (bytes > 0) this.incr("tidings_fetch_bytes_total", {}, bytes);
  }

  /** One Elasticsearch bulk request of the index stage. */
  esBulk(kind: string, ms: number): void {
    this.observe("tidings_es_bulk_duration_seconds", { kind }, ms / 1000);
  }
}

// ---- reading (the dashboard) -------------------------------------------------------------

/**
 * URLs a stage completed or failed for good in each of the last `minutes` minutes, oldest first;
 * the last entry is the minute now runs in. One round trip.
 */
export async function readMinuteSeries(
  redis: Redis, prefix: string, stage: string, outcome: "completed" | "failed", now = Date.now(), minutes = 60,
): Promise<number[]> {
  const last = Math.floor(now / MINUTE_MS);
  const keys = Array.from({ length: minutes }, (_, i) => minuteKey(prefix, stage, outcome, last - minutes + 1 + i));
  const values = await redis.mget(...keys);
  return values.map((v) => Number(v ?? 0) || 0);
}

export interface CounterSample { name: MetricName; labels: Labels; value: number }
export interface HistogramSample {
  name: MetricName;
  labels: Labels;
  /** Cumulative counts per upper bound, the last one +Inf. */
  buckets: { le: number; count: number }[];
  count: number;
  sum: number;
}

export interface MetricsSnapshot { counters: CounterSample[]; histograms: HistogramSample[] }

function splitSeries(series: string): { name: string; labels: Labels } {
  const i = series.indexOf("|");
  return i < 0 ? { name: series, labels: {} } : { name: series.slice(0, i), labels: decodeLabels(series.slice(i + 1)) };
}

const isMetricName = (name: string): name is MetricName => Object.hasOwn(METRIC_DEFS, name);

/** Everything recorded under a prefix, in two round trips. */
export async function readMetrics(redis: Redis, prefix: string): Promise<MetricsSnapshot> {
  const key = (...parts: string[]) => [prefix, "metrics", ...parts].join(":");
  const [counterHash, seriesList] = await Promise.all([redis.hgetall(key("counters")), redis.smembers(key("hists"))]);
  const counters: CounterSample[] = [];
  for (const [series, value] of Object.entries(counterHash)) {
    const { name, labels } = splitSeries(series);
    if (isMetricName(name)) counters.push({ name, labels, value: Number(value) || 0 });
  }
  const histograms: HistogramSample[] = [];
  if (seriesList.length > 0) {
    const p = redis.pipeline();
    for (const s of seriesList) p.hgetall(key("hist", s));
    const res = (await p.exec()) ?? [];
    seriesList.forEach((series, i) => {
      const h = (res[i]?.[1] ?? {}) as Record<string, string>;
      const { name, labels } = splitSeries(series);
      if (!isMetricName(name)) return;
      let cumulative = 0;
      const buckets = [...DURATION_BUCKETS_S, Number.POSITIVE_INFINITY].map((le, b) => {
        cumulative += Number(h[`b${b}`] ?? 0);
        return { le, count: cumulative };
      });
      histograms.push({ name, labels, buckets, count: Number(h.count ?? 0), sum: Number(h.sum_us ?? 0) / 1e6 });
    });
  }
  counters.sort((a, b) => a.name.localeCompare(b.name) || encodeLabels(a.labels).localeCompare(encodeLabels(b.labels)));
  histograms.sort((a, b) => a.name.localeCompare(b.name) || encodeLabels(a.labels).localeCompare(encodeLabels(b.labels)));
  return { counters, histograms };
}
