/**
 * The benchmark's report: its JSON shape (written for comparison between runs), the printed
 * table, and the comparison of two reports. Pure: no I/O here.
 */
import type { MachineCpu } from "./machine-cpu.ts";
import { round } from "./stats.ts";

export const BENCH_REPORT_VERSION = 1;

/** A stage run alone, in-process, no queues. */
export interface StageAlone {
  pages: number;
  /** Wall time of the timed part (warm-up excluded). */
  seconds: number;
  pages_per_s: number;
  ms_median: number;
  ms_p99: number;
  ms_mean: number;
  /** How the pages were run ("sequential", "concurrency 16", ...). */
  mode: string;
  /** Elasticsearch documents written (index stage). */
  docs?: number;
  docs_per_s?: number;
  /**
   * Elasticsearch's own CPU per document written (index stage; its node stats, over the timed
   * part and a settling second after it, so refreshes and merges it set off count too).
   */
  es_cpu_ms_per_doc?: number;
  /** Pages that threw (counted in the timing). */
  errors?: number;
}

/** One way of keeping page bodies in Redis between fetch and clean (bodies.ts), on the run's pages. */
export interface BodyCodecRow {
  codec: string;
  pages: number;
  /** Compressing a page's UTF-8 bytes, ms (mean: the CPU an article pays). */
  compress_ms_mean: number;
  compress_ms_p99: number;
  /** Decompressing and decoding back to text, ms. */
  open_ms_mean: number;
  open_ms_p99: number;
  /** Stored bytes over UTF-8 bytes. */
  stored_ratio: number;
  stored_kib_per_page: number;
}

/** Readability on one DOM against the clean stage, same pages. */
export interface ReadabilityTimes {
  readability_ms_median: number;
  readability_ms_p99: number;
  /** Readability median / clean median (above 1: the clean stage is faster). */
  ratio_median: number;
  ratio_p99: number;
}

/** The top-level figures are Readability on linkedom (as in older reports); `jsdom` the same on jsdom. */
export interface ReadabilityRow extends ReadabilityTimes {
  pages: number;
  clean_ms_median: number;
  clean_ms_p99: number;
  /** Readability on jsdom, the setup its README shows (absent from older reports). */
  jsdom?: ReadabilityTimes;
}

export interface QueueCeiling {
  jobs: number;
  concurrency: number;
  add_jobs_per_s: number;
  jobs_per_s: number;
}

export interface TrickleRow {
  mode: "backlog" | "trickle" | "gathered";
  jobs: number;
  rate_per_s: number | null;
  gather_ms: number;
  /** This process: the no-op worker, plus the producer's queue.add calls in the trickle rows. */
  process_cpu_ms_per_job: number;
  redis_cpu_ms_per_job: number;
}

export interface QueueTrickle {
  rows: TrickleRow[];
}

export interface E2eStage {
  procs: number;
  /** Jobs that completed the stage (the batch's stage set). */
  articles: number;
  cpu_ms_total: number;
  cpu_ms_per_article: number | null;
  /**
   * The same in each quarter of the run's URLs (the CPU used while the stage's count went from 0
   * to 25%, 25 to 50%, ...): warm-up shows in the first. Null where unmeasured; older reports lack it.
   */
  cpu_ms_per_article_by_quarter?: Array<number | null>;
  /**
   * Jobs added to the stage's queue while the measured batch ran (its id counter, which BullMQ's
   * add script increments for every job, bundles and requeued items included), and URLs per job:
   * a stage pays BullMQ's per-job cost once per job, so smaller bundles cost more per article.
   * Older reports lack them.
   */
  jobs?: number | null;
  urls_per_job?: number | null;
  /** processedOn - timestamp of the retained completed jobs. */
  wait_ms_median: number | null;
  wait_ms_p95: number | null;
  wait_samples: number;
  /** VmHWM of each of the stage's processes, MiB. */
  peak_rss_mb: number[];
}

export interface E2eResult {
  urls: number;
  procs_per_stage: number;
  keep_completed: number;
  /** URLs run through the same workers before the measured batch (0 or absent: none, cold workers). */
  warmup_urls?: number;
  /** First enqueue to the last source ended. */
  seconds: number;
  enqueue_seconds: number;
  articles_per_s: number;
  /** Over the middle 80% of the sources ending. */
  sustained_per_s: number | null;
  ended: { indexed: number; failed: number; skipped: number };
  failure_reasons: Record<string, number>;
  stages: Record<string, E2eStage>;
  /** Hashes of what the run indexed (fingerprint.ts): equal across runs over the same pages when results are identical. Absent in older reports. */
  fingerprint?: { sources: string; events: string; source_docs: number; event_docs: number } | null;
  /**
   * CPU ms per URL of what is not a worker, over the same span: the Redis server (INFO cpu), the
   * Elasticsearch nodes (nodes stats) and the bench process itself (page server, sampling). Null
   * when unreadable; older reports lack it.
   */
  other_cpu_ms_per_article?: { redis: number | null; elasticsearch: number | null; bench: number | null };
  /** Redis's and Elasticsearch's by quarter of the sources ended (sampled every second). Older reports lack it. */
  other_cpu_ms_per_article_by_quarter?: { redis: Array<number | null>; elasticsearch: Array<number | null> };
  /**
   * The whole machine's CPUs over the same span as the per-stage CPU (/proc/stat), in cores:
   * busy, idle, I/O wait and steal (the host running another guest). Null when unreadable;
   * older reports lack it.
   */
  machine_cpu?: MachineCpu | null;
  redis: {
    baseline_mb: number;
    peak_used_mb: number;
    in_flight_at_peak: number;
    max_in_flight: number;
    /** The sample where (used - baseline - retained) per URL in flight peaked (at least 10% of the URLs in flight). */
    in_flight_at_ratio: number | null;
    used_mb_at_ratio: number | null;
    /** (used - baseline) / (in flight / 1000) at that sample. */
    bytes_per_1000_in_flight: number | null;
    /** The same minus the estimated bytes of the completed jobs BullMQ retains. */
    bytes_per_1000_in_flight_net: number | null;
    retained_completed_mb_at_ratio: number | null;
    /** Median of the net ratio over the samples with at least 10% of the URLs in flight. */
    median_bytes_per_1000_in_flight_net: number | null;
    /** Average MEMORY USAGE of a retained completed job, per queue, at the end. */
    retained_bytes_per_job: Record<string, number>;
    /** [seconds, used MiB, URLs in flight, retained completed MiB (estimate)], at most 200 evenly spaced. */
    samples: Array<[number, number, number, number]>;
  } | null;
  es: {
    docs: Record<string, number>;
    docs_total: number;
    /** From the first source ended to the last. */
    index_span_s: number;
    /** Union of the index jobs' processedOn..finishedOn (retained ones, scaled to all). */
    index_busy_s: number | null;
    busy_sampled_jobs: number;
    /** docs_total / index_busy_s. */
    docs_per_s: number | null;
    docs_per_s_over_span: number;
  };
}

export interface BenchReport {
  version: typeof BENCH_REPORT_VERSION;
  started_at: string;
  finished_at: string;
  machine: {
    cpus: number; loadavg_start: number[]; loadavg_end: number[]; node: string;
    /**
     * The host yardstick (yardstick.ts), ms per page, measured before and after the run: the
     * same work every time, so a higher figure means a slower host. Absent in older reports.
     */
    yardstick_ms_start?: number; yardstick_ms_end?: number;
  };
  options: { urls: number; stage_pages: number; procs_per_stage: number; stages: string[]; corpus: string; corpus_pages: number };
  alone: Record<string, StageAlone>;
  readability: ReadabilityRow | null;
  /** Page-body codecs side by side (absent from reports written before it existed). */
  body_codecs?: BodyCodecRow[] | null;
  queue_ceiling: QueueCeiling | null;
  /** Absent in reports written before it existed. */
  queue_trickle?: QueueTrickle | null;
  e2e: E2eResult | null;
  /** End-to-end articles/s over the slowest stage's pages/s alone (the cost of the queues). */
  e2e_vs_slowest: { slowest: string; slowest_pages_per_s: number; e2e_per_s: number; ratio: number; sustained_ratio: number | null } | null;
  notes: string[];
}

export const STAGE_ORDER = ["fetch", "clean", "translate", "extract", "index"] as const;

/** CPU ms per article of the whole run: the stages' processes plus Redis, Elasticsearch and the bench. */
export function totalCpuMsPerArticle(e: E2eResult): number {
  const o = e.other_cpu_ms_per_article;
  return STAGE_ORDER.reduce((sum, s) => sum + (e.stages[s]?.cpu_ms_per_article ?? 0), 0) + (o?.redis ?? 0) + (o?.elasticsearch ?? 0) + (o?.bench ?? 0);
}

/**
 * Rows of the "by quarter" table: each stage's CPU ms per article in the four quarters of the
 * run, then Redis and Elasticsearch, then the sum of what each quarter measured (undefined for
 * a report without them). The last quarter is the nearest this run gets to a steady state.
 */
export function quarterRows(e: E2eResult): string[][] | undefined {
  const parts: Array<[string, Array<number | null> | undefined]> = [
    ...STAGE_ORDER.map((s) => [s, e.stages[s]?.cpu_ms_per_article_by_quarter] as [string, Array<number | null> | undefined]),
    ["(redis)", e.other_cpu_ms_per_article_by_quarter?.redis],
    ["(elasticsearch)", e.other_cpu_ms_per_article_by_quarter?.elasticsearch],
  ];
  const measured = parts.filter(([, q]) => q && q.length === 4);
  if (measured.length === 0) return undefined;
  const rows = [["CPU ms/article by quarter of the run", "1st", "2nd", "3rd", "4th"]];
  for (const [name, q] of measured) rows.push([name, ...q!.map((v) => fmt(v, 2))]);
  const sums = [0, 1, 2, 3].map((k) => (measured.every(([, q]) => q![k] !== null) ? measured.reduce((sum, [, q]) => sum + q![k]!, 0) : null));
  rows.push(["sum (bench+pages not split)", ...sums.map((v) => fmt(v, 2))]);
  return rows;
}

/** The slowest stage run alone and the end-to-end rate against it. */
export function e2eVsSlowest(alone: Record<string, StageAlone>, e2e: E2eResult | null): BenchReport["e2e_vs_slowest"] {
  if (!e2e) return null;
  let slowest: [string, StageAlone] | undefined;
  for (const [name, s] of Object.entries(alone)) {
    if (!(s.pages_per_s > 0)) continue;
    if (!slowest || s.pages_per_s < slowest[1].pages_per_s) slowest = [name, s];
  }
  if (!slowest) return null;
  const rate = slowest[1].pages_per_s;
  return {
    slowest: slowest[0], slowest_pages_per_s: rate, e2e_per_s: e2e.articles_per_s,
    ratio: round(e2e.articles_per_s / rate, 3),
    sustained_ratio: e2e.sustained_per_s === null ? null : round(e2e.sustained_per_s / rate, 3),
  };
}

// ---- formatting -----------------------------------------------------------------------------

/** A figure with `digits` decimals; "-" when it is missing or not finite. */
export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  return x.toFixed(digits);
}

/** A plain text table: first row is the header; columns padded, numbers right-aligned. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const numeric = (c: string) => /^[-+]?[\d.,]+%?$|^-$/.test(c);
  return rows.map((r, ri) => r.map((c, i) => {
    const w = widths[i] ?? 0;
    return ri > 0 && i > 0 && numeric(c) ? c.padStart(w) : c.padEnd(w);
  }).join("  ").trimEnd()).join("\n");
}

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`tidings bench  ${r.started_at}  node ${r.machine.node}, ${r.machine.cpus} CPU(s), load ${r.machine.loadavg_start.map((l) => l.toFixed(2)).join(" ")} -> ${r.machine.loadavg_end.map((l) => l.toFixed(2)).join(" ")}`);
  out.push(`pages: ${r.options.corpus} (${r.options.corpus_pages} distinct, cycled)`);
  const m = r.machine;
  if (m.yardstick_ms_start !== undefined && m.yardstick_ms_end !== undefined) {
    out.push(`host yardstick: ${fmt(m.yardstick_ms_start, 2)} ms/page before the run, ${fmt(m.yardstick_ms_end, 2)} after (fixed work, not our code: higher means a slower host; compare runs only with similar yardsticks)`);
  }
  const alone = STAGE_ORDER.filter((s) => r.alone[s]);
  if (alone.length > 0) {
    out.push("", "stages alone (in-process, no queues)");
    const rows = [["stage", "pages", "pages/s", "ms/page med", "ms/page p99", "mode"]];
    for (const s of alone) {
      const a = r.alone[s]!;
      rows.push([s, String(a.pages), fmt(a.pages_per_s), fmt(a.ms_median, 2), fmt(a.ms_p99, 2),
        `${a.mode}${a.docs !== undefined ? `; ${a.docs} docs, ${fmt(a.docs_per_s, 0)} docs/s` : ""}${a.es_cpu_ms_per_doc !== undefined ? `, Elasticsearch ${fmt(a.es_cpu_ms_per_doc, 2)} ms CPU a doc` : ""}${a.errors ? `; ${a.errors} errors` : ""}`]);
    }
    out.push(table(rows));
  }
  if (r.readability) {
    const x = r.readability;
    out.push("", `clean vs Mozilla Readability, same ${x.pages} pages, page by page in turn`);
    const rows = [
      ["extractor", "ms/page med", "ms/page p99", "x clean (med)", "x clean (p99)"],
      ["tidings clean", fmt(x.clean_ms_median, 2), fmt(x.clean_ms_p99, 2), "", ""],
    ];
    if (x.jsdom) rows.push(["readability on jsdom", fmt(x.jsdom.readability_ms_median, 2), fmt(x.jsdom.readability_ms_p99, 2), fmt(x.jsdom.ratio_median, 1), fmt(x.jsdom.ratio_p99, 1)]);
    rows.push(["readability on linkedom", fmt(x.readability_ms_median, 2), fmt(x.readability_ms_p99, 2), fmt(x.ratio_median, 1), fmt(x.ratio_p99, 1)]);
    out.push(table(rows));
  }
  if (r.body_codecs?.length) {
    out.push("", `page bodies in Redis between fetch and clean (shared/src/bodies.ts), same ${r.body_codecs[0]!.pages} pages`);
    const rows = [["codec", "compress ms mean", "compress p99", "open ms mean", "open p99", "stored/UTF-8", "KiB/page"]];
    for (const c of r.body_codecs) {
      rows.push([c.codec === "lz4" ? "lz4 (stored)" : `${c.codec} (before)`, fmt(c.compress_ms_mean, 3), fmt(c.compress_ms_p99, 2), fmt(c.open_ms_mean, 3), fmt(c.open_ms_p99, 2), fmt(c.stored_ratio, 3), fmt(c.stored_kib_per_page, 1)]);
    }
    out.push(table(rows));
  }
  if (r.queue_ceiling) {
    const q = r.queue_ceiling;
    out.push("", `queue ceiling (BullMQ no-op processor, same Redis): ${fmt(q.jobs_per_s, 0)} jobs/s with one worker at concurrency ${q.concurrency} over ${q.jobs} jobs (addBulk ${fmt(q.add_jobs_per_s, 0)} jobs/s)`);
  }
  if (r.queue_trickle) {
    out.push("", "queue cost of a trickle (no-op worker, concurrency 8; see queue-trickle.ts and TIDINGS_GATHER_MS):");
    out.push(table([
      ["jobs arrive", "jobs", "CPU ms/job (this process)", "Redis CPU ms/job"],
      ...r.queue_trickle.rows.map((t) => [
        t.mode === "backlog" ? "all waiting (backlog)" : `${t.rate_per_s}/s, ${t.mode === "gathered" ? `gathered ${t.gather_ms} ms` : "fetched as they come"}`,
        String(t.jobs), fmt(t.process_cpu_ms_per_job, 3), fmt(t.redis_cpu_ms_per_job, 3),
      ]),
    ]));
  }
  const e = r.e2e;
  if (e) {
    const warm = e.warmup_urls ? `, after a warm-up of ${e.warmup_urls} URLs through the same workers (the fingerprint covers both)` : "";
    out.push("", `end to end: ${e.urls} URLs, ${e.procs_per_stage} process(es) per stage, keep-completed ${e.keep_completed}${warm}`);
    out.push(table([
      ["metric", "value"],
      ["articles/s (first enqueue -> last ended)", fmt(e.articles_per_s)],
      ["sustained articles/s (middle 80%)", fmt(e.sustained_per_s)],
      ["wall time s (of which enqueue)", `${fmt(e.seconds)} (${fmt(e.enqueue_seconds)})`],
      ...(e.machine_cpu ? [[`machine CPU, cores of ${e.machine_cpu.cores}: busy / idle / iowait / steal`,
        `${fmt(e.machine_cpu.busy_cores, 2)} / ${fmt(e.machine_cpu.idle_cores, 2)} / ${fmt(e.machine_cpu.iowait_cores, 2)} / ${fmt(e.machine_cpu.steal_cores, 2)}`]] : []),
      ["ended", `indexed ${e.ended.indexed}, failed ${e.ended.failed}, skipped ${e.ended.skipped}`],
      ["results fingerprint (sources / events)", e.fingerprint ? `${e.fingerprint.sources} (${e.fingerprint.source_docs}) / ${e.fingerprint.events} (${e.fingerprint.event_docs})` : "-"],
      ...Object.entries(e.failure_reasons).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => [`  ${k}`, String(v)]),
    ]));
    out.push("");
    const rows = [["stage", "procs", "articles", "URLs/job", "CPU ms/article", "wait ms med", "wait ms p95", "(n)", "peak RSS MiB"]];
    for (const s of STAGE_ORDER) {
      const st = e.stages[s];
      if (!st) continue;
      rows.push([s, String(st.procs), String(st.articles), fmt(st.urls_per_job, 2), fmt(st.cpu_ms_per_article, 2), fmt(st.wait_ms_median, 0), fmt(st.wait_ms_p95, 0), String(st.wait_samples), st.peak_rss_mb.map((m) => m.toFixed(0)).join(", ")]);
    }
    const o = e.other_cpu_ms_per_article;
    if (o) {
      rows.push(["(redis)", "", "", "", fmt(o.redis, 2), "", "", "", ""]);
      rows.push(["(elasticsearch)", "", "", "", fmt(o.elasticsearch, 2), "", "", "", ""]);
      rows.push(["(bench+pages)", "", "", "", fmt(o.bench, 2), "", "", "", ""]);
      rows.push(["total", "", "", "", fmt(totalCpuMsPerArticle(e), 2), "", "", "", ""]);
    }
    out.push(table(rows));
    const quarters = quarterRows(e);
    if (quarters) out.push("", table(quarters));
    out.push("");
    const rd = e.redis;
    const es = e.es;
    out.push(table([
      ["metric", "value"],
      ["Redis used_memory baseline -> peak MiB", rd ? `${fmt(rd.baseline_mb)} -> ${fmt(rd.peak_used_mb)} (${rd.in_flight_at_peak} in flight then, max ${rd.max_in_flight})` : "-"],
      ["Redis KiB per 1,000 URLs in flight (median, net)", rd ? fmt(rd.median_bytes_per_1000_in_flight_net === null ? null : rd.median_bytes_per_1000_in_flight_net / 1024, 0) : "-"],
      ["Redis retained completed job KiB (per queue)", rd ? STAGE_ORDER.map((q) => `${q} ${fmt((rd.retained_bytes_per_job[q] ?? NaN) / 1024, 1)}`).join(", ") : "-"],
      ["Redis KiB per 1,000 URLs in flight (peak)", rd ? `${fmt(rd.bytes_per_1000_in_flight_net === null ? null : rd.bytes_per_1000_in_flight_net / 1024, 0)} net of retained completed jobs (~${fmt(rd.retained_completed_mb_at_ratio)} MiB then); ${fmt(rd.bytes_per_1000_in_flight === null ? null : rd.bytes_per_1000_in_flight / 1024, 0)} gross; at ${rd.in_flight_at_ratio ?? "-"} in flight, ${fmt(rd.used_mb_at_ratio)} MiB used` : "-"],
      ["ES bulk docs (index ops; by index: docs now)", `${es.docs_total} (${Object.entries(es.docs).map(([k, v]) => `${k} ${v}`).join(", ")})`],
      ["ES bulk docs/s while the index stage was busy", `${fmt(es.docs_per_s, 0)} (busy ${fmt(es.index_busy_s)} s from ${es.busy_sampled_jobs} jobs; ${fmt(es.docs_per_s_over_span, 0)} over the ${fmt(es.index_span_s)} s span)`],
    ]));
  }
  const v = r.e2e_vs_slowest;
  if (v) {
    out.push("", `end to end vs slowest stage alone (${v.slowest}, ${fmt(v.slowest_pages_per_s)} pages/s): ${fmt(v.ratio, 2)} overall, ${fmt(v.sustained_ratio, 2)} sustained`);
  }
  if (r.notes.length > 0) out.push("", ...r.notes.map((n) => `note: ${n}`));
  return out.join("\n");
}

// ---- comparison -------------------------------------------------------------------------------

/** A metric to compare: its value in a report, and whether more is better. */
interface MetricDef { name: string; higherIsBetter: boolean; get: (r: BenchReport) => number | null | undefined }

function metricDefs(): MetricDef[] {
  const defs: MetricDef[] = [];
  defs.push({ name: "machine.yardstick_ms_start", higherIsBetter: false, get: (x) => x.machine.yardstick_ms_start });
  for (const s of STAGE_ORDER) {
    defs.push({ name: `alone.${s}.pages_per_s`, higherIsBetter: true, get: (x) => x.alone[s]?.pages_per_s });
    defs.push({ name: `alone.${s}.ms_median`, higherIsBetter: false, get: (x) => x.alone[s]?.ms_median });
    defs.push({ name: `alone.${s}.ms_p99`, higherIsBetter: false, get: (x) => x.alone[s]?.ms_p99 });
  }
  defs.push({ name: "alone.index.docs_per_s", higherIsBetter: true, get: (x) => x.alone.index?.docs_per_s });
  defs.push({ name: "alone.index.es_cpu_ms_per_doc", higherIsBetter: false, get: (x) => x.alone.index?.es_cpu_ms_per_doc });
  defs.push({ name: "readability.clean_ms_median", higherIsBetter: false, get: (x) => x.readability?.clean_ms_median });
  defs.push({ name: "readability.ratio_median", higherIsBetter: true, get: (x) => x.readability?.ratio_median });
  defs.push({ name: "readability.jsdom_ratio_median", higherIsBetter: true, get: (x) => x.readability?.jsdom?.ratio_median });
  defs.push({ name: "queue_ceiling.jobs_per_s", higherIsBetter: true, get: (x) => x.queue_ceiling?.jobs_per_s });
  defs.push({ name: "e2e.articles_per_s", higherIsBetter: true, get: (x) => x.e2e?.articles_per_s });
  defs.push({ name: "e2e.sustained_per_s", higherIsBetter: true, get: (x) => x.e2e?.sustained_per_s });
  for (const s of STAGE_ORDER) {
    defs.push({ name: `e2e.${s}.cpu_ms_per_article`, higherIsBetter: false, get: (x) => x.e2e?.stages[s]?.cpu_ms_per_article });
    defs.push({ name: `e2e.${s}.cpu_ms_per_article_4th_quarter`, higherIsBetter: false, get: (x) => x.e2e?.stages[s]?.cpu_ms_per_article_by_quarter?.[3] });
    defs.push({ name: `e2e.${s}.wait_ms_median`, higherIsBetter: false, get: (x) => x.e2e?.stages[s]?.wait_ms_median });
    defs.push({ name: `e2e.${s}.peak_rss_mb_max`, higherIsBetter: false, get: (x) => {
      const l = x.e2e?.stages[s]?.peak_rss_mb;
      return l && l.length > 0 ? Math.max(...l) : undefined;
    } });
  }
  defs.push({ name: "e2e.redis.kib_per_1000_in_flight_net", higherIsBetter: false, get: (x) => (x.e2e?.redis?.bytes_per_1000_in_flight_net ?? NaN) / 1024 });
  defs.push({ name: "e2e.es.docs_per_s", higherIsBetter: true, get: (x) => x.e2e?.es.docs_per_s });
  defs.push({ name: "e2e_vs_slowest.ratio", higherIsBetter: true, get: (x) => x.e2e_vs_slowest?.ratio });
  return defs;
}

export interface CompareRow {
  metric: string;
  old: number;
  new: number;
  /** (new - old) / old, in percent. */
  change_pct: number;
  /** Whether the change is for the better. */
  better: boolean;
}

/** Every metric present (finite) in both reports, with its change. */
export function compareReports(oldR: BenchReport, newR: BenchReport): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const d of metricDefs()) {
    const a = d.get(oldR);
    const b = d.get(newR);
    if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    const change = a === 0 ? (b === 0 ? 0 : Infinity) : ((b - a) / Math.abs(a)) * 100;
    rows.push({ metric: d.name, old: a, new: b, change_pct: change, better: d.higherIsBetter ? b >= a : b <= a });
  }
  return rows;
}

export function formatCompare(rows: CompareRow[], oldLabel = "old", newLabel = "new"): string {
  if (rows.length === 0) return "compare: no metric in common";
  const sig = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
  return table([
    ["metric", oldLabel, newLabel, "change", ""],
    ...rows.map((r) => [r.metric, sig(r.old), sig(r.new), `${r.change_pct >= 0 ? "+" : ""}${Number.isFinite(r.change_pct) ? r.change_pct.toFixed(1) : "inf"}%`, Math.abs(r.change_pct) < 0.05 ? "" : r.better ? "better" : "worse"]),
  ]);
}
