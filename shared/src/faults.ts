/**
 * Fault injection, for tests and chaos runs ONLY. Inactive unless the environment variable
 * TIDINGS_FAULTS is set (and non-empty); nothing here runs otherwise. The stage adapter calls
 * `injectFault` before a job's handler.
 *
 *   TIDINGS_FAULTS="<kind>[@<stage>]:<url substring>,..."
 *
 * A rule applies to a job when the job's URL (normalised or as given) contains the substring,
 * and, with `@<stage>`, only in that stage (without it: in the first stage, `fetch`). Kinds:
 *
 *   crash   the worker process dies at once (SIGKILL to itself: no cleanup, no drain), as if
 *           the machine or the OOM killer took it; the job stalls and is retried elsewhere,
 *           and after maxStalledCount such deaths it fails with reason `stalled`
 *   hang    the job never finishes (an asynchronous hang: a promise that never settles); the
 *           job deadline (TIDINGS_JOB_TIMEOUT_MS) abandons it with `job_timeout`
 *   error   the attempt fails with a transient error (reason `injected_fault`)
 *   fatal   the attempt fails with a permanent error (reason `injected_fault`)
 *
 * Example: TIDINGS_FAULTS="crash:/poison/,hang@clean:/sleepy/".
 */
import { StageError } from "./errors.ts";

export type FaultKind = "crash" | "hang" | "error" | "fatal";

export interface FaultRule {
  kind: FaultKind;
  /** Only in this stage; undefined: the fetch stage. */
  stage?: string;
  match: string;
}

const KINDS = new Set<FaultKind>(["crash", "hang", "error", "fatal"]);

/** Parse TIDINGS_FAULTS; throws on a malformed rule (a typo must not silently disable a test). */
export function parseFaults(spec: string | undefined): FaultRule[] {
  if (!spec || !spec.trim()) return [];
  return spec.split(",").map((s) => s.trim()).filter(Boolean).map((rule) => {
    const m = /^([a-z]+)(?:@([a-z]+))?:(.+)$/.exec(rule);
    if (!m || !KINDS.has(m[1] as FaultKind)) throw new Error(`TIDINGS_FAULTS: bad rule ${JSON.stringify(rule)} (kind[@stage]:substring, kind one of ${[...KINDS].join(", ")})`);
    return { kind: m[1] as FaultKind, ...(m[2] ? { stage: m[2] } : {}), match: m[3]! };
  });
}

let cached: { spec: string; rules: FaultRule[] } | undefined;

function rules(env: NodeJS.ProcessEnv): FaultRule[] {
  const spec = env.TIDINGS_FAULTS ?? "";
  if (!spec) return [];
  if (cached?.spec !== spec) cached = { spec, rules: parseFaults(spec) };
  return cached.rules;
}

/** The rule that applies to this job, if any (always undefined when TIDINGS_FAULTS is unset). */
export function faultFor(stage: string, urls: (string | undefined)[], env: NodeJS.ProcessEnv = process.env): FaultRule | undefined {
  const list = rules(env);
  if (list.length === 0) return undefined;
  return list.find((r) => (r.stage ?? "fetch") === stage && urls.some((u) => u !== undefined && u.includes(r.match)));
}

/** Act out the fault for this job, if one is configured; returns at once otherwise. */
export async function injectFault(stage: string, urls: (string | undefined)[], log?: { warn: (msg: string, meta?: object) => unknown }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const rule = faultFor(stage, urls, env);
  if (!rule) return;
  log?.warn("injected fault (TIDINGS_FAULTS)", { kind: rule.kind, match: rule.match });
  switch (rule.kind) {
    case "crash":
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => undefined); // not reached
      return;
    case "hang":
      await new Promise(() => undefined);
      return;
    case "error":
      throw new StageError("injected_fault", `transient fault injected for ${rule.match}`, { permanent: false });
    case "fatal":
      throw new StageError("injected_fault", `permanent fault injected for ${rule.match}`, { permanent: true });
  }
}
