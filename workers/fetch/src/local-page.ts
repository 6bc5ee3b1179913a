/**
 * Saved pages as inputs: a local .html/.htm/.txt file read as if it had been fetched from the
 * URL it came from, decoded with the same charset rules as the fetch stage.
 */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import type { FetchedPage } from "@tidings/shared";
import { StageError } from "@tidings/shared";
import { decodeBody } from "./index.ts";

/** Largest saved page we read (same order as the fetch stage's body cap). */
export const MAX_LOCAL_FILE_BYTES = 20 * 1024 * 1024;

export function kindOfFile(path: string): "html" | "text" {
  const ext = extname(path).toLowerCase();
  return ext === ".txt" || ext === ".text" ? "text" : "html";
}

export async function loadLocalPage(path: string, url: string): Promise<FetchedPage> {
  const started = Date.now();
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new StageError("file_not_found", `${path}: ${(err as Error).message}`);
  }
  if (!info.isFile()) throw new StageError("not_a_file", path);
  if (info.size > MAX_LOCAL_FILE_BYTES) throw new StageError("too_large", `${path} is ${info.size} bytes (max ${MAX_LOCAL_FILE_BYTES})`);
  const bytes = new Uint8Array(await readFile(path));
  const kind = kindOfFile(path);
  const decoded = decodeBody(bytes, kind === "text" ? "text/plain" : "text/html");
  return {
    requested_url: url,
    final_url: url,
    http_status: 200,
    content_type: kind === "text" ? "text/plain" : "text/html",
    kind,
    charset: decoded.charset,
    charset_source: decoded.charset_source === "default" ? "file" : decoded.charset_source,
    ...(decoded.repaired ? { charset_repaired: decoded.repaired } : {}),
    fetched_at: new Date(info.mtimeMs).toISOString(),
    bytes: bytes.length,
    timing_ms: Date.now() - started,
    body: decoded.text,
  };
}
