/**
 * `tidings bench [--urls 5000] [--procs-per-stage 1] [--stages all|e2e|fetch,clean,translate,extract,index]
 *   [--stage-pages N] [--readability-pages N] [--noop-jobs N] [--keep-completed N] [--timeout-s S]
 *   [--warmup N] [--json FILE] [--compare OLD.json]`
 * `tidings bench --procs-per-stage 1,2 [--rounds 3] [--urls N]`: the end-to-end run with each
 *   process count in turn, round after round, and their comparison (procs-compare.ts).
 *
 * Measures the pipeline: each stage alone in-process, the clean stage vs Readability, BullMQ's
 * no-op ceiling, and the end-to-end run through the queues with one worker process per stage
 * (N with --procs-per-stage). Prints a table, writes JSON (default test-output/bench-<time>.json),
 * and with --compare prints the change of every metric against an earlier report.
 * `--compare OLD.json NEW.json` (two files, no --urls...) only compares, without running.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Bench, parseBenchStages, type BenchOptions } from "../bench/bench.ts";
import { formatProcsSummary, parseProcsList, summarizeProcsRuns, type ProcsRun } from "../bench/procs-compare.ts";
import { compareReports, formatCompare, formatReport, type BenchReport } from "../bench/report.ts";
import { REPO_ROOT } from "../demo/paths.ts";

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function readReport(path: string): BenchReport {
  const r = JSON.parse(readFileSync(path, "utf8")) as BenchReport;
  if (r.version !== 1) throw new Error(`${path}: not a tidings bench report (version ${String(r.version)})`);
  return r;
}

export async function benchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      urls: { type: "string" }, "procs-per-stage": { type: "string" }, stages: { type: "string" },
      "stage-pages": { type: "string" }, "readability-pages": { type: "string" }, "noop-jobs": { type: "string" },
      "keep-completed": { type: "string" }, "timeout-s": { type: "string" }, rounds: { type: "string" }, warmup: { type: "string" },
      json: { type: "string" }, compare: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(`usage: tidings bench [--urls 5000] [--procs-per-stage 1] [--stages all|e2e|fetch,clean,translate,extract,index]
                    [--stage-pages N] [--readability-pages N] [--noop-jobs N] [--keep-completed 1000] [--timeout-s 1800]
                    [--warmup 0] [--json FILE] [--compare OLD.json]
       tidings bench --procs-per-stage 1,2 [--rounds 1] [--urls 5000] [--warmup 0] [--json FILE]
                                                       the e2e run with each count in turn, compared round by round
       tidings bench --compare OLD.json NEW.json      compare two reports without running`);
    return 0;
  }
  if (values.compare && positionals.length === 1) {
    const rows = compareReports(readReport(values.compare), readReport(positionals[0]!));
    console.log(formatCompare(rows, "old", "new"));
    return 0;
  }
  if (positionals.length > 0) throw new Error(`unexpected argument(s) ${positionals.join(" ")}`);

  const urls = positiveInt("urls", values.urls, 5000);
  const stagePages = positiveInt("stage-pages", values["stage-pages"], Math.min(urls, 1000));
  const procsList = parseProcsList(values["procs-per-stage"]);
  const rounds = positiveInt("rounds", values.rounds, 1);
  // Several settings (or rounds) repeat only the end-to-end run: the stages alone do not depend on them.
  const paired = procsList.length > 1 || rounds > 1;
  const stages = paired ? parseBenchStages("e2e") : parseBenchStages(values.stages);
  if (paired && values.stages && values.stages !== "e2e") throw new Error("--rounds and several --procs-per-stage values run the e2e stage only; leave out --stages");
  if (paired && values.compare) throw new Error("--compare takes one run; with --rounds or several --procs-per-stage values the runs are compared with each other");
  const options = (procsPerStage: number): BenchOptions => ({
    urls,
    procsPerStage,
    stages,
    stagePages,
    readabilityPages: positiveInt("readability-pages", values["readability-pages"], Math.min(stagePages, 200)),
    noopJobs: positiveInt("noop-jobs", values["noop-jobs"], urls),
    keepCompleted: positiveInt("keep-completed", values["keep-completed"], 1000),
    timeoutMs: positiveInt("timeout-s", values["timeout-s"], 1800) * 1000,
    warmupUrls: values.warmup === undefined || values.warmup === "0" ? 0 : positiveInt("warmup", values.warmup, 0),
    log: (line) => console.error(`[bench] ${line}`),
  });
  const old = values.compare ? readReport(values.compare) : undefined;

  if (!paired) {
    const report = await runBench(options(procsList[0]!));
    const file = writeJson(values.json, `bench-${stamp(report.started_at)}.json`, report);
    console.log(formatReport(report));
    console.log(`\nreport: ${file}`);
    if (old) {
      console.log(`\ncompared with ${values.compare} (${old.started_at}):`);
      console.log(formatCompare(compareReports(old, report), "old", "new"));
    }
    return 0;
  }

  const runs: ProcsRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const procs of procsList) {
      console.error(`[bench] round ${round}/${rounds}: ${procs} process(es) per stage`);
      const report = await runBench(options(procs));
      runs.push({ round, procs, report });
      console.log(`\n== round ${round}, ${procs} process(es) per stage\n${formatReport(report)}`);
    }
  }
  const summary = summarizeProcsRuns(runs);
  const file = writeJson(values.json, `bench-procs-${stamp(runs[0]!.report.started_at)}.json`, { kind: "procs-per-stage", procs: procsList, rounds, summary, reports: runs.map((r) => r.report) });
  console.log(`\n${formatProcsSummary(summary)}`);
  console.log(`\nreport: ${file}`);
  return summary.results_identical ? 0 : 1;
}

/** One benchmark run, cleaned up after (also when interrupted). */
async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const bench = new Bench(opts);
  const onSignal = () => {
    console.error("[bench] interrupted: cleaning up");
    void bench.cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await bench.run();
  } finally {
    await bench.cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

const stamp = (iso: string) => iso.replace(/[:.]/g, "-");

function writeJson(path: string | undefined, defaultName: string, value: unknown): string {
  const file = resolve(path ?? join(REPO_ROOT, "test-output", defaultName));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}
