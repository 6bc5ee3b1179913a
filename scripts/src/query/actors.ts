/**
 * Turn what a user types for an actor ("朝鲜", "North Korea", "Triều Tiên", "PRK", "Q56226")
 * into the identifiers stored on events: country codes and actor ids. Names are looked up in
 * the extract stage's gazetteer, so every language it knows works here too.
 */
import { lookupActorName } from "@tidings/extract/lookup";

export function resolveActorQuery(input: string): string[] {
  const text = input.trim();
  if (/^[A-Z]{3}$/.test(text) || /^Q\d+$/.test(text)) return [text];
  if (/^[a-z]{3}$/.test(text)) return [text.toUpperCase()];
  const found = lookupActorName(text);
  if (found.length === 0) throw new Error(`no actor named "${input}" in the gazetteer (use a country code such as PRK, or an actor id)`);
  return [...new Set(found.flatMap((a) => (a.id && a.id.startsWith("Q") ? [a.id] : [a.country])))];
}
