/**
 * `tidings reindex [sources|events|mentions|all] [--delete-old]`: copy indices into a new
 * version with the current templates and swap the aliases; the segmented search fields are made
 * again by this version's segmentation (reindex.ts). The index queue is paused while
 * it runs (index jobs wait in Redis; every other stage keeps going; reads are served from the
 * old index until the swap).
 */
import { parseArgs } from "node:util";
import { ensureIndices, INDEX_KINDS, reindexKind, type IndexKind } from "@tidings/index";
import { QueueName } from "@tidings/shared";
import { openRuntime } from "../runtime.ts";

export async function reindexCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "delete-old": { type: "boolean", default: false } } });
  const which = positionals[0] ?? "all";
  const kinds: IndexKind[] = which === "all" ? [...INDEX_KINDS] : (INDEX_KINDS as readonly string[]).includes(which) ? [which as IndexKind] : [];
  if (kinds.length === 0) {
    console.error("usage: tidings reindex [sources|events|mentions|all] [--delete-old]");
    return 2;
  }
  const rt = await openRuntime();
  const queue = rt.producer.queue(QueueName.Index);
  try {
    // The templates as the code has them now; indices an older segmentation made are made again below.
    const stale = await ensureIndices(rt.es, rt.config.indexPrefix);
    for (const s of stale) console.log(`${s.kind}: ${s.index} was segmented by version ${s.segmentation}; the copy is segmented by this version`);
    await queue.pause();
    for (let i = 0; i < 600 && (await queue.getActiveCount()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    for (const kind of kinds) {
      const r = await reindexKind(rt.es, rt.config.indexPrefix, kind, { log: (m) => process.stderr.write(`\r${m}   `) });
      console.log(`\n${kind}: ${r.copied} documents ${r.from} -> ${r.to} in ${(r.ms / 1000).toFixed(1)} s; aliases swapped`);
      if (values["delete-old"]) {
        await rt.es.indices.delete({ index: r.from });
        console.log(`${kind}: deleted ${r.from}`);
      }
    }
    return 0;
  } finally {
    await queue.resume();
    await rt.close();
  }
}
