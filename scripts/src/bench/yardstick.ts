/**
 * The host yardstick: a fixed piece of CPU work, timed before and after a run, so that runs made
 * at different times can be compared. This machine shares its host: the same code on the same
 * pages has measured 23 ms and 61 ms of CPU per article within one hour, and every CPU figure
 * of a run moves with the host. A run's figures mean something only next to its yardstick.
 *
 * The work is the mix the pipeline does, but none of our code, so that the yardstick stays put
 * when our code changes: decoding page bytes as UTF-8, a JSON round trip (what BullMQ does to every
 * payload), a regular expression over the text, lower-casing, and deflate at level 3 (what the
 * fetch stage does to bodies). One pass over the pages warms up; the best of the timed passes
 * counts (the least disturbed by anything else running).
 */
import { performance } from "node:perf_hooks";
import { deflateRawSync } from "node:zlib";

/** Distinct pages the yardstick runs over (fewer when the set is smaller). Default 50. */
export const YARDSTICK_PAGES = 50;
/** Characters of each page the regular expression scans (a page's whole text would dominate). Default 32768. */
export const YARDSTICK_SCAN_CHARS = 32_768;
/** Timed passes; the fastest counts. Default 3. */
export const YARDSTICK_PASSES = 3;

export interface Yardstick {
  /** Milliseconds per page, fastest pass (lower: faster host). */
  ms_per_page: number;
  pages: number;
}

/** One pass of the fixed work over `pages`; returns a checksum so that nothing is optimised away. */
function pass(pages: readonly Uint8Array[]): number {
  let sum = 0;
  for (const bytes of pages) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    const round = JSON.parse(JSON.stringify({ body: text })) as { body: string };
    const words = round.body.slice(0, YARDSTICK_SCAN_CHARS).toLowerCase().match(/[\p{L}\p{N}]+/gu);
    sum += (words?.length ?? 0) + deflateRawSync(bytes, { level: 3 }).length;
  }
  return sum;
}

/** Time the fixed work over the first YARDSTICK_PAGES of `pages`. */
export function measureYardstick(pages: readonly Uint8Array[], passes = YARDSTICK_PASSES): Yardstick {
  const sample = pages.slice(0, YARDSTICK_PAGES);
  if (sample.length === 0) throw new Error("yardstick: no pages");
  pass(sample);
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < passes; k++) {
    const t0 = performance.now();
    pass(sample);
    best = Math.min(best, performance.now() - t0);
  }
  return { ms_per_page: Math.round((best / sample.length) * 1000) / 1000, pages: sample.length };
}

/**
 * A run's rate as if the host had run at the speed of `reference` (a yardstick in ms per page):
 * the rate times this run's yardstick over the reference. CPU-bound rates scale with host speed,
 * so this makes runs comparable across a host that slowed down or sped up; it is an estimate
 * (the yardstick is one kind of work, and it is measured between runs, not during them).
 */
export function atReferenceSpeed(rate: number, yardstickMs: number, referenceMs: number): number {
  if (!(yardstickMs > 0) || !(referenceMs > 0)) throw new Error("yardstick figures must be positive");
  return (rate * yardstickMs) / referenceMs;
}
