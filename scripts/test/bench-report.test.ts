import { describe, expect, it } from "vitest";
import { compareReports, e2eVsSlowest, formatCompare, formatReport, quarterRows, table, type BenchReport, type E2eResult, type StageAlone } from "../src/bench/report.ts";
import { busyTime, cpuPerArticleByPart, crossingTime, jobsOf, memoryPer1000, middleRate, percentile, round, summarize } from "../src/bench/stats.ts";
import { parseBenchStages } from "../src/bench/bench.ts";

describe("percentile", () => {
  it("interpolates between closest ranks", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile(Array.from({ length: 101 }, (_, i) => i), 99)).toBe(99);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it("summarizes", () => {
    const s = summarize([10, 20, 30, 40, 1000]);
    expect(s).toMatchObject({ n: 5, median: 30, max: 1000, mean: 220 });
    expect(s.p99).toBeCloseTo(961.6, 5);
    expect(summarize([]).n).toBe(0);
  });
});

describe("rates over time", () => {
  const samples = [{ t: 0, done: 0 }, { t: 1000, done: 0 }, { t: 2000, done: 100 }, { t: 3000, done: 300 }, { t: 4000, done: 500 }, { t: 9000, done: 1000 }];
  it("finds when a count was reached, interpolated", () => {
    expect(crossingTime(samples, 100)).toBe(2000);
    expect(crossingTime(samples, 200)).toBe(2500);
    expect(crossingTime(samples, 1000)).toBe(9000);
    expect(crossingTime(samples, 1001)).toBeUndefined();
    expect(crossingTime([{ t: 5, done: 10 }], 3)).toBe(5);
  });
  it("rates the middle 80% only", () => {
    // 10% = 100 at 2000 ms, 90% = 900 at 4000 + 400/500 * 5000 = 8000 ms: 800 items in 6 s.
    expect(middleRate(samples, 1000)).toBeCloseTo(800 / 6, 6);
    expect(middleRate(samples, 2000)).toBeUndefined();
    expect(middleRate([{ t: 0, done: 0 }, { t: 1000, done: 100 }], 100, 1)).toBe(100);
  });
  it("measures busy time as the union of intervals", () => {
    expect(busyTime([[0, 10], [5, 15], [20, 30], [21, 22]])).toBe(25);
    expect(busyTime([])).toBe(0);
  });
});

describe("CPU per article by part of the run", () => {
  // 0-100 articles cost 400 ms, 100-200 cost 200 ms, the rest 100 ms per 100 articles.
  const samples = [{ articles: 0, cpuMs: 0 }, { articles: 50, cpuMs: 200 }, { articles: 100, cpuMs: 400 }, { articles: 200, cpuMs: 600 }, { articles: 400, cpuMs: 800 }];
  it.each([
    ["quarters", 400, 4, [4, 2, 1, 1]],
    ["halves", 400, 2, [3, 1]],
    ["whole run", 400, 1, [2]],
    ["interpolated between samples", 300, 3, [4, 2, 1]],
    ["a part never reached is null", 800, 4, [3, 1, null, null]],
    ["no articles", 0, 4, []],
  ] as const)("%s", (_name, total, parts, expected) => {
    expect(cpuPerArticleByPart(samples, total, parts)).toEqual(expected);
  });
  it("takes the first sample at the start and never goes negative", () => {
    // A process that died and was replaced reads lower: the part costs 0, not less.
    expect(cpuPerArticleByPart([{ articles: 0, cpuMs: 10 }, { articles: 10, cpuMs: 30 }, { articles: 20, cpuMs: 25 }], 20, 2)).toEqual([2, 0]);
    expect(cpuPerArticleByPart([{ articles: 5, cpuMs: 10 }, { articles: 10, cpuMs: 20 }], 10, 2)).toEqual([0, 2]);
  });
});

describe("jobs per stage", () => {
  it.each([
    // before, after, articles -> jobs, URLs per job
    [2000, 7000, 5000, 5000, 1],
    [489, 1489, 5000, 1000, 5],
    [100, 1600, 5000, 1500, 3.33],
    [undefined, 300, 600, 300, 2], // a queue whose counter did not exist yet
    [100, 100, 0, 0, null], // no job added: no ratio
    [100, undefined, 5000, null, null], // unreadable counter
  ] as const)("%s -> %s over %s URLs", (before, after, articles, jobs, perJob) => {
    expect(jobsOf(before, after, articles)).toEqual({ jobs, urls_per_job: perJob });
  });
});

describe("Redis memory per 1,000 in flight", () => {
  it("takes the peak ratio among samples with enough in flight, net of retained jobs", () => {
    const m = memoryPer1000([
      { t: 0, usedBytes: 1_000_000 + 2_000_000, inFlight: 2000, retainedBytes: 0 },
      { t: 500, usedBytes: 1_000_000 + 3_000_000, inFlight: 1000, retainedBytes: 1_000_000 },
      { t: 1000, usedBytes: 1_000_000 + 5_000_000, inFlight: 10, retainedBytes: 4_900_000 },
    ], 1_000_000, 100)!;
    expect(m.at?.t).toBe(500);
    expect(m.bytesPer1000).toBe(3_000_000);
    expect(m.bytesPer1000Net).toBe(2_000_000);
    expect(m.peakUsedBytes).toBe(6_000_000);
    expect(m.inFlightAtPeak).toBe(10);
    expect(m.maxInFlight).toBe(2000);
    expect(m.medianNetPer1000).toBe(1_500_000);
    expect(memoryPer1000([], 0)).toBeUndefined();
    expect(memoryPer1000([{ t: 0, usedBytes: 5, inFlight: 0 }], 0)?.bytesPer1000).toBeUndefined();
  });
  it("rounds", () => {
    expect(round(1.25, 1)).toBe(1.3);
    expect(round(NaN)).toBeNaN();
  });
});

const stage = (pps: number, extra: Partial<StageAlone> = {}): StageAlone => ({ pages: 100, seconds: 100 / pps, pages_per_s: pps, ms_median: 1000 / pps, ms_p99: 3000 / pps, ms_mean: 1000 / pps, mode: "one at a time", ...extra });

function e2e(rate: number): E2eResult {
  const st = { procs: 1, articles: 100, cpu_ms_total: 500, cpu_ms_per_article: 5, wait_ms_median: 10, wait_ms_p95: 40, wait_samples: 100, peak_rss_mb: [200] };
  return {
    urls: 100, procs_per_stage: 1, keep_completed: 1000, seconds: 100 / rate, enqueue_seconds: 0.1, articles_per_s: rate, sustained_per_s: rate * 1.1,
    ended: { indexed: 98, failed: 2, skipped: 0 }, failure_reasons: { "fetch:http_404": 2 },
    machine_cpu: { seconds: 1.5, cores: 2, busy_cores: 1.62, idle_cores: 0.3, iowait_cores: 0.01, steal_cores: 0.07 },
    stages: { fetch: st, clean: { ...st, cpu_ms_per_article: 12, jobs: 25, urls_per_job: 4 }, translate: st, extract: st, index: st },
    redis: { baseline_mb: 5, peak_used_mb: 30, in_flight_at_peak: 50, max_in_flight: 100, in_flight_at_ratio: 80, used_mb_at_ratio: 25, bytes_per_1000_in_flight: 2_000_000, bytes_per_1000_in_flight_net: 1_000_000, retained_completed_mb_at_ratio: 3, median_bytes_per_1000_in_flight_net: 800_000, retained_bytes_per_job: { clean: 102_400 }, samples: [[0, 5, 0, 0]] },
    es: { docs: { sources: 100, events: 20, mentions: 30 }, docs_total: 160, index_span_s: 10, index_busy_s: 4, busy_sampled_jobs: 100, docs_per_s: 40, docs_per_s_over_span: 16 },
  };
}

function report(rate: number): BenchReport {
  const alone = { fetch: stage(300), clean: stage(150), translate: stage(100000), extract: stage(120), index: stage(400, { docs: 500, docs_per_s: 2000, es_cpu_ms_per_doc: 0.87 }) };
  const e = e2e(rate);
  return {
    version: 1, started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:01:00.000Z",
    machine: { cpus: 2, loadavg_start: [1, 1, 1], loadavg_end: [2, 1, 1], node: "v20" },
    options: { urls: 100, stage_pages: 100, procs_per_stage: 1, stages: ["all"], corpus: "../shared/corpus", corpus_pages: 866 },
    alone, readability: { pages: 50, clean_ms_median: 5, clean_ms_p99: 15, readability_ms_median: 25, readability_ms_p99: 100, ratio_median: 5, ratio_p99: 6.67,
      jsdom: { readability_ms_median: 120, readability_ms_p99: 300, ratio_median: 24, ratio_p99: 20 } },
    body_codecs: [
      { codec: "lz4", pages: 100, compress_ms_mean: 0.34, compress_ms_p99: 1.5, open_ms_mean: 0.52, open_ms_p99: 2.25, stored_ratio: 0.3, stored_kib_per_page: 43.5 },
      { codec: "deflate", pages: 100, compress_ms_mean: 1.04, compress_ms_p99: 4, open_ms_mean: 0.75, open_ms_p99: 3, stored_ratio: 0.22, stored_kib_per_page: 32 },
    ],
    queue_ceiling: { jobs: 100, concurrency: 50, add_jobs_per_s: 5000, jobs_per_s: 2500 },
    e2e: e, e2e_vs_slowest: e2eVsSlowest(alone, e), notes: ["numbers are noisy"],
  };
}

describe("report", () => {
  it("compares end to end with the slowest stage alone", () => {
    const r = report(60);
    expect(r.e2e_vs_slowest).toMatchObject({ slowest: "extract", slowest_pages_per_s: 120, ratio: 0.5 });
    expect(r.e2e_vs_slowest?.sustained_ratio).toBeCloseTo(0.55, 3);
    expect(e2eVsSlowest({}, e2e(1))).toBeNull();
    expect(e2eVsSlowest({ clean: stage(1) }, null)).toBeNull();
  });
  it("formats every section", () => {
    const text = formatReport(report(60));
    expect(text).toContain("stages alone (in-process, no queues)");
    expect(text).toMatch(/extract\s+100\s+120\.0/);
    expect(text).toContain("500 docs, 2000 docs/s, Elasticsearch 0.87 ms CPU a doc");
    expect(text).toContain("clean vs Mozilla Readability");
    expect(text).toMatch(/readability on jsdom\s+120\.00\s+300\.00\s+24\.0\s+20\.0/);
    expect(text).toMatch(/readability on linkedom\s+25\.00\s+100\.00\s+5\.0\s+6\.7/);
    expect(text).toContain("page bodies in Redis between fetch and clean (shared/src/bodies.ts), same 100 pages");
    expect(text).toMatch(/lz4 \(stored\)\s+0\.340\s+1\.50\s+0\.520\s+2\.25\s+0\.300\s+43\.5/);
    expect(text).toMatch(/deflate \(before\)\s+1\.040/);
    expect(text).toContain("2500 jobs/s");
    expect(text).toMatch(/articles\/s \(first enqueue -> last ended\)\s+60\.0/);
    expect(text).toMatch(/machine CPU, cores of 2: busy \/ idle \/ iowait \/ steal\s+1\.62 \/ 0\.30 \/ 0\.01 \/ 0\.07/);
    expect(text).toMatch(/clean\s+1\s+100\s+4\.00\s+12\.00\s+10\s+40\s+100\s+200/);
    // A report from before the jobs were counted prints a dash for URLs per job.
    expect(text).toMatch(/translate\s+1\s+100\s+-\s+/);
    expect(text).toContain("977 net of retained");
    expect(text).toMatch(/per 1,000 URLs in flight \(median, net\)\s+781/);
    expect(text).toContain("clean 100.0");
    expect(text).toContain("fetch:http_404");
    expect(text).toContain("(extract, 120.0 pages/s): 0.50 overall");
    expect(text).toContain("note: numbers are noisy");
  });
  it("prints CPU by quarter of the run when the report has it", () => {
    const r = report(60);
    expect(quarterRows(r.e2e!)).toBeUndefined();
    expect(formatReport(r)).not.toContain("by quarter of the run");
    r.e2e!.stages.clean!.cpu_ms_per_article_by_quarter = [20, 12, 10, 9.5];
    r.e2e!.stages.extract = { ...r.e2e!.stages.extract!, cpu_ms_per_article_by_quarter: [8, 5, 4, null] };
    r.e2e!.other_cpu_ms_per_article_by_quarter = { redis: [3, 2, 2, 2], elasticsearch: [] };
    const text = formatReport(r);
    expect(text).toMatch(/CPU ms\/article by quarter of the run\s+1st\s+2nd\s+3rd\s+4th/);
    expect(text).toMatch(/clean\s+20\.00\s+12\.00\s+10\.00\s+9\.50/);
    expect(text).toMatch(/\(redis\)\s+3\.00\s+2\.00/);
    expect(text).not.toMatch(/\(elasticsearch\)\s+-/);
    expect(text).toContain("end to end: 100 URLs, 1 process(es) per stage, keep-completed 1000\n");
    r.e2e!.warmup_urls = 2000;
    expect(formatReport(r)).toContain("keep-completed 1000, after a warm-up of 2000 URLs through the same workers");
    // The sum leaves out a quarter that one of its rows did not measure.
    expect(text).toMatch(/sum \(bench\+pages not split\)\s+31\.00\s+19\.00\s+16\.00\s+-/);
  });
  it("prints the host yardstick when the report has one, and compares it", () => {
    expect(formatReport(report(60))).not.toContain("host yardstick");
    const r = report(60);
    r.machine = { ...r.machine, yardstick_ms_start: 3.5, yardstick_ms_end: 4.25 };
    expect(formatReport(r)).toContain("host yardstick: 3.50 ms/page before the run, 4.25 after");
    const slower = report(60);
    slower.machine = { ...slower.machine, yardstick_ms_start: 7, yardstick_ms_end: 7 };
    expect(compareReports(r, slower).find((x) => x.metric === "machine.yardstick_ms_start")).toMatchObject({ old: 3.5, new: 7, better: false });
  });
  it("formats a report without e2e (a stage alone)", () => {
    const r = { ...report(1), e2e: null, e2e_vs_slowest: null, readability: null, queue_ceiling: null };
    const text = formatReport(r);
    expect(text).not.toContain("end to end");
    expect(text).toContain("clean");
  });
  it("aligns tables", () => {
    expect(table([["a", "bb"], ["ccc", "1"]])).toBe("a    bb\nccc   1");
  });
});

describe("compare", () => {
  it("lists the change of every metric in both reports, better or worse", () => {
    const a = report(60);
    const b = report(90);
    b.alone.clean = stage(100);
    delete (b.alone as Record<string, StageAlone>).fetch;
    const rows = compareReports(a, b);
    const e2eRow = rows.find((r) => r.metric === "e2e.articles_per_s")!;
    expect(e2eRow).toMatchObject({ old: 60, new: 90, better: true });
    expect(e2eRow.change_pct).toBeCloseTo(50, 6);
    const clean = rows.find((r) => r.metric === "alone.clean.ms_median")!;
    expect(clean.better).toBe(false);
    expect(rows.some((r) => r.metric.startsWith("alone.fetch"))).toBe(false);
    const text = formatCompare(rows);
    expect(text).toMatch(/e2e\.articles_per_s\s+60\.0\s+90\.0\s+\+50\.0%\s+better/);
    expect(text).toMatch(/alone\.clean\.pages_per_s\s+150\s+100\s+-33\.3%\s+worse/);
    expect(formatCompare([])).toContain("no metric in common");
  });
});

describe("stages option", () => {
  it("parses", () => {
    expect(parseBenchStages(undefined)).toEqual(["fetch", "clean", "translate", "extract", "index", "e2e"]);
    expect(parseBenchStages("all")).toHaveLength(6);
    expect(parseBenchStages("extract|clean")).toEqual(["clean", "extract"]);
    expect(() => parseBenchStages("clean,nope")).toThrow(/unknown stage/);
  });
});

describe("page order", () => {
  it("shuffles the same way every time, keeping every item", async () => {
    const { seededShuffle } = await import("../src/bench/page-server.ts");
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = seededShuffle(items);
    expect(seededShuffle(items)).toEqual(a);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
  });
});
