/** `tidings status [batch]`: queue counts per stage, recent batches, or one batch in detail. */
import { parseArgs } from "node:util";
import { indexNames } from "@tidings/index";
import { PIPELINE } from "@tidings/shared";
import { providerCounts } from "@tidings/translate";
import { openRuntime } from "../runtime.ts";
import { renderProgress, renderSummary } from "./progress.ts";

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean", default: false } } });
  const rt = await openRuntime();
  try {
    const batchId = positionals[0];
    if (batchId) {
      const p = await rt.producer.batches.progress(batchId);
      if (!p) {
        console.error(`no batch ${batchId}`);
        return 1;
      }
      console.log(values.json ? JSON.stringify(p) : renderSummary(p));
      return 0;
    }
    const queues: Record<string, Record<string, number>> = {};
    for (const stage of PIPELINE) {
      queues[stage] = await rt.producer.queue(stage).getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized", "waiting-children");
    }
    const batches = [];
    for (const id of await rt.producer.batches.list(10)) {
      const p = await rt.producer.batches.progress(id);
      if (p) batches.push(p);
    }
    // How many sources each translation provider handled (empty before anything is indexed).
    const translation = await providerCounts(rt.es, indexNames(rt.config.indexPrefix, "sources").read).catch(() => []);
    if (values.json) {
      console.log(JSON.stringify({ queues, batches, translation }));
      return 0;
    }
    console.log("queue       waiting  active  delayed  completed  failed");
    for (const stage of PIPELINE) {
      const c = queues[stage]!;
      console.log(`${stage.padEnd(10)} ${String((c.waiting ?? 0) + (c.prioritized ?? 0)).padStart(8)} ${String(c.active ?? 0).padStart(7)} ${String(c.delayed ?? 0).padStart(8)} ${String(c.completed ?? 0).padStart(10)} ${String(c.failed ?? 0).padStart(7)}`);
    }
    // Jobs, not URLs: after fetch a job may carry a bundle of several (bundles.ts).
    console.log("(jobs; after fetch one job may carry several URLs: the batches below count URLs)");
    if (translation.length > 0) {
      console.log("\ntranslation provider   translated  skipped  reasons");
      for (const t of translation) {
        const reasons = Object.entries(t.reasons).map(([r, n]) => `${r} ${n}`).join(", ");
        console.log(`${t.provider.padEnd(20)} ${String(t.translated).padStart(11)} ${String(t.skipped).padStart(8)}  ${reasons}`);
      }
    }
    if (batches.length > 0) {
      console.log("\nrecent batches");
      for (const p of batches) console.log(renderProgress(p));
    }
    return 0;
  } finally {
    await rt.close();
  }
}
