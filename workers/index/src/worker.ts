/** BullMQ adapter of the index stage: writes sources, events and mentions; records how each URL ended. */
import {
  createStageWorker, MetricsRecorder, QueueName, StageError,
  type ElasticsearchClient, type IndexPayload, type StageContext, type Producer, type Config,
} from "@tidings/shared";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { IndexBatcher, type BatcherOptions } from "./batcher.ts";
import { articleSourceDoc, failureSourceDoc, isoDateOrUndefined, sourceVersion } from "./documents.ts";
import { IndexWriter } from "./writer.ts";

export interface IndexStage {
  batcher: IndexBatcher;
  writer: IndexWriter;
}

export async function handleIndexJob(payload: IndexPayload, ctx: StageContext, stage: IndexStage): Promise<void> {
  const { envelope } = payload;
  const batches = ctx.producer.batches;
  const batchIds = [...new Set([envelope.batch_id, ...(await batches.batchesOfSource(envelope.source_id))])].sort();
  const now = new Date().toISOString();

  if (payload.kind === "attach-batch") {
    // The URL was already done when this batch named it again: add the batch to its record.
    const current = await stage.writer.getSource(envelope.source_id);
    if (!current) return; // still in flight: its own index job reads the batch list
    const merged = [...new Set([...current.doc.batch_ids, ...batchIds])].sort();
    if (merged.length !== current.doc.batch_ids.length) {
      const r = await stage.writer.writeSource({ ...current.doc, batch_ids: merged }, current.version);
      if (r === "stale") throw new StageError("es_conflict", "source changed while attaching batch", { permanent: false });
    }
    await batches.markEnded([envelope.batch_id], envelope.source_id, current.doc.status,
      current.doc.failure ? `${current.doc.failure.stage}:${current.doc.failure.reason}` : undefined);
    return;
  }

  if (payload.kind === "failure") {
    await stage.batcher.submit({ source: { doc: failureSourceDoc(payload, batchIds, now), version: sourceVersion(envelope) }, events: [] });
    await batches.markEnded(batchIds, envelope.source_id, payload.status, `${payload.failure.stage}:${payload.failure.reason}`);
    ctx.log.info("source recorded", { status: payload.status, reason: payload.failure.reason, stage: payload.failure.stage });
    return;
  }

  const seen = isoDateOrUndefined(payload.article.published ?? envelope.meta?.published) ?? payload.page.fetched_at;
  const doc = articleSourceDoc(payload, batchIds, payload.events.map((e) => e.id), now);
  const { eventIds } = await stage.batcher.submit({
    source: { doc, version: sourceVersion(envelope) },
    events: payload.events,
    eventSource: { id: envelope.source_id, language: payload.article.language, seen, mentions: 0 },
  });
  await batches.markEnded(batchIds, envelope.source_id, "indexed", undefined, QueueName.Index);
  ctx.log.info("source indexed", { events: eventIds.length, language: doc.language });
}

/** TIDINGS_INDEX_FLUSH_MS: longest wait before a bulk flush (see BatcherOptions.maxWaitMs); unset: the batcher's default. */
export function flushWaitFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.TIDINGS_INDEX_FLUSH_MS?.trim();
  if (!raw) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0 || v > 60_000) throw new Error(`TIDINGS_INDEX_FLUSH_MS must be an integer between 0 and 60000, got ${JSON.stringify(raw)}`);
  return v;
}

export function createIndexStage(es: ElasticsearchClient, config: Config, opts: BatcherOptions = {}): IndexStage {
  const maxWaitMs = flushWaitFromEnv();
  return {
    batcher: new IndexBatcher(es, config.indexPrefix, { maxJobs: config.concurrency.index, ...(maxWaitMs === undefined ? {} : { maxWaitMs }), ...opts }),
    writer: new IndexWriter(es, config.indexPrefix),
  };
}

export function createIndexWorker(deps: { connection: Redis; config: Config; producer: Producer; es: ElasticsearchClient }): { worker: Worker; stage: IndexStage } {
  // Bulk request latency per kind, for the dashboard's /metrics.
  const metrics = new MetricsRecorder(deps.connection, deps.config.queuePrefix);
  const stage = createIndexStage(deps.es, deps.config, { onBulk: (kind, _docs, ms) => metrics.esBulk(kind, ms) });
  const worker = createStageWorker(QueueName.Index, (payload, ctx) => handleIndexJob(payload, ctx, stage), deps);
  worker.on("closed", () => metrics.flush());
  return { worker, stage };
}
