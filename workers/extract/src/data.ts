/** Loads the data files once (lazily) and builds the matchers. */
import { readFileSync, readdirSync } from "node:fs";
import { AhoCorasick } from "./aho.ts";
import { normalizeForMatch, normVietSyllable } from "./normalize.ts";

const dataUrl = (name: string) => new URL(`../data/${name}`, import.meta.url);
function readJson<T>(name: string): T { return JSON.parse(readFileSync(dataUrl(name), "utf8")) as T; }

type Names = Record<string, string[] | undefined>;
export interface Role { role: string; sector: string; from?: string; to?: string }
export interface PersonEntry { id: string; name: string; country: string; org?: string; names: Names; roles: Role[] }
export interface PlaceEntry { id: string; name: string; admin1?: string; country?: string; geo?: { lat: number; lon: number }; region?: boolean; admin?: boolean; capitalOf?: string }

export type GazPayload =
  | { kind: "country"; iso3: string; name: string; sector?: string; side?: boolean; demonym?: boolean; pattern: string }
  | { kind: "capital"; iso3: string; name: string; place: PlaceEntry; pattern: string }
  | { kind: "igo"; org: string; name: string; pattern: string }
  | { kind: "person"; person: PersonEntry; pattern: string }
  | { kind: "place"; place: PlaceEntry; pattern: string };

export interface TriggerEntry { p?: string; re?: string; t: string; m?: string; visit?: boolean; nominal?: boolean; speech?: boolean; deny?: boolean; travel?: boolean; abbrOnly?: boolean }
export interface TitleEntry { p: string; s: string | null; before?: boolean; home?: boolean }
export interface Lexicon {
  language: string; version: number; source: string;
  triggers: TriggerEntry[];
  markers: Record<string, string[] | boolean | undefined>;
  /** The country a bare domestic institution (`home` titles: 외교부, 政府) belongs to in this language's press. */
  home?: string;
  titles: TitleEntry[];
  nonActorAfter: string[];
  /** Postpositions that mark the noun before them as the target (Korean 을/를/에게, Japanese に). */
  targetAfter?: string[];
  /** One-character country abbreviations used in runs (日米韓), character -> ISO alpha-3. */
  abbr?: Record<string, string>;
}
export type LexPayload =
  | { kind: "trigger"; entry: TriggerEntry; pattern: string }
  | { kind: "title"; entry: TitleEntry; pattern: string }
  | { kind: "marker"; marker: string; pattern: string }
  | { kind: "nonActor"; pattern: string };

export interface CountryInfo { iso3: string; name: string; capital?: PlaceEntry }

export interface Gazetteer {
  matcher: AhoCorasick<GazPayload>;
  countries: Map<string, CountryInfo>;
  abbrZh: Map<string, string>;
  people: PersonEntry[];
  places: PlaceEntry[];
  userDict: string[];
}

let gaz: Gazetteer | undefined;

export function gazetteer(): Gazetteer {
  if (gaz) return gaz;
  const countriesFile = readJson<{ countries: { iso3: string; name: string; names: Names; capital?: string; territory?: boolean }[] }>("countries.json");
  const aliases = readJson<{ countries: Record<string, { names?: Names; sides?: Names; capital?: { names: Names; geo?: { lat: number; lon: number } }; abbr_zh?: string }> }>("country-aliases.json");
  const peopleFile = readJson<{ people: PersonEntry[] }>("people.json");
  const igos = readJson<{ igos: { org: string; name: string; names: Names }[] }>("igos.json");
  const placesFile = readJson<{ places: PlaceEntry[] & { names: Names }[] }>("places.json");

  const matcher = new AhoCorasick<GazPayload>();
  const countries = new Map<string, CountryInfo>();
  const abbrZh = new Map<string, string>();
  const places: PlaceEntry[] = [];
  const userDict: string[] = [];
  const add = (pattern: string, payload: GazPayload) => {
    const n = normalizeForMatch(pattern.normalize("NFC"));
    if (n.trim().length < 2) return; // one-letter names (刚果（布）-> 布) match everywhere
    matcher.add(n, payload);
    if (/[\u3400-\u9fff]/u.test(pattern)) userDict.push(pattern);
  };
  const all = (names: Names | undefined) => Object.values(names ?? {}).flatMap((v) => v ?? []);

  for (const c of countriesFile.countries) {
    const info: CountryInfo = { iso3: c.iso3, name: c.name };
    countries.set(c.iso3, info);
    for (const n of all(c.names)) add(n, { kind: "country", iso3: c.iso3, name: c.name, pattern: n });
    const a = aliases.countries[c.iso3];
    if (a?.abbr_zh) abbrZh.set(a.abbr_zh, c.iso3);
    for (const n of all(a?.names)) add(n, { kind: "country", iso3: c.iso3, name: c.name, pattern: n });
    for (const n of all(a?.sides)) add(n, { kind: "country", iso3: c.iso3, name: c.name, sector: "GOV", side: true, pattern: n });
    const capNames = [...new Set([...(c.capital ? [c.capital] : []), ...all(a?.capital?.names)])];
    if (capNames.length) {
      const place: PlaceEntry = { id: `place:capital:${c.iso3}`, name: a?.capital?.names.en?.[0] ?? c.capital ?? capNames[0]!, country: c.iso3, capitalOf: c.iso3 };
      if (a?.capital?.geo) place.geo = a.capital.geo;
      info.capital = place;
      places.push(place);
      // Only curated capitals (with several languages) act as government metonyms.
      const metonym = !!a?.capital;
      for (const n of capNames) {
        if (/^(the )?(white house|kremlin)$/i.test(n) || /白宫|克里姆林宫|Nhà Trắng|Điện Kremlin|Кремль|백악관|크렘린/u.test(n)) {
          add(n, { kind: "capital", iso3: c.iso3, name: c.name, place: { ...place, name: n }, pattern: n });
        } else if (metonym) add(n, { kind: "capital", iso3: c.iso3, name: c.name, place, pattern: n });
        else add(n, { kind: "place", place, pattern: n });
      }
    }
  }
  for (const p of peopleFile.people) for (const n of all(p.names)) add(n, { kind: "person", person: p, pattern: n });
  for (const o of igos.igos) for (const n of all(o.names)) add(n, { kind: "igo", org: o.org, name: o.name, pattern: n });
  for (const p of placesFile.places) {
    const { names, ...entry } = p as PlaceEntry & { names: Names };
    places.push(entry);
    for (const n of all(names)) add(n, { kind: "place", place: entry, pattern: n });
  }
  matcher.build();
  gaz = { matcher, countries, abbrZh, people: peopleFile.people, places, userDict: [...new Set(userDict)] };
  return gaz;
}

const lexicons = new Map<string, { lex: Lexicon; matcher: AhoCorasick<LexPayload>; regexes: { re: RegExp; entry: TriggerEntry }[] } | null>();

export function availableLanguages(): string[] {
  return readdirSync(dataUrl("lexicon/")).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
}

export function lexicon(lang: string): { lex: Lexicon; matcher: AhoCorasick<LexPayload>; regexes: { re: RegExp; entry: TriggerEntry }[] } | null {
  if (lexicons.has(lang)) return lexicons.get(lang)!;
  let lex: Lexicon;
  try { lex = readJson<Lexicon>(`lexicon/${lang}.json`); } catch { lexicons.set(lang, null); return null; }
  const matcher = new AhoCorasick<LexPayload>();
  const regexes: { re: RegExp; entry: TriggerEntry }[] = [];
  const n = (s: string) => normalizeForMatch(s.normalize("NFC"), lang);
  for (const t of lex.triggers) {
    if (t.p) matcher.add(n(t.p), { kind: "trigger", entry: t, pattern: t.p });
    else if (t.re) regexes.push({ re: new RegExp(lang === "vi" ? t.re.replace(/[\p{L}\p{M}]+/gu, (w) => normVietSyllable(w.normalize("NFC"))) : t.re, "gu"), entry: t });
  }
  for (const t of lex.titles) matcher.add(n(t.p), { kind: "title", entry: t, pattern: t.p });
  for (const [marker, list] of Object.entries(lex.markers)) {
    if (!Array.isArray(list)) continue;
    for (const p of list) matcher.add(n(p), { kind: "marker", marker, pattern: p });
  }
  for (const p of lex.nonActorAfter ?? []) matcher.add(n(p), { kind: "nonActor", pattern: p });
  matcher.build();
  const v = { lex, matcher, regexes };
  lexicons.set(lang, v);
  return v;
}

export interface CameoRow { cameo: string; quad: number; intensity: number }
let cameoTable: { version: string; types: Record<string, CameoRow & { modes: Record<string, Partial<CameoRow>> }> } | undefined;
export function cameoOf(type: string, mode?: string): CameoRow & { version: string } {
  cameoTable ??= readJson("plover-cameo.json");
  const t = cameoTable!.types[type];
  if (!t) return { cameo: "010", quad: 1, intensity: 0, version: cameoTable!.version };
  const m = mode ? t.modes[mode] : undefined;
  return { cameo: m?.cameo ?? t.cameo, quad: m?.quad ?? t.quad, intensity: m?.intensity ?? t.intensity, version: cameoTable!.version };
}
export function cameoVersion(): string { cameoTable ??= readJson("plover-cameo.json"); return cameoTable!.version; }

/** Resolve a person to the role held at a date (YYYY, YYYY-MM or YYYY-MM-DD). */
export function roleAt(p: PersonEntry, date: string): Role | undefined {
  const d = date.length === 4 ? `${date}-07-01` : date.length === 7 ? `${date}-15` : date;
  return p.roles.find((r) => (!r.from || r.from <= d) && (!r.to || d <= r.to));
}
