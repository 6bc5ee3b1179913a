/**
 * Translation provenance across indexed sources, per provider: how many sources were
 * translated, how many were not, and why not. For `tidings status`.
 */
import type { ElasticsearchClient } from "@tidings/shared";

export interface ProviderCount {
  provider: string;
  translated: number;
  skipped: number;
  /** Sources per translation.reason (stub, same_language, unsupported_pair, ...). */
  reasons: Record<string, number>;
}

interface Bucket { key: string | number; key_as_string?: string; doc_count: number }
interface ProviderBucket extends Bucket {
  translated: { buckets: Bucket[] };
  reasons: { buckets: Bucket[] };
}

export async function providerCounts(es: ElasticsearchClient, sourcesIndex: string): Promise<ProviderCount[]> {
  const res = await es.search({
    index: sourcesIndex,
    size: 0,
    track_total_hits: false,
    aggs: {
      providers: {
        terms: { field: "translation.provider", size: 100 },
        aggs: {
          translated: { terms: { field: "translation.translated", size: 2 } },
          reasons: { terms: { field: "translation.reason", size: 100 } },
        },
      },
    },
  });
  const providers = (res.aggregations as { providers?: { buckets: ProviderBucket[] } } | undefined)?.providers?.buckets ?? [];
  return providers.map((b) => {
    const flag = (value: boolean) =>
      b.translated.buckets.find((t) => t.key_as_string === String(value) || t.key === (value ? 1 : 0))?.doc_count ?? 0;
    const reasons: Record<string, number> = {};
    for (const r of b.reasons.buckets) reasons[String(r.key)] = r.doc_count;
    return { provider: String(b.key), translated: flag(true), skipped: flag(false), reasons };
  });
}
