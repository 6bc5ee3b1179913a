/**
 * The benchmark's arithmetic, pure and unit-tested: percentiles, the rate over the middle of a
 * run (ramp-up and tail excluded), and the Redis memory per 1,000 URLs in flight.
 */

/** Percentile by linear interpolation between closest ranks (p in [0, 100]); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted[0]!;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export interface Summary {
  n: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: Number.NaN, median: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  let sum = 0;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
  }
  return { n, mean: sum / n, median: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max };
}

/** A progress sample: at time `t` (ms), `done` items had ended. */
export interface ProgressSample {
  t: number;
  done: number;
}

/**
 * When the count first reached `target`, interpolated linearly between the two samples around
 * it. Samples must be in time order; undefined when it was never reached.
 */
export function crossingTime(samples: readonly ProgressSample[], target: number): number | undefined {
  return valueWhenCountReached(samples, target, (s) => s.done, (s) => s.t);
}

/**
 * The value `y` had when the count `x` first reached `target`, interpolated linearly between the
 * two samples around it (samples in time order, `x` never falling); undefined when never reached.
 */
function valueWhenCountReached<S>(samples: readonly S[], target: number, x: (s: S) => number, y: (s: S) => number): number | undefined {
  let prev: S | undefined;
  for (const s of samples) {
    if (x(s) >= target) {
      if (prev === undefined || x(s) === x(prev) || x(prev) >= target) return y(s);
      return y(prev) + ((target - x(prev)) / (x(s) - x(prev))) * (y(s) - y(prev));
    }
    prev = s;
  }
  return undefined;
}

/**
 * Items per second over the middle `fraction` of a run of `total` items (default the middle
 * 80%: from the 10% to the 90% mark), so start-up and the tail do not count. Undefined when the
 * run did not get that far or the span is empty.
 */
export function middleRate(samples: readonly ProgressSample[], total: number, fraction = 0.8): number | undefined {
  if (total <= 0 || fraction <= 0 || fraction > 1) return undefined;
  const lo = ((1 - fraction) / 2) * total;
  const hi = ((1 + fraction) / 2) * total;
  const t1 = crossingTime(samples, lo);
  const t2 = crossingTime(samples, hi);
  if (t1 === undefined || t2 === undefined || t2 <= t1) return undefined;
  return ((hi - lo) / (t2 - t1)) * 1000;
}

/** One Redis sample: used_memory and the URLs in flight (enqueued, not yet ended), plus retained completed jobs' estimated bytes. */
export interface MemorySample {
  t: number;
  usedBytes: number;
  inFlight: number;
  /** Estimated bytes of completed jobs BullMQ keeps (removeOnComplete count), if known. */
  retainedBytes?: number;
}

export interface MemoryPeak {
  baselineBytes: number;
  /** The most memory seen (any sample) and the URLs in flight then. */
  peakUsedBytes: number;
  inFlightAtPeak: number;
  maxInFlight: number;
  /** The sample with the highest memory per URL in flight (of those with at least minInFlight). */
  at: { t: number; usedBytes: number; inFlight: number } | undefined;
  /** (used - baseline) / (in flight / 1000) at that sample. */
  bytesPer1000: number | undefined;
  /** The same after subtracting the retained completed jobs' estimate (when known). */
  bytesPer1000Net: number | undefined;
  retainedBytesAt: number | undefined;
  /** Median of the net ratio over the same samples (less sensitive to one odd sample). */
  medianNetPer1000: number | undefined;
}

/**
 * Redis memory per 1,000 URLs in flight: the peak over the samples of (used - baseline) /
 * (in flight / 1000), net of the retained completed jobs when their estimate is known (those
 * are kept whatever is in flight, and at the tail of a run they would dominate). Samples with
 * fewer than `minInFlight` URLs in flight are ignored (the ratio means nothing there).
 */
export function memoryPer1000(samples: readonly MemorySample[], baselineBytes: number, minInFlight = 1): MemoryPeak | undefined {
  if (samples.length === 0) return undefined;
  let peak: MemorySample | undefined;
  let best: { s: MemorySample; ratio: number } | undefined;
  let maxInFlight = 0;
  const ratios: number[] = [];
  for (const s of samples) {
    if (s.inFlight > maxInFlight) maxInFlight = s.inFlight;
    if (!peak || s.usedBytes > peak.usedBytes) peak = s;
    if (s.inFlight < Math.max(1, minInFlight)) continue;
    const ratio = (s.usedBytes - baselineBytes - (s.retainedBytes ?? 0)) / (s.inFlight / 1000);
    ratios.push(ratio);
    if (!best || ratio > best.ratio) best = { s, ratio };
  }
  const at = best?.s;
  return {
    baselineBytes, peakUsedBytes: peak!.usedBytes, inFlightAtPeak: peak!.inFlight, maxInFlight,
    at: at ? { t: at.t, usedBytes: at.usedBytes, inFlight: at.inFlight } : undefined,
    bytesPer1000: at ? (at.usedBytes - baselineBytes) / (at.inFlight / 1000) : undefined,
    bytesPer1000Net: at && at.retainedBytes !== undefined ? (at.usedBytes - baselineBytes - at.retainedBytes) / (at.inFlight / 1000) : undefined,
    retainedBytesAt: at?.retainedBytes,
    medianNetPer1000: ratios.length > 0 ? percentile(ratios, 50) : undefined,
  };
}

/** Total time covered by a set of [start, end] intervals (overlaps counted once), in their unit. */
export function busyTime(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = intervals.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b >= a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of sorted) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else if (b > cur[1]) {
      cur[1] = b;
    }
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/** Round to `digits` decimals; non-finite values stay as they are (NaN for "not measured"). */
export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** One moment of a run for one component: articles it had done and the CPU ms it had used since the start. */
export interface CpuSample {
  articles: number;
  cpuMs: number;
}

/**
 * CPU ms per article over consecutive equal parts of `total` articles (quarters by default): the
 * CPU a component used while its count went from k/parts to (k+1)/parts of `total`, each end
 * interpolated linearly between the samples around it. Why: a worker process's cost falls over
 * a run (the JIT warms up, gathered batches grow once the fetch stage's burst is over), and one
 * average over the run hides how much. Samples must be in time order, starting at the run's
 * start ({ articles: 0, cpuMs: 0 } or the counts then); a part the samples do not reach is null.
 */
export function cpuPerArticleByPart(samples: readonly CpuSample[], total: number, parts = 4): Array<number | null> {
  const cpuAt = (target: number) => valueWhenCountReached(samples, target, (s) => s.articles, (s) => s.cpuMs);
  if (!(total > 0) || !(parts >= 1)) return [];
  const out: Array<number | null> = [];
  for (let k = 0; k < parts; k++) {
    const a = (k * total) / parts;
    const b = ((k + 1) * total) / parts;
    const ca = cpuAt(a);
    const cb = cpuAt(b);
    out.push(ca === undefined || cb === undefined ? null : Math.max(0, cb - ca) / (b - a));
  }
  return out;
}

/** Jobs added between two readings of a queue's id counter, and the stage's URLs per job. */
export function jobsOf(before: number | undefined, after: number | undefined, articles: number): { jobs: number | null; urls_per_job: number | null } {
  if (after === undefined || !Number.isFinite(after)) return { jobs: null, urls_per_job: null };
  const jobs = after - (before ?? 0);
  return { jobs, urls_per_job: jobs > 0 ? round(articles / jobs, 2) : null };
}
