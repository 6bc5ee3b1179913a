/**
 * Apply the index templates in infra/elasticsearch and make sure each index exists behind its
 * read and write aliases. Idempotent: safe at every start-up of every worker and command.
 *
 * Each index records in its mapping's `_meta.segmentation` the SEGMENTATION_VERSION its segmented
 * fields were made with (set when the index is created, by this or by a reindex); an index
 * without it predates the record (version 1). ensureIndices reports every index behind the
 * running version, so that the caller can say to reindex.
 */
import { readFileSync } from "node:fs";
import type { ElasticsearchClient } from "@tidings/shared";
import { INDEX_KINDS, indexNames, type IndexKind } from "./names.ts";
import { SEGMENTATION_VERSION } from "./segment.ts";

const INFRA = new URL("../../../infra/elasticsearch/", import.meta.url);

function loadTemplate(relative: string, prefix: string): Record<string, unknown> {
  const text = readFileSync(new URL(relative, INFRA), "utf8").replaceAll("{{prefix}}", prefix);
  return JSON.parse(text) as Record<string, unknown>;
}

/** An index whose segmented fields an older segmentation made (ensureIndices). */
export interface StaleSegmentation {
  kind: IndexKind;
  index: string;
  /** The version it records (1: none recorded). */
  segmentation: number;
}

/** The mapping `_meta` that records the running segmentation, for a new index. */
export function segmentationMeta(): { _meta: { segmentation: number } } {
  return { _meta: { segmentation: SEGMENTATION_VERSION } };
}

/** The segmentation version an index records (1 when it records none). */
export async function indexSegmentation(es: ElasticsearchClient, index: string): Promise<number> {
  const mapping = await es.indices.getMapping({ index });
  const meta = Object.values(mapping)[0]?.mappings?._meta as { segmentation?: unknown } | undefined;
  return typeof meta?.segmentation === "number" ? meta.segmentation : 1;
}

export async function ensureIndices(es: ElasticsearchClient, prefix: string): Promise<StaleSegmentation[]> {
  await es.cluster.putComponentTemplate({ name: `${prefix}-settings`, ...loadTemplate("component-templates/settings.json", prefix) } as never);
  for (const kind of INDEX_KINDS) {
    await es.cluster.putComponentTemplate({ name: `${prefix}-${kind}-mappings`, ...loadTemplate(`component-templates/${kind}.json`, prefix) } as never);
    await es.indices.putIndexTemplate({ name: `${prefix}-${kind}`, ...loadTemplate(`index-templates/${kind}.json`, prefix) } as never);
  }
  for (const kind of INDEX_KINDS) {
    const names = indexNames(prefix, kind);
    if (await es.indices.existsAlias({ name: names.write })) continue;
    try {
      await es.indices.create({
        index: names.concrete,
        aliases: { [names.read]: {}, [names.write]: { is_write_index: true } },
        mappings: segmentationMeta(),
      });
    } catch (err) {
      // Another process created it first: that is fine.
      if (!/resource_already_exists_exception/.test(String((err as Error).message))) throw err;
    }
  }
  await es.cluster.health({ index: INDEX_KINDS.map((k) => indexNames(prefix, k).read), wait_for_status: "yellow", timeout: "60s" });
  const stale: StaleSegmentation[] = [];
  for (const kind of INDEX_KINDS) {
    const aliases = await es.indices.getAlias({ name: indexNames(prefix, kind).write });
    for (const index of Object.keys(aliases)) {
      const segmentation = await indexSegmentation(es, index);
      if (segmentation < SEGMENTATION_VERSION) stale.push({ kind, index, segmentation });
    }
  }
  return stale;
}

/** Remove the indices and templates of a prefix (tests clean up after themselves with it). */
export async function dropIndices(es: ElasticsearchClient, prefix: string): Promise<void> {
  for (const kind of INDEX_KINDS) {
    // Every version of the kind (reindexing makes -v2, -v3...), named one by one: wildcard
    // deletes are refused by default.
    const versions = Object.keys(await es.indices.get({ index: `${prefix}-${kind}-v*`, expand_wildcards: "all" }).catch(() => ({})));
    for (const index of versions) await es.indices.delete({ index, ignore_unavailable: true });
    await es.indices.deleteIndexTemplate({ name: `${prefix}-${kind}` }).catch(() => undefined);
    await es.cluster.deleteComponentTemplate({ name: `${prefix}-${kind}-mappings` }).catch(() => undefined);
  }
  await es.cluster.deleteComponentTemplate({ name: `${prefix}-settings` }).catch(() => undefined);
}
