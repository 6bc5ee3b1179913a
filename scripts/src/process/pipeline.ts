/**
 * The in-process pipeline: clean -> language -> translate -> extract on one local file or URL,
 * with no Redis and no Elasticsearch. The `process` command and the event evaluation both run
 * exactly this, so what they measure is what the queue pipeline does.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cleanPage } from "@tidings/clean";
import { extractEvents } from "@tidings/extract";
import { fetchPage, policyFromEnv } from "@tidings/fetch";
import { loadLocalPage } from "@tidings/fetch/local-page";
import {
  loadConfig, normaliseUrl, siteOf, sourceIdOf,
  type ExtractedEvent, type FetchedPage, type SourceMeta, type SourceRecord, type TranslationInfo,
} from "@tidings/shared";
import { createProvider, translateArticle, type TranslationProvider } from "@tidings/translate";

export interface ProcessOutput {
  input: string;
  source: SourceRecord;
  events: ExtractedEvent[];
}

export interface ProcessOptions {
  /** Translation provider name (default: TIDINGS_TRANSLATE_PROVIDER, i.e. the stub unless set). */
  provider?: string;
  target?: string;
}

/** One provider per name for the whole run (the http one asks the server for its languages once). */
const providers = new Map<string, TranslationProvider>();
function providerNamed(name: string): TranslationProvider {
  let p = providers.get(name);
  if (!p) providers.set(name, (p = createProvider(name)));
  return p;
}

/** Read `F.meta.json` beside an input file, if there is one. */
export async function readSidecar(path: string): Promise<SourceMeta> {
  try {
    const meta = JSON.parse(await readFile(`${path}.meta.json`, "utf8")) as SourceMeta;
    return meta && typeof meta === "object" ? meta : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`${path}.meta.json: ${(err as Error).message}`);
  }
}

export async function processPage(input: string, page: FetchedPage, meta: SourceMeta, url: string, opts: ProcessOptions = {}): Promise<ProcessOutput> {
  const id = sourceIdOf(url);
  const article = cleanPage({ body: page.body, kind: page.kind, url }, { ...meta, url });
  const config = loadConfig();
  const translation: TranslationInfo = await translateArticle(article, providerNamed(opts.provider ?? config.translateProvider), opts.target ?? config.translateTarget);
  const published = article.published ?? meta.published;
  const events = extractEvents({ article, translation, source: { id, url, ...(published ? { published: published.slice(0, 10) } : {}) } });
  const site = siteOf(url);
  const source: SourceRecord = {
    id, url, ...(page.final_url !== url ? { final_url: page.final_url } : {}),
    ...(article.canonical_url ? { canonical_url: article.canonical_url } : {}),
    ...(site ? { site } : {}),
    batch_ids: [], status: "indexed",
    ...(article.title ? { title: article.title } : {}),
    text: article.text,
    ...(article.description ? { description: article.description } : {}),
    language: article.language, language_confidence: article.language_confidence,
    ...(article.script ? { script: article.script } : {}),
    ...(published ? { published } : {}),
    authors: article.authors, fetched_at: page.fetched_at, http_status: page.http_status,
    content_type: page.content_type, charset: page.charset, bytes: page.bytes,
    translation, event_ids: [...new Set(events.map((e) => e.id))], num_events: events.length,
    updated_at: new Date().toISOString(),
  };
  return { input, source, events };
}

/** Process a local .html/.htm/.txt file (with its optional `.meta.json` sidecar). */
export async function processLocalFile(path: string, opts: ProcessOptions = {}): Promise<ProcessOutput> {
  const meta = await readSidecar(path);
  let url = pathToFileURL(resolve(path)).toString();
  if (meta.url) {
    try { url = normaliseUrl(meta.url); } catch { /* keep the file URL */ }
  }
  const page = await loadLocalPage(path, url);
  return processPage(path, page, meta, url, opts);
}

/** Process an http(s) URL, fetched with the fetch stage's own policy. */
export async function processUrl(input: string, opts: ProcessOptions = {}): Promise<ProcessOutput> {
  const url = normaliseUrl(input);
  const page = await fetchPage(url, policyFromEnv());
  return processPage(input, page, {}, url, opts);
}
