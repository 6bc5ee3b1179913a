/**
 * The article's HTML from Next.js App Router flight data, for pages that render the article on
 * the client: the server sends an empty shell plus `self.__next_f.push([1, "<chunk>"])` scripts
 * whose chunks, joined, are the React Server Components payload. A long string prop (the
 * article body passed to dangerouslySetInnerHTML) travels there as a text row,
 * `<id>:T<hex byte length>,<text>`. Format: Next.js's `__next_f` bootstrap and React's
 * flight protocol (react-server-dom-webpack), as served by Next.js 13-15.
 */

/** One pushed chunk: `self.__next_f.push([1,"..."])`, its string a JSON-compatible literal. */
const PUSH = /self\.__next_f\.push\(\[\s*1\s*,\s*("(?:[^"\\]|\\.)*")\s*\]\)/g;
/** A row's id at the scan position, and a text row's declared byte length. */
const ROW_ID = /[0-9a-f]+:/y;
const TEXT_HEADER = /T([0-9a-f]{1,8}),/y;
/** Looks like an HTML fragment with paragraphs in it. */
const HTML_BLOCKS = /<(?:p|br|div|h[1-6]|li|blockquote)\b/i;
/** Text rows read per page at most. */
const MAX_ROWS = 200;

/** The flight payload: the pushed chunks of every flight script, joined in order. */
export function flightPayload(scripts: readonly string[]): string {
  const parts: string[] = [];
  for (const script of scripts) {
    for (const m of script.matchAll(PUSH)) {
      try {
        const chunk: unknown = JSON.parse(m[1] ?? '""');
        if (typeof chunk === "string") parts.push(chunk);
      } catch {
        // a chunk that is not a plain string literal: not text we can use
      }
    }
  }
  return parts.join("");
}

/**
 * The text rows of a payload, each cut to its declared UTF-8 byte length. Rows are read in order:
 * a text row is followed directly by the next row, other rows end at a newline.
 */
export function textRows(payload: string): string[] {
  const rows: string[] = [];
  let pos = 0;
  while (pos < payload.length && rows.length < MAX_ROWS) {
    ROW_ID.lastIndex = pos;
    if (ROW_ID.test(payload)) {
      TEXT_HEADER.lastIndex = ROW_ID.lastIndex;
      const header = TEXT_HEADER.exec(payload);
      if (header) {
        const bytes = parseInt(header[1] ?? "0", 16);
        const start = TEXT_HEADER.lastIndex;
        // A character is at least one byte, so `bytes` characters hold the row.
        const text = Buffer.from(payload.slice(start, start + bytes), "utf8").subarray(0, bytes).toString("utf8");
        rows.push(text);
        pos = start + text.length;
        continue;
      }
    }
    const newline = payload.indexOf("\n", pos);
    if (newline < 0) break;
    pos = newline + 1;
  }
  return rows;
}

/**
 * The HTML fragment in the page's flight data with the most text, when one has paragraphs and
 * at least `minChars` characters of text; undefined otherwise.
 */
export function flightArticleHtml(scripts: readonly string[], minChars = 200): string | undefined {
  if (scripts.length === 0) return undefined;
  let best: string | undefined;
  let bestChars = minChars - 1;
  for (const row of textRows(flightPayload(scripts))) {
    if (!HTML_BLOCKS.test(row)) continue;
    const chars = row.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim().length;
    if (chars > bestChars) {
      best = row;
      bestChars = chars;
    }
  }
  return best;
}
