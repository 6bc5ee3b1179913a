/**
 * The repository's fixture pages (test/fixtures/pages) as an event gold set: each manifest
 * `events` entry is a gold event of its page, scored with the same rules as the seeds
 * (shared/eval/README.md). A manifest event gives `date` (day) or `date_min`/`date_max`, and may
 * carry `alt_types`, `required` (default true) and `location` ({country, place}).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GoldDocument, GoldEvent } from "./score.ts";

export interface ManifestEvent {
  type: string; source: string[]; target: string[];
  date?: string; date_min?: string; date_max?: string;
  alt_types?: string[]; required?: boolean;
  place?: string; location?: { country?: string; place?: string };
  mode?: string; modality?: string; note?: string;
}
interface ManifestPage { file: string; language: string; published: string | null; events?: ManifestEvent[] }

/** Gold documents for every page of the manifest (pages with no events included: all their predictions are false positives). */
export function fixtureGold(dir: string): GoldDocument[] {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { pages?: ManifestPage[] } | ManifestPage[];
  const pages = Array.isArray(manifest) ? manifest : (manifest.pages ?? []);
  return pages.map((p) => ({
    file: p.file, language: p.language, published: p.published ?? "",
    events: (p.events ?? []).map((e, i): GoldEvent => {
      const min = e.date_min ?? e.date; const max = e.date_max ?? e.date;
      if (!min || !max) throw new Error(`${p.file}: event ${i} has no date`);
      const g: GoldEvent = { id: `${p.file.replace(/\.[a-z]+$/, "")}#${i + 1}`, type: e.type, source: e.source, target: e.target, date_min: min, date_max: max };
      if (e.alt_types?.length) g.alt_types = e.alt_types;
      if (e.required === false) g.required = false;
      if (e.location) g.location = e.location;
      if (e.modality) g.modality = e.modality;
      const note = [e.note, e.place].filter(Boolean).join("; ");
      if (note) g.note = note;
      return g;
    }),
  }));
}
