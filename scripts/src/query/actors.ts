/**
 * Turn what a user types for an actor ("朝鲜", "North Korea", "Triều Tiên", "PRK", "Q56226",
 * "普京") into the identifiers stored on events: a country code for a country or its
 * government, an actor id for a person or an international body. Names are resolved by the
 * extract stage's own gazetteer, so every language it reads works here too.
 */
import { availableLanguages, resolveActors } from "@tidings/extract";

export function resolveActorQuery(input: string): string[] {
  const text = input.trim();
  if (/^[A-Z]{3}$/.test(text) || /^Q\d+$/.test(text) || /^(person|igo|country):/.test(text)) return [text];
  if (/^[a-z]{3}$/.test(text)) return [text.toUpperCase()];
  const today = new Date().toISOString().slice(0, 10);
  // Try the languages whose matching rules fit the text first; all know every name.
  const languages = ["en", "zh", "vi", ...availableLanguages()];
  for (const lang of new Set(languages)) {
    const found = resolveActors(text, lang, today);
    if (found.length === 0) continue;
    return [...new Set(found.map((a) => (a.id.startsWith("country:") ? a.country : a.id)))];
  }
  throw new Error(`no actor named "${input}" in the gazetteer (use a country code such as PRK, or an actor id)`);
}
