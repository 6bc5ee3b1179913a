/**
 * `tidings enqueue <file|-> [--label L] [--wait]`: one URL a line, or JSON lines
 * ({"url": ..., "published": ..., "title": ..., "language": ..., "file": "saved page"}).
 * Blank lines and lines starting with # are ignored. Prints the batch id. --ignore-robots fetches
 * this batch's URLs even where robots.txt disallows them (host politeness limits still apply).
 */
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { EnqueueItem, SourceMeta } from "@tidings/shared";
import { openRuntime } from "../runtime.ts";
import { waitForBatch } from "./progress.ts";

/** Longer input lines are not URLs; they are recorded as invalid rather than parsed. */
const MAX_LINE_CHARS = 16_384;

/** Parse one input line into an enqueue item (undefined for blank and comment lines). */
export function parseLine(line: string, baseDir = process.cwd()): EnqueueItem | undefined {
  const text = line.replace(/^\uFEFF/, "").trim();
  if (text === "" || text.startsWith("#")) return undefined;
  // Not cut to a shorter URL (which may well be valid, and would be fetched): a note that is no
  // URL at all, so it is recorded as a bad URL and says why.
  if (text.length > MAX_LINE_CHARS) return { url: `line too long (${text.length} characters): ${text.slice(0, 200)}…` };
  if (text.startsWith("{")) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { url: text.slice(0, 2048) };
    }
    const str = (k: string) => (typeof obj[k] === "string" ? (obj[k] as string) : undefined);
    const meta: SourceMeta = {};
    for (const k of ["published", "title", "language", "label"] as const) {
      const v = str(k);
      if (v !== undefined) meta[k] = v;
    }
    const file = str("file");
    return { url: str("url") ?? "", ...(Object.keys(meta).length ? { meta } : {}), ...(file ? { file: resolve(baseDir, file) } : {}) };
  }
  return { url: text };
}

export async function readItems(path: string): Promise<EnqueueItem[]> {
  const input = path === "-" ? process.stdin : createReadStream(path);
  const rl = createInterface({ input, crlfDelay: Infinity });
  const items: EnqueueItem[] = [];
  const baseDir = path === "-" ? process.cwd() : resolve(path, "..");
  for await (const line of rl) {
    const item = parseLine(line, baseDir);
    if (item) items.push(item);
  }
  return items;
}

export async function enqueueCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      label: { type: "string" }, wait: { type: "boolean", default: false }, json: { type: "boolean", default: false },
      "ignore-robots": { type: "boolean", default: false },
    },
  });
  const path = positionals[0];
  if (!path) {
    console.error("usage: tidings enqueue <file|-> [--label L] [--wait] [--json] [--ignore-robots]");
    return 2;
  }
  const items = await readItems(path);
  if (values["ignore-robots"]) {
    // An explicit choice for this batch only: robots.txt rules are not applied to its URLs.
    for (const item of items) item.meta = { ...item.meta, ignore_robots: true };
  }
  const rt = await openRuntime();
  try {
    const result = await rt.producer.enqueue(items, { label: values.label ?? (path === "-" ? "stdin" : path) });
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`batch ${result.batch_id}: ${result.count} URL(s), ${result.queued} queued, ${result.attached} already known, ${result.duplicates} repeated, ${result.invalid.length} invalid`);
      for (const bad of result.invalid.slice(0, 10)) console.log(`  invalid: ${bad.input} (${bad.reason})`);
    }
    if (values.wait) {
      // Failed URLs are an outcome of the batch, not of the command: the summary shows them.
      await waitForBatch(rt, result.batch_id, { tty: Boolean(process.stdout.isTTY) });
    }
    return 0;
  } finally {
    await rt.close();
  }
}
