/**
 * The extract stage's pure core: cleaned article -> events (who did what to whom, when, where).
 *
 * Per sentence: gazetteer matches (Aho-Corasick over normalised text) become actor units
 * (country + title + person merged), lexicon matches give triggers and function markers,
 * sentence structure gives direction (subject before the trigger, marked targets such as
 * 对X/向X/với X/with X, objects after it), modality and the date nearest to the trigger.
 * Mentions of one real-world event within the article are merged at the end.
 */
import type { CleanedArticle } from "@tidings/shared/article";
import type { Actor, EventDate, EventLocation, EventType, Evidence, ExtractedEvent, Modality, TranslationInfo } from "@tidings/shared/model";
import { EVENT_TYPES } from "@tidings/shared/model";
import { eventIdOf } from "@tidings/shared/ids";
import { cameoOf, gazetteer, lexicon, roleAt, type GazPayload, type Lexicon, type PersonEntry, type PlaceEntry, type TitleEntry, type TriggerEntry } from "./data.ts";
import { datesCompatible, findDates, type DateMention } from "./dates.ts";
import { isCjk, isHangul, isLetterAt, normalizeForMatch } from "./normalize.ts";
import { splitSentences, type Sentence } from "./sentences.ts";
import { tokenBoundaries } from "./jieba.ts";

export interface ExtractInput {
  article: CleanedArticle;
  source: { id: string; url: string; published?: string };
  translation?: TranslationInfo;
}

interface Span { start: number; end: number }
interface Trig extends Span { entry: TriggerEntry }
interface Marker extends Span { marker: string }
interface TitleM extends Span { entry: TitleEntry }
interface GazM extends Span { p: GazPayload }

interface Unit extends Span {
  country: string; org?: string; name: string; id: string; sector?: string;
  kind: "country" | "capital" | "person" | "igo" | "abbr" | "pronoun" | "learned";
  specific: boolean; person?: PersonEntry; place?: PlaceEntry;
  loc?: boolean; obj?: boolean; com?: boolean; tgt?: boolean; paren?: boolean; attr?: boolean; poss?: boolean; nonActor?: boolean; quoteOwner?: boolean; anaphoric?: boolean;
}
interface PlaceM extends Span { place: PlaceEntry; country?: string }

/** One event as read from one sentence, before merging. */
export interface Candidate {
  type: EventType; mode?: string; sources: Unit[]; targets: Unit[];
  date: EventDate; explicitDate: boolean; dateStrength: number; location?: EventLocation; modality: Modality; confidence: number;
  sentence: Sentence; triggerText: string; embedded: boolean;
  /** No date mention reached this trigger: dated later by the story date (or publication date). */
  undated?: boolean;
}

interface DocState {
  lang: string; published: string;
  lastSources: Unit[]; lastConsult: Unit[]; lastPerson?: Unit[];
  /** The last explicit date of the sentences before, as known so far: read it through lastExplicitDate(). */
  lastExplicit?: DateMention;
  /** Sentences after the one lastExplicit came from whose dates were not looked for yet (oldest first). */
  undatedSentences?: { norm: string; orig: string }[];
  learned: Map<string, Unit>; candidates: Candidate[]; titleUnits: Map<string, Unit>;
  debugActors?: Unit[][];
}

const CJK_LANGS = new Set(["zh", "ja"]);
/** Reactions whose object may be an event rather than an actor ("condemned the launch"). */
const REACTIVE = new Set(["ACCUSE", "REQUEST", "THREATEN", "PROTEST"]);

function markerList(lex: Lexicon, name: string): string[] {
  const v = lex.markers[name];
  return Array.isArray(v) ? v : [];
}

/** Drop overlapping spans, preferring longer then earlier. */
function longestNonOverlapping<T extends Span>(items: T[]): T[] {
  // Most sentences have none or one of a kind: nothing to choose between.
  if (items.length < 2) return items.slice();
  const sorted = [...items].sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const taken: Span[] = [];
  const out: T[] = [];
  for (const it of sorted) {
    if (taken.some((t) => it.start < t.end && t.start < it.end)) continue;
    taken.push(it); out.push(it);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whole-word check for alphabetic scripts; case check where the pattern is capitalised. */
/** Whether a name may start at `i`: not a letter right after a letter (CJK characters are no letters here). */
function nameMayStart(norm: string, i: number): boolean {
  return !(isLetterAt(norm, i) && isLetterAt(norm, i - 1));
}

function boundaryOk(norm: string, orig: string, start: number, end: number, pattern: string, lang: string, bounds?: Set<number>): boolean {
  const first = norm[start]; const last = norm[end - 1];
  // (isLetter is false for CJK characters and kana; isLetterAt is isLetter of a code unit, cached.)
  if (isLetterAt(norm, start) && isLetterAt(norm, start - 1)) return false;
  if (isLetterAt(norm, end - 1) && !isHangul(last) && isLetterAt(norm, end)) return false;
  if (isCjk(first) && bounds && end - start <= 2 && CJK_LANGS.has(lang)) {
    if (!bounds.has(start) && !bounds.has(end)) return false;
  }
  const pFirst = pattern.trim()[0] ?? "";
  const oFirst = orig[start] ?? "";
  if (/\p{Lu}/u.test(pFirst) && /\p{L}/u.test(oFirst) && !/\p{Lu}/u.test(oFirst) && lang !== "de") {
    if (/^\p{Lu}[\p{Lu}.]+$/u.test(pattern)) return false;
    if (!/^(the|phía|điện|đại|bộ|bán|dải|sân|tỉnh)\b/iu.test(pattern)) return false;
  }
  if (/^\p{Lu}[\p{Lu}.]+$/u.test(pattern) && orig.slice(start, end) !== pattern) return false;
  return true;
}

/**
 * A language's one-character country abbreviations (normalised; for Chinese the gazetteer's) and,
 * when there are any, the pattern of their runs (`[朝俄中韩]{1,4}`): both made once per language.
 */
interface Abbreviations { map: Map<string, string>; runs?: RegExp }
const abbreviationsByLang = new Map<string, Abbreviations>();
function abbreviationsOf(lex: Lexicon, lang: string, abbrZh: Map<string, string>): Abbreviations {
  let a = abbreviationsByLang.get(lang);
  if (!a) {
    const map = lex.abbr ? new Map(Object.entries(lex.abbr).map(([k, v]) => [normalizeForMatch(k, lang), v])) : lang === "zh" ? abbrZh : new Map<string, string>();
    a = { map, ...(map.size ? { runs: new RegExp(`[${[...map.keys()].join("")}]{1,4}`, "gu") } : {}) };
    abbreviationsByLang.set(lang, a);
  }
  return a;
}

function gapText(norm: string, a: number, b: number): string { return a < b ? norm.slice(a, b) : ""; }

function isGapOnly(gap: string, allowed: string[]): boolean {
  let g = gap.replace(/[(（][^()（）]*[)）]/gu, "").replace(/[\s"'“”‘’«»]/gu, "");
  if (!g) return true;
  for (const a of [...allowed].sort((x, y) => y.length - x.length)) g = g.split(a.toLowerCase()).join("");
  return g.replace(/[\s,，、]/gu, "") === "";
}

/**
 * Text read for events, at most (characters). News articles are far shorter; a longer "article"
 * (a feed dump, hostile input) is read only this far, so one job cannot block a worker for long.
 */
export const MAX_EXTRACT_CHARS = 30_000;

/** The paragraphs up to MAX_EXTRACT_CHARS, in order (a prefix, so offsets into the text stay valid). */
function readablePart(paragraphs: string[]): string[] {
  let total = 0;
  const out: string[] = [];
  for (const p of paragraphs) {
    if (total + p.length > MAX_EXTRACT_CHARS) {
      const room = MAX_EXTRACT_CHARS - total;
      if (room > 0) out.push(p.slice(0, room));
      break;
    }
    out.push(p);
    total += p.length + 2;
  }
  return out;
}

export function extractCandidates(input: ExtractInput): Candidate[] {
  const { article } = input;
  const lang = (article.language || "und").toLowerCase().slice(0, 2);
  const published = (input.source.published ?? article.published ?? new Date().toISOString()).slice(0, 10);
  const lx = lexicon(lang) ?? lexicon("en");
  if (!lx) return [];
  const paragraphs = readablePart(article.paragraphs?.length ? article.paragraphs : article.text.split(/\n\n/));
  const sentences = splitSentences(paragraphs, lang);
  const state: DocState = { lang, published, lastSources: [], lastConsult: [], learned: new Map(), candidates: [], titleUnits: new Map() };
  const quotes = quoteSpans(article.text);
  for (const s of sentences) processSentence(s, lx, state, quotes, article.text);
  // Undated reports belong to the story's own day: the first explicit day date that an event
  // sentence gives within a week before publication ("on Wednesday", 周三（13日）), else publication.
  const pubDay = dayNum(published);
  const story = state.candidates.find((c) => c.explicitDate && c.date.precision === "day" && pubDay - dayNum(c.date.value) >= 0 && pubDay - dayNum(c.date.value) <= 7);
  if (story) for (const c of state.candidates) if (c.undated) c.date = { value: story.date.value, precision: "day" };
  return state.candidates;
}

/** Quoted speech spans (long quotes only; short ones are scare quotes) with the speaker search windows. */
function quoteSpans(text: string): Span[] {
  const out: Span[] = [];
  const re = /“([^”]{25,}?)(”|$)|"([^"\n]{25,}?)"|«([^»]{25,}?)»|「([^」]{25,}?)」/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

const normalizedLists = new WeakMap<Lexicon, Map<string, string[]>>();
/** A lexicon list normalised for matching, once per lexicon and language (shared: never mutate). */
function normalizedList(lex: Lexicon, lang: string, name: string, list: string[]): string[] {
  let byName = normalizedLists.get(lex);
  if (!byName) { byName = new Map(); normalizedLists.set(lex, byName); }
  const key = `${lang}\u0000${name}`;
  let v = byName.get(key);
  if (!v) { v = list.map((x) => normalizeForMatch(x, lang)); byName.set(key, v); }
  return v;
}

/** Per-sentence function markers by name, each list in sentence order. */
function markersByName(mk: Marker[]): Map<string, Marker[]> {
  const by = new Map<string, Marker[]>();
  for (const m of mk) { const l = by.get(m.marker); if (l) l.push(m); else by.set(m.marker, [m]); }
  return by;
}
const NO_MARKERS: Marker[] = [];
/** The sentence's markers of one kind (shared: never mutate). */
function hasM(by: Map<string, Marker[]>, name: string): Marker[] { return by.get(name) ?? NO_MARKERS; }
function inSpan(u: Span, spans: Span[]): boolean { return spans.some((p) => u.start >= p.start && u.end <= p.end); }
function precededBy(by: Map<string, Marker[]>, norm: string, u: Span, name: string, allowed: string[] = []): boolean {
  return hasM(by, name).some((m) => m.end <= u.start && isGapOnly(gapText(norm, m.end, u.start), allowed) && u.start - m.end <= 6);
}
function groupOfIn(groups: Unit[][], u: Unit): Unit[] { return groups.find((g) => g.includes(u))!; }
function winM(by: Map<string, Marker[]>, name: string, t: Span, clauseStart: number, lang: string, maxGap: number): boolean {
  return hasM(by, name).some((m) => m.end <= t.start && t.start - m.end <= maxGap && m.start >= clauseStart - (lang === "zh" ? 0 : 40));
}
function tailM(by: Map<string, Marker[]>, verbFinal: boolean, name: string, t: Span, nextStart: number): boolean {
  return verbFinal && hasM(by, name).some((m) => m.start >= t.end && m.start - t.end <= 10 && m.start < nextStart);
}
function usableFor(u: Unit, isConsult: boolean): boolean { return !u.loc && !u.tgt && !u.poss && !u.obj && (isConsult || !u.com); }

/** Quoted speech by someone who is not a political actor (an analyst) is not an event report. `abs`: offset in the text. */
function quotedByNonActor(abs: number, quotes: Span[], fullText: string, lang: string, gz: ReturnType<typeof gazetteer>, lx: NonNullable<ReturnType<typeof lexicon>>, speaker: Unit[] | undefined): boolean {
  const q = quotes.find((q) => abs >= q.start && abs < q.end);
  if (!q) return false;
  const lead = fullText.slice(Math.max(0, q.start - 30), q.start);
  const tail = fullText.slice(q.end, q.end + 20);
  const leadN = normalizeForMatch(lead, lang); const tailN = normalizeForMatch(tail, lang);
  if (/专家|学者|分析人士|研究员|chuyên gia|analyst|expert/u.test(leadN)) return true;
  return !(quoteHit(leadN.slice(-20), gz, lx) || quoteHit(tailN.slice(0, 12), gz, lx) || (speaker && speaker.length > 0));
}
function quoteHit(t: string, gz: ReturnType<typeof gazetteer>, lx: NonNullable<ReturnType<typeof lexicon>>): boolean {
  for (const m of gz.matcher.search(t)) if (m.payload.kind !== "place") return true;
  for (const m of lx.matcher.search(t)) if (m.payload.kind === "title" && m.payload.entry.home && lx.lex.home) return true;
  return false;
}

/**
 * What the phases of processSentence share: the sentence, its normalised text and the matches of
 * the gazetteer and the lexicon in it, with the lexicon's per-language lists. processSentence was
 * one 500-line function; split in phases, each is compiled on its own (V8 spent over a second of
 * background CPU on every optimisation of the whole, three or four times a process).
 */
interface SentenceScan {
  s: Sentence; lx: NonNullable<ReturnType<typeof lexicon>>; lex: Lexicon; st: DocState; lang: string;
  orig: string; norm: string; gz: ReturnType<typeof gazetteer>;
  gazM: GazM[]; trigs: Trig[]; titles: TitleM[]; mkBy: Map<string, Marker[]>; nonActor: Span[]; abbrMap: Map<string, string>;
  conj: string[]; targetAfter: string[]; subjectAfter: string[]; verbFinal: boolean; comitativeAfter: string[]; clauseSubjectAfter: string[];
}

type ValidTrig = { t: Trig; embedded: boolean; modality: Modality; setting?: boolean };

function processSentence(s: Sentence, lx: NonNullable<ReturnType<typeof lexicon>>, st: DocState, quotes: Span[], fullText: string): void {
  const c = scanSentence(s, lx, st);
  const { placesM, merged } = actorUnits(c);
  const { actors, groups } = sentenceActors(c, placesM, merged);
  const { reports, speaker } = sentenceSpeaker(c, actors, groups);
  const { coordOrReport, validTrigs } = validTriggers(c, reports, speaker, quotes, fullText);
  const { norm, orig, lang } = c;

  // --- dates: only a sentence with a trigger needs its own now (date parsing was a fifth of the
  // stage's time); the others are parsed later, and only if a later sentence asks for the last
  // explicit date before it (lastExplicitDate).
  const dates = validTrigs.length > 0 ? findDates(norm, orig, lang, st.published) : undefined;
  // Each date goes to the nearest trigger.
  const dateOf = new Map<Trig, DateMention>();
  for (const d of dates ?? []) {
    let best: Trig | undefined; let bestDist = Infinity;
    for (const { t } of validTrigs) {
      const dist = d.end <= t.start ? t.start - d.end : d.start >= t.end ? d.start - t.end + 0.5 : 0;
      if (dist < bestDist) { bestDist = dist; best = t; }
    }
    if (best && !dateOf.has(best)) dateOf.set(best, d);
  }
  sentenceEvents(c, { placesM, merged, actors, groups, reports, speaker, coordOrReport, validTrigs, dateOf });
  if (dates) {
    const explicit = dates.filter((d) => !d.vague);
    if (explicit.length) { st.lastExplicit = explicit[explicit.length - 1]; st.undatedSentences = undefined; }
  } else (st.undatedSentences ??= []).push({ norm, orig });
  if (speaker?.length && !validTrigs.length) st.lastSources = speaker;
  if (speaker?.some((u) => u.kind === "person" || u.kind === "learned")) st.lastPerson = speaker;
}

/** The sentence normalised, and what the gazetteer and the lexicon find in it. */
function scanSentence(s: Sentence, lx: NonNullable<ReturnType<typeof lexicon>>, st: DocState): SentenceScan {
  const { lex } = lx;
  const lang = st.lang;
  const orig = s.text.normalize("NFC").length === s.text.length ? s.text.normalize("NFC") : s.text;
  const norm = normalizeForMatch(orig, lang);
  const bounds = CJK_LANGS.has(lang) ? tokenBoundaries(norm) : undefined;
  const gz = gazetteer();

  // --- raw matches
  const gazRaw: GazM[] = [];
  // Only where a name may start (boundaryOk's first rule): the others would all be dropped.
  for (const m of gz.matcher.searchWhereStarts(norm, nameMayStart)) {
    if (!boundaryOk(norm, orig, m.start, m.end, m.payload.pattern, lang, bounds)) continue;
    gazRaw.push({ start: m.start, end: m.end, p: m.payload });
  }
  const suffixMarkers = markerList(lx.lex, "suffixMarkers");
  const trigRaw: Trig[] = []; const markers: Marker[] = []; const titlesRaw: TitleM[] = []; const nonActor: Span[] = [];
  for (const m of lx.matcher.search(norm)) {
    const pl = m.payload;
    const pat = pl.pattern;
    const suffix = pl.kind === "marker" && suffixMarkers.includes(pl.marker);
    if (!boundaryOkLex(norm, m.start, m.end, lang, bounds, pl.kind === "marker" || pl.kind === "title", suffix)) continue;
    if (pl.kind === "trigger") trigRaw.push({ start: m.start, end: m.end, entry: pl.entry });
    else if (pl.kind === "marker") markers.push({ start: m.start, end: m.end, marker: pl.marker });
    else if (pl.kind === "title") { if (boundaryOk(norm, orig, m.start, m.end, pat, lang)) titlesRaw.push({ start: m.start, end: m.end, entry: pl.entry }); }
    else nonActor.push({ start: m.start, end: m.end });
  }
  for (const { re, entry } of lx.regexes) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(norm))) { trigRaw.push({ start: m.index, end: m.index + m[0].length, entry }); if (!m[0].length) re.lastIndex++; }
  }
  // One-character country abbreviations: 朝俄, 中韩, 美日韩, 对俄, 访朝 (zh); 日米韓 (ja, from the lexicon's `abbr`).
  const abbr: GazM[] = [];
  const { map: abbrMap, runs: re } = abbreviationsOf(lx.lex, lang, gz.abbrZh);
  if (re) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(norm))) {
      const run = m[0]; const a = m.index; const b = a + run.length;
      if (new Set(run).size !== run.length) continue;
      const before = norm[a - 1] ?? ""; const after = norm[b] ?? "";
      if (/[国方罗鲜本军语文籍裔侨人元洲克兰南亚军]/u.test(after) && run.length === 1) continue;
      if (/[国罗鲜本洲克兰南亚]/u.test(after)) continue;
      if (run.length === 1 && (lang !== "zh" || !/[对向与同访赴援抗驻和跟]/u.test(before))) continue;
      if (run.startsWith("日") && /[\d今昨明当次每本周节生月]/u.test(before)) continue;
      if (run.length > 1 && bounds && !bounds.has(a) && isCjk(before) && !/[对向与同访赴援抗驻和跟在的、,は]/u.test(before)) continue;
      for (let i = 0; i < run.length; i++) {
        const iso = abbrMap.get(run[i]!)!;
        abbr.push({ start: a + i, end: a + i + 1, p: { kind: "country", iso3: iso, name: gz.countries.get(iso)?.name ?? iso, pattern: run[i]! } });
      }
    }
  }
  if (lang === "zh") {
    // 华 stands for China only in fixed compounds: 驻华, 访华, 来华, 赴华, 援华, 对华
    for (const m of norm.matchAll(/(?<=[驻访来赴援对])华(?![盛侨人裔文语东西南北中])/gu)) abbr.push({ start: m.index!, end: m.index! + 1, p: { kind: "country", iso3: "CHN", name: "China", pattern: "华" } });
  }
  const gazM = longestNonOverlapping([...gazRaw, ...abbr.filter((x) => !gazRaw.some((g) => x.start < g.end && g.start < x.end))]);
  const trigs = longestNonOverlapping(trigRaw).filter((t) => !gazM.some((g) => t.start < g.end && g.start < t.end));
  const titles = longestNonOverlapping(titlesRaw).filter((t) => !gazM.some((g) => t.start < g.end && g.start < t.end) && !trigs.some((g) => t.start < g.end && g.start < t.end));
  const mk = longestNonOverlapping(markers).filter((t) => !trigs.some((g) => t.start < g.end && g.start < t.end) && !gazM.some((g) => t.start < g.end && g.start < t.end));
  const mkBy = markersByName(mk);
  const conj = markerList(lex, "conj");
  const targetAfter = normalizedList(lex, lang, "targetAfter", lex.targetAfter ?? []);
  const subjectAfter = normalizedList(lex, lang, "subjectAfter", markerList(lex, "subjectAfter"));
  const verbFinal = lex.markers.verbFinal === true;
  const comitativeAfter = normalizedList(lex, lang, "comitativeAfter", markerList(lex, "comitativeAfter"));
  const clauseSubjectAfter = normalizedList(lex, lang, "clauseSubjectAfter", markerList(lex, "clauseSubjectAfter"));
  return { s, lx, lex, st, lang, orig, norm, gz, gazM, trigs, titles, mkBy, nonActor, abbrMap, conj, targetAfter, subjectAfter, verbFinal, comitativeAfter, clauseSubjectAfter };
}

/** Places, and actor units: countries, capitals, organisations and people, merged with their titles. */
function actorUnits(c: SentenceScan): { placesM: PlaceM[]; merged: Unit[] } {
  const { lex, st, lang, orig, norm, gz, gazM, titles, mkBy, abbrMap } = c;
  // --- places and actor units
  const placesM: PlaceM[] = [];
  const units: Unit[] = [];
  const sentenceDate = st.published;
  for (const g of gazM) {
    const p = g.p;
    if (p.kind === "place") { placesM.push({ start: g.start, end: g.end, place: p.place, country: p.place.country }); continue; }
    const base = { start: g.start, end: g.end };
    if (p.kind === "country") units.push({ ...base, country: p.iso3, name: p.name, id: `country:${p.iso3}`, sector: p.sector, kind: p.pattern.length === 1 && abbrMap.size ? "abbr" : "country", specific: !!p.side });
    else if (p.kind === "capital") units.push({ ...base, country: p.iso3, name: p.name, id: `country:${p.iso3}`, sector: "GOV", kind: "capital", specific: true, place: p.place });
    else if (p.kind === "igo") units.push({ ...base, country: "IGO", org: p.org, name: p.name, id: `igo:${p.org}`, kind: "igo", specific: true });
    else if (p.kind === "person") {
      const role = roleAt(p.person, sentenceDate);
      units.push({ ...base, country: p.person.country, org: p.person.org, name: p.person.name, id: p.person.id, sector: role?.sector ?? "ELI", kind: "person", specific: true, person: p.person });
    }
  }
  // Names learned earlier in the article ("Thứ trưởng Quốc phòng Hàn Quốc Park Jae-min" -> Park Jae-min is KOR).
  for (const [name, u] of st.learned) {
    const n = normalizeForMatch(name, lang);
    let i = norm.indexOf(n);
    while (i >= 0) {
      const e = i + n.length;
      if (!units.some((x) => i < x.end && x.start < e) && boundaryOk(norm, orig, i, e, name, lang)) units.push({ ...u, start: i, end: e, kind: "learned" });
      i = norm.indexOf(n, e);
    }
  }
  units.sort((a, b) => a.start - b.start);

  // Merge titles/ambassador constructions into units.
  const titleAnaphora = lex.markers.titleAnaphora === true;
  const titleAfter = lex.markers.titlesAfter === true; const titleBefore = lex.markers.titlesBefore === true;
  const merged: Unit[] = [];
  const usedTitles = new Set<TitleM>();
  for (let i = 0; i < units.length; i++) {
    const u = { ...units[i]! };
    // X驻Y大使(馆): the envoy of X; Y is only where it sits.
    const amb = lang === "zh" && norm[u.end] === "驻" ? { start: u.end, end: u.end + 1, marker: "ambassador" } : hasM(mkBy, "ambassador").find((m) => m.start >= u.end && isGapOnly(gapText(norm, u.end, m.start), []));
    if (amb) {
      const host = units[i + 1];
      if (host && host.start >= amb.end && isGapOnly(gapText(norm, amb.end, host.start), [])) {
        u.end = host.end; u.sector = "GOV"; u.specific = true; i++;
      }
    }
    if (titleAfter) {
      let extended = true;
      while (extended) {
        extended = false;
        const t = titles.find((t) => !usedTitles.has(t) && !t.entry.before && t.start >= u.end && isGapOnly(gapText(norm, u.end, t.start), ["的", "'s", "’s", "của", "の"]) && t.start - u.end <= 3);
        if (t) { usedTitles.add(t); u.end = t.end; if (t.entry.s) u.sector = u.kind === "person" ? u.sector : t.entry.s; u.specific = true; extended = true; if (titleAnaphora) st.titleUnits.set(t.entry.p, u); }
      }
    }
    if (titleBefore) {
      let ext = true;
      while (ext) {
        ext = false;
        const t = [...titles].reverse().find((t) => !usedTitles.has(t) && t.end <= u.start && isGapOnly(gapText(norm, t.end, u.start), []) && u.start - t.end <= 2);
        if (t) { usedTitles.add(t); u.start = t.start; if (t.entry.s && u.kind !== "person") u.sector = t.entry.s; u.specific = true; ext = true; if (titleAnaphora) st.titleUnits.set(t.entry.p, u); }
      }
    }
    const prev = merged[merged.length - 1];
    // title + country + person ("韩国总统尹锡悦", "Ngoại trưởng Mỹ Antony Blinken"): one unit, the person's identity.
    if (prev && prev.end <= u.start && isGapOnly(gapText(norm, prev.end, u.start), []) && u.start - prev.end <= 1 &&
        ((u.kind === "person" || u.kind === "learned") !== (prev.kind === "person" || prev.kind === "learned")) && (prev.country === u.country || u.kind === "learned" || prev.kind === "learned")) {
      const person = u.kind === "person" || u.kind === "learned" ? u : prev;
      const other = person === u ? prev : u;
      merged[merged.length - 1] = { ...person, start: prev.start, end: u.end, country: person.kind === "learned" && person.country === "" ? other.country : person.country, sector: person.sector ?? other.sector, specific: true };
      continue;
    }
    merged.push(u);
  }
  // A bare domestic institution (외교부, 政府 in a Korean/Japanese paper) is the home country's; a bare title used
  // earlier with a country (지노비예프 대사 after 주한 러시아 대사) is that same office holder.
  const home = lex.home;
  for (const t of titles) {
    if (usedTitles.has(t) || merged.some((u) => t.start < u.end && u.start < t.end)) continue;
    const prior = titleAnaphora ? st.titleUnits.get(t.entry.p) : undefined;
    const country = t.entry.home && home ? home : prior?.country;
    if (!country) continue;
    let end = t.end;
    for (const x of titles) if (x.start >= end && x.start - end <= 1 && isGapOnly(gapText(norm, end, x.start), [])) { usedTitles.add(x); end = x.end; }
    merged.push({ start: t.start, end, country, name: gz.countries.get(country)?.name ?? country, id: `country:${country}`, sector: t.entry.s ?? prior?.sector, kind: "country", specific: true });
  }
  merged.sort((a, b) => a.start - b.start);
  // Title + country (+ capitalised name) in Latin-script languages: learn the name.
  if (!CJK_LANGS.has(lang)) {
    for (const u of merged) {
      if (!u.specific || u.kind === "person" || u.kind === "learned") continue;
      const rest = orig.slice(u.end);
      const m = /^\s+((?:[A-Z\u00C0-\u024F\u1E00-\u1EFF][\p{Ll}\p{M}]+(?:-[\p{L}]+)?\s?){1,3})/u.exec(rest);
      if (m && !/^(Tại|Tai|Và|Cho|Trong|At|In|On|And|The|Ngày|Hôm)\b/u.test(m[1]!)) {
        const name = m[1]!.trim();
        if (name.split(/\s+/).length >= 2) {
          const learned: Unit = { ...u, start: 0, end: 0, name, id: `name:${name.toLowerCase().replace(/\s+/g, "-")}`, kind: "learned", specific: true };
          st.learned.set(name, learned);
          const parts = name.split(/\s+/);
          const last = parts[parts.length - 1]!;
          if (last.length > 3 && !/-/.test(name)) st.learned.set(last, learned); // Western surname ("Fomin")
          u.end += m[0].trimEnd().length;
        }
      }
    }
  }
  // Pronouns.
  for (const m of [...hasM(mkBy, "pronounThird"), ...hasM(mkBy, "pronounSpeaker"), ...hasM(mkBy, "pronounBoth")]) {
    if (merged.some((u) => m.start < u.end && u.start < m.end)) continue;
    merged.push({ start: m.start, end: m.end, country: "", name: norm.slice(m.start, m.end), id: m.marker, kind: "pronoun", specific: false });
  }
  merged.sort((a, b) => a.start - b.start);
  return { placesM, merged };
}

/** The units that can act (not in parentheses, attributions or place names), in coordinated groups. */
function sentenceActors(c: SentenceScan, placesM: PlaceM[], merged: Unit[]): { actors: Unit[]; groups: Unit[][] } {
  const { lex, st, lang, norm, trigs, mkBy, nonActor, conj, targetAfter, comitativeAfter } = c;
  // --- flags
  const parens: Span[] = [];
  { const re = /[(（][^()（）]*[)）]/gu; let m: RegExpExecArray | null; while ((m = re.exec(norm))) parens.push({ start: m.index, end: m.index + m[0].length }); }
  const locSpans: Span[] = [];
  for (const m of hasM(mkBy, "locative")) {
    if (lang === "zh") {
      const rest = norm.slice(m.end);
      const stop = rest.search(/[上内里时,，。;；]|期间|之际|举行|进行/u);
      let end = m.end + (stop < 0 ? Math.min(rest.length, 12) : stop);
      const nextT = trigs.find((t) => t.start >= m.end);
      if (nextT && nextT.start < end) end = nextT.start;
      locSpans.push({ start: m.end, end });
    } else {
      const next = merged.find((u) => u.start >= m.end) ; const nextP = placesM.find((p) => p.start >= m.end);
      const cands = [next, nextP].filter((x): x is Unit | PlaceM => !!x && isGapOnly(gapText(norm, m.end, x.start), ["the", "thủ đô", "thành phố", "thủ phủ"]));
      for (const c of cands) locSpans.push({ start: m.end, end: c.end });
    }
  }
  const attrSpans: Span[] = [];
  for (const m of hasM(mkBy, "attribution")) {
    const rest = norm.slice(m.end);
    const stop = rest.search(/[,，:：]|报导|报道|消息|称|表示/u);
    attrSpans.push({ start: m.start, end: m.end + (stop < 0 ? rest.length : stop) });
  }
  for (const u of merged) {
    u.paren = inSpan(u, parens);
    u.attr = inSpan(u, attrSpans);
    u.loc = inSpan(u, locSpans) && u.kind !== "person" && u.kind !== "learned" && u.kind !== "pronoun";
    if (u.kind === "capital" && u.loc) u.nonActor = true;
    // A country followed by one of its places is part of a place name (美国纽约, 俄罗斯阿穆尔州).
    const pl = placesM.find((p) => p.start >= u.end && p.start - u.end <= 1 && p.country === u.country);
    if (pl && (u.kind === "country") && !u.specific) { u.loc = true; u.nonActor = true; }
    if (nonActor.some((n) => n.start >= u.end && n.start - u.end <= 6 && !/[,，、和与]/u.test(gapText(norm, u.end, n.start)))) u.nonActor = true;
    u.com = precededBy(mkBy, norm, u, "comitative");
    u.tgt = precededBy(mkBy, norm, u, "targetPrep", ["the"]);
    u.poss = precededBy(mkBy, norm, u, "possessive", ["the"]);
    // "首尔作为美国的伙伴": a predicate nominal, not an actor
    if (/(作为|身为)$/u.test(norm.slice(Math.max(0, u.start - 2), u.start))) u.nonActor = true;
    // Postpositional languages mark the object after the noun (러시아 대사를 초치했다, 北朝鮮に抗議した)
    if (targetAfter.length || comitativeAfter.length) {
      const rest = norm.slice(u.end).replace(/^\s/u, "");
      if (targetAfter.some((x) => rest.startsWith(x))) u.tgt = true;
      if (comitativeAfter.some((x) => rest.startsWith(x))) u.com = true;
    }
  }
  let actors = merged.filter((u) => !u.paren && !u.attr && !u.nonActor);
  // a unit right after a trigger is its object, not a later subject ("trước chuyến thăm Seoul")
  for (const u of actors) {
    if (trigs.some((t) => t.end <= u.start && u.start - t.end <= 2 && isGapOnly(gapText(norm, t.end, u.start), ["the"]))) u.obj = true;
    // units that modify a setting noun (中日韩峰会期间) are not actors
    if (lang === "zh" && trigs.some((t) => t.start >= u.end && t.start - u.end <= 1 && markerList(lex, "settingAfter").some((x) => norm.startsWith(x, t.end)))) u.nonActor = true;
  }
  for (let k = actors.length - 2; k >= 0; k--) {
    const a = actors[k]!; const b = actors[k + 1]!;
    if (b.nonActor && a.kind === "abbr" && b.start === a.end) a.nonActor = true;
  }
  actors = actors.filter((u) => !u.nonActor);
  st.debugActors?.push(actors.map((u) => finalizeUnit(u, st.published)));

  // --- groups of coordinated units
  const groups: Unit[][] = [];
  for (const u of actors) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    if (g && last && isGapOnly(gapText(norm, last.end, u.start), conj) && u.start - last.end <= 8 && !u.loc && !last.loc) g.push(u);
    else groups.push([u]);
  }
  for (const g of groups) for (const u of g.slice(1)) { u.com = false; u.tgt = false; u.poss = false; }
  for (const g of groups) if (g[0]!.tgt || g[0]!.poss) for (const u of g) { u.tgt = g[0]!.tgt; u.poss = g[0]!.poss; }
  return { actors, groups };
}

/** The sentence's speaker: the unit right before a reporting verb, or the owner of the quote. */
function sentenceSpeaker(c: SentenceScan, actors: Unit[], groups: Unit[][]): { reports: Marker[]; speaker?: Unit[] } {
  const { norm, mkBy, subjectAfter } = c;
  // --- speaker of this sentence: the unit right before a reporting verb, or owner of the quote.
  const reports = hasM(mkBy, "report");
  let speaker: Unit[] | undefined;
  for (const r of reports) {
    const before = actors.filter((u) => u.end <= r.start && u.kind !== "pronoun" && !u.loc && r.start - u.end <= 12);
    if (before.length) { speaker = groupOfIn(groups, before[before.length - 1]!); break; }
  }
  if (!speaker && subjectAfter.length && reports.length) {
    // "대통령실 관계자는 “…”고 말했다": the topic before the reporting verb
    const r = reports[0]!;
    const topical = actors.filter((u) => u.end <= r.start && !u.loc && u.kind !== "pronoun" && subjectAfter.some((x) => norm.slice(u.end).replace(/^\s/u, "").startsWith(x)));
    if (topical.length) speaker = groupOfIn(groups, topical[0]!);
  }
  if (!speaker) {
    // "“…,”柯比说" - speaker after the quote.
    const afterQuote = /[”"」»]\s*,?\s*([^,，。]{1,12}?)(说|称|表示|nói|cho biết|said)/u.exec(norm);
    if (afterQuote) {
      const at = afterQuote.index + afterQuote[0].indexOf(afterQuote[1]!);
      const u = actors.find((x) => x.start >= at && x.end <= at + afterQuote[1]!.length);
      if (u) speaker = [u];
    }
  }
  return { reports, speaker };
}

/** Triggers that report an event here (not settings, nominalisations or anaphors): embedded or not, and their modality. */
function validTriggers(c: SentenceScan, reports: Marker[], speaker: Unit[] | undefined, quotes: Span[], fullText: string): { coordOrReport: Marker[]; validTrigs: ValidTrig[] } {
  const { s, lx, lex, st, lang, norm, gz, gazM, trigs, mkBy, verbFinal } = c;
  // --- triggers: validity, embedding, modality
  const coordOrReport = [...hasM(mkBy, "coord"), ...reports].sort((a, b) => a.start - b.start);
  const validTrigs: ValidTrig[] = [];
  let prevTrig: Trig | undefined;
  for (const t of trigs) {
    const before = norm.slice(Math.max(0, t.start - 8), t.start);
    const after = norm.slice(t.end, t.end + 4);
    if (t.entry.abbrOnly && !gazM.some((g) => g.start === t.end && g.p.pattern.length === 1)) continue;
    if (lang === "zh" && t.end - t.start === 1) continue;
    // settings: "在…峰会期间", "Trong cuộc hội đàm", "during the summit" are backgrounds, not events
    const settingAfter = markerList(lex, "settingAfter").some((x) => after.startsWith(x)) ||
      (lang === "zh" && /^[上中]/u.test(after) && hasM(mkBy, "locative").some((m) => m.end <= t.start && t.start - m.end <= 14));
    const settingBefore = hasM(mkBy, "settingBefore").some((m) => m.end <= t.start && t.start - m.end <= 5 && isGapOnly(gapText(norm, m.end, t.start), ["cuộc", "chuyến", "the", "a", "khi"]));
    if ((settingAfter || settingBefore) && !(t.entry.visit && t.entry.nominal)) {
      prevTrig = t;
      if (t.entry.t === "CONSULT") validTrigs.push({ t, embedded: false, modality: "asserted", setting: true });
      continue;
    }
    // nominalised (…的讨论 / 的承诺) or adjectival (制裁的, 销售武器的): content of something else
    if (lang === "zh" && /的\s*$/u.test(before) && !t.entry.visit) { continue; }
    if (lang === "zh" && /^的/u.test(after)) { continue; }
    if (!t.entry.visit && markerList(lex, "nominalBefore").some((x) => before.trimEnd().endsWith(x))) continue;
    if (markerList(lex, "nominalAfter").some((x) => after.trimStart().startsWith(x))) continue;
    // passive (発射された): the noun before is not the agent; the mention refers to an event already read
    if (markerList(lex, "passiveAfter").some((x) => after.startsWith(x))) { attachAnaphor(t, s, st); continue; }
    if (lang === "vi" && /^\s*này\b/u.test(after)) { attachAnaphor(t, s, st); continue; }
    // "此次对话", "this meeting": a reference back to an event already reported
    if (hasM(mkBy, "anaphorSame").some((m) => m.end <= t.start && t.start - m.end <= 1)) { attachAnaphor(t, s, st); continue; }
    let embedded = false;
    if (prevTrig) {
      const between = coordOrReport.some((m) => m.start >= prevTrig!.end && m.end <= t.start) &&
        !hasM(mkBy, "content").some((m) => m.start >= prevTrig!.end && m.end <= t.start);
      const comma = lang !== "zh" && /[,;]/u.test(norm.slice(prevTrig.end, t.start)) && !/(về|about|over|of)\s/u.test(norm.slice(prevTrig.end, t.start));
      if (!between && !comma) embedded = true;
    }
    if (prevTrig && prevTrig.entry.deny) embedded = true;
    prevTrig = t;
    if (quotedByNonActor(s.start + t.start, quotes, fullText, lang, gz, lx, speaker)) continue;
    // modality
    let modality: Modality = "asserted";
    const clauseStart = Math.max(0, ...[...norm.slice(0, t.start).matchAll(/[,，;；:：]/gu)].map((m) => m.index! + 1));
    const negGap = lang === "zh" ? 8 : 6;
    // verb-final languages put negation and tense after the verb stem (초치하지 않았다, 訪問する予定)
    const nextStart = trigs.find((x) => x.start >= t.end)?.start ?? norm.length;
    if (hasM(mkBy, "neg").some((m) => m.end <= t.start && t.start - m.end <= negGap && m.start >= clauseStart) || tailM(mkBy, verbFinal, "neg", t, nextStart)) modality = "denied";
    else if (tailM(mkBy, verbFinal, "planned", t, nextStart)) modality = "planned";
    else if (t.entry.t !== "THREATEN" && hasM(mkBy, "conditional").some((m) => m.end <= t.start && m.start >= clauseStart && (!verbFinal || t.start - m.end <= 12))) modality = "conditional";
    else if (winM(mkBy, "hypothetical", t, clauseStart, lang, lang === "zh" ? 4 : 14)) modality = "conditional";
    else if (winM(mkBy, "planned", t, clauseStart, lang, lang === "zh" ? 8 : 16)) modality = "planned";
    else if (winM(mkBy, "alleged", t, clauseStart, lang, 20)) modality = "alleged";
    validTrigs.push({ t, embedded, modality });
  }
  return { coordOrReport, validTrigs };
}

/** The candidate events of the sentence's valid triggers: sources, targets, date, place, confidence. */
function sentenceEvents(c: SentenceScan, p: {
  placesM: PlaceM[]; merged: Unit[]; actors: Unit[]; groups: Unit[][]; reports: Marker[]; speaker: Unit[] | undefined;
  coordOrReport: Marker[]; validTrigs: ValidTrig[]; dateOf: Map<Trig, DateMention>;
}): void {
  const { s, st, orig, norm, gz, trigs, mkBy, subjectAfter, verbFinal, clauseSubjectAfter } = c;
  const { placesM, merged, actors, groups, reports, speaker, coordOrReport, validTrigs, dateOf } = p;
  const sentenceHasAnaphorSame = hasM(mkBy, "anaphorSame").length > 0;
  const sentenceHasAnaphorBefore = hasM(mkBy, "anaphorBefore").length > 0;
  let prevSources: Unit[] | undefined;
  let prevDate: DateMention | undefined;
  for (let i = 0; i < validTrigs.length; i++) {
    const { t, embedded, modality, setting } = validTrigs[i]!;
    const type = t.entry.t as EventType;
    if (!EVENT_TYPES.includes(type)) continue;
    const ownDate = dateOf.get(t);
    if (embedded && !(ownDate && Math.abs((ownDate.start >= t.end ? ownDate.start - t.end : t.start - ownDate.end)) <= 30)) continue;
    const isConsult = type === "CONSULT";
    const nextTrig = validTrigs[i + 1]?.t;
    const coordinated = coordOrReport.some((m) => m.start >= (validTrigs[i - 1]?.t.end ?? Infinity) && m.end <= t.start);

    // sources
    const beforeUnits = actors.filter((u) => u.end <= t.start && usableFor(u, isConsult));
    // postpositional subject/topic markers (외교부는, 北朝鮮は) pick the subject even when an object comes first
    const topical = subjectAfter.length ? beforeUnits.filter((u) => subjectAfter.some((x) => norm.slice(u.end).replace(/^\s/u, "").startsWith(x))) : [];
    const lastBefore = topical[topical.length - 1] ?? beforeUnits[beforeUnits.length - 1];
    let sources: Unit[] = [];
    let comTarget: Unit[] = [];
    if (lastBefore && isConsult && lastBefore.com) {
      // "A与B会谈": B is the counterpart, A the subject
      comTarget = groupOfIn(groups, lastBefore);
      const prior = beforeUnits.filter((u) => u.end <= comTarget[0]!.start && !u.com);
      const p = prior[prior.length - 1];
      sources = p ? groupOfIn(groups, p).filter((u) => usableFor(u, isConsult) && !u.com) : [];
    } else if (lastBefore) sources = groupOfIn(groups, lastBefore).filter((u) => usableFor(u, isConsult) && u.end <= t.start);
    // "X said …, and urged Y": a verb coordinated after the report shares the speaker as subject
    if (speaker?.length && t.entry.speech && !isConsult && hasM(mkBy, "coord").some((m) => m.end <= t.start && t.start - m.end <= 2) &&
        reports.some((r) => r.end <= t.start && r.start >= Math.max(...speaker.map((u) => u.end))) && !sources.some((u) => u.kind === "pronoun")) {
      const sp = speaker;
      if (!sources.length || sources.every((u) => u.start > Math.max(...sp.map((x) => x.end)))) sources = sp;
    }
    if (sources.length === 1 && sources[0]!.kind === "pronoun") sources = resolvePronoun(sources[0]!, speaker, st);
    if (!sources.length && coordinated && prevSources) sources = prevSources;
    if (type === "MOBILIZE") {
      const poss = actors.find((u) => u.poss && u.start >= t.end && u.start - t.end <= 25);
      if (poss) sources = [poss];
    }
    if (setting) {
      // a meeting named as the setting of the sentence: a consultation among the sentence's co-subjects
      const subj = actors.filter((u) => !u.loc && !u.tgt && !u.poss && !u.obj && u.kind !== "pronoun");
      const lastSubj = [...subj].reverse().find((u) => u.end <= t.start) ?? subj[0];
      const g = lastSubj ? groupOfIn(groups, lastSubj).filter((u) => subj.includes(u)) : [];
      if (new Set(g.map(keyOf)).size < 2) continue;
      sources = g;
    }
    if (!sources.length && (t.entry.nominal || type === "MOBILIZE")) {
      const after = actors.filter((u) => u.start >= t.end && !u.loc && (!nextTrig || u.start < nextTrig.start || t.entry.nominal));
      const poss = after.find((u) => u.poss);
      const first = poss ?? after.find((u) => !u.tgt && !u.com);
      if (first) sources = [first];
    }
    sources = sources.filter((u) => u.kind !== "pronoun" || u.country);
    // targets
    let targets: Unit[] = [];
    const srcEnd = sources.length ? Math.max(...sources.map((u) => u.end)) : 0;
    const marked = actors.filter((u) => u.start >= srcEnd && u.end <= t.start && (u.tgt || (isConsult && u.com)) && !u.loc);
    if (marked.length) targets = groupOfIn(groups, marked[0]!).filter((u) => !u.loc);
    else if (comTarget.length) targets = comTarget;
    const symmetric = type === "CONSULT" || type === "AGREE" || type === "COOPERATE";
    const coSubjects = new Set(sources.map(keyOf)).size >= 2;
    if (!targets.length && type !== "MOBILIZE" && !setting && !(symmetric && coSubjects)) {
      const limit = nextTrig && !validTrigs[i + 1]!.embedded ? nextTrig.start : norm.length;
      const after = actors.filter((u) => u.start >= t.end && u.start < limit && !u.attr && (!u.loc || t.entry.visit) && !(u.poss && !u.tgt && type !== "REQUEST"));
      const firstAfter = after[0];
      if (firstAfter) targets = groupOfIn(groups, firstAfter).filter((u) => after.includes(u));
      if (!targets.length && type !== "CONSULT") {
        const loc = merged.find((u) => u.start >= t.end && u.start < limit && u.loc && u.kind === "country");
        const poss = actors.find((u) => u.start >= t.end && u.start < limit && u.poss && u.kind !== "pronoun");
        if (loc) targets = [loc];
        else if (poss) targets = [poss];
      }
    }
    if (!targets.length && verbFinal && type !== "MOBILIZE" && !setting && !(symmetric && coSubjects)) {
      // verb-final clauses: the object is the nearest other actor before the verb
      const own = new Set(sources.map(keyOf));
      const between = actors.filter((u) => u.start >= srcEnd && u.end <= t.start && !u.loc && u.kind !== "pronoun" && !own.has(keyOf(u)));
      const clauseSubj = between.filter((u) => clauseSubjectAfter.some((x) => norm.slice(u.end).replace(/^\s/u, "").startsWith(x)));
      const last = clauseSubj[clauseSubj.length - 1] ?? between[between.length - 1];
      if (last) targets = groupOfIn(groups, last).filter((u) => between.includes(u));
    }
    if (type === "MOBILIZE") targets = actors.filter((u) => u.tgt && u.start >= t.end).slice(0, 1);
    // visit: destination place gives the target country
    let visitPlace: PlaceM | undefined;
    if (t.entry.visit) {
      visitPlace = placesM.find((p) => p.start >= t.end && p.start - t.end <= 20 && p.country);
      if (!targets.length && visitPlace?.country) {
        targets = [{ start: visitPlace.start, end: visitPlace.end, country: visitPlace.country, name: gz.countries.get(visitPlace.country)?.name ?? visitPlace.country, id: `country:${visitPlace.country}`, kind: "country", specific: false }];
      }
    }
    targets = resolveAll(targets, speaker, st);
    // reciprocal meetings: "A和B会谈"
    if (symmetric && !targets.length && sources.length >= 2) {
      const distinct = [...new Set(sources.map((u) => u.country))];
      if (distinct.length === 2 || (type !== "CONSULT" && distinct.length > 2)) { targets = sources.filter((u) => u.country === distinct[1]); sources = sources.filter((u) => u.country === distinct[0]); }
    }
    // "condemned the launch" (一連の発射を非難, lên án vụ phóng): the target is who launched
    if (!targets.length && REACTIVE.has(type) && trigs.some((x) => x.entry.t === "MOBILIZE" && x !== t)) {
      const launch = [...st.candidates].reverse().find((c) => c.type === "MOBILIZE" && c.modality === "asserted");
      const own = new Set(sources.map(keyOf));
      if (launch) targets = launch.sources.filter((u) => !own.has(keyOf(u))).map((u) => ({ ...u, start: t.end, end: t.end }));
    }
    // pronounBoth as the only actor: the participants of the last consultation
    const srcCountries = new Set(sources.map((u) => keyOf(u)));
    targets = targets.filter((u) => !srcCountries.has(keyOf(u)) && u.country);
    sources = sources.filter((u) => u.country);
    if (!sources.length && !targets.length) { actorless(t, type, ownDate, s, st, locate(t, placesM, merged, [], norm, orig, gz)); continue; }
    const countries = new Set([...sources, ...targets].map(keyOf));
    if (!sources.length) continue;
    if (type === "MOBILIZE") { /* a source is enough */ }
    else if (isConsult || type === "REJECT") { if (countries.size < 2 && type === "CONSULT") continue; }
    else if (!targets.length) continue;
    if (t.entry.visit && !sources.some((u) => u.specific)) continue;

    // date
    let date: EventDate; let explicitDate = false; let dateStrength = 0; let le: DateMention | undefined;
    const d = ownDate ?? (coordinated ? prevDate : undefined);
    if (d) { date = { value: d.value, precision: d.vague ? "month" : d.precision, mention: d.mention }; explicitDate = !d.vague; dateStrength = d.vague ? 2 : 3; }
    else if (sentenceHasAnaphorBefore && (le = lastExplicitDate(st))) { date = { value: le.value.slice(0, 4), precision: "year", mention: le.mention }; dateStrength = 1; }
    else if (sentenceHasAnaphorSame && (le = lastExplicitDate(st))) { date = { value: le.value, precision: le.precision, mention: le.mention }; dateStrength = 1; }
    else date = { value: st.published, precision: "day" };
    const undated = dateStrength === 0;
    prevDate = d ?? prevDate;

    // location: a place the sentence names (nearest to the trigger), else a visited/located country
    const location = locate(t, placesM, merged, targets, norm, orig, gz);
    // a treaty signed by named parties ("A and B signed", "A signed with B") binds both: each is source and target
    if (type === "AGREE" && t.entry.m === "sign" && modality === "asserted" && (coSubjects || targets.some((u) => u.com)) && ![...sources, ...targets].some((u) => u.anaphoric)) {
      const all = [...sources, ...targets];
      sources = all; targets = all;
    }
    const sourcesFinal = sources.map((u) => finalizeUnit(u, date.value));
    const targetsFinal = targets.map((u) => finalizeUnit(u, date.value));
    let confidence = 0.45;
    if (explicitDate) confidence += 0.15;
    if (sources.some((u) => u.specific)) confidence += 0.1;
    if (targets.length) confidence += 0.1;
    if (marked.length) confidence += 0.05;
    if (embedded) confidence -= 0.1;
    if (modality !== "asserted") confidence -= 0.1;
    st.candidates.push({
      type, mode: t.entry.m, sources: sourcesFinal, targets: targetsFinal, date, explicitDate, dateStrength, location, modality,
      confidence: Math.max(0.05, Math.min(0.95, confidence)), sentence: s, triggerText: orig.slice(t.start, t.end), embedded, undated,
    });
    prevSources = sources;
    if (!embedded) st.lastSources = sources;
    if (sources.some((u) => u.kind === "person" || u.kind === "learned")) st.lastPerson = sources;
    if (isConsult && modality === "asserted") st.lastConsult = [...sources, ...targets];
  }
}


/** The last explicit date mention of the sentences read so far, parsing the deferred ones newest first. */
function lastExplicitDate(st: DocState): DateMention | undefined {
  const pending = st.undatedSentences;
  if (pending) {
    st.undatedSentences = undefined;
    for (let k = pending.length - 1; k >= 0; k--) {
      const explicit = findDates(pending[k]!.norm, pending[k]!.orig, st.lang, st.published).filter((d) => !d.vague);
      if (explicit.length) { st.lastExplicit = explicit[explicit.length - 1]; break; }
    }
  }
  return st.lastExplicit;
}

function keyOf(u: Pick<Unit, "country" | "org">): string { return u.org ? `${u.country}/${u.org}` : u.country; }

function resolvePronoun(p: Unit, speaker: Unit[] | undefined, st: DocState): Unit[] {
  return resolvePronounRaw(p, speaker, st).map((u) => ({ ...u, anaphoric: true }));
}
function resolvePronounRaw(p: Unit, speaker: Unit[] | undefined, st: DocState): Unit[] {
  const lex = lexicon(st.lang)?.lex;
  void lex;
  if (p.id === "pronounBoth") return st.lastConsult.map((u) => ({ ...u, start: p.start, end: p.end, mention: p.name }));
  if (p.id === "pronounSpeaker" && speaker?.length && speaker[0]!.kind !== "pronoun") return speaker.map((u) => ({ ...u, start: p.start, end: p.end }));
  if (speaker?.length && speaker[0]!.kind !== "pronoun" && speaker[0]!.end <= p.start) return speaker.map((u) => ({ ...u, start: p.start, end: p.end }));
  const pool = /^(他|她|ông|bà|he|she|он|она)$/u.test(p.name) && st.lastPerson ? st.lastPerson : st.lastSources;
  return pool.map((u) => ({ ...u, start: p.start, end: p.end }));
}
function resolveAll(units: Unit[], speaker: Unit[] | undefined, st: DocState): Unit[] {
  return units.flatMap((u) => (u.kind === "pronoun" ? resolvePronoun(u, speaker, st) : [u]));
}

function finalizeUnit(u: Unit, date: string): Unit {
  if (u.person) {
    const role = roleAt(u.person, date);
    return { ...u, sector: role?.sector ?? "ELI" };
  }
  return u;
}

/** A trigger with no actor: the next sentence about the last event ("对话6月18日在首尔举行"). */
function actorless(t: Trig, type: EventType, d: DateMention | undefined, s: Sentence, st: DocState, loc?: EventLocation): void {
  const last = [...st.candidates].reverse().find((c) => c.type === type && s.start - c.sentence.end < 400);
  if (!last) return;
  if (last.dateStrength < 3 && d && !d.vague) {
    last.date = { value: d.value, precision: d.precision, mention: d.mention };
    last.explicitDate = true; last.dateStrength = 3; last.undated = false;
  }
  if (!last.location && loc) last.location = loc;
  void t;
  if (!last.extraEvidence) last.extraEvidence = [];
  last.extraEvidence.push(s);
}
function attachAnaphor(t: Trig, s: Sentence, st: DocState): void {
  const last = [...st.candidates].reverse().find((c) => c.type === t.entry.t);
  if (!last) return;
  if (!last.extraEvidence) last.extraEvidence = [];
  last.extraEvidence.push(s);
}
declare module "./extract.ts" {
  interface Candidate { extraEvidence?: Sentence[] }
}

function locate(t: Trig, places: PlaceM[], units: Unit[], targets: Unit[], norm: string, orig: string, gz: ReturnType<typeof gazetteer>): EventLocation | undefined {
  const cands = places.filter((p) => !p.place.region);
  const capitalsAsPlaces = units.filter((u) => u.kind === "capital" && u.loc && u.place).map((u) => ({ start: u.start, end: u.end, place: u.place!, country: u.country }));
  const all = [...cands, ...capitalsAsPlaces].sort((a, b) => a.start - b.start);
  if (all.length) {
    const dist = (p: Span) => (p.end <= t.start ? t.start - p.end : p.start - t.end);
    const best = [...all].sort((a, b) => dist(a) - dist(b))[0]!;
    // extend over a run of adjacent place/country names (俄罗斯阿穆尔州东方航天发射场)
    let start = best.start; let end = best.end; let pick = best;
    for (const p of all) if (p.start >= end && p.start - end <= 1) { end = p.end; pick = p; }
    for (const u of units) if (u.end <= start && start - u.end <= 1 && u.kind === "country" && u.country === pick.country) start = u.start;
    for (const p of [...all].reverse()) if (p.end <= start && start - p.end <= 1) start = p.start;
    const pl = pick.place;
    const loc: EventLocation = { name: pl.name, mention: orig.slice(start, end) };
    if (pl.admin1) loc.admin1 = pl.admin1;
    const country = pl.country ?? pick.country;
    if (country) loc.country = country;
    if (pl.geo) loc.geo = pl.geo;
    return loc;
  }
  const locCountry = units.find((u) => u.loc && u.kind === "country" && (u.end <= t.start ? t.start - u.end <= 20 : u.start - t.end <= 8));
  if (locCountry) return { name: gz.countries.get(locCountry.country)?.name ?? locCountry.country, country: locCountry.country, mention: orig.slice(locCountry.start, locCountry.end) };
  if (t.entry.visit && targets[0] && targets[0].country !== "IGO") {
    const c = targets[0];
    return { name: gz.countries.get(c.country)?.name ?? c.country, country: c.country, mention: orig.slice(c.start, c.end) };
  }
  void norm;
  return undefined;
}

function boundaryOkLex(norm: string, start: number, end: number, lang: string, bounds: Set<number> | undefined, strictCjk: boolean, suffix = false): boolean {
  const last = norm[end - 1];
  // agglutinative endings (Korean -고, -며) attach to the word before them
  if (!suffix && isLetterAt(norm, start) && isLetterAt(norm, start - 1)) return false;
  if (isLetterAt(norm, end - 1) && !isHangul(last) && isLetterAt(norm, end)) return false;
  if (CJK_LANGS.has(lang) && bounds && strictCjk && (!bounds.has(start) || !bounds.has(end))) {
    // markers and titles must be whole jieba tokens (对 in 对话 is not a marker)
    if (end - start <= 2) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Merging and output

function actorOut(u: Unit, role: Actor["role"], orig: string): Actor {
  const a: Actor = { role, name: u.name, id: u.id, country: u.country, mention: orig };
  if (u.org) a.org = u.org;
  if (u.sector) a.sector = u.sector;
  return a;
}

export function extractEvents(input: ExtractInput): ExtractedEvent[] {
  const cands = extractCandidates(input).filter((c) => c.modality !== "denied" && c.modality !== "conditional");
  const { article, source } = input;
  const lang = (article.language || "und").toLowerCase();
  const published = (source.published ?? article.published)?.slice(0, 10);
  const keyOfCand = (c: Candidate) => `${c.type}|${[...new Set([...c.sources, ...c.targets].map(keyOf))].sort().join(",")}`;
  // cluster by key and compatible dates; undated mentions join the dated cluster of their key
  const clusters: Candidate[][] = [];
  const byKey = new Map<string, Candidate[][]>();
  const ordered = [...cands].sort((a, b) => b.dateStrength - a.dateStrength || precisionRank(b.date.precision) - precisionRank(a.date.precision));
  for (const c of ordered) {
    const k = keyOfCand(c);
    const list = byKey.get(k) ?? [];
    let target = list.find((cl) => cl.some((x) => datesCompatible(x.date.value, c.date.value) && (x.dateStrength >= 2 || c.dateStrength >= 2 || x.date.value === c.date.value)));
    if (!target && c.dateStrength <= 1 && list.length) {
      const pub = published ?? "";
      target = [...list].sort((a, b) => Math.abs(dayNum(a[0]!.date.value) - dayNum(pub)) - Math.abs(dayNum(b[0]!.date.value) - dayNum(pub)))[0];
    }
    if (target) target.push(c);
    else { const cl = [c]; list.push(cl); clusters.push(cl); }
    byKey.set(k, list);
  }
  const events: ExtractedEvent[] = [];
  for (const cl of clusters) {
    const best = [...cl].sort((a, b) => b.dateStrength - a.dateStrength || precisionRank(b.date.precision) - precisionRank(a.date.precision) || Number(a.embedded) - Number(b.embedded) || b.confidence - a.confidence)[0]!;
    const lead = [...cl].sort((a, b) => b.sources.filter((u) => u.specific).length - a.sources.filter((u) => u.specific).length || a.sentence.start - b.sentence.start)[0]!;
    const first = [...cl].sort((a, b) => a.sentence.start - b.sentence.start)[0]!;
    const dirSource = first.targets.length ? first : lead;
    const mentionText = (c: Candidate, u: Unit) => {
      const t = c.sentence.text.normalize("NFC");
      return t.slice(u.start, u.end) || u.name;
    };
    const actors: Actor[] = [
      ...dirSource.sources.map((u) => actorOut(u, "source", mentionText(dirSource, u))),
      ...dirSource.targets.map((u) => actorOut(u, "target", mentionText(dirSource, u))),
    ];
    // de-duplicate actors by role + key, keeping the most specific mention
    const seen = new Set<string>();
    const actorsDedup = actors.filter((a) => { const k = `${a.role}|${a.org ? `${a.country}/${a.org}` : a.country}|${a.id}`; if (seen.has(k)) return false; seen.add(k); return true; });
    const date = best.date;
    const sentences = new Map<number, Sentence>();
    for (const c of cl) { sentences.set(c.sentence.start, c.sentence); for (const e of c.extraEvidence ?? []) sentences.set(e.start, e); }
    const evidence: Evidence[] = [...sentences.values()].sort((a, b) => a.start - b.start).map((s) => {
      const ev: Evidence = { source_id: source.id, url: source.url, language: lang, sentence: s.text, offset: [s.start, s.end] };
      if (published) ev.published = published;
      return ev;
    });
    const cameo = cameoOf(best.type, best.mode ?? lead.mode);
    const modality: Modality = cl.some((c) => c.modality === "asserted") ? "asserted" : best.modality;
    const location = cl.map((c) => c.location).find((l) => l && l.geo) ?? cl.map((c) => c.location).find(Boolean);
    const ev: ExtractedEvent = {
      id: eventIdOf(best.type, actorsDedup, date),
      type: best.type, mode: best.mode, cameo: cameo.cameo, quad: cameo.quad, intensity: cameo.intensity,
      actors: actorsDedup, date, modality,
      confidence: Math.round(Math.min(0.98, Math.max(...cl.map((c) => c.confidence)) + 0.05 * (cl.length - 1)) * 100) / 100,
      evidence,
    };
    if (location) ev.location = location;
    events.push(ev);
  }
  return events.sort((a, b) => (a.evidence[0]?.offset[0] ?? 0) - (b.evidence[0]?.offset[0] ?? 0));
}

function precisionRank(p: string): number { return p === "day" ? 3 : p === "month" ? 2 : 1; }
function dayNum(v: string): number { const t = Date.parse((v + "-01-01").slice(0, 10)); return Number.isNaN(t) ? 0 : t / 86400000; }

/** The actors a text names, resolved at a date (for tests and tools). */
export function resolveActors(text: string, lang: string, date: string): (Actor & { loc?: boolean })[] {
  const lx = lexicon(lang) ?? lexicon("en");
  if (!lx) return [];
  const st: DocState = { lang, published: date, lastSources: [], lastConsult: [], learned: new Map(), candidates: [], titleUnits: new Map(), debugActors: [] };
  const sents = splitSentences([text], lang);
  for (const s of sents) processSentence(s, lx, st, [], text);
  return st.debugActors!.flat().filter((u) => u.kind !== "pronoun").map((u) => {
    const a = actorOut(u, "source", text.slice(u.start, u.end));
    return u.loc ? { ...a, loc: true } : a;
  });
}
