/**
 * What the dashboard shows, read from Redis (BullMQ queues, batch sets, per-minute metrics) and
 * Elasticsearch (failed sources with sample URLs, latest events). Every read is bounded: no job
 * payloads are loaded (page bodies can be megabytes), only the few hash fields needed.
 */
import { indexNames } from "@tidings/index";
import { PIPELINE, readMinuteSeries, type BatchProgress, type Config, type ElasticsearchClient, type Producer } from "@tidings/shared";
import type { Redis } from "ioredis";

/** Batch ids as `randomId("b")` makes them, or as callers give them (letters, digits, _ . -). */
export const BATCH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const JOB_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "completed", "failed"] as const;

export interface DashboardDeps {
  config: Config;
  redis: Redis;
  producer: Producer;
  es: ElasticsearchClient;
}

export interface FailureGroup {
  /** "<stage>:<reason>", as BatchStore records it. */
  reason: string;
  stage: string;
  count: number;
  samples: { url: string; detail?: string; status: string }[];
}

export interface StageStats {
  stage: string;
  counts: Record<string, number>;
  /** Completed / failed jobs per minute, oldest first, the last 60 minutes (the last one is the current minute). */
  completed_per_minute: number[];
  failed_per_minute: number[];
  completed_last_hour: number;
  failed_last_hour: number;
  /** Over the last (up to) 200 jobs completed within the hour. */
  latency: { samples: number; processing_p50_ms?: number; processing_p95_ms?: number; wait_p50_ms?: number; wait_p95_ms?: number };
}

export interface EventSummary {
  id: string;
  type: string;
  mode?: string;
  date?: string;
  place?: string;
  source_countries: string[];
  target_countries: string[];
  actors: { role: string; name?: string; country?: string }[];
  num_sources: number;
  languages: string[];
  updated_at?: string;
  evidence: { url?: string; sentence: string; language?: string }[];
}

export function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export class DashboardData {
  constructor(private readonly d: DashboardDeps) {}

  private get prefix() {
    return this.d.config.queuePrefix;
  }

  async queueCounts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    await Promise.all(PIPELINE.map(async (stage) => {
      out[stage] = await this.d.producer.queue(stage).getJobCounts(...JOB_STATES);
    }));
    return out;
  }

  /** Latency of recently completed jobs: from their timestamps only (HMGET, no payloads). */
  private async latency(stage: string, now: number): Promise<StageStats["latency"]> {
    const ids = await this.d.redis.zrevrangebyscore(`${this.prefix}:${stage}:completed`, now, now - 3600_000, "LIMIT", 0, 200);
    if (ids.length === 0) return { samples: 0 };
    const p = this.d.redis.pipeline();
    for (const id of ids) p.hmget(`${this.prefix}:${stage}:${id}`, "timestamp", "processedOn", "finishedOn", "delay");
    const res = (await p.exec()) ?? [];
    const processing: number[] = [];
    const wait: number[] = [];
    for (const [, v] of res) {
      const [ts, processed, finished, delay] = (v as (string | null)[]).map((x) => (x === null ? NaN : Number(x)));
      if (Number.isFinite(processed) && Number.isFinite(finished)) processing.push(finished! - processed!);
      if (Number.isFinite(processed) && Number.isFinite(ts)) wait.push(Math.max(0, processed! - ts! - (Number.isFinite(delay) ? delay! : 0)));
    }
    processing.sort((a, b) => a - b);
    wait.sort((a, b) => a - b);
    const r = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
    return {
      samples: processing.length,
      processing_p50_ms: r(percentile(processing, 50)), processing_p95_ms: r(percentile(processing, 95)),
      wait_p50_ms: r(percentile(wait, 50)), wait_p95_ms: r(percentile(wait, 95)),
    };
  }

  async stageStats(now = Date.now()): Promise<StageStats[]> {
    const counts = await this.queueCounts();
    return Promise.all(PIPELINE.map(async (stage) => {
      // URLs per minute from the stages' own counts (metrics.ts): a bundle counts each of its URLs.
      const [completedSeries, failedSeries, latency] = await Promise.all([
        readMinuteSeries(this.d.redis, this.prefix, stage, "completed", now),
        readMinuteSeries(this.d.redis, this.prefix, stage, "failed", now),
        this.latency(stage, now),
      ]);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return {
        stage, counts: counts[stage] ?? {},
        completed_per_minute: completedSeries, failed_per_minute: failedSeries,
        completed_last_hour: sum(completedSeries), failed_last_hour: sum(failedSeries),
        latency,
      };
    }));
  }

  async batches(limit = 20): Promise<BatchProgress[]> {
    const ids = await this.d.producer.batches.list(Math.min(Math.max(limit, 1), 200));
    const all = await Promise.all(ids.map((id) => this.d.producer.batches.progress(id)));
    return all.filter((p): p is BatchProgress => p !== undefined);
  }

  async batch(id: string): Promise<(BatchProgress & { failures: FailureGroup[] }) | undefined> {
    const progress = await this.d.producer.batches.progress(id);
    if (!progress) return undefined;
    return { ...progress, failures: await this.failures(id, progress.failure_reasons) };
  }

  /**
   * Failure reasons of a batch with a few sample URLs each, from the sources index. Reasons the
   * index does not know yet (a write in flight) still appear, from the batch's counts.
   */
  async failures(batchId: string, known: Record<string, number> = {}, samplesPerReason = 3): Promise<FailureGroup[]> {
    const groups = new Map<string, FailureGroup>();
    for (const [reason, count] of Object.entries(known)) {
      groups.set(reason, { reason, stage: reason.split(":")[0] ?? "", count, samples: [] });
    }
    try {
      const res = await this.d.es.search({
        index: indexNames(this.d.config.indexPrefix, "sources").read,
        size: 0,
        query: { bool: { filter: [{ term: { batch_ids: batchId } }, { terms: { status: ["failed", "skipped"] } }] } },
        aggs: {
          stages: {
            terms: { field: "failure.stage", size: 20 },
            aggs: {
              reasons: {
                terms: { field: "failure.reason", size: 20 },
                aggs: { sample: { top_hits: { size: samplesPerReason, _source: { includes: ["url", "status", "failure.detail"] }, sort: [{ updated_at: "desc" }] } } },
              },
            },
          },
        },
      }, { requestTimeout: 5000 });
      type Bucket = { key: string; doc_count: number };
      type Hit = { _source?: { url?: string; status?: string; failure?: { detail?: string } } };
      const stages = (res.aggregations?.stages as { buckets?: (Bucket & { reasons: { buckets: (Bucket & { sample: { hits: { hits: Hit[] } } })[] } })[] } | undefined)?.buckets ?? [];
      for (const s of stages) {
        for (const r of s.reasons.buckets) {
          const reason = `${s.key}:${r.key}`;
          const g = groups.get(reason) ?? { reason, stage: s.key, count: 0, samples: [] };
          g.count = Math.max(g.count, r.doc_count);
          g.samples = r.sample.hits.hits.map((h) => ({
            url: h._source?.url ?? "",
            status: h._source?.status ?? "failed",
            ...(h._source?.failure?.detail ? { detail: h._source.failure.detail.slice(0, 300) } : {}),
          }));
          groups.set(reason, g);
        }
      }
    } catch (err) {
      // No sources index yet (nothing indexed): the batch's own counts are all there is.
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw err;
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }

  async latestEvents(size = 8): Promise<EventSummary[]> {
    try {
      const res = await this.d.es.search({
        index: indexNames(this.d.config.indexPrefix, "events").read,
        size,
        sort: [{ updated_at: { order: "desc", unmapped_type: "date" } }],
        _source: { includes: ["id", "type", "mode", "date", "location.name", "source_countries", "target_countries", "actors.role", "actors.name", "actors.country", "num_sources", "languages", "updated_at", "evidence.url", "evidence.sentence", "evidence.language"] },
      }, { requestTimeout: 5000 });
      return res.hits.hits.map((h) => {
        const s = (h._source ?? {}) as Record<string, unknown> & {
          id?: string; type?: string; mode?: string; date?: { value?: string }; location?: { name?: string };
          source_countries?: string[]; target_countries?: string[]; actors?: EventSummary["actors"];
          num_sources?: number; languages?: string[]; updated_at?: string; evidence?: EventSummary["evidence"];
        };
        // One evidence sentence per source URL, a few at most.
        const seen = new Set<string>();
        const evidence = (s.evidence ?? []).filter((e) => {
          const k = e.url ?? e.sentence;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        }).slice(0, 3).map((e) => ({ ...e, sentence: e.sentence.slice(0, 400) }));
        return {
          id: s.id ?? h._id ?? "", type: s.type ?? "", ...(s.mode ? { mode: s.mode } : {}),
          ...(s.date?.value ? { date: s.date.value } : {}), ...(s.location?.name ? { place: s.location.name } : {}),
          source_countries: s.source_countries ?? [], target_countries: s.target_countries ?? [],
          actors: (s.actors ?? []).slice(0, 6), num_sources: s.num_sources ?? 0, languages: s.languages ?? [],
          ...(s.updated_at ? { updated_at: s.updated_at } : {}), evidence,
        };
      });
    } catch (err) {
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return [];
      throw err;
    }
  }

  /** Everything the pipeline page shows, in one answer. */
  async overview(selected?: string): Promise<Record<string, unknown>> {
    const now = Date.now();
    const [stages, batches, events] = await Promise.all([this.stageStats(now), this.batches(12), this.latestEvents(8)]);
    const focus = selected && batches.some((b) => b.id === selected) ? selected : batches[0]?.id;
    const focusProgress = focus ? (batches.find((b) => b.id === focus) ?? (await this.d.producer.batches.progress(focus))) : undefined;
    const failures = focus ? await this.failures(focus, focusProgress?.failure_reasons ?? {}) : [];
    return { now: new Date(now).toISOString(), queue_prefix: this.prefix, stages, batches, selected: focus ?? null, failures, events };
  }

  /** Redis answers PING and Elasticsearch answers cluster health (not red). */
  async readiness(timeoutMs = 2000): Promise<{ ready: boolean; redis: string; elasticsearch: string }> {
    const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error("timeout")), timeoutMs).unref())]);
    const [redis, elasticsearch] = await Promise.all([
      within(this.d.redis.ping()).then((r) => (r === "PONG" ? "ok" : `unexpected ${r}`), (e: Error) => `down: ${e.message}`),
      within(this.d.es.cluster.health({ timeout: `${timeoutMs}ms` }, { requestTimeout: timeoutMs, maxRetries: 0 }))
        .then((h) => (h.status === "red" ? "red" : `ok (${h.status})`), (e: Error) => `down: ${e.message.slice(0, 200)}`),
    ]);
    return { ready: redis === "ok" && elasticsearch.startsWith("ok"), redis, elasticsearch };
  }
}
