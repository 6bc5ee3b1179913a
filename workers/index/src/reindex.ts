/**
 * Reindex by scroll + bulk and an atomic alias swap (the bare Elasticsearch core has no
 * _reindex): a mapping change becomes "apply the new templates, copy into <kind>-v<N+1>, swap
 * the read and write aliases in one request". Writers must be paused meanwhile (the command
 * pauses the index queue; jobs wait in Redis, nothing is lost, reads go on from the old index).
 *
 * The segmented search fields (title_seg, text_seg, evidence_seg, sentence_seg) are not copied
 * but made again from each document's text by this version's segmentation (documents.ts,
 * segmentedFields): queries are segmented by the running version, so a copy of what an older
 * one made would stop matching wherever segmentation changed (Vietnamese tone marks did, in the
 * version that added this).
 */
import type { ElasticsearchClient } from "@tidings/shared";
import { segmentedFields } from "./documents.ts";
import { indexNames, type IndexKind } from "./names.ts";
import { segmentationMeta } from "./templates.ts";

export interface ReindexResult {
  kind: IndexKind;
  from: string;
  to: string;
  copied: number;
  ms: number;
}

/** The concrete index behind a kind's write alias, and its version number. */
export async function currentIndex(es: ElasticsearchClient, prefix: string, kind: IndexKind): Promise<{ index: string; version: number }> {
  const names = indexNames(prefix, kind);
  const aliases = await es.indices.getAlias({ name: names.write });
  const index = Object.keys(aliases)[0];
  if (!index) throw new Error(`no index behind ${names.write}`);
  const m = /-v(\d+)$/.exec(index);
  return { index, version: m ? Number(m[1]) : 1 };
}

export async function reindexKind(es: ElasticsearchClient, prefix: string, kind: IndexKind, opts: { toVersion?: number; batchSize?: number; log?: (m: string) => void } = {}): Promise<ReindexResult> {
  const started = Date.now();
  const { index: from, version } = await currentIndex(es, prefix, kind);
  const toVersion = opts.toVersion ?? version + 1;
  if (toVersion <= version) throw new Error(`${kind}: target version ${toVersion} is not above the current ${version}`);
  const names = indexNames(prefix, kind);
  const to = indexNames(prefix, kind, toVersion).concrete;
  // The index template gives it the current mappings; it records the segmentation it gets.
  await es.indices.create({ index: to, mappings: segmentationMeta() });
  let copied = 0;
  let res = await es.search({ index: from, scroll: "2m", size: opts.batchSize ?? 1000, sort: ["_doc"], version: true, query: { match_all: {} } });
  try {
    while (res.hits.hits.length > 0) {
      const operations = res.hits.hits.flatMap((h) => [
        // Sources carry external versions (newer run wins): keep them.
        kind === "sources" && h._version !== undefined
          ? { index: { _index: to, _id: h._id, version: h._version, version_type: "external_gte" } }
          : { index: { _index: to, _id: h._id } },
        { ...(h._source as Record<string, unknown>), ...segmentedFields(kind, (h._source ?? {}) as Record<string, unknown>) },
      ]);
      const bulk = await es.bulk({ operations });
      if (bulk.errors) {
        const first = (bulk.items.find((i) => Object.values(i)[0]?.error) as Record<string, { error?: { reason?: string } }> | undefined);
        throw new Error(`${kind}: copy refused: ${JSON.stringify(first && Object.values(first)[0]?.error).slice(0, 500)}`);
      }
      copied += res.hits.hits.length;
      opts.log?.(`${kind}: ${copied} copied`);
      res = await es.scroll({ scroll_id: res._scroll_id!, scroll: "2m" });
    }
  } finally {
    if (res._scroll_id) await es.clearScroll({ scroll_id: res._scroll_id }).catch(() => undefined);
  }
  await es.indices.refresh({ index: to });
  const [a, b] = await Promise.all([es.count({ index: from }), es.count({ index: to })]);
  if (a.count !== b.count) throw new Error(`${kind}: ${a.count} documents in ${from} but ${b.count} in ${to}; aliases left on ${from}`);
  await es.indices.updateAliases({
    actions: [
      { remove: { index: from, alias: names.read } },
      { remove: { index: from, alias: names.write } },
      { add: { index: to, alias: names.read } },
      { add: { index: to, alias: names.write, is_write_index: true } },
    ],
  });
  return { kind, from, to, copied, ms: Date.now() - started };
}
