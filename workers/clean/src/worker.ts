/** BullMQ adapter of the clean stage: main text, metadata and language of the fetched page. */
import {
  BodyStore, closeWithWorker, createCpuRunner, createStageWorker, pageInfo, QueueName,
  type CleanedArticle, type CleanPayload, type Config, type Producer,
} from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { cleanThreadFunctions, type CleanArgs } from "./thread-functions.ts";

export function createCleanWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  const bodies = new BodyStore(deps.connection, deps.config.queuePrefix);
  // cleanPage in the event loop, or in worker threads (config.cpuThreads) so parsing never blocks it.
  const cpu = createCpuRunner(new URL("./thread.js", import.meta.url), deps.config.cpuThreads, cleanThreadFunctions);
  const worker = createStageWorker(QueueName.Clean, async (payload, ctx) => {
    const { envelope, page } = payload;
    const meta = { ...envelope.meta, url: envelope.url };
    // A stored body goes to the thread still compressed, moved rather than copied: it becomes a
    // string only where it is parsed.
    const compressedBody = page.body === undefined ? await bodies.getCompressed(page.body_ref!) : undefined;
    const args: CleanArgs = compressedBody
      ? { page: { compressedBody, kind: page.kind, url: page.final_url }, meta }
      : { page: { body: page.body!, kind: page.kind, url: page.final_url }, meta };
    const article = await cpu.run<CleanedArticle>("clean", args, compressedBody ? [compressedBody.bytes.buffer as ArrayBuffer] : undefined);
    ctx.log.info("cleaned", { paragraphs: article.paragraphs.length, chars: article.text.length, language: article.language, published: article.published });
    return { envelope, page: pageInfo(page), article };
  }, deps, {
    // The stored body is needed until its URL is done here for good (a retry reads it again); then it goes.
    onSettled: (data) => {
      const ref = (data as CleanPayload).page?.body_ref;
      if (ref) bodies.delete(ref).catch(() => undefined);
    },
  });
  return closeWithWorker(worker, cpu);
}
