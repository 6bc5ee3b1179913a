/**
 * `eval:events`: run each gold document's file through the in-process pipeline
 * (clean -> language -> translate -> extract, exactly like `process`) and score the events with
 * the rules of shared/eval/README.md: precision, recall, F1, direction accuracy, location country
 * accuracy and duplicates. Prints every false positive and false negative with its sentence.
 *
 *   eval-events [--gold FILE] [--fixtures [DIR]] [--seeds] [--json FILE] [--quiet] [--raw]
 *
 * Two gold sets, each scored and totalled on its own: the seeds (`--gold`, default
 * ../shared/eval/seeds-gold.json) and the repository's fixture pages (`--fixtures`, default
 * test/fixtures/pages, gold = the manifest's `events`). With neither `--seeds` nor `--fixtures`
 * both are run; `--fixtures` alone runs the fixtures, `--seeds` alone the seeds.
 *
 * --raw skips the clean stage (paragraphs = the raw file split on blank lines, date from the
 * sidecar): a way to measure the extract stage alone when the cleaner misses an article body.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractedEvent } from "@tidings/shared";
import { extractEvents } from "@tidings/extract";
import { processLocalFile } from "../process/pipeline.ts";
import { scoreDocument, summarise, type GoldDocument, type DocScore, type Summary } from "./events/score.ts";
import { fixtureGold } from "./events/fixtures.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

function parseArgs(args: string[]) {
  const o = { gold: resolve(REPO, "../shared/eval/seeds-gold.json"), fixtures: resolve(REPO, "test/fixtures/pages"), json: resolve(REPO, "test-output/eval-events.json"), quiet: false, raw: false, seeds: false, fixturesOnly: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--gold") { o.gold = resolve(next()); o.seeds = true; }
    else if (a === "--seeds") o.seeds = true;
    else if (a === "--fixtures") {
      o.fixturesOnly = true;
      const v = args[i + 1];
      if (v !== undefined && !v.startsWith("--")) { o.fixtures = resolve(v); i++; }
    }
    else if (a === "--json") o.json = resolve(next());
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--raw") o.raw = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");

function describe(e: ExtractedEvent): string {
  const side = (r: string) => e.actors.filter((a) => a.role === r).map((a) => (a.org ? `${a.country}/${a.org}` : a.country)).join("+") || "-";
  return `${e.type}${e.mode ? `/${e.mode}` : ""} ${side("source")} -> ${side("target")} ${e.date.value}(${e.date.precision})${e.location ? ` @${e.location.name}/${e.location.country ?? "?"}` : ""} [${e.modality}]`;
}

/** The raw file as paragraphs (no boilerplate removal), published date from the sidecar. */
function rawStandIn(path: string, language: string): { source: { language?: string }; events: ExtractedEvent[] } {
  const raw = readFileSync(path, "utf8");
  let published: string | undefined;
  try { published = (JSON.parse(readFileSync(`${path}.meta.json`, "utf8")) as { published?: string }).published; } catch { /* none */ }
  const paragraphs = raw.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const article = { paragraphs, text: paragraphs.join("\n\n"), language, language_confidence: 1, authors: [] as string[], ...(published ? { published } : {}) };
  const events = extractEvents({ article, source: { id: `raw:${path}`, url: `file://${path}`, ...(published ? { published } : {}) } });
  return { source: { language }, events };
}

interface Section { name: string; docs: { doc: GoldDocument; path: string }[] }

async function runSection(sec: Section, o: ReturnType<typeof parseArgs>): Promise<{ summary: Summary; scores: DocScore[] }> {
  const scores: DocScore[] = [];
  if (!o.quiet) console.log(`\n######## ${sec.name}`);
  for (const { doc, path } of sec.docs) {
    const started = performance.now();
    const out = o.raw ? rawStandIn(path, doc.language) : await processLocalFile(path);
    const ms = performance.now() - started;
    const score = scoreDocument(doc, out.events);
    scores.push(score);
    if (o.quiet) continue;
    console.log(`\n== ${doc.file} (${doc.language}, published ${doc.published || "-"}; cleaned language ${out.source.language}, ${out.events.length} events, ${ms.toFixed(0)} ms)`);
    for (const m of score.predictions) {
      const tag = m.match ? (m.duplicate ? "DUP" : "TP ") : "FP ";
      const g = m.match ? ` = ${m.match.id}${m.match.required === false ? " (optional)" : ""}${m.directionOk === false ? " [direction wrong]" : ""}${m.locationOk === false ? " [location wrong]" : ""}` : "";
      console.log(`  ${tag} ${describe(m.event)}${g}`);
      if (!m.match) for (const ev of m.event.evidence) console.log(`        « ${ev.sentence.replace(/\s+/g, " ").slice(0, 200)} »`);
    }
    for (const fn of score.missed) {
      console.log(`  FN  ${fn.id} ${fn.type} ${fn.source.join("+") || "-"} -> ${fn.target.join("+") || "-"} ${fn.date_min}..${fn.date_max}: ${fn.note ?? ""}`);
      const near = score.predictions.filter((p) => p.event.type === fn.type || (fn.alt_types ?? []).includes(p.event.type));
      for (const p of near.slice(0, 2)) console.log(`        nearest: ${describe(p.event)} « ${p.event.evidence[0]?.sentence.replace(/\s+/g, " ").slice(0, 160)} »`);
    }
  }
  const s = summarise(scores);
  console.log(`\n[${sec.name}] events: predicted ${s.predicted}, matched ${s.matchedPredictions}, required gold ${s.requiredGold}, required matched ${s.requiredMatched}`);
  console.log(`[${sec.name}] precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}`);
  console.log(`[${sec.name}] direction accuracy ${pct(s.directionAccuracy)} (${s.directionOk}/${s.directionTotal})  location country accuracy ${pct(s.locationAccuracy)} (${s.locationOk}/${s.locationTotal})  duplicates ${s.duplicates}`);
  console.log(`[${sec.name}] dates: ${s.datesInRange}/${s.matchedPredictions} matched predictions inside the gold range at their precision; ${s.lowPrecisionDates} with month/year precision`);
  return { summary: s, scores };
}

const docsOut = (scores: DocScore[]) => scores.map((d) => ({ file: d.file, predictions: d.predictions.map((p) => ({ event: p.event, match: p.match?.id ?? null, duplicate: p.duplicate, directionOk: p.directionOk, locationOk: p.locationOk })), missed: d.missed.map((m) => m.id) }));

export async function evalEventsCommand(args: string[]): Promise<number> {
  const o = parseArgs(args);
  const sections: Section[] = [];
  const both = !o.seeds && !o.fixturesOnly;
  if (o.seeds || both) {
    const gold = JSON.parse(readFileSync(o.gold, "utf8")) as { documents: GoldDocument[] };
    const seedsDir = join(dirname(o.gold), "../seeds");
    sections.push({ name: "seeds", docs: gold.documents.map((doc) => ({ doc, path: join(seedsDir, doc.file) })) });
  }
  if (o.fixturesOnly || both) {
    sections.push({ name: "fixtures", docs: fixtureGold(o.fixtures).map((doc) => ({ doc, path: join(o.fixtures, doc.file) })) });
  }
  const results: Record<string, { summary: Summary; documents: ReturnType<typeof docsOut> }> = {};
  for (const sec of sections) {
    const r = await runSection(sec, o);
    results[sec.name] = { summary: r.summary, documents: docsOut(r.scores) };
  }
  if (sections.length > 1 && !o.quiet) {
    console.log("");
    for (const sec of sections) {
      const s = results[sec.name]!.summary;
      console.log(`${sec.name.padEnd(9)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  direction ${pct(s.directionAccuracy)}  duplicates ${s.duplicates}  (predicted ${s.predicted}, matched ${s.matchedPredictions}, required ${s.requiredMatched}/${s.requiredGold})`);
    }
  }
  mkdirSync(dirname(o.json), { recursive: true });
  const only = sections.length === 1 ? results[sections[0]!.name]! : undefined;
  writeFileSync(o.json, JSON.stringify(only ? { section: sections[0]!.name, ...only } : { sections: results }, null, 2));
  console.log(`wrote ${o.json}`);
  return 0;
}
