/**
 * What a chaos run checks at the end, from Elasticsearch (the truth the user sees):
 *  - every URL of the batch is exactly one source record, indexed or failed with a reason
 *    (lost: a URL without a record; unexpected: a record of the batch that is no URL of it);
 *  - no mention is counted twice: each event's num_mentions equals its mention documents,
 *    num_sources equals its distinct sources, mention ids are unique;
 *  - the events index equals another run's (same ids, same num_sources and num_mentions).
 */
import { indexNames, type EventDocument } from "@tidings/index";
import { normaliseUrl, sourceIdOf, type ElasticsearchClient, type SourceRecord } from "@tidings/shared";

export interface SourceOutcome {
  status: string;
  reason?: string;
}

export interface EventCounts {
  num_sources: number;
  num_mentions: number;
  source_ids: number;
}

export interface IndexSnapshot {
  sources: Map<string, SourceOutcome>;
  events: Map<string, EventCounts>;
  /** Mention documents per event id. */
  mentions: Map<string, number>;
  mentionDocs: number;
  distinctMentionIds: number;
}

async function scrollAll<T>(es: ElasticsearchClient, index: string, query: object, fields: string[], onHit: (id: string, doc: T) => void): Promise<void> {
  let res = await es.search<T>({ index, scroll: "2m", size: 1000, query, _source: fields, sort: ["_doc"] });
  const ids: string[] = [];
  try {
    while (res.hits.hits.length > 0) {
      for (const h of res.hits.hits) {
        ids.push(h._id!);
        onHit(h._id!, h._source as T);
      }
      if (!res._scroll_id) break;
      res = await es.scroll<T>({ scroll_id: res._scroll_id, scroll: "2m" });
    }
  } finally {
    if (res._scroll_id) await es.clearScroll({ scroll_id: res._scroll_id }).catch(() => undefined);
  }
}

/** Read a run's sources (of one batch), events and mention counts. */
export async function snapshot(es: ElasticsearchClient, prefix: string, batchId: string): Promise<IndexSnapshot> {
  const names = { sources: indexNames(prefix, "sources").read, events: indexNames(prefix, "events").read, mentions: indexNames(prefix, "mentions").read };
  await es.indices.refresh({ index: Object.values(names) });
  const sources = new Map<string, SourceOutcome>();
  await scrollAll<SourceRecord>(es, names.sources, { term: { batch_ids: batchId } }, ["status", "failure.reason", "failure.stage"], (id, d) => {
    sources.set(id, { status: d.status, ...(d.failure ? { reason: `${d.failure.stage}:${d.failure.reason}` } : {}) });
  });
  const events = new Map<string, EventCounts>();
  await scrollAll<EventDocument>(es, names.events, { match_all: {} }, ["num_sources", "num_mentions", "source_ids"], (id, d) => {
    events.set(id, { num_sources: d.num_sources, num_mentions: d.num_mentions, source_ids: new Set(d.source_ids ?? []).size });
  });
  const mentions = new Map<string, number>();
  let mentionDocs = 0;
  const mentionIds = new Set<string>();
  await scrollAll<{ event_id: string }>(es, names.mentions, { match_all: {} }, ["event_id"], (id, d) => {
    mentionDocs++;
    mentionIds.add(id);
    mentions.set(d.event_id, (mentions.get(d.event_id) ?? 0) + 1);
  });
  return { sources, events, mentions, mentionDocs, distinctMentionIds: mentionIds.size };
}

export interface Accounting {
  urls: number;
  indexed: number;
  failed: number;
  skipped: number;
  /** URLs without a source record. */
  lost: string[];
  /** Records of the batch that are no URL of it. */
  unexpected: string[];
  /** Failed/skipped records without a reason. */
  withoutReason: number;
  /** Events whose num_mentions differs from their mention documents (id -> [num_mentions, docs]). */
  mentionMismatches: Map<string, [number, number]>;
  /** Events whose num_sources differs from their distinct source ids. */
  sourceMismatches: string[];
  /** Mentions counted more than once: sum over events of num_mentions - mention docs where positive, plus duplicate mention ids. */
  duplicated: number;
  reasons: Record<string, number>;
}

export function account(urls: string[], snap: IndexSnapshot): Accounting {
  const expected = new Map<string, string>();
  for (const u of urls) {
    try {
      expected.set(sourceIdOf(normaliseUrl(u)), u);
    } catch {
      // an invalid URL is recorded under another id; chaos runs use valid ones only
    }
  }
  const lost = [...expected].filter(([id]) => !snap.sources.has(id)).map(([, u]) => u);
  const unexpected = [...snap.sources.keys()].filter((id) => !expected.has(id));
  let indexed = 0, failed = 0, skipped = 0, withoutReason = 0;
  const reasons: Record<string, number> = {};
  for (const s of snap.sources.values()) {
    if (s.status === "indexed") indexed++;
    else {
      if (s.status === "failed") failed++;
      else skipped++;
      if (!s.reason) withoutReason++;
      else reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
    }
  }
  const mentionMismatches = new Map<string, [number, number]>();
  const sourceMismatches: string[] = [];
  let duplicated = snap.mentionDocs - snap.distinctMentionIds;
  for (const [id, e] of snap.events) {
    const docs = snap.mentions.get(id) ?? 0;
    if (e.num_mentions !== docs) {
      mentionMismatches.set(id, [e.num_mentions, docs]);
      if (e.num_mentions > docs) duplicated += e.num_mentions - docs;
    }
    if (e.num_sources !== e.source_ids) sourceMismatches.push(id);
  }
  duplicated += sourceMismatches.length;
  return { urls: expected.size, indexed, failed, skipped, lost, unexpected, withoutReason, mentionMismatches, sourceMismatches, duplicated, reasons };
}

export interface Comparison {
  /** Event ids only in the reference run / only in this run. */
  missing: string[];
  extra: string[];
  /** Same id, different num_sources or num_mentions: id -> [reference, this]. */
  differing: Map<string, [EventCounts, EventCounts]>;
  /** URLs whose outcome (status and reason) differs from the reference run. */
  outcomeDiffs: { id: string; reference: SourceOutcome | undefined; actual: SourceOutcome | undefined }[];
  equal: boolean;
}

export function compareRuns(reference: IndexSnapshot, actual: IndexSnapshot): Comparison {
  const missing = [...reference.events.keys()].filter((id) => !actual.events.has(id));
  const extra = [...actual.events.keys()].filter((id) => !reference.events.has(id));
  const differing = new Map<string, [EventCounts, EventCounts]>();
  for (const [id, r] of reference.events) {
    const a = actual.events.get(id);
    if (a && (a.num_sources !== r.num_sources || a.num_mentions !== r.num_mentions)) differing.set(id, [r, a]);
  }
  const outcomeDiffs: Comparison["outcomeDiffs"] = [];
  for (const id of new Set([...reference.sources.keys(), ...actual.sources.keys()])) {
    const r = reference.sources.get(id);
    const a = actual.sources.get(id);
    if (r?.status !== a?.status || r?.reason !== a?.reason) outcomeDiffs.push({ id, reference: r, actual: a });
  }
  return { missing, extra, differing, outcomeDiffs, equal: missing.length === 0 && extra.length === 0 && differing.size === 0 };
}
