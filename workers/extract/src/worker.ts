/** BullMQ adapter of the extract stage: events from the cleaned article. */
import { closeWithWorker, createCpuRunner, createStageWorker, QueueName, type Config, type ExtractedEvent, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { ExtractInput } from "./index.ts";
import { extractThreadFunctions } from "./thread-functions.ts";

export function createExtractWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  // extractEvents in the event loop, or in worker threads (config.cpuThreads) so matching never blocks it.
  const cpu = createCpuRunner(new URL("./thread.js", import.meta.url), deps.config.cpuThreads, extractThreadFunctions);
  const worker = createStageWorker(QueueName.Extract, async (payload, ctx) => {
    const { envelope, article, translation } = payload;
    const published = article.published ?? envelope.meta?.published;
    const input: ExtractInput = {
      article, translation,
      source: { id: envelope.source_id, url: envelope.url, ...(published ? { published: published.slice(0, 10) } : {}) },
    };
    const events = await cpu.run<ExtractedEvent[]>("extract", input);
    ctx.log.info("extracted", { events: events.length });
    return { ...payload, kind: "article" as const, events };
  }, deps);
  return closeWithWorker(worker, cpu);
}
