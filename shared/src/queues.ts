/**
 * Queue and job names: one queue per stage, jobs flow fetch -> clean -> translate -> extract
 * -> index. `nextQueue` is the one place that decides where a stage's output goes.
 */

export enum QueueName {
  Fetch = "fetch",
  Clean = "clean",
  Translate = "translate",
  Extract = "extract",
  Index = "index",
}

export const PIPELINE: readonly QueueName[] = [
  QueueName.Fetch, QueueName.Clean, QueueName.Translate, QueueName.Extract, QueueName.Index,
];

export enum JobName {
  FetchUrl = "fetch-url",
  CleanPage = "clean-page",
  TranslateArticle = "translate-article",
  ExtractEvents = "extract-events",
  IndexArticle = "index-article",
  IndexFailure = "index-failure",
  AttachBatch = "attach-batch",
  /** Several URLs' payloads in one job (bundles.ts): after fetch, and in fetch with TIDINGS_FETCH_BUNDLE_MAX. */
  Bundle = "bundle",
}

/** The queue that receives a stage's successful output (index is the last one). */
export function nextQueue(stage: QueueName): QueueName | undefined {
  const i = PIPELINE.indexOf(stage);
  return PIPELINE[i + 1];
}

export function isQueueName(value: string): value is QueueName {
  return (PIPELINE as readonly string[]).includes(value);
}
