/** BullMQ adapter of the clean stage: main text, metadata and language of the fetched page. */
import { createStageWorker, pageInfo, QueueName, type Config, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { cleanPage } from "./index.ts";

export function createCleanWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  return createStageWorker(QueueName.Clean, async (payload, ctx) => {
    const { envelope, page } = payload;
    const article = cleanPage({ body: page.body, kind: page.kind, url: page.final_url }, { ...envelope.meta, url: envelope.url });
    ctx.log.info("cleaned", { paragraphs: article.paragraphs.length, chars: article.text.length, language: article.language, published: article.published });
    return { envelope, page: pageInfo(page), article };
  }, deps);
}
