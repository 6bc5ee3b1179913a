/** Deterministic ids: every retry and replay of a job writes to the same documents. */
import { createHash } from "node:crypto";
import type { Actor, EventDate, EventType } from "./model.ts";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Source id: the first 32 hex digits of sha256(normalised URL). */
export function sourceIdOf(normalisedUrl: string): string {
  return sha256Hex(normalisedUrl).slice(0, 32);
}

/**
 * Event id: fingerprint of the type, the actor identities by role and the date at its
 * precision. Actors are keyed by country (plus org for international bodies) so that
 * "Putin", "Moscow" and "the Kremlin" reporting the same meeting fall on one event.
 */
export function eventIdOf(type: EventType, actors: Pick<Actor, "role" | "country" | "org">[], date: EventDate): string {
  const key = (role: Actor["role"]) =>
    [...new Set(actors.filter((a) => a.role === role).map((a) => (a.org ? `${a.country}/${a.org}` : a.country)))].sort().join(",");
  return sha256Hex(`event:v1|${type}|${key("source")}|${key("target")}|${date.value}`).slice(0, 32);
}

/** Mention id: one per (event, source, sentence). */
export function mentionIdOf(eventId: string, sourceId: string, sentenceOffset: number): string {
  return sha256Hex(`mention:v1|${eventId}|${sourceId}|${sentenceOffset}`).slice(0, 32);
}

/** A short random id for batches and correlation ids. */
export function randomId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
