/**
 * Event scoring, exactly as shared/eval/README.md states it:
 * a prediction matches a gold event of the same document when its type is the gold type or one
 * of alt_types, the set of its actors' countries equals gold source + target, and its date falls
 * in [date_min, date_max] (month/year precision: overlap).
 */
import type { ExtractedEvent } from "@tidings/shared";

export interface GoldEvent {
  id: string; required?: boolean; type: string; alt_types?: string[];
  source: string[]; target: string[]; date_min: string; date_max: string;
  location?: { country?: string; place?: string }; modality?: string; note?: string;
}
export interface GoldDocument { file: string; language: string; published: string; events: GoldEvent[] }

export interface PredictionScore {
  event: ExtractedEvent; match?: GoldEvent; duplicate: boolean; directionOk?: boolean; locationOk?: boolean; dateInRange: boolean;
}
export interface DocScore { file: string; predictions: PredictionScore[]; missed: GoldEvent[]; requiredGold: number; requiredMatched: number }

/** Does a date of any precision fall in (overlap) the inclusive day range? */
export function dateMatches(value: string, min: string, max: string): boolean {
  if (value.length >= 10) return value.slice(0, 10) >= min && value.slice(0, 10) <= max;
  if (value.length === 7) return value >= min.slice(0, 7) && value <= max.slice(0, 7);
  return value >= min.slice(0, 4) && value <= max.slice(0, 4);
}

const countryOf = (a: ExtractedEvent["actors"][number]) => a.country;

export function eventMatches(e: ExtractedEvent, g: GoldEvent): boolean {
  if (e.type !== g.type && !(g.alt_types ?? []).includes(e.type)) return false;
  const pred = new Set(e.actors.map(countryOf));
  const gold = new Set([...g.source, ...g.target]);
  if (pred.size !== gold.size || [...pred].some((c) => !gold.has(c))) return false;
  return dateMatches(e.date.value, g.date_min, g.date_max);
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a); const y = new Set(b);
  return x.size === y.size && [...x].every((c) => y.has(c));
}

export function scoreDocument(doc: GoldDocument, events: ExtractedEvent[]): DocScore {
  const matchedGold = new Set<string>();
  const predictions: PredictionScore[] = [];
  for (const e of events) {
    const cands = doc.events.filter((g) => eventMatches(e, g));
    // prefer a required, not yet matched gold event
    const free = cands.filter((g) => !matchedGold.has(g.id));
    const exact = (g: GoldEvent) => g.type === e.type;
    const pick = free.find((g) => exact(g) && g.required !== false) ?? free.find(exact) ?? free.find((g) => g.required !== false) ?? free[0] ?? cands[0];
    const ps: PredictionScore = { event: e, duplicate: false, dateInRange: !!pick };
    if (pick) {
      ps.match = pick;
      ps.duplicate = matchedGold.has(pick.id);
      matchedGold.add(pick.id);
      const src = e.actors.filter((a) => a.role === "source").map(countryOf);
      const tgt = e.actors.filter((a) => a.role === "target").map(countryOf);
      ps.directionOk = sameSet(src, pick.source) && sameSet(tgt, pick.target);
      if (pick.location?.country) ps.locationOk = e.location?.country === pick.location.country;
    }
    predictions.push(ps);
  }
  const required = doc.events.filter((g) => g.required !== false);
  const missed = required.filter((g) => !matchedGold.has(g.id));
  return { file: doc.file, predictions, missed, requiredGold: required.length, requiredMatched: required.length - missed.length };
}

export interface Summary {
  predicted: number; matchedPredictions: number; requiredGold: number; requiredMatched: number;
  precision: number; recall: number; f1: number;
  directionOk: number; directionTotal: number; directionAccuracy: number;
  locationOk: number; locationTotal: number; locationAccuracy: number;
  duplicates: number; datesInRange: number; lowPrecisionDates: number;
}

export function summarise(docs: DocScore[]): Summary {
  const preds = docs.flatMap((d) => d.predictions);
  const matched = preds.filter((p) => p.match);
  const requiredGold = docs.reduce((n, d) => n + d.requiredGold, 0);
  const requiredMatched = docs.reduce((n, d) => n + d.requiredMatched, 0);
  const precision = preds.length ? matched.length / preds.length : 0;
  const recall = requiredGold ? requiredMatched / requiredGold : 0;
  const dir = matched.filter((p) => p.directionOk !== undefined);
  const loc = matched.filter((p) => p.locationOk !== undefined);
  return {
    predicted: preds.length, matchedPredictions: matched.length, requiredGold, requiredMatched,
    precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    directionOk: dir.filter((p) => p.directionOk).length, directionTotal: dir.length, directionAccuracy: dir.length ? dir.filter((p) => p.directionOk).length / dir.length : NaN,
    locationOk: loc.filter((p) => p.locationOk).length, locationTotal: loc.length, locationAccuracy: loc.length ? loc.filter((p) => p.locationOk).length / loc.length : NaN,
    duplicates: matched.filter((p) => p.duplicate).length,
    datesInRange: matched.filter((p) => p.dateInRange).length,
    lowPrecisionDates: matched.filter((p) => p.event.date.precision !== "day").length,
  };
}
