/**
 * Job payloads: one envelope that every job carries (which URL, which batch, which run,
 * the correlation id), plus what each stage hands the next. Payloads are validated where
 * jobs are read (`parsePayload`): a malformed job fails loudly and for good.
 */
import { z } from "zod";
import { PARAGRAPH_SEPARATOR, type CleanedArticle, type FetchedPage, type SourceMeta } from "./article.ts";
import type { ExtractedEvent, Failure, TranslationInfo } from "./model.ts";
import { JobName, QueueName } from "./queues.ts";

export const ENVELOPE_VERSION = 1;

export interface JobEnvelope {
  v: typeof ENVELOPE_VERSION;
  /** Hash of the normalised URL (for a URL that could not be normalised: of the raw input). */
  source_id: string;
  /** The normalised URL (or the raw input when it was not a valid URL). */
  url: string;
  /** The URL as the user gave it. */
  input_url: string;
  batch_id: string;
  /** One id per URL per run, in every log line of every stage. */
  correlation_id: string;
  /** Run key: identifies one pass of a URL through the pipeline; downstream job ids use it. */
  run: string;
  enqueued_at: string;
  meta?: SourceMeta;
  /** A saved page to read instead of fetching the URL (enqueue of local files). */
  local_file?: string;
}

/** The fetched page without its body: what later stages keep for the source record. */
export type PageInfo = Omit<FetchedPage, "body">;

export interface FetchPayload { envelope: JobEnvelope }
/**
 * The fetched page goes to the clean stage with its body inline (small pages) or as `body_ref`,
 * the key of its compressed body in Redis (see bodies.ts); exactly one of the two is set.
 */
export interface CleanPayload { envelope: JobEnvelope; page: Omit<FetchedPage, "body"> & { body?: string; body_ref?: string } }
export interface TranslatePayload { envelope: JobEnvelope; page: PageInfo; article: CleanedArticle }
export interface ExtractPayload extends TranslatePayload { translation: TranslationInfo }
export interface IndexArticlePayload extends ExtractPayload { kind: "article"; events: ExtractedEvent[] }
export interface IndexFailurePayload {
  kind: "failure";
  envelope: JobEnvelope;
  /** "failed" for errors, "skipped" for pages we decline by policy (e.g. a PDF). */
  status: "failed" | "skipped";
  failure: Failure;
  page?: PageInfo;
}
export interface AttachBatchPayload { kind: "attach-batch"; envelope: JobEnvelope }
export type IndexPayload = IndexArticlePayload | IndexFailurePayload | AttachBatchPayload;

/** The payload each queue carries. */
export interface PayloadOf {
  [QueueName.Fetch]: FetchPayload;
  [QueueName.Clean]: CleanPayload;
  [QueueName.Translate]: TranslatePayload;
  [QueueName.Extract]: ExtractPayload;
  [QueueName.Index]: IndexPayload;
}

export type AnyPayload = PayloadOf[QueueName];

// ---- validation -------------------------------------------------------------------------

const metaSchema = z.object({
  url: z.string().optional(), published: z.string().optional(), title: z.string().optional(),
  language: z.string().optional(), label: z.string().optional(), ignore_robots: z.boolean().optional(),
}).passthrough();

export const envelopeSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  source_id: z.string().regex(/^[0-9a-f]{32}$/),
  url: z.string().min(1).max(16384),
  input_url: z.string().max(16384),
  batch_id: z.string().min(1).max(128),
  correlation_id: z.string().min(1).max(128),
  run: z.string().min(1).max(64),
  enqueued_at: z.string(),
  meta: metaSchema.optional(),
  local_file: z.string().optional(),
});

const pageSchema = z.object({
  requested_url: z.string(), final_url: z.string(), http_status: z.number().int(),
  content_type: z.string(), kind: z.enum(["html", "text"]), charset: z.string(),
  fetched_at: z.string(), bytes: z.number(),
}).passthrough();

// `text` may be absent: on the wire it is left out (see toWire) and parsePayload restores it.
const articleSchema = z.object({
  paragraphs: z.array(z.string()), text: z.string().optional(), language: z.string(),
  language_confidence: z.number(), authors: z.array(z.string()),
}).passthrough();

const translationSchema = z.object({
  provider: z.string(), source_language: z.string(), target_language: z.string(), translated: z.boolean(),
}).passthrough();

const eventSchema = z.object({
  id: z.string(), type: z.string(), actors: z.array(z.object({ role: z.enum(["source", "target"]), country: z.string() }).passthrough()),
  date: z.object({ value: z.string(), precision: z.enum(["day", "month", "year"]) }).passthrough(),
  evidence: z.array(z.object({ source_id: z.string(), sentence: z.string() }).passthrough()),
}).passthrough();

const failureSchema = z.object({
  stage: z.string(), reason: z.string(), detail: z.string(), attempts: z.number().int(),
});

const schemas: Record<QueueName, z.ZodType> = {
  [QueueName.Fetch]: z.object({ envelope: envelopeSchema }),
  [QueueName.Clean]: z.object({
    envelope: envelopeSchema,
    page: pageSchema.extend({ body: z.string().optional(), body_ref: z.string().max(300).optional() })
      .refine((p) => (p.body === undefined) !== (p.body_ref === undefined), "exactly one of body and body_ref"),
  }),
  [QueueName.Translate]: z.object({ envelope: envelopeSchema, page: pageSchema, article: articleSchema }),
  [QueueName.Extract]: z.object({ envelope: envelopeSchema, page: pageSchema, article: articleSchema, translation: translationSchema }),
  [QueueName.Index]: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("article"), envelope: envelopeSchema, page: pageSchema, article: articleSchema, translation: translationSchema, events: z.array(eventSchema) }),
    z.object({ kind: z.literal("failure"), envelope: envelopeSchema, status: z.enum(["failed", "skipped"]), failure: failureSchema, page: pageSchema.optional() }),
    z.object({ kind: z.literal("attach-batch"), envelope: envelopeSchema }),
  ]),
};

export class InvalidPayloadError extends Error {
  constructor(readonly queue: QueueName, readonly problems: string[]) {
    super(`invalid ${queue} job payload: ${problems.slice(0, 5).join("; ")}`);
    this.name = "InvalidPayloadError";
  }
}

/** Validate a job's data against its queue's schema; throws InvalidPayloadError. */
export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): PayloadOf[Q] {
  const result = schemas[queue].safeParse(data);
  if (!result.success) {
    throw new InvalidPayloadError(queue, result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  const article = (data as { article?: { paragraphs: string[]; text?: string } }).article;
  if (article && article.text === undefined) article.text = article.paragraphs.join(PARAGRAPH_SEPARATOR);
  return data as PayloadOf[Q];
}

/**
 * A payload as it travels through Redis. An article's `text` is its paragraphs joined, which
 * made it half of every translate, extract and index job: it is left out when it is exactly
 * that, and parsePayload puts it back. Anything else is sent as it is.
 */
export function toWire<T>(payload: T): T {
  const article = (payload as { article?: { paragraphs?: unknown; text?: unknown } } | null)?.article;
  if (!article || typeof article.text !== "string" || !Array.isArray(article.paragraphs)) return payload;
  if (article.text !== article.paragraphs.join(PARAGRAPH_SEPARATOR)) return payload;
  const { text: _text, ...rest } = article;
  return { ...payload, article: rest };
}

// ---- job ids ----------------------------------------------------------------------------
// Deterministic ids make re-adding a job a no-op (BullMQ ignores an id it already holds), so a
// stage that crashes after handing on its output and is retried does not create a second job.

export function jobIdFor(queue: QueueName, payload: AnyPayload): string {
  const e = payload.envelope;
  if (queue === QueueName.Index) {
    const p = payload as IndexPayload;
    if (p.kind === "attach-batch") return `attach-${e.source_id}-${e.batch_id}`;
    if (p.kind === "failure") return `fail-${e.source_id}-${e.run}`;
    return `index-${e.source_id}-${e.run}`;
  }
  return `${queue}-${e.source_id}-${e.run}`;
}

export function jobNameFor(queue: QueueName, payload: AnyPayload): JobName {
  switch (queue) {
    case QueueName.Fetch: return JobName.FetchUrl;
    case QueueName.Clean: return JobName.CleanPage;
    case QueueName.Translate: return JobName.TranslateArticle;
    case QueueName.Extract: return JobName.ExtractEvents;
    case QueueName.Index: {
      const kind = (payload as IndexPayload).kind;
      return kind === "article" ? JobName.IndexArticle : kind === "failure" ? JobName.IndexFailure : JobName.AttachBatch;
    }
  }
}

/** Strip the page body (or its reference): later stages keep the page's provenance, not its bytes. */
export function pageInfo(page: FetchedPage | PageInfo | CleanPayload["page"]): PageInfo {
  const { body: _body, body_ref: _ref, ...info } = page as CleanPayload["page"];
  return info;
}
