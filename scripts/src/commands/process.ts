/**
 * `tidings process <file|dir|url>...`: clean -> language -> translate -> extract in-process,
 * no Redis or Elasticsearch. Prints one JSON object per input: {"input", "source", "events"}
 * (EVENT-MODEL.md, "Evaluation output"); an input that fails prints {"input", "error"}.
 * A directory means every .html, .htm and .txt file in it; `F.meta.json` sidecars are read.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { processLocalFile, processUrl, type ProcessOutput } from "../process/pipeline.ts";

const INPUT_EXTENSIONS = new Set([".html", ".htm", ".txt"]);

/** Expand directories into their page files (sorted), keep files and URLs as they are. */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) { out.push(input); continue; }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(input)).filter((n) => INPUT_EXTENSIONS.has(extname(n).toLowerCase())).sort();
      out.push(...names.map((n) => join(input, n)));
    } else {
      out.push(input);
    }
  }
  return out;
}

export async function processOne(input: string, provider?: string): Promise<ProcessOutput> {
  return /^https?:\/\//i.test(input) ? processUrl(input, provider ? { provider } : {}) : processLocalFile(input, provider ? { provider } : {});
}

export async function processCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { pretty: { type: "boolean", default: false } } });
  if (positionals.length === 0) {
    console.error("usage: tidings process <file|dir|url>... [--pretty]");
    return 2;
  }
  let failed = 0;
  for (const input of await expandInputs(positionals)) {
    try {
      const out = await processOne(input);
      console.log(JSON.stringify(out, null, values.pretty ? 2 : undefined));
    } catch (err) {
      failed++;
      const e = err as { reason?: string; message?: string };
      console.log(JSON.stringify({ input, error: { reason: e.reason ?? "error", detail: e.message ?? String(err) } }));
    }
  }
  return failed > 0 ? 1 : 0;
}
