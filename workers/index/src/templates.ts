/**
 * Apply the index templates in infra/elasticsearch and make sure each index exists behind its
 * read and write aliases. Idempotent: safe at every start-up of every worker and command.
 */
import { readFileSync } from "node:fs";
import type { ElasticsearchClient } from "@tidings/shared";
import { INDEX_KINDS, indexNames } from "./names.ts";

const INFRA = new URL("../../../infra/elasticsearch/", import.meta.url);

function loadTemplate(relative: string, prefix: string): Record<string, unknown> {
  const text = readFileSync(new URL(relative, INFRA), "utf8").replaceAll("{{prefix}}", prefix);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function ensureIndices(es: ElasticsearchClient, prefix: string): Promise<void> {
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
      });
    } catch (err) {
      // Another process created it first: that is fine.
      if (!/resource_already_exists_exception/.test(String((err as Error).message))) throw err;
    }
  }
  await es.cluster.health({ index: INDEX_KINDS.map((k) => indexNames(prefix, k).read), wait_for_status: "yellow", timeout: "60s" });
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
