/**
 * What the stages hand each other: the fetched page, the cleaned article.
 * These types are the pure functions' inputs and outputs; the queue payloads wrap them.
 */

/** What a crawler knows about a URL besides its bytes (enqueue metadata or a `.meta.json` sidecar). */
export interface SourceMeta {
  url?: string;
  /** ISO date (YYYY-MM-DD or full timestamp) that anchors relative dates when the page lacks one. */
  published?: string;
  title?: string;
  /** ISO 639-1 language the caller asserts. */
  language?: string;
  label?: string;
  /** Fetch this URL even where robots.txt disallows it (an explicit per-batch choice). */
  ignore_robots?: boolean;
}

/** A page as the fetch stage (or a local file) delivers it: decoded text plus provenance. */
export interface FetchedPage {
  requested_url: string;
  final_url: string;
  http_status: number;
  content_type: string;
  /** "html" for HTML/XHTML, "text" for plain text. */
  kind: "html" | "text";
  /** The charset the body was decoded with (e.g. "utf-8", "gbk") and how it was decided. */
  charset: string;
  charset_source?: "header" | "bom" | "meta" | "sniffed" | "default" | "file";
  /**
   * Mis-decoding layers the fetch stage undid ("mojibake": text once read in the wrong charset and
   * saved again as UTF-8), outermost first, e.g. ["windows-1252", "iso-8859-15", "gbk"]. Absent
   * when the body was read as it came.
   */
  charset_repaired?: string[];
  last_modified?: string;
  etag?: string;
  fetched_at: string;
  bytes: number;
  timing_ms?: number;
  redirects?: string[];
  /** Decoded body. */
  body: string;
}

export interface LanguageGuess {
  /** ISO 639-1 code, or "und" when the text is too short to tell. */
  language: string;
  confidence: number;
  /** ISO 15924 script, e.g. "Hans", "Hant", "Latn", "Cyrl", "Kore", "Jpan". */
  script?: string;
}

/** What an article's `text` is made of: its paragraphs joined with this. */
export const PARAGRAPH_SEPARATOR = "\n\n";

/** The clean stage's output: the article and its metadata. */
export interface CleanedArticle {
  title?: string;
  /** Paragraphs of the article body, in order. */
  paragraphs: string[];
  /** paragraphs joined with PARAGRAPH_SEPARATOR (offsets in evidence refer to this string). */
  text: string;
  language: string;
  language_confidence: number;
  script?: string;
  /** ISO date (YYYY-MM-DD) or timestamp the page states it was published. */
  published?: string;
  authors: string[];
  site_name?: string;
  canonical_url?: string;
  description?: string;
}
