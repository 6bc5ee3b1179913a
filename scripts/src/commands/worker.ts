/**
 * `tidings worker [--stages fetch,clean,...]`: run stage workers in this process (all five by
 * default). SIGINT/SIGTERM drain them: stop taking jobs, let active ones finish within
 * TIDINGS_SHUTDOWN_TIMEOUT_MS (then leave them to be picked up again as stalled), then close
 * the producer, Elasticsearch and Redis, in that order.
 */
import { parseArgs } from "node:util";
import {
  createElasticsearch, createRedis, isQueueName, loadConfig, PIPELINE, Producer, QueueName, rootLogger,
  type Config, type ElasticsearchClient,
} from "@tidings/shared";
import type { Worker } from "bullmq";
import { gcMode } from "../worker-node-flags.ts";
import type { Redis } from "ioredis";

export function parseStages(value: string | undefined): QueueName[] {
  if (!value || value === "all") return [...PIPELINE];
  const stages = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = stages.filter((s) => !isQueueName(s));
  if (bad.length > 0) throw new Error(`unknown stage(s) ${bad.join(", ")} (known: ${PIPELINE.join(", ")})`);
  return [...new Set(stages)] as QueueName[];
}

export interface RunningWorkers {
  workers: Worker[];
  stop(): Promise<void>;
}

/** Start the chosen stage workers; used by the `worker` command, the demo and the tests. */
export async function startWorkers(stages: QueueName[], config: Config = loadConfig()): Promise<RunningWorkers> {
  const log = rootLogger();
  const connection: Redis = createRedis(config, "worker");
  const producer = new Producer(connection, config);
  let es: ElasticsearchClient | undefined;
  const deps = { connection, config, producer };
  const workers: Worker[] = [];
  // Each stage's code is imported only when this process runs that stage: a stage's module brings
  // its data (lexicons, gazetteers, dictionaries, the Elasticsearch client), and a process that
  // does not need them would still carry them and mark them in every full garbage collection.
  for (const stage of stages) {
    switch (stage) {
      case QueueName.Fetch: workers.push((await import("@tidings/fetch/worker")).createFetchWorker(deps)); break;
      case QueueName.Clean: workers.push((await import("@tidings/clean/worker")).createCleanWorker(deps)); break;
      case QueueName.Translate: workers.push((await import("@tidings/translate")).createTranslateWorker(deps)); break;
      case QueueName.Extract: workers.push((await import("@tidings/extract/worker")).createExtractWorker(deps)); break;
      case QueueName.Index: {
        const { createIndexWorker, ensureIndices, SEGMENTATION_VERSION } = await import("@tidings/index");
        es = createElasticsearch(config);
        // Indices whose segmented fields an older version made: new documents go in segmented the
        // new way, old ones stay as they were until a reindex, and queries miss them where the two differ.
        for (const s of await ensureIndices(es, config.indexPrefix)) {
          log.warn("index segmented by an older version: queries on its *_seg fields miss old documents where segmentation changed; run `tidings reindex all`",
            { index: s.index, kind: s.kind, segmentation: s.segmentation, current: SEGMENTATION_VERSION });
        }
        const index = createIndexWorker({ ...deps, es });
        workers.push(index.worker);
        break;
      }
    }
  }
  log.info("workers started", { stages, concurrency: stages.map((s) => config.concurrency[s]), gc: gcMode() });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    log.info("workers draining", { deadline_ms: config.shutdownTimeoutMs });
    const drained = Promise.all(workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), config.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) {
      log.warn("shutdown deadline passed: leaving active jobs to be retried as stalled");
      await Promise.all(workers.map((w) => w.close(true)));
    }
    await producer.close();
    await es?.close();
    await connection.quit().catch(() => connection.disconnect());
    log.info("workers stopped");
  })());
  return { workers, stop };
}

export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { stages: { type: "string" } }, allowPositionals: false });
  const running = await startWorkers(parseStages(values.stages));
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      rootLogger().info("signal received", { signal });
      running.stop().then(resolve, resolve);
    };
    process.once("SIGINT", () => onSignal("SIGINT"));
    process.once("SIGTERM", () => onSignal("SIGTERM"));
  });
  return 0;
}
