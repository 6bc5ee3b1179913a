/**
 * `tidings query events|sources [filters] [--json]`: events by actor (a name in any supported
 * language, an actor id or a country code), role, type, date range, place, language, min
 * sources, free text; sources by batch, status, failure reason, site, language.
 */
import { parseArgs } from "node:util";
import { indexNames } from "@tidings/index";
import type { SourceRecord } from "@tidings/shared";
import { resolveActorQuery } from "../query/actors.ts";
import { buildEventsQuery, buildSourcesQuery, type EventFilters } from "../query/events-query.ts";
import { openRuntime } from "../runtime.ts";

interface EventHit {
  id: string; type: string; mode?: string; date: { value: string }; modality: string;
  actors: { role: string; name: string; country: string }[];
  location?: { name: string }; num_sources: number; languages: string[];
  evidence: { sentence: string; url: string }[];
}

export function parseNear(value: string | undefined): EventFilters["near"] {
  if (!value) return undefined;
  const [lat, lon, km] = value.split(",").map(Number);
  if (![lat, lon].every((x) => Number.isFinite(x)) || Math.abs(lat!) > 90 || Math.abs(lon!) > 180) throw new Error(`--near wants lat,lon[,km], got ${value}`);
  return { lat: lat!, lon: lon!, km: Number.isFinite(km) && km! > 0 ? km! : 100 };
}

function checkDate(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) throw new Error(`--${name} wants YYYY, YYYY-MM or YYYY-MM-DD, got ${v}`);
  if (v === undefined) return undefined;
  return v.length === 4 ? (name === "from" ? `${v}-01-01` : `${v}-12-31`) : v.length === 7 ? (name === "from" ? `${v}-01` : `${v}-31`) : v;
}

export function formatEvent(e: EventHit): string {
  const side = (role: string) => [...new Set(e.actors.filter((a) => a.role === role).map((a) => a.country))].join("+") || "-";
  const snippet = (e.evidence[0]?.sentence ?? "").replace(/\s+/g, " ").slice(0, 70);
  return `${e.date.value.padEnd(10)}  ${(e.type + (e.mode ? `/${e.mode}` : "")).padEnd(18)} ${side("source").padEnd(11)} -> ${side("target").padEnd(11)} ${(e.location?.name ?? "").slice(0, 18).padEnd(18)} ${String(e.num_sources).padStart(3)} ${e.languages.join(",").padEnd(6)} ${e.modality === "asserted" ? "" : `[${e.modality}] `}${snippet}`;
}

export async function queryCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const { values } = parseArgs({
    args: rest, allowPositionals: false,
    options: {
      actor: { type: "string", multiple: true }, source: { type: "string", multiple: true }, target: { type: "string", multiple: true },
      type: { type: "string", multiple: true }, mode: { type: "string", multiple: true },
      from: { type: "string" }, to: { type: "string" }, near: { type: "string" }, place: { type: "string" },
      language: { type: "string", multiple: true }, "min-sources": { type: "string" }, text: { type: "string" },
      batch: { type: "string" }, status: { type: "string" }, reason: { type: "string" }, site: { type: "string" },
      size: { type: "string" }, offset: { type: "string" }, sort: { type: "string" }, json: { type: "boolean", default: false },
    },
  });
  if (what !== "events" && what !== "sources") {
    console.error("usage: tidings query events|sources [--actor X] [--source X] [--target X] [--type T] [--from D] [--to D] [--near lat,lon,km] [--language L] [--min-sources N] [--text T] [--batch B] [--status S] [--reason R] [--json]");
    return 2;
  }
  const rt = await openRuntime();
  try {
    const size = values.size ? Number(values.size) : 20;
    const offset = values.offset ? Number(values.offset) : 0;
    if (what === "sources") {
      const body = buildSourcesQuery({ batch: values.batch, status: values.status, reason: values.reason, site: values.site, language: values.language?.[0], size, offset });
      const res = await rt.es.search<SourceRecord>({ index: indexNames(rt.config.indexPrefix, "sources").read, ...body });
      const hits = res.hits.hits.map((h) => h._source!);
      if (values.json) console.log(JSON.stringify({ total: (res.hits.total as { value: number }).value, sources: hits }));
      else {
        console.log(`${(res.hits.total as { value: number }).value} source(s)`);
        for (const s of hits) console.log(`${s.status.padEnd(8)} ${(s.language ?? "").padEnd(3)} ${(s.published ?? "").slice(0, 10).padEnd(10)} ${String(s.num_events ?? 0).padStart(3)} ev  ${s.failure ? `${s.failure.stage}:${s.failure.reason}  ` : ""}${s.title?.slice(0, 60) ?? ""}  ${s.url}`);
      }
      return 0;
    }
    const filters: EventFilters = {
      ...(values.actor ? { actor: values.actor.map((a) => resolveActorQuery(a)).flat() } : {}),
      ...(values.source ? { source: values.source.flatMap(resolveActorQuery) } : {}),
      ...(values.target ? { target: values.target.flatMap(resolveActorQuery) } : {}),
      ...(values.type ? { type: values.type } : {}), ...(values.mode ? { mode: values.mode } : {}),
      ...(values.from ? { from: checkDate("from", values.from)! } : {}), ...(values.to ? { to: checkDate("to", values.to)! } : {}),
      ...(values.near ? { near: parseNear(values.near)! } : {}), ...(values.place ? { place: values.place } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(values["min-sources"] ? { minSources: Number(values["min-sources"]) } : {}),
      ...(values.text ? { text: values.text } : {}),
      size, offset, ...(values.sort ? { sort: values.sort as EventFilters["sort"] } : {}),
    };
    const res = await rt.es.search<EventHit>({ index: indexNames(rt.config.indexPrefix, "events").read, ...buildEventsQuery(filters) });
    const hits = res.hits.hits.map((h) => h._source!);
    const total = (res.hits.total as { value: number }).value;
    if (values.json) console.log(JSON.stringify({ total, events: hits }));
    else {
      console.log(`${total} event(s)`);
      console.log(`${"date".padEnd(10)}  ${"type".padEnd(18)} ${"source".padEnd(11)}    ${"target".padEnd(11)} ${"place".padEnd(18)} src lang   evidence`);
      for (const e of hits) console.log(formatEvent(e));
    }
    return 0;
  } finally {
    await rt.close();
  }
}
