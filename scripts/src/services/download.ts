// Download a file into the cache, verified against a published SHA-512: fetch to a temp name,
// hash while writing, compare, then rename into place. A mismatch deletes the temp file and fails.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Log } from "./apt.ts";

/** The hex digest in a `.sha512` file ("<hex>" or "<hex>  <filename>"). */
export function parseSha512File(text: string): string {
  const hex = text.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  if (!/^[0-9a-f]{128}$/.test(hex)) throw new Error(`not a SHA-512 checksum file: ${JSON.stringify(text.slice(0, 80))}`);
  return hex;
}

export async function sha512OfFile(file: string): Promise<string> {
  const hash = createHash("sha512");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/**
 * Ensure `dest` exists and matches the checksum at `sha512Url`. The checksum is cached beside it
 * as `<dest>.sha512`; an existing `dest` is re-verified (cheap next to a download).
 */
export async function downloadVerified(url: string, sha512Url: string, dest: string, log: Log): Promise<void> {
  mkdirSync(dirname(dest), { recursive: true });
  const sumFile = `${dest}.sha512`;
  if (!existsSync(sumFile)) {
    log(`fetching ${sha512Url}`);
    const text = await fetchText(sha512Url);
    parseSha512File(text);
    const tmpSum = `${sumFile}.tmp-${process.pid}`;
    await pipeline(Readable.from([text]), createWriteStream(tmpSum));
    renameSync(tmpSum, sumFile);
  }
  const expected = parseSha512File(readFileSync(sumFile, "utf8"));
  if (existsSync(dest)) {
    const actual = await sha512OfFile(dest);
    if (actual === expected) return;
    log(`cached ${dest} does not match its SHA-512; downloading it again`);
    rmSync(dest, { force: true });
  }
  const tmp = `${dest}.part-${process.pid}`;
  log(`downloading ${url}`);
  const started = Date.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30 * 60_000) });
    if (!res.ok || !res.body) throw new Error(`GET ${url}: HTTP ${res.status}`);
    const total = Number(res.headers.get("content-length") ?? 0);
    const hash = createHash("sha512");
    let got = 0;
    let lastReport = Date.now();
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    body.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      got += chunk.length;
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        const pct = total ? ` (${Math.round((100 * got) / total)}%)` : "";
        log(`  ${(got / 1e6).toFixed(0)} MB${pct}`);
      }
    });
    await pipeline(body, createWriteStream(tmp));
    const actual = hash.digest("hex");
    if (actual !== expected) {
      throw new Error(`SHA-512 mismatch for ${url}: expected ${expected.slice(0, 16)}…, got ${actual.slice(0, 16)}…; refusing to use it`);
    }
    renameSync(tmp, dest);
    log(`downloaded ${(got / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(0)} s, SHA-512 verified`);
  } finally {
    rmSync(tmp, { force: true });
  }
}
