/**
 * `tidings chaos [--urls 2000] [--procs-per-stage 2] [--kills 6] [--es-outage-s 30] [--redis-restart]`:
 * the pipeline under faults (see scripts/src/chaos/run.ts). Runs on its OWN Redis and
 * Elasticsearch (default redis://127.0.0.1:6391 and http://127.0.0.1:9211, data in
 * <repo>/.tidings/chaos), started by the services code when they do not answer, because it
 * restarts the one and freezes the other; it refuses the shared default ports.
 *
 * Options: --no-redis-restart, --redis-url, --elasticsearch-url, --data-dir, --timeout-s (per
 * run, default 1800), --keep-services (leave the chaos services running for the next run),
 * --keep-data (keep the runs' queues and indices), --json. Exit code 0 when nothing was lost,
 * nothing doubled and the events equal the undisturbed run's; 1 otherwise.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PIPELINE } from "@tidings/shared";
import { ChaosRun, formatChaos, type StageProcs } from "../chaos/run.ts";
import { REPO_ROOT, sharedDir } from "../demo/paths.ts";

function int(name: string, v: string | undefined, d: number, min: number, max: number): number {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export async function chaosCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, allowPositionals: false,
    options: {
      urls: { type: "string" }, "procs-per-stage": { type: "string" }, kills: { type: "string" },
      "es-outage-s": { type: "string" }, "redis-restart": { type: "boolean" }, "no-redis-restart": { type: "boolean" },
      "redis-url": { type: "string" }, "elasticsearch-url": { type: "string" }, "data-dir": { type: "string" },
      "timeout-s": { type: "string" }, "keep-services": { type: "boolean" }, "keep-data": { type: "boolean" }, json: { type: "boolean" },
    },
  });
  const shared = sharedDir();
  if (!shared) {
    console.error("tidings chaos: needs the shared data set beside the repository (../shared/corpus) for its pages");
    return 2;
  }
  const procsPerStage = int("procs-per-stage", values["procs-per-stage"], 2, 1, 8);
  const procs = Object.fromEntries(PIPELINE.map((s) => [s, procsPerStage])) as StageProcs;
  const run = new ChaosRun({
    urls: int("urls", values.urls, 2000, 10, 100_000),
    procs,
    kills: int("kills", values.kills, 6, 0, 1000),
    esOutageS: int("es-outage-s", values["es-outage-s"], 30, 0, 3600),
    redisRestart: !values["no-redis-restart"],
    redisUrl: values["redis-url"] ?? "redis://127.0.0.1:6391",
    elasticsearchUrl: values["elasticsearch-url"] ?? "http://127.0.0.1:9211",
    dataDir: values["data-dir"] ?? join(REPO_ROOT, ".tidings", "chaos"),
    sharedDir: shared,
    timeoutMs: int("timeout-s", values["timeout-s"], 1800, 10, 86_400) * 1000,
    keepServices: Boolean(values["keep-services"]),
    keepData: Boolean(values["keep-data"]),
    log: (line) => console.error(line),
  });
  const onSignal = () => {
    run.services.thaw();
    void run.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const r = await run.run();
    if (values.json) {
      console.log(JSON.stringify({
        urls: r.urls, kills: r.chaos.kills, redis_restarts: r.chaos.redisRestarts, es_outage_s: r.chaos.esOutageMs / 1000,
        time_s: r.chaos.ms / 1000, reference_time_s: r.reference.ms / 1000, lost: r.lost, duplicated: r.duplicated,
        events_equal: r.comparison.equal, redis_peak_bytes_per_1000: Math.round((r.chaos.redisPeak - r.chaos.redisBaseline) / (r.urls / 1000)),
        ok: r.ok,
      }));
    } else {
      console.log(formatChaos(r));
    }
    return r.ok ? 0 : 1;
  } finally {
    await run.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
