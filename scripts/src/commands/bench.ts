/**
 * `tidings bench [--urls 5000] [--procs-per-stage 1] [--stages all|e2e|fetch,clean,translate,extract,index]
 *   [--stage-pages N] [--readability-pages N] [--noop-jobs N] [--keep-completed N] [--timeout-s S]
 *   [--json FILE] [--compare OLD.json]`
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
import { Bench, parseBenchStages } from "../bench/bench.ts";
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
      "keep-completed": { type: "string" }, "timeout-s": { type: "string" },
      json: { type: "string" }, compare: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(`usage: tidings bench [--urls 5000] [--procs-per-stage 1] [--stages all|e2e|fetch,clean,translate,extract,index]
                    [--stage-pages N] [--readability-pages N] [--noop-jobs N] [--keep-completed 1000] [--timeout-s 1800]
                    [--json FILE] [--compare OLD.json]
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
  const bench = new Bench({
    urls,
    procsPerStage: positiveInt("procs-per-stage", values["procs-per-stage"], 1),
    stages: parseBenchStages(values.stages),
    stagePages,
    readabilityPages: positiveInt("readability-pages", values["readability-pages"], Math.min(stagePages, 200)),
    noopJobs: positiveInt("noop-jobs", values["noop-jobs"], urls),
    keepCompleted: positiveInt("keep-completed", values["keep-completed"], 1000),
    timeoutMs: positiveInt("timeout-s", values["timeout-s"], 1800) * 1000,
    log: (line) => console.error(`[bench] ${line}`),
  });
  const old = values.compare ? readReport(values.compare) : undefined;
  const onSignal = () => {
    console.error("[bench] interrupted: cleaning up");
    void bench.cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let report: BenchReport;
  try {
    report = await bench.run();
  } finally {
    await bench.cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const file = resolve(values.json ?? join(REPO_ROOT, "test-output", `bench-${report.started_at.replace(/[:.]/g, "-")}.json`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatReport(report));
  console.log(`\nreport: ${file}`);
  if (old) {
    console.log(`\ncompared with ${values.compare} (${old.started_at}):`);
    console.log(formatCompare(compareReports(old, report), "old", "new"));
  }
  return 0;
}
