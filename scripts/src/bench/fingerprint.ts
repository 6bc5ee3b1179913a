/**
 * What a run left in Elasticsearch, as two hashes that another run over the same pages must
 * reproduce: one over the sources, one over the events. Source ids and URLs hold the page
 * server's port, which changes from run to run, so sources are keyed by their URL path and
 * events by what they say (id, type, date, actors, counts, languages), never by source id.
 */
import { createHash } from "node:crypto";
import type { ElasticsearchClient } from "@tidings/shared";
import { indexNames } from "@tidings/index";

export interface ResultsFingerprint {
  sources: string;
  events: string;
  source_docs: number;
  event_docs: number;
}

interface SourceFields { url?: string; status?: string; language?: string; title?: string; published?: string; event_ids?: string[] }
interface EventFields { id?: string; type?: string; date?: { value?: string; precision?: string }; actor_ids?: string[]; num_sources?: number; num_mentions?: number; languages?: string[] }

function pathOf(url: string | undefined): string {
  if (!url) return "";
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();

/** One line per document, sorted, hashed (first 16 hex digits of SHA-256). */
function hashLines(lines: string[]): string {
  const h = createHash("sha256");
  for (const l of lines.sort()) h.update(l).update("\n");
  return h.digest("hex").slice(0, 16);
}

export function sourceLine(s: SourceFields): string {
  return JSON.stringify([pathOf(s.url), s.status ?? "", s.language ?? "", s.title ?? "", s.published ?? "", sorted(s.event_ids)]);
}

export function eventLine(e: EventFields): string {
  return JSON.stringify([e.id ?? "", e.type ?? "", e.date?.value ?? "", e.date?.precision ?? "", sorted(e.actor_ids), e.num_sources ?? 0, e.num_mentions ?? 0, sorted(e.languages)]);
}

export async function resultsFingerprint(es: ElasticsearchClient, prefix: string): Promise<ResultsFingerprint> {
  const read = async <T>(kind: "sources" | "events", fields: string[], line: (d: T) => string): Promise<string[]> => {
    const lines: string[] = [];
    const docs = es.helpers.scrollDocuments<T>({ index: indexNames(prefix, kind).read, size: 1000, _source: fields, query: { match_all: {} } });
    for await (const d of docs) lines.push(line(d));
    return lines;
  };
  const sources = await read<SourceFields>("sources", ["url", "status", "language", "title", "published", "event_ids"], sourceLine);
  const events = await read<EventFields>("events", ["id", "type", "date", "actor_ids", "num_sources", "num_mentions", "languages"], eventLine);
  return { sources: hashLines(sources), events: hashLines(events), source_docs: sources.length, event_docs: events.length };
}
