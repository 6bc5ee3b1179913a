/** BullMQ adapter of the translate stage. */
import { createStageWorker, QueueName, type Config, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createProvider } from "./providers.ts";
import { translateArticle } from "./translate.ts";

export function createTranslateWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  const provider = createProvider(deps.config.translateProvider);
  return createStageWorker(QueueName.Translate, async (payload, ctx) => {
    const translation = await translateArticle(payload.article, provider, ctx.config.translateTarget);
    ctx.log.info("translated", { provider: translation.provider, translated: translation.translated, reason: translation.reason });
    return { ...payload, translation };
  }, deps);
}
