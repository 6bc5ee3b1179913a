/** BullMQ adapter of the translate stage. */
import { createStageWorker, QueueName, rootLogger, type Config, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { TranslateStats } from "./provider.ts";
import { createProvider } from "./providers.ts";
import { translateArticle } from "./translate.ts";

export function createTranslateWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  // Created before the worker starts, so a misconfigured provider (e.g. http without
  // TIDINGS_TRANSLATE_URL) stops the process at start-up with a ConfigError.
  const provider = createProvider(deps.config.translateProvider, {
    redis: deps.connection,
    cachePrefix: `${deps.config.queuePrefix}:translate:`,
    log: rootLogger().child({ stage: "translate" }),
  });
  return createStageWorker(QueueName.Translate, async (payload, ctx) => {
    const started = Date.now();
    let stats: TranslateStats | undefined;
    const translation = await translateArticle(payload.article, provider, ctx.config.translateTarget, {
      onResult: (r) => { stats = r.stats; },
    });
    ctx.log.info("translated", {
      provider: translation.provider, translated: translation.translated, reason: translation.reason,
      source_language: translation.source_language, ms: Date.now() - started, ...(stats ? { stats } : {}),
    });
    return { ...payload, translation };
  }, deps);
}
