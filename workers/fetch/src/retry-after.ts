/**
 * Retry-After (RFC 9110 10.2.3): either delay-seconds or an HTTP-date.
 * Returns milliseconds to wait from `now` (0 for a date in the past), or undefined when the header
 * is absent or unparsable. Values above `maxMs` (default 7 days) are clamped.
 */
export function parseRetryAfter(
  header: string | string[] | null | undefined,
  now: number | Date = Date.now(),
  maxMs = 7 * 24 * 3600 * 1000,
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  const nowMs = typeof now === "number" ? now : now.getTime();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, maxMs);
  // Only date forms: must contain letters and digits (Date.parse accepts too much otherwise).
  if (!/[a-z]/i.test(v) || !/\d/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), maxMs);
}
