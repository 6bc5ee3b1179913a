/**
 * Scale-out, measured fairly: `tidings bench --procs-per-stage 1,2 --rounds 3` runs the end-to-end
 * benchmark with each process count in turn (1, 2, 1, 2, ...), so that a host that speeds up or
 * slows down during the session hits every setting alike, and compares the settings round by
 * round. Each run's rate is also given at one reference host speed (the median yardstick of all
 * runs, see yardstick.ts), which takes out most of what the host did between runs.
 *
 * Pure: the runs come in as reports; no I/O here.
 */
import { fmt, table, totalCpuMsPerArticle, type BenchReport } from "./report.ts";
import { percentile, round } from "./stats.ts";
import { atReferenceSpeed } from "./yardstick.ts";

/** "1,2" -> [1, 2]: distinct positive process counts, in the order given. */
export function parseProcsList(value: string | undefined): number[] {
  if (value === undefined) return [1];
  const list = value.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--procs-per-stage must be a positive integer or a list of them (1,2), got ${JSON.stringify(value)}`);
  }
  if (new Set(list).size !== list.length) throw new Error(`--procs-per-stage lists ${value}: each count once (--rounds repeats them)`);
  return list;
}

export interface ProcsRun {
  round: number;
  procs: number;
  report: BenchReport;
}

export interface ProcsRunRow {
  round: number;
  procs: number;
  articles_per_s: number;
  sustained_per_s: number | null;
  cpu_ms_per_article: number;
  /** Mean of the yardstick before and after the run (ms per page). */
  yardstick_ms: number | null;
  /** articles_per_s at the reference host speed (null without a yardstick). */
  articles_per_s_at_reference: number | null;
  fingerprint: string | null;
  /**
   * Warm-up URLs each worker process of a stage saw (the warm-up batch over the processes per
   * stage; 0 without one). V8 compiles each process's code from that process's own traffic, so
   * two processes per stage after the same warm-up are each only half as warm (README,
   * Performance, seventeenth round).
   */
  warmup_urls_per_process: number;
}

export interface ProcsSetting {
  procs: number;
  runs: number;
  articles_per_s_median: number;
  /** Median of the runs' sustained rates (the middle 80% of the URLs); null if a run has none. */
  sustained_per_s_median: number | null;
  articles_per_s_at_reference_median: number | null;
  /**
   * Median over the rounds of this setting's rate at reference speed over the first setting's in
   * the same round (1 for the first setting; null without yardsticks).
   */
  ratio_to_first_median: number | null;
  /** The same ratio per round. */
  ratios_to_first: number[];
}

export interface ProcsSummary {
  /** Median yardstick of all runs (ms per page): the speed every rate is scaled to. */
  reference_yardstick_ms: number | null;
  runs: ProcsRunRow[];
  settings: ProcsSetting[];
  /** Whether every run indexed the same results (the same fingerprint). */
  results_identical: boolean;
}

const median = (xs: readonly number[]) => percentile(xs, 50);
const r3 = (x: number) => round(x, 3);

function yardstickOf(r: BenchReport): number | null {
  const { yardstick_ms_start: a, yardstick_ms_end: b } = r.machine;
  return a !== undefined && b !== undefined ? (a + b) / 2 : null;
}

export function summarizeProcsRuns(runs: readonly ProcsRun[]): ProcsSummary {
  const withE2e = runs.filter((x) => x.report.e2e);
  const sticks = withE2e.map((x) => yardstickOf(x.report));
  const reference = sticks.length > 0 && sticks.every((s) => s !== null) ? median(sticks as number[]) : null;
  const rows: ProcsRunRow[] = withE2e.map((x, k) => {
    const e = x.report.e2e!;
    const stick = sticks[k] ?? null;
    return {
      round: x.round, procs: x.procs, articles_per_s: e.articles_per_s, sustained_per_s: e.sustained_per_s,
      cpu_ms_per_article: r3(totalCpuMsPerArticle(e)), yardstick_ms: stick === null ? null : r3(stick),
      articles_per_s_at_reference: stick !== null && reference !== null ? r3(atReferenceSpeed(e.articles_per_s, stick, reference)) : null,
      fingerprint: e.fingerprint ? `${e.fingerprint.sources}/${e.fingerprint.events}` : null,
      warmup_urls_per_process: Math.round((e.warmup_urls ?? 0) / Math.max(1, x.procs)),
    };
  });
  const order = [...new Set(rows.map((r) => r.procs))];
  const first = order[0];
  const settings: ProcsSetting[] = order.map((procs) => {
    const mine = rows.filter((r) => r.procs === procs);
    const ratios: number[] = [];
    for (const r of mine) {
      const base = rows.find((b) => b.round === r.round && b.procs === first);
      if (base?.articles_per_s_at_reference && r.articles_per_s_at_reference !== null) ratios.push(r3(r.articles_per_s_at_reference / base.articles_per_s_at_reference));
    }
    const adjusted = mine.map((r) => r.articles_per_s_at_reference).filter((v): v is number => v !== null);
    return {
      procs, runs: mine.length,
      articles_per_s_median: r3(median(mine.map((r) => r.articles_per_s))),
      sustained_per_s_median: mine.every((r) => r.sustained_per_s !== null) ? r3(median(mine.map((r) => r.sustained_per_s as number))) : null,
      articles_per_s_at_reference_median: adjusted.length === mine.length ? r3(median(adjusted)) : null,
      ratio_to_first_median: ratios.length > 0 ? r3(median(ratios)) : null,
      ratios_to_first: ratios,
    };
  });
  const prints = rows.map((r) => r.fingerprint);
  return {
    reference_yardstick_ms: reference === null ? null : r3(reference),
    runs: rows, settings,
    results_identical: prints.length > 0 && prints.every((p) => p !== null && p === prints[0]),
  };
}

export function formatProcsSummary(s: ProcsSummary): string {
  const out: string[] = [];
  out.push(`processes per stage, run in turn${s.reference_yardstick_ms !== null ? `; rates also at the reference host speed (yardstick ${fmt(s.reference_yardstick_ms, 2)} ms/page, the median of the runs)` : ""}`);
  out.push(table([
    ["round", "procs", "warm-up/proc", "articles/s", "sustained", "CPU ms/article", "yardstick ms", "articles/s at ref.", "fingerprint"],
    ...s.runs.map((r) => [String(r.round), String(r.procs), String(r.warmup_urls_per_process), fmt(r.articles_per_s), fmt(r.sustained_per_s), fmt(r.cpu_ms_per_article, 2), fmt(r.yardstick_ms, 2), fmt(r.articles_per_s_at_reference), r.fingerprint ?? "-"]),
  ]));
  out.push("", table([
    ["procs", "runs", "articles/s med", "sustained med", "at ref. med", "vs first (med)", "vs first per round"],
    ...s.settings.map((x) => [String(x.procs), String(x.runs), fmt(x.articles_per_s_median), fmt(x.sustained_per_s_median), fmt(x.articles_per_s_at_reference_median), fmt(x.ratio_to_first_median, 3), x.ratios_to_first.map((v) => v.toFixed(3)).join(" ")]),
  ]));
  out.push("", `results identical in every run: ${s.results_identical ? "yes" : "NO"}`);
  if (new Set(s.runs.map((r) => r.warmup_urls_per_process)).size > 1) {
    out.push("note: the settings' processes were not equally warm (warm-up/proc): V8 compiles each process's code from that process's own traffic, so with N processes per stage each has seen 1/N of the warm-up; compare at a warm-up long enough for every setting (README, Performance, seventeenth round)");
  }
  return out.join("\n");
}
