/**
 * The event and source model: the contract between the stages, the Elasticsearch indices,
 * the query tools and the evaluation scripts (see EVENT-MODEL.md in the design notes).
 * Field names are snake_case where they land in Elasticsearch as-is.
 */

/** PLOVER's 16 event categories. */
export const EVENT_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const MODALITIES = ["asserted", "planned", "denied", "conditional", "alleged"] as const;
export type Modality = (typeof MODALITIES)[number];

export type DatePrecision = "day" | "month" | "year";

/** Who took part in an event, resolved to a country, a sector and a canonical identity. */
export interface Actor {
  role: "source" | "target";
  /** Canonical English name ("Kim Jong Un", "North Korea", "UN Security Council"). */
  name: string;
  /** Stable id: a Wikidata QID where known, else a project id such as "country:PRK". */
  id: string;
  /** ISO 3166-1 alpha-3, or "IGO" for international bodies. */
  country: string;
  /** International organisation id when country is "IGO" (e.g. "UNSC"). */
  org?: string;
  /** PLOVER/CAMEO-style sector: GOV, MIL, ELI, LEG, JUD, SPY, COP, REB, OPP, PTY, MED, BUS, CVL, ... */
  sector?: string;
  /** The text as the article wrote it. */
  mention: string;
}

export interface EventDate {
  /** YYYY-MM-DD, YYYY-MM or YYYY according to precision. */
  value: string;
  precision: DatePrecision;
  /** The text the date was read from; absent when it fell back to the publication date. */
  mention?: string;
}

export interface GeoPoint { lat: number; lon: number }

export interface EventLocation {
  name: string;
  admin1?: string;
  country?: string;
  geo?: GeoPoint;
  mention: string;
}

export interface Evidence {
  source_id: string;
  url: string;
  language: string;
  published?: string;
  sentence: string;
  /** [start, end) character offsets of the sentence in the source's cleaned text. */
  offset: [number, number];
}

/** One event as one article reports it (before merging across articles). */
export interface ExtractedEvent {
  /** Deterministic fingerprint of type + actors + date (see shared/src/ids.ts). */
  id: string;
  type: EventType;
  mode?: string;
  cameo: string;
  quad: number;
  intensity: number;
  actors: Actor[];
  date: EventDate;
  location?: EventLocation;
  modality: Modality;
  confidence: number;
  evidence: Evidence[];
}

/** One record per real-world event, merged across every source that reported it. */
export interface EventRecord extends ExtractedEvent {
  num_sources: number;
  num_mentions: number;
  first_seen: string;
  last_seen: string;
  languages: string[];
  source_ids: string[];
}

export const SOURCE_STATUSES = ["indexed", "failed", "skipped"] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export const STAGES = ["enqueue", "fetch", "clean", "translate", "extract", "index"] as const;
export type StageName = (typeof STAGES)[number];

export interface Failure {
  stage: StageName;
  /** Short machine-readable reason, e.g. "http_404", "timeout", "bad_url", "unsupported_type". */
  reason: string;
  /** Human-readable detail (error message, status line, content type). */
  detail: string;
  attempts: number;
}

export interface TranslationInfo {
  provider: string;
  model?: string;
  source_language: string;
  target_language: string;
  translated: boolean;
  /** Why nothing was translated (stub, same language, unsupported pair). */
  reason?: string;
  title?: string;
  text?: string;
}

/** One record per normalised URL, whatever happened to it. */
export interface SourceRecord {
  id: string;
  url: string;
  final_url?: string;
  canonical_url?: string;
  site?: string;
  batch_ids: string[];
  status: SourceStatus;
  failure?: Failure;
  title?: string;
  text?: string;
  description?: string;
  language?: string;
  language_confidence?: number;
  script?: string;
  published?: string;
  authors?: string[];
  fetched_at?: string;
  http_status?: number;
  content_type?: string;
  charset?: string;
  bytes?: number;
  translation?: TranslationInfo;
  event_ids: string[];
  num_events?: number;
  correlation_id?: string;
  updated_at: string;
}
