/**
 * `tidings query events|sources|timeline [filters] [--json]`: events by actor (a name in any
 * supported language, an actor id or a country code), role, type, date range, place or
 * distance from a point, language of reports, min sources, free text; sources by batch,
 * status, failure reason, site, language; a timeline of events per day/week/month by type for
 * an actor pair, as a terminal chart. The filters are validated exactly as the HTTP API's are.
 */
import { parseArgs } from "node:util";
import { BadParameter, parseEventParams, parseSourceParams, parseTimelineParams } from "../query/params.ts";
import { renderTimeline } from "../query/events-query.ts";
import { eventTimeline, searchEvents, searchSources } from "../query/run.ts";
import { openRuntime } from "../runtime.ts";

interface EventHit {
  id: string; type: string; mode?: string; date: { value: string }; modality: string;
  actors: { role: string; name: string; country: string }[];
  location?: { name: string }; num_sources: number; languages: string[];
  evidence: { sentence: string; url: string }[];
}

export function formatEvent(e: EventHit): string {
  const side = (role: string) => [...new Set(e.actors.filter((a) => a.role === role).map((a) => a.country))].join("+") || "-";
  const snippet = (e.evidence[0]?.sentence ?? "").replace(/\s+/g, " ").slice(0, 70);
  return `${e.date.value.padEnd(10)}  ${(e.type + (e.mode ? `/${e.mode}` : "")).padEnd(18)} ${side("source").padEnd(11)} -> ${side("target").padEnd(11)} ${(e.location?.name ?? "").slice(0, 18).padEnd(18)} ${String(e.num_sources).padStart(3)} ${e.languages.join(",").padEnd(6)} ${e.modality === "asserted" ? "" : `[${e.modality}] `}${snippet}`;
}

const USAGE = `usage: tidings query events   [--actor X]... [--source X] [--target X] [--type T] [--mode M] [--from D] [--to D]
                              [--near lat,lon[,km]] [--place P] [--language L] [--min-sources N] [--text T]
                              [--size N] [--offset N] [--sort date|sources|recent] [--json]
       tidings query sources  [--batch B] [--status indexed|failed|skipped] [--reason R] [--site S] [--language L] [--json]
       tidings query timeline --actor X [--actor Y] [--source X] [--target Y] [--type T] [--from D] [--to D] [--interval day|week|month] [--json]
X: a name in any supported language ("朝鲜", "North Korea", "Triều Tiên"), a country code (PRK) or an actor id (Q56226).`;

export async function queryCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what !== "events" && what !== "sources" && what !== "timeline") {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest, allowPositionals: false,
    options: {
      actor: { type: "string", multiple: true }, source: { type: "string", multiple: true }, target: { type: "string", multiple: true },
      type: { type: "string", multiple: true }, mode: { type: "string", multiple: true },
      from: { type: "string" }, to: { type: "string" }, near: { type: "string" }, place: { type: "string" },
      language: { type: "string", multiple: true }, "min-sources": { type: "string" }, text: { type: "string" },
      batch: { type: "string" }, status: { type: "string" }, reason: { type: "string" }, site: { type: "string" },
      interval: { type: "string" }, size: { type: "string" }, offset: { type: "string" }, sort: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const { json, "min-sources": minSources, ...named } = values;
  const params = { ...named, ...(minSources !== undefined ? { min_sources: minSources } : {}) } as Record<string, string | string[] | undefined>;
  let run: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<void>;
  try {
    if (what === "sources") {
      const f = parseSourceParams(params);
      run = async (rt) => {
        const { total, sources } = await searchSources(rt.es, rt.config.indexPrefix, f);
        if (json) { console.log(JSON.stringify({ total, sources })); return; }
        console.log(`${total} source(s)`);
        for (const s of sources as { status: string; language?: string; published?: string; num_events?: number; failure?: { stage: string; reason: string }; title?: string; url: string }[]) {
          console.log(`${s.status.padEnd(8)} ${(s.language ?? "").padEnd(3)} ${(s.published ?? "").slice(0, 10).padEnd(10)} ${String(s.num_events ?? 0).padStart(3)} ev  ${s.failure ? `${s.failure.stage}:${s.failure.reason}  ` : ""}${s.title?.slice(0, 60) ?? ""}  ${s.url}`);
        }
      };
    } else if (what === "timeline") {
      const f = parseTimelineParams(params);
      run = async (rt) => {
        const buckets = await eventTimeline(rt.es, rt.config.indexPrefix, f);
        console.log(json ? JSON.stringify({ interval: f.interval, buckets }) : renderTimeline(buckets));
      };
    } else {
      const f = parseEventParams(params);
      run = async (rt) => {
        const { total, events } = await searchEvents(rt.es, rt.config.indexPrefix, f);
        if (json) { console.log(JSON.stringify({ total, events })); return; }
        console.log(`${total} event(s)`);
        console.log(`${"date".padEnd(10)}  ${"type".padEnd(18)} ${"source".padEnd(11)}    ${"target".padEnd(11)} ${"place".padEnd(18)} src lang   evidence`);
        for (const e of events as unknown as EventHit[]) console.log(formatEvent(e));
      };
    }
  } catch (err) {
    if (err instanceof BadParameter) {
      console.error(`tidings query: --${err.parameter.replace("_", "-")} ${err.message.slice(err.parameter.length + 2)}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const rt = await openRuntime();
  try {
    await run(rt);
    return 0;
  } finally {
    await rt.close();
  }
}
