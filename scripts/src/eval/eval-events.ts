/**
 * `eval:events`: run each gold document's seed file through the in-process pipeline
 * (clean -> language -> translate -> extract, exactly like `process`) and score the events with
 * the rules of shared/eval/README.md: precision, recall, F1, direction accuracy, location country
 * accuracy and duplicates. Prints every false positive and false negative with its sentence.
 *
 *   eval-events [--gold FILE] [--json FILE] [--quiet] [--raw]
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
import { scoreDocument, summarise, type GoldDocument, type DocScore } from "./events/score.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

function parseArgs(args: string[]) {
  const o = { gold: resolve(REPO, "../shared/eval/seeds-gold.json"), json: resolve(REPO, "test-output/eval-events.json"), quiet: false, raw: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--gold") o.gold = resolve(next());
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

export async function evalEventsCommand(args: string[]): Promise<number> {
  const o = parseArgs(args);
  const gold = JSON.parse(readFileSync(o.gold, "utf8")) as { documents: GoldDocument[] };
  const seedsDir = join(dirname(o.gold), "../seeds");
  const scores: DocScore[] = [];
  for (const doc of gold.documents) {
    const path = join(seedsDir, doc.file);
    const started = performance.now();
    const out = o.raw ? rawStandIn(path, doc.language) : await processLocalFile(path);
    const ms = performance.now() - started;
    const score = scoreDocument(doc, out.events);
    scores.push(score);
    if (o.quiet) continue;
    console.log(`\n== ${doc.file} (${doc.language}, published ${doc.published}; cleaned language ${out.source.language}, ${out.events.length} events, ${ms.toFixed(0)} ms)`);
    for (const m of score.predictions) {
      const tag = m.match ? (m.duplicate ? "DUP" : "TP ") : "FP ";
      const g = m.match ? ` = ${m.match.id}${m.match.required === false ? " (optional)" : ""}${m.directionOk === false ? " [direction wrong]" : ""}${m.locationOk === false ? " [location wrong]" : ""}` : "";
      console.log(`  ${tag} ${describe(m.event)}${g}`);
      if (!m.match) for (const ev of m.event.evidence) console.log(`        « ${ev.sentence.replace(/\s+/g, " ").slice(0, 200)} »`);
    }
    for (const fn of score.missed) {
      console.log(`  FN  ${fn.id} ${fn.type} ${fn.source.join("+") || "-"} -> ${fn.target.join("+") || "-"} ${fn.date_min}..${fn.date_max}: ${fn.note}`);
      const near = score.predictions.filter((p) => p.event.type === fn.type || (fn.alt_types ?? []).includes(p.event.type));
      for (const p of near.slice(0, 2)) console.log(`        nearest: ${describe(p.event)} « ${p.event.evidence[0]?.sentence.replace(/\s+/g, " ").slice(0, 160)} »`);
    }
  }
  const s = summarise(scores);
  console.log(`\nevents: predicted ${s.predicted}, matched ${s.matchedPredictions}, required gold ${s.requiredGold}, required matched ${s.requiredMatched}`);
  console.log(`precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}`);
  console.log(`direction accuracy ${pct(s.directionAccuracy)} (${s.directionOk}/${s.directionTotal})  location country accuracy ${pct(s.locationAccuracy)} (${s.locationOk}/${s.locationTotal})  duplicates ${s.duplicates}`);
  console.log(`dates: ${s.datesInRange}/${s.matchedPredictions} matched predictions inside the gold range at their precision; ${s.lowPrecisionDates} with month/year precision`);
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, JSON.stringify({ summary: s, documents: scores.map((d) => ({ file: d.file, predictions: d.predictions.map((p) => ({ event: p.event, match: p.match?.id ?? null, duplicate: p.duplicate, directionOk: p.directionOk, locationOk: p.locationOk })), missed: d.missed.map((m) => m.id) })) }, null, 2));
  console.log(`wrote ${o.json}`);
  return 0;
}
