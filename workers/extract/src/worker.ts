/** BullMQ adapter of the extract stage: events from the cleaned article. */
import { createStageWorker, QueueName, type Config, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { extractEvents } from "./index.ts";

export function createExtractWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  return createStageWorker(QueueName.Extract, async (payload, ctx) => {
    const { envelope, article, translation } = payload;
    const published = article.published ?? envelope.meta?.published;
    const events = extractEvents({
      article, translation,
      source: { id: envelope.source_id, url: envelope.url, ...(published ? { published: published.slice(0, 10) } : {}) },
    });
    ctx.log.info("extracted", { events: events.length });
    return { ...payload, kind: "article" as const, events };
  }, deps);
}
