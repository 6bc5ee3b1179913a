/**
 * Validation of query parameters (HTTP API and command line alike): every parameter is checked
 * against a pattern or range and turned into typed filters; anything else is a 400 with a
 * message naming the parameter. Only structured filters leave here, never raw query text for
 * Elasticsearch to parse.
 */
import { EVENT_TYPES } from "@tidings/shared";
import { resolveActorQuery } from "./actors.ts";
import type { EventFilters, SourceFilters, TimelineFilters } from "./events-query.ts";

export class BadParameter extends Error {
  constructor(readonly parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.name = "BadParameter";
  }
}

type Params = Record<string, string | string[] | undefined>;

const list = (p: Params, name: string): string[] | undefined => {
  const v = p[name];
  if (v === undefined) return undefined;
  const values = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  if (values.length > 20) throw new BadParameter(name, "at most 20 values");
  for (const x of values) if (x.length > 200) throw new BadParameter(name, "value longer than 200 characters");
  return values.length ? values : undefined;
};
const one = (p: Params, name: string): string | undefined => {
  const v = p[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  if (s !== undefined && s.length > 500) throw new BadParameter(name, "longer than 500 characters");
  return s === "" ? undefined : s;
};

function date(p: Params, name: "from" | "to"): string | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) throw new BadParameter(name, "YYYY, YYYY-MM or YYYY-MM-DD");
  const [y, m, d] = v.split("-").map(Number) as [number, number | undefined, number | undefined];
  // A real calendar date (no month 13, no 31 February): Elasticsearch would fail or guess.
  if ((m !== undefined && (m < 1 || m > 12)) || (d !== undefined && (d < 1 || d > new Date(Date.UTC(y, m!, 0)).getUTCDate()))) {
    throw new BadParameter(name, "not a calendar date");
  }
  if (v.length === 4) return name === "from" ? `${v}-01-01` : `${v}-12-31`;
  if (v.length === 7) {
    if (name === "from") return `${v}-01`;
    const [y, m] = v.split("-").map(Number) as [number, number];
    return `${v}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
  }
  return v;
}

function int(p: Params, name: string, min: number, max: number): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new BadParameter(name, "a whole number");
  const n = Number(v);
  if (n < min || n > max) throw new BadParameter(name, `between ${min} and ${max}`);
  return n;
}

function actors(p: Params, name: string): string[] | undefined {
  const values = list(p, name);
  if (!values) return undefined;
  try {
    return values.flatMap(resolveActorQuery);
  } catch (err) {
    throw new BadParameter(name, (err as Error).message);
  }
}

function near(p: Params): EventFilters["near"] {
  const v = one(p, "near");
  if (v === undefined) return undefined;
  const parts = v.split(",").map(Number);
  const [lat, lon, km = 100] = parts;
  if (parts.length < 2 || parts.length > 3 || !parts.every(Number.isFinite) || Math.abs(lat!) > 90 || Math.abs(lon!) > 180 || km <= 0 || km > 20_000) {
    throw new BadParameter("near", "lat,lon[,km] with -90<=lat<=90, -180<=lon<=180, 0<km<=20000");
  }
  return { lat: lat!, lon: lon!, km };
}

export function parseEventParams(p: Params): EventFilters {
  const type = list(p, "type")?.map((t) => t.toUpperCase());
  for (const t of type ?? []) if (!(EVENT_TYPES as readonly string[]).includes(t)) throw new BadParameter("type", `unknown type ${t} (${EVENT_TYPES.join(", ")})`);
  const mode = list(p, "mode");
  for (const m of mode ?? []) if (!/^[a-z_-]{1,40}$/.test(m)) throw new BadParameter("mode", "lower-case words");
  const language = list(p, "language");
  for (const l of language ?? []) if (!/^[a-z]{2,3}$/.test(l)) throw new BadParameter("language", "ISO 639-1 codes");
  const sort = one(p, "sort");
  if (sort !== undefined && !["date", "sources", "recent"].includes(sort)) throw new BadParameter("sort", "date, sources or recent");
  const f: EventFilters = {};
  const a = actors(p, "actor"); if (a) f.actor = a;
  const s = actors(p, "source"); if (s) f.source = s;
  const t = actors(p, "target"); if (t) f.target = t;
  if (type) f.type = type;
  if (mode) f.mode = mode;
  const from = date(p, "from"); if (from) f.from = from;
  const to = date(p, "to"); if (to) f.to = to;
  const n = near(p); if (n) f.near = n;
  const place = one(p, "place"); if (place) f.place = place;
  if (language) f.language = language;
  const min = int(p, "min_sources", 1, 1_000_000); if (min) f.minSources = min;
  const text = one(p, "text"); if (text) f.text = text;
  f.size = int(p, "size", 0, 500) ?? 20;
  f.offset = int(p, "offset", 0, 10_000) ?? 0;
  if (sort) f.sort = sort as EventFilters["sort"];
  return f;
}

export function parseSourceParams(p: Params): SourceFilters {
  const f: SourceFilters = {};
  const batch = one(p, "batch");
  if (batch !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(batch)) throw new BadParameter("batch", "a batch id");
    f.batch = batch;
  }
  const status = one(p, "status");
  if (status !== undefined) {
    if (!["indexed", "failed", "skipped"].includes(status)) throw new BadParameter("status", "indexed, failed or skipped");
    f.status = status;
  }
  const reason = one(p, "reason");
  if (reason !== undefined) {
    if (!/^[a-z0-9_:-]{1,64}$/.test(reason)) throw new BadParameter("reason", "a failure reason such as http_404");
    f.reason = reason;
  }
  const site = one(p, "site");
  if (site !== undefined) {
    if (!/^[a-z0-9.-]{1,253}(:\d+)?$/i.test(site)) throw new BadParameter("site", "a host name");
    f.site = site.toLowerCase();
  }
  const language = one(p, "language");
  if (language !== undefined) {
    if (!/^[a-z]{2,3}$/.test(language)) throw new BadParameter("language", "an ISO 639-1 code");
    f.language = language;
  }
  f.size = int(p, "size", 0, 500) ?? 20;
  f.offset = int(p, "offset", 0, 10_000) ?? 0;
  return f;
}

export function parseTimelineParams(p: Params): TimelineFilters {
  const e = parseEventParams(p);
  const interval = one(p, "interval") ?? "week";
  if (!["day", "week", "month"].includes(interval)) throw new BadParameter("interval", "day, week or month");
  const f: TimelineFilters = { interval: interval as TimelineFilters["interval"] };
  if (e.actor) f.actor = e.actor;
  if (e.source) f.source = e.source;
  if (e.target) f.target = e.target;
  if (e.type) f.type = e.type;
  if (e.from) f.from = e.from;
  if (e.to) f.to = e.to;
  return f;
}
