/**
 * Where a stage's output goes next: the one place follow-up jobs are decided (stage-worker.ts
 * asks it for every job that completes).
 *
 * The next queue in PIPELINE, with one shortcut. An article that needs no translation whatever
 * the provider (already in the target language, language unknown, nothing to translate) skips
 * the translate queue: it goes straight to extract carrying the provenance the translate stage
 * would have recorded (translationNotNeeded, which that stage uses too), and counts as having
 * passed translate in its batches. Why: a queue hop costs about what a small stage's work does
 * (BullMQ's scripts in Redis, serialising the job both ways, waking the worker: 1.4-2.8 ms of CPU
 * a job for the stub translate stage in `npm run bench` when this was written, 0.5-0.6 ms since
 * workers gather arrivals, gather.ts), and for these articles the translate stage has nothing to do. What a provider might decline (an unsupported pair) it is
 * still asked, in the translate stage.
 */
import type { CleanedArticle } from "./article.ts";
import type { Config } from "./config.ts";
import type { PayloadOf } from "./jobs.ts";
import type { TranslationInfo } from "./model.ts";
import { nextQueue, QueueName } from "./queues.ts";

/** The primary language subtag, lower-cased: "en-US" -> "en", "zh-Hans" -> "zh". */
export function baseLanguage(code: string): string {
  return (code.trim().toLowerCase().split(/[-_]/)[0] ?? "");
}

/**
 * The translation record of an article no provider needs to see, or undefined when the provider
 * must be asked. Reasons: same_language (already in `target`), unknown_language (detected as
 * "und"), empty (no title and no paragraphs). `provider` is the configured provider's name.
 */
export function translationNotNeeded(article: CleanedArticle, provider: string, target: string): TranslationInfo | undefined {
  const source = article.language;
  const base = { provider, source_language: source, target_language: target };
  if (baseLanguage(source) === baseLanguage(target)) return { ...base, translated: false, reason: "same_language" };
  if (!source || source === "und") return { ...base, translated: false, reason: "unknown_language" };
  if (!article.title?.trim() && !article.paragraphs.some((p) => p.trim() !== "")) return { ...base, translated: false, reason: "empty" };
  return undefined;
}

export interface FollowUp {
  /** The queue the job goes to. */
  queue: QueueName;
  /** Its payload: the stage's output, or what the skipped stages would have made of it. */
  payload: PayloadOf[QueueName];
  /** Stages skipped on the way, to count as passed in the job's batches. */
  passed: QueueName[];
}

/** The job that follows a stage's output, or undefined after the last stage (or without output). */
export function followUp(
  stage: QueueName,
  output: PayloadOf[QueueName] | undefined,
  config: Pick<Config, "translateProvider" | "translateTarget">,
): FollowUp | undefined {
  const next = nextQueue(stage);
  if (!next || !output) return undefined;
  if (next === QueueName.Translate) {
    const payload = output as PayloadOf[QueueName.Translate];
    const translation = translationNotNeeded(payload.article, config.translateProvider, config.translateTarget);
    if (translation) return { queue: QueueName.Extract, payload: { ...payload, translation }, passed: [QueueName.Translate] };
  }
  return { queue: next, payload: output, passed: [] };
}
