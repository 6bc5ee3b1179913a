/**
 * Elasticsearch writes of the index stage. Everything is idempotent:
 *  - mentions have deterministic ids (event, source, sentence) and are simply overwritten;
 *  - events are read-merge-written with optimistic concurrency (if_seq_no/if_primary_term, or
 *    `create` for a new one); a conflict means another source merged first, so we read again;
 *  - sources are written with external versioning (version = the run's start time), so a newer
 *    run wins, a replay of the same run ties and rewrites the same document.
 * Order matters: events and mentions first, the source last, so a source that says "indexed"
 * has everything it points to written.
 */
import { StageError, type ElasticsearchClient, type ExtractedEvent, type SourceRecord } from "@tidings/shared";
import { mentionDocs, mergeEvent, sameEvent, type EventDocument, type EventSourceRef } from "./documents.ts";
import { indexNames } from "./names.ts";

/** How often an event merge is retried when another writer got there first. */
const MAX_MERGE_ROUNDS = 8;

interface BulkItemResult { status: number; error?: { type?: string; reason?: string } }

function bulkErrors(items: Record<string, BulkItemResult | undefined>[]): { index: number; status: number; type: string; reason: string }[] {
  const out: { index: number; status: number; type: string; reason: string }[] = [];
  items.forEach((item, index) => {
    const r = Object.values(item)[0];
    if (r?.error) out.push({ index, status: r.status, type: r.error.type ?? "error", reason: r.error.reason ?? "" });
  });
  return out;
}

export class IndexWriter {
  constructor(private readonly es: ElasticsearchClient, private readonly prefix: string) {}

  private name(kind: "sources" | "events" | "mentions") {
    return indexNames(this.prefix, kind);
  }

  /** Merge a source's events into the events index and write their mentions. Returns the event ids. */
  async writeEvents(events: ExtractedEvent[], source: EventSourceRef, now: string): Promise<string[]> {
    if (events.length === 0) return [];
    // One article may report the same event twice if extraction did not merge it: combine first.
    const byId = new Map<string, ExtractedEvent>();
    for (const e of events) {
      const prev = byId.get(e.id);
      byId.set(e.id, prev ? { ...prev, evidence: [...prev.evidence, ...e.evidence], confidence: Math.max(prev.confidence, e.confidence) } : e);
    }
    let pending = [...byId.values()];
    for (let round = 0; round < MAX_MERGE_ROUNDS && pending.length > 0; round++) {
      const got = await this.es.mget<EventDocument>({ index: this.name("events").write, ids: pending.map((e) => e.id) });
      const ops: unknown[] = [];
      const opEvents: ExtractedEvent[] = [];
      got.docs.forEach((d, i) => {
        const incoming = pending[i]!;
        const found = "found" in d && d.found ? d : undefined;
        const existing = found?._source;
        const merged = mergeEvent(existing, incoming, source, now);
        if (existing && sameEvent(existing, merged)) return; // replay: nothing changes
        if (found && found._seq_no !== undefined && found._primary_term !== undefined) {
          ops.push({ index: { _index: this.name("events").write, _id: incoming.id, if_seq_no: found._seq_no, if_primary_term: found._primary_term } });
        } else {
          ops.push({ create: { _index: this.name("events").write, _id: incoming.id } });
        }
        ops.push(merged);
        opEvents.push(incoming);
      });
      if (ops.length === 0) { pending = []; break; }
      const res = await this.es.bulk({ operations: ops });
      const errors = bulkErrors(res.items as never);
      const conflicts = errors.filter((e) => e.status === 409);
      const hard = errors.filter((e) => e.status !== 409);
      if (hard.length > 0) throw this.bulkFailure("events", hard);
      pending = conflicts.map((c) => opEvents[c.index]!);
    }
    if (pending.length > 0) throw new StageError("es_conflict", `events still conflicting after ${MAX_MERGE_ROUNDS} rounds`, { permanent: false });

    const mentions = [...byId.values()].flatMap((e) => mentionDocs(e, source.id));
    if (mentions.length > 0) {
      const ops = mentions.flatMap((m) => [{ index: { _index: this.name("mentions").write, _id: m.id } }, { ...m, indexed_at: now }]);
      const res = await this.es.bulk({ operations: ops });
      const errors = bulkErrors(res.items as never);
      if (errors.length > 0) throw this.bulkFailure("mentions", errors);
    }
    return [...byId.keys()];
  }

  /** Write a source document; a newer run's document is never overwritten by an older one. */
  async writeSource(doc: SourceRecord, version: number): Promise<"written" | "stale"> {
    try {
      await this.es.index({ index: this.name("sources").write, id: doc.id, document: doc, version, version_type: "external_gte" });
      return "written";
    } catch (err) {
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return "stale";
      throw err;
    }
  }

  async getSource(id: string): Promise<{ doc: SourceRecord; version: number } | undefined> {
    try {
      const r = await this.es.get<SourceRecord>({ index: this.name("sources").write, id });
      return r.found && r._source ? { doc: r._source, version: r._version ?? 1 } : undefined;
    } catch (err) {
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
      throw err;
    }
  }

  private bulkFailure(kind: string, errors: { status: number; type: string; reason: string }[]): StageError {
    const first = errors[0]!;
    // 4xx other than 429 (mapping errors, bad documents) will not get better by retrying.
    const permanent = first.status >= 400 && first.status < 500 && first.status !== 429;
    return new StageError(`es_${first.type}`, `${errors.length} ${kind} document(s) rejected: ${first.reason}`.slice(0, 1000), { permanent });
  }
}
