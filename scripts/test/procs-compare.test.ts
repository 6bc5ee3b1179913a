import { describe, expect, it } from "vitest";
import { formatProcsSummary, parseProcsList, summarizeProcsRuns, type ProcsRun } from "../src/bench/procs-compare.ts";
import type { BenchReport, E2eResult } from "../src/bench/report.ts";
import { atReferenceSpeed, measureYardstick } from "../src/bench/yardstick.ts";

/** A report with only what the comparison reads: the e2e rate, CPU per stage, fingerprint, yardsticks. */
function run(round: number, procs: number, rate: number, yardstick: [number, number] | null, fingerprint = "aaa", sustained: number | null = rate, warmup?: number): ProcsRun {
  const st = { procs, articles: 100, cpu_ms_total: 500, cpu_ms_per_article: 5, wait_ms_median: 1, wait_ms_p95: 2, wait_samples: 100, peak_rss_mb: [200] };
  const e2e = {
    urls: 100, procs_per_stage: procs, keep_completed: 1000, ...(warmup === undefined ? {} : { warmup_urls: warmup }), seconds: 100 / rate, enqueue_seconds: 0, articles_per_s: rate, sustained_per_s: sustained,
    ended: { indexed: 100, failed: 0, skipped: 0 }, failure_reasons: {},
    stages: { fetch: st, clean: st, translate: st, extract: st, index: st },
    fingerprint: { sources: fingerprint, events: "eee", source_docs: 100, event_docs: 5 },
    other_cpu_ms_per_article: { redis: 2, elasticsearch: 1, bench: 0.5 },
    redis: null, es: { docs: {}, docs_total: 0, index_span_s: 0, index_busy_s: null, busy_sampled_jobs: 0, docs_per_s: null, docs_per_s_over_span: 0 },
  } as E2eResult;
  const report = {
    version: 1, started_at: "", finished_at: "",
    machine: { cpus: 2, loadavg_start: [], loadavg_end: [], node: "v20", ...(yardstick ? { yardstick_ms_start: yardstick[0], yardstick_ms_end: yardstick[1] } : {}) },
    options: { urls: 100, stage_pages: 100, procs_per_stage: procs, stages: ["e2e"], corpus: "", corpus_pages: 1 },
    alone: {}, readability: null, queue_ceiling: null, e2e, e2e_vs_slowest: null, notes: [],
  } as BenchReport;
  return { round, procs, report };
}

describe("parseProcsList", () => {
  it.each([
    [undefined, [1]],
    ["2", [2]],
    ["1,2", [1, 2]],
    [" 2 , 1 ", [2, 1]],
  ])("%j -> %j", (input, want) => expect(parseProcsList(input)).toEqual(want));
  it.each(["0", "1,x", "1.5", "", "1,1", "-2"])("refuses %j", (input) => expect(() => parseProcsList(input)).toThrow(/--procs-per-stage/));
});

describe("atReferenceSpeed", () => {
  it("scales a rate measured on a slower host up, and on a faster one down", () => {
    // Host twice as slow as the reference (yardstick 8 ms vs 4): the rate would have been double.
    expect(atReferenceSpeed(30, 8, 4)).toBe(60);
    expect(atReferenceSpeed(30, 2, 4)).toBe(15);
    expect(atReferenceSpeed(30, 4, 4)).toBe(30);
    expect(() => atReferenceSpeed(30, 0, 4)).toThrow();
  });
});

describe("summarizeProcsRuns", () => {
  it("compares each setting with the first round by round, at the median host speed", () => {
    const s = summarizeProcsRuns([
      run(1, 1, 80, [4, 4]), // fast host
      run(1, 2, 40, [8, 8]), // the host slowed down to half: same rate at reference speed
      run(2, 1, 40, [8, 8]),
      run(2, 2, 36, [8, 8]), // 10% slower on the same host
    ]);
    expect(s.reference_yardstick_ms).toBe(8);
    expect(s.runs.map((r) => r.articles_per_s_at_reference)).toEqual([40, 40, 40, 36]);
    expect(s.runs[0]!.cpu_ms_per_article).toBe(28.5);
    expect(s.runs[0]!.yardstick_ms).toBe(4);
    const [one, two] = s.settings;
    expect(one).toMatchObject({ procs: 1, runs: 2, articles_per_s_median: 60, articles_per_s_at_reference_median: 40, ratio_to_first_median: 1 });
    expect(two).toMatchObject({ procs: 2, runs: 2, articles_per_s_median: 38, articles_per_s_at_reference_median: 38, ratios_to_first: [1, 0.9] });
    expect(two!.ratio_to_first_median).toBeCloseTo(0.95, 9);
    expect(s.results_identical).toBe(true);
    const text = formatProcsSummary(s);
    expect(text).toMatch(/yardstick 8\.00 ms\/page/);
    expect(text).toMatch(/2\s+2\s+38\.0\s+38\.0\s+38\.0\s+0\.950\s+1\.000 0\.900/);
    expect(text).toContain("results identical in every run: yes");
  });
  it("gives the median sustained rate beside the median rate, and none when a run lacks it", () => {
    const s = summarizeProcsRuns([run(1, 1, 50, [4, 4], "aaa", 60), run(2, 1, 40, [4, 4], "aaa", 52), run(3, 1, 45, [4, 4], "aaa", 55)]);
    expect(s.settings[0]).toMatchObject({ articles_per_s_median: 45, sustained_per_s_median: 55 });
    expect(formatProcsSummary(s)).toMatch(/sustained med/);
    expect(summarizeProcsRuns([run(1, 1, 50, [4, 4], "aaa", null), run(2, 1, 40, [4, 4])]).settings[0]!.sustained_per_s_median).toBeNull();
  });
  it("gives each run's warm-up URLs per process, and says when the settings were not equally warm", () => {
    const s = summarizeProcsRuns([run(1, 1, 50, [4, 4], "aaa", 50, 2000), run(1, 2, 45, [4, 4], "aaa", 45, 2000), run(1, 3, 45, [4, 4], "aaa", 45, 2000)]);
    expect(s.runs.map((r) => r.warmup_urls_per_process)).toEqual([2000, 1000, 667]);
    expect(formatProcsSummary(s)).toMatch(/^1\s+2\s+1000\s+45\.0/m);
    expect(formatProcsSummary(s)).toMatch(/not equally warm/);
    // Without a warm-up every process starts cold alike: nothing to say.
    const cold = summarizeProcsRuns([run(1, 1, 50, [4, 4]), run(1, 2, 45, [4, 4])]);
    expect(cold.runs.map((r) => r.warmup_urls_per_process)).toEqual([0, 0]);
    expect(formatProcsSummary(cold)).not.toMatch(/not equally warm/);
  });
  it("averages the yardstick before and after a run", () => {
    const s = summarizeProcsRuns([run(1, 1, 50, [4, 6]), run(1, 2, 50, [5, 5])]);
    expect(s.runs.map((r) => r.yardstick_ms)).toEqual([5, 5]);
    expect(s.settings[1]!.ratio_to_first_median).toBe(1);
  });
  it("says when a run indexed something else", () => {
    const s = summarizeProcsRuns([run(1, 1, 50, [4, 4]), run(1, 2, 50, [4, 4], "bbb")]);
    expect(s.results_identical).toBe(false);
    expect(formatProcsSummary(s)).toContain("results identical in every run: NO");
  });
  it("leaves the scaled figures out when a report has no yardstick (older reports)", () => {
    const s = summarizeProcsRuns([run(1, 1, 50, null), run(1, 2, 45, [4, 4])]);
    expect(s.reference_yardstick_ms).toBeNull();
    expect(s.runs.every((r) => r.articles_per_s_at_reference === null)).toBe(true);
    expect(s.settings[1]).toMatchObject({ articles_per_s_median: 45, articles_per_s_at_reference_median: null, ratio_to_first_median: null });
  });
});

describe("measureYardstick", () => {
  it("times the fixed work per page over at most its page count", () => {
    const pages = Array.from({ length: 3 }, (_, i) => new TextEncoder().encode(`<p>page ${i} ${"text ".repeat(2000)}</p>`));
    const y = measureYardstick(pages, 1);
    expect(y.pages).toBe(3);
    expect(y.ms_per_page).toBeGreaterThan(0);
    expect(() => measureYardstick([])).toThrow(/no pages/);
  });
});
