/**
 * `node --import tsx scripts/src/bench/dump-outputs.ts OUT.jsonl [--stage clean|extract]`: the
 * clean stage's article and the extract stage's events for every corpus page, one JSON line a
 * page. Two dumps made before and after a speed change must be identical (`cmp`): the check that
 * an optimisation changed no output.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { cleanPage } from "@tidings/clean";
import { extractEvents } from "@tidings/extract";
import { decodeBody } from "@tidings/fetch";
import { REPO_ROOT } from "../demo/paths.ts";

const out = process.argv[2];
if (!out) throw new Error("usage: dump-outputs.ts OUT.jsonl");
const htmlDir = join(REPO_ROOT, "../shared/corpus/html");
const lines: string[] = [];
for (const file of readdirSync(htmlDir).sort()) {
  const url = `http://corpus.test/${file.replace(/\.html\.gz$/, "")}`;
  const body = decodeBody(gunzipSync(readFileSync(join(htmlDir, file))), "text/html").text;
  const article = cleanPage({ body, kind: "html", url }, { url });
  const events = extractEvents({ article, source: { id: file, url, ...(article.published ? { published: article.published.slice(0, 10) } : {}) } });
  lines.push(JSON.stringify({ file, article, events }));
}
writeFileSync(out, lines.join("\n") + "\n");
console.log(`${lines.length} pages -> ${out}`);
