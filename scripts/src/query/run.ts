/**
 * Run the structured queries against Elasticsearch: the one place the command line and the
 * HTTP API (`GET /api/events`, `/api/sources`, `/api/timeline`) both call.
 */
import { indexNames } from "@tidings/index";
import type { ElasticsearchClient } from "@tidings/shared";
import {
  buildEventsQuery, buildSourcesQuery, buildTimelineQuery, timelineBuckets,
  type EventFilters, type SourceFilters, type TimelineBucket, type TimelineFilters,
} from "./events-query.ts";

export async function searchEvents(es: ElasticsearchClient, prefix: string, f: EventFilters): Promise<{ total: number; events: Record<string, unknown>[] }> {
  const res = await es.search({ index: indexNames(prefix, "events").read, ...buildEventsQuery(f), _source: { excludes: ["evidence_seg"] } });
  return { total: (res.hits.total as { value: number }).value, events: res.hits.hits.map((h) => h._source as Record<string, unknown>) };
}

export async function searchSources(es: ElasticsearchClient, prefix: string, f: SourceFilters): Promise<{ total: number; sources: Record<string, unknown>[] }> {
  const body = buildSourcesQuery(f) as { _source: { excludes: string[] } };
  body._source.excludes.push("text_seg", "title_seg");
  const res = await es.search({ index: indexNames(prefix, "sources").read, ...body });
  return { total: (res.hits.total as { value: number }).value, sources: res.hits.hits.map((h) => h._source as Record<string, unknown>) };
}

export async function eventTimeline(es: ElasticsearchClient, prefix: string, f: TimelineFilters): Promise<TimelineBucket[]> {
  const res = await es.search({ index: indexNames(prefix, "events").read, ...buildTimelineQuery(f) });
  return timelineBuckets(res.aggregations);
}
