/** Batch progress in the terminal: bars per stage while it runs, then the summary. */
import { PIPELINE, type BatchProgress } from "@tidings/shared";
import type { Runtime } from "../runtime.ts";

export function bar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(ratio * width);
  return `${"█".repeat(full)}${"░".repeat(width - full)}`;
}

export function renderProgress(p: BatchProgress): string {
  const lines = [`batch ${p.id}${p.label ? ` (${p.label})` : ""}: ${p.count} URL(s)`];
  for (const stage of PIPELINE) {
    const n = p.stages[stage] ?? 0;
    lines.push(`  ${stage.padEnd(9)} ${bar(n, p.count)} ${String(n).padStart(6)}/${p.count}`);
  }
  const ended = p.ended.indexed + p.ended.failed + p.ended.skipped;
  lines.push(`  ${"ended".padEnd(9)} ${bar(ended, p.count)} ${String(ended).padStart(6)}/${p.count}  indexed ${p.ended.indexed}, failed ${p.ended.failed}, skipped ${p.ended.skipped}`);
  return lines.join("\n");
}

export function renderSummary(p: BatchProgress): string {
  const lines = [renderProgress(p)];
  const reasons = Object.entries(p.failure_reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    lines.push("  failures by stage:reason");
    for (const [r, n] of reasons) lines.push(`    ${String(n).padStart(5)}  ${r}`);
  }
  lines.push(p.done ? "  done" : "  not done yet");
  return lines.join("\n");
}

/** Poll the batch until every URL ended (or the timeout passes); print progress as it goes. */
export async function waitForBatch(rt: Runtime, batchId: string, opts: { tty?: boolean; timeoutMs?: number; intervalMs?: number; print?: (s: string) => void } = {}): Promise<BatchProgress> {
  const print = opts.print ?? ((s: string) => process.stdout.write(s));
  const deadline = Date.now() + (opts.timeoutMs ?? 24 * 3600_000);
  let lastLines = 0;
  let last = "";
  for (;;) {
    const p = await rt.producer.batches.progress(batchId);
    if (!p) throw new Error(`no batch ${batchId}`);
    const text = renderProgress(p);
    if (opts.tty) {
      // Redraw in place: move up over the previous frame.
      print(`${lastLines > 0 ? `\x1b[${lastLines}F\x1b[J` : ""}${text}\n`);
      lastLines = text.split("\n").length;
    } else if (text !== last) {
      print(`${text}\n`);
    }
    last = text;
    if (p.done || Date.now() > deadline) {
      print(`${renderSummary(p).split("\n").slice(PIPELINE.length + 2).join("\n")}\n`);
      return p;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
}
