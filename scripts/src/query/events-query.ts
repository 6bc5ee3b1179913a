/**
 * Structured event queries: filters people use, turned into an Elasticsearch query body on the
 * server side (never a raw query string passed through). Pure; the command and the HTTP API
 * share it.
 */
import { queryLanguage, segmentForIndex } from "@tidings/index/segment";

export interface EventFilters {
  /** Countries (ISO alpha-3) or actor ids any actor must match, in any role. */
  actor?: string[];
  /** ... as the source (who acts). */
  source?: string[];
  /** ... as the target (who is acted on). */
  target?: string[];
  type?: string[];
  mode?: string[];
  /** Inclusive YYYY-MM-DD bounds on the event date. */
  from?: string;
  to?: string;
  near?: { lat: number; lon: number; km: number };
  place?: string;
  language?: string[];
  minSources?: number;
  text?: string;
  size?: number;
  offset?: number;
  sort?: "date" | "sources" | "recent";
}

const asTerms = (field: string, values: string[]) => ({ terms: { [field]: values } });

function roleClause(role: "source" | "target" | undefined, ids: string[]) {
  const countries = ids.filter((v) => /^[A-Z]{3}$/.test(v));
  const others = ids.filter((v) => !/^[A-Z]{3}$/.test(v));
  const should: unknown[] = [];
  if (countries.length) should.push(asTerms("actors.country", countries));
  if (others.length) should.push(asTerms("actors.id", others), asTerms("actors.org", others));
  const must: unknown[] = [{ bool: { should, minimum_should_match: 1 } }];
  if (role) must.push({ term: { "actors.role": role } });
  return { nested: { path: "actors", query: { bool: { must } } } };
}

export function buildEventsQuery(f: EventFilters): Record<string, unknown> {
  const filter: unknown[] = [];
  const must: unknown[] = [];
  // Each actor value is its own condition: --actor PRK --actor RUS means both took part.
  for (const a of f.actor ?? []) filter.push(roleClause(undefined, [a]));
  if (f.source?.length) filter.push(roleClause("source", f.source));
  if (f.target?.length) filter.push(roleClause("target", f.target));
  if (f.type?.length) filter.push(asTerms("type", f.type.map((t) => t.toUpperCase())));
  if (f.mode?.length) filter.push(asTerms("mode", f.mode));
  if (f.from) filter.push({ range: { date_end: { gte: f.from } } });
  if (f.to) filter.push({ range: { date_start: { lte: f.to } } });
  if (f.near) filter.push({ geo_distance: { distance: `${f.near.km}km`, "location.geo": { lat: f.near.lat, lon: f.near.lon } } });
  if (f.place) filter.push({ term: { "location.name": f.place } });
  if (f.language?.length) filter.push(asTerms("languages", f.language));
  if (f.minSources) filter.push({ range: { num_sources: { gte: f.minSources } } });
  if (f.text) {
    // The segmented field finds words in any language; the standard field is the fallback.
    const seg = segmentForIndex(f.text, queryLanguage(f.text));
    must.push({ bool: { should: [
      ...(seg ? [{ match_phrase: { evidence_seg: { query: seg } } }] : []),
      { match: { "evidence.sentence": { query: f.text, operator: "and" } } },
    ], minimum_should_match: 1 } });
  }
  const sort = f.sort === "sources"
    ? [{ num_sources: "desc" }, { date_start: "desc" }, { id: "asc" }]
    : f.sort === "recent"
      ? [{ last_seen: "desc" }, { id: "asc" }]
      : [{ date_start: { order: "desc", missing: "_last" } }, { num_sources: "desc" }, { id: "asc" }];
  return {
    query: { bool: { filter, must } },
    sort,
    size: Math.min(Math.max(f.size ?? 20, 0), 500),
    from: Math.min(Math.max(f.offset ?? 0, 0), 10_000),
    track_total_hits: true,
  };
}

export interface TimelineFilters {
  /** The actor pair: events with both (in any role, or in these roles). */
  actor?: string[];
  source?: string[];
  target?: string[];
  type?: string[];
  from?: string;
  to?: string;
  interval: "day" | "week" | "month";
}

/** Events per day/week/month, split by type, for an actor pair. */
export function buildTimelineQuery(f: TimelineFilters): Record<string, unknown> {
  const base = buildEventsQuery({ ...f, size: 0 }) as { query: unknown };
  return {
    size: 0,
    query: base.query,
    aggs: {
      timeline: {
        date_histogram: {
          field: "date_start", calendar_interval: f.interval, min_doc_count: 0, format: "yyyy-MM-dd",
          // Empty periods inside the asked range still show, nothing outside it does.
          ...(f.from || f.to ? {
            hard_bounds: { ...(f.from ? { min: f.from } : {}), ...(f.to ? { max: f.to } : {}) },
            extended_bounds: { ...(f.from ? { min: f.from } : {}), ...(f.to ? { max: f.to } : {}) },
          } : {}),
        },
        aggs: { types: { terms: { field: "type", size: 16 } } },
      },
    },
  };
}

export interface TimelineBucket { date: string; total: number; types: Record<string, number> }

export function timelineBuckets(aggs: unknown): TimelineBucket[] {
  const buckets = (aggs as { timeline?: { buckets?: { key_as_string: string; doc_count: number; types: { buckets: { key: string; doc_count: number }[] } }[] } })?.timeline?.buckets ?? [];
  return buckets.map((b) => ({ date: b.key_as_string, total: b.doc_count, types: Object.fromEntries(b.types.buckets.map((t) => [t.key, t.doc_count])) }));
}

/** A terminal chart: one row per period, a bar per type with its own character. */
export function renderTimeline(buckets: TimelineBucket[], width = 50): string {
  if (buckets.length === 0) return "(no events)";
  const glyphs = ["█", "▓", "▒", "░", "■", "▪", "●", "◆"];
  const types = [...new Set(buckets.flatMap((b) => Object.keys(b.types)))].sort();
  const glyph = new Map(types.map((t, i) => [t, glyphs[i % glyphs.length]!]));
  const max = Math.max(...buckets.map((b) => b.total), 1);
  const scale = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round((n / max) * width)));
  const rows = buckets.map((b) => `${b.date}  ${types.map((t) => glyph.get(t)!.repeat(scale(b.types[t] ?? 0))).join("")} ${b.total || ""}`.trimEnd());
  const legend = types.map((t) => `${glyph.get(t)} ${t}`).join("   ");
  return [...rows, "", legend].join("\n");
}

export interface SourceFilters {
  batch?: string;
  status?: string;
  reason?: string;
  site?: string;
  language?: string;
  size?: number;
  offset?: number;
}

export function buildSourcesQuery(f: SourceFilters): Record<string, unknown> {
  const filter: unknown[] = [];
  if (f.batch) filter.push({ term: { batch_ids: f.batch } });
  if (f.status) filter.push({ term: { status: f.status } });
  if (f.reason) filter.push({ term: { "failure.reason": f.reason } });
  if (f.site) filter.push({ term: { site: f.site } });
  if (f.language) filter.push({ term: { language: f.language } });
  return {
    query: { bool: { filter } },
    sort: [{ updated_at: "desc" }, { id: "asc" }],
    size: Math.min(Math.max(f.size ?? 20, 0), 500),
    from: Math.min(Math.max(f.offset ?? 0, 0), 10_000),
    track_total_hits: true,
    _source: { excludes: ["text", "translation.text"] },
  };
}
