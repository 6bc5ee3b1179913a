/**
 * Pure document builders of the index stage: what a source, an event and a mention look like
 * in Elasticsearch, and how an event reported by one more source is merged. No I/O here; the
 * writer does the reads and writes around these functions.
 */
import type { IndexKind } from "./names.ts";
import { segmentForIndex, sourceNeedsSegmentedCopy } from "./segment.ts";
import {
  mentionIdOf, siteOf,
  type EventDate, type ExtractedEvent, type IndexArticlePayload, type IndexFailurePayload,
  type JobEnvelope, type PageInfo, type SourceRecord,
} from "@tidings/shared";

/** Evidence sentences kept on the event document itself; all of them live in the mentions index. */
export const MAX_EVIDENCE_ON_EVENT = 20;

/** A valid ISO date or timestamp (years 1000-2999), else undefined: bad dates must not fail a bulk write. */
export function isoDateOrUndefined(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 1000 || year > 2999) return undefined;
  const t = Date.parse(m[4] ? value.trim().replace(" ", "T") : `${m[1]}-${m[2]}-${m[3]}`);
  if (Number.isNaN(t)) return undefined;
  return m[4] ? new Date(t).toISOString() : `${m[1]}-${m[2]}-${m[3]}`;
}

/** Version of a source write: the run's start time, so a newer run wins and a replay ties. */
export function sourceVersion(envelope: JobEnvelope): number {
  const t = Number.parseInt(envelope.run, 36);
  return Number.isFinite(t) && t > 0 ? t : Date.parse(envelope.enqueued_at) || 1;
}

function pageFields(page: PageInfo | undefined): Partial<SourceRecord> {
  if (!page) return {};
  return {
    final_url: page.final_url,
    fetched_at: isoDateOrUndefined(page.fetched_at),
    http_status: page.http_status,
    content_type: page.content_type,
    charset: page.charset,
    bytes: page.bytes,
  };
}

function base(envelope: JobEnvelope, batchIds: string[], now: string): Pick<SourceRecord, "id" | "url" | "site" | "batch_ids" | "correlation_id" | "updated_at"> {
  const site = siteOf(envelope.url);
  return {
    id: envelope.source_id,
    url: envelope.url,
    ...(site ? { site } : {}),
    batch_ids: [...new Set(batchIds)].sort(),
    correlation_id: envelope.correlation_id,
    updated_at: now,
  };
}

function compact<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The segmented search fields of a stored document (title_seg and text_seg of a source,
 * evidence_seg of an event, sentence_seg of a mention), computed from the document's own fields
 * by this version's segmentation. Everything that writes them goes through here: the index
 * stage, and a reindex, which must not copy what an older version's segmentation made (see
 * reindex.ts). A field whose text is absent is left out, and so are a source's title_seg and
 * text_seg where segmentation would find only the standard analyzer's words
 * (sourceNeedsSegmentedCopy).
 */
export function segmentedFields(kind: IndexKind, doc: Record<string, unknown>): Record<string, string | undefined> {
  const language = typeof doc.language === "string" ? doc.language : "";
  if (kind === "sources") {
    const title = typeof doc.title === "string" ? doc.title : "";
    const text = typeof doc.text === "string" ? doc.text : undefined;
    if (!sourceNeedsSegmentedCopy(title, text ?? "", language)) return { title_seg: undefined, text_seg: undefined };
    return {
      title_seg: title ? segmentForIndex(title, language) : undefined,
      text_seg: text !== undefined ? segmentForIndex(text, language) : undefined,
    };
  }
  if (kind === "events") {
    const evidence = Array.isArray(doc.evidence) ? (doc.evidence as Array<{ sentence?: unknown; language?: unknown }>) : [];
    return { evidence_seg: evidence.map((e) => segmentForIndex(String(e.sentence ?? ""), String(e.language ?? ""))).join(" \n ") };
  }
  return { sentence_seg: typeof doc.sentence === "string" ? segmentForIndex(doc.sentence, language) : undefined };
}

/** A source as stored: the model's record plus the segmented search fields. */
export type SourceDocument = SourceRecord & { title_seg?: string; text_seg?: string };

export function articleSourceDoc(p: IndexArticlePayload, batchIds: string[], eventIds: string[], now: string): SourceDocument {
  const a = p.article;
  return compact({
    ...base(p.envelope, batchIds, now),
    ...pageFields(p.page),
    status: "indexed" as const,
    canonical_url: a.canonical_url,
    title: a.title,
    text: a.text,
    ...segmentedFields("sources", { title: a.title, text: a.text, language: a.language }),
    description: a.description,
    language: a.language,
    language_confidence: a.language_confidence,
    script: a.script,
    published: isoDateOrUndefined(a.published ?? p.envelope.meta?.published),
    authors: a.authors,
    translation: p.translation,
    event_ids: [...new Set(eventIds)].sort(),
    num_events: new Set(eventIds).size,
  });
}

export function failureSourceDoc(p: IndexFailurePayload, batchIds: string[], now: string): SourceRecord {
  return compact({
    ...base(p.envelope, batchIds, now),
    ...pageFields(p.page),
    status: p.status,
    failure: p.failure,
    event_ids: [],
    num_events: 0,
  });
}

// ---- events -----------------------------------------------------------------------------

export interface EventSourceRef {
  id: string;
  language: string;
  /** When the source reported it: its publication date, else its fetch time. */
  seen: string;
  mentions: number;
}

export interface EventDocument extends ExtractedEvent {
  sources: EventSourceRef[];
  source_ids: string[];
  languages: string[];
  num_sources: number;
  num_mentions: number;
  first_seen: string;
  last_seen: string;
  source_countries: string[];
  target_countries: string[];
  actor_countries: string[];
  actor_ids: string[];
  actor_names: string[];
  date_start?: string;
  date_end?: string;
  /** Evidence sentences segmented for full-text search (see segment.ts). */
  evidence_seg?: string;
  updated_at: string;
}

/** First and last day a date at its precision covers. */
export function dateRange(date: EventDate): { start?: string; end?: string } {
  const v = date.value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { start: v, end: v };
  if (/^\d{4}-\d{2}$/.test(v)) {
    const [y, m] = v.split("-").map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { start: `${v}-01`, end: `${v}-${String(last).padStart(2, "0")}` };
  }
  if (/^\d{4}$/.test(v)) return { start: `${v}-01-01`, end: `${v}-12-31` };
  return {};
}

const uniqSorted = (xs: string[]) => [...new Set(xs.filter(Boolean))].sort();

/**
 * Merge one source's report of an event into the stored event (or start it). Replaying the same
 * report returns a document equal to the stored one (see `sameEvent`), so replays write nothing.
 */
export function mergeEvent(existing: EventDocument | undefined, incoming: ExtractedEvent, source: EventSourceRef, now: string): EventDocument {
  const core: ExtractedEvent = existing
    ? {
        ...stripDerived(existing),
        // The first report fixes the event's description; later ones fill gaps and raise confidence.
        location: existing.location ?? incoming.location,
        confidence: Math.max(existing.confidence, incoming.confidence),
      }
    : incoming;
  const sources = [...(existing?.sources ?? []).filter((s) => s.id !== source.id), source].sort((a, b) => a.id.localeCompare(b.id));
  const evidence = [...(existing?.evidence ?? []).filter((e) => e.source_id !== source.id), ...incoming.evidence]
    .sort((a, b) => (a.published ?? "").localeCompare(b.published ?? "") || a.source_id.localeCompare(b.source_id) || a.offset[0] - b.offset[0])
    .slice(0, MAX_EVIDENCE_ON_EVENT);
  const seen = sources.map((s) => s.seen).sort();
  const { start, end } = dateRange(core.date);
  const doc: EventDocument = {
    ...compact(core),
    evidence,
    sources,
    source_ids: sources.map((s) => s.id),
    languages: uniqSorted(sources.map((s) => s.language)),
    num_sources: sources.length,
    num_mentions: sources.reduce((n, s) => n + s.mentions, 0),
    first_seen: seen[0] ?? now,
    last_seen: seen[seen.length - 1] ?? now,
    source_countries: uniqSorted(core.actors.filter((a) => a.role === "source").map((a) => a.country)),
    target_countries: uniqSorted(core.actors.filter((a) => a.role === "target").map((a) => a.country)),
    actor_countries: uniqSorted(core.actors.map((a) => a.country)),
    actor_ids: uniqSorted(core.actors.map((a) => a.id)),
    actor_names: uniqSorted(core.actors.map((a) => a.name)),
    updated_at: now,
  };
  if (start) doc.date_start = start;
  if (end) doc.date_end = end;
  return doc;
}

function stripDerived(doc: EventDocument): ExtractedEvent {
  const {
    sources: _s, source_ids: _si, languages: _l, num_sources: _ns, num_mentions: _nm, first_seen: _f, last_seen: _ls,
    source_countries: _sc, target_countries: _tc, actor_countries: _ac, actor_ids: _ai, actor_names: _an,
    date_start: _ds, date_end: _de, evidence_seg: _es, updated_at: _u, ...core
  } = doc;
  return core;
}

/** Equal apart from updated_at: nothing to write. */
export function sameEvent(a: EventDocument, b: EventDocument): boolean {
  return stableJson({ ...a, updated_at: "", evidence_seg: "" }) === stableJson({ ...b, updated_at: "", evidence_seg: "" });
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : v);
}

export interface MentionDocument {
  id: string;
  event_id: string;
  source_id: string;
  url: string;
  site?: string;
  language: string;
  published?: string;
  type: string;
  date_value: string;
  sentence: string;
  offset: [number, number];
  confidence: number;
  modality: string;
}

export function mentionDocs(event: ExtractedEvent, sourceId: string): MentionDocument[] {
  const seen = new Set<string>();
  const docs: MentionDocument[] = [];
  for (const e of event.evidence) {
    if (e.source_id !== sourceId) continue;
    const id = mentionIdOf(event.id, sourceId, e.offset[0]);
    if (seen.has(id)) continue;
    seen.add(id);
    const site = siteOf(e.url);
    docs.push(compact({
      id, event_id: event.id, source_id: sourceId, url: e.url, site, language: e.language, published: e.published,
      type: event.type, date_value: event.date.value, sentence: e.sentence, offset: e.offset,
      confidence: event.confidence, modality: event.modality,
    }));
  }
  return docs;
}
