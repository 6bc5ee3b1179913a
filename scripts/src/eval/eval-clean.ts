/**
 * `eval:clean`: run the clean stage and Mozilla Readability on the development corpus and score
 * both with the corpus metric (body F1 by dataset and language), plus title, date and language
 * accuracy and speed.
 *
 *   eval-clean [--corpus DIR] [--limit N] [--json FILE] [--no-readability] [--only ID] [--dataset D]
 *              [--readability-dom jsdom,linkedom]
 *
 * Readability runs on each DOM listed (default both: jsdom, the setup its README shows, and
 * linkedom, a lighter DOM several times faster), and each gets its own F1 and speed columns.
 */
import { readFileSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { cleanPage, detectLanguage, pageFromUtf8, parseDate } from "@tidings/clean";
import { decodeBody } from "@tidings/fetch";
import { aggregate, scorePage, type Aggregate, type PageScore } from "./clean/metric.ts";
import { READABILITY_DOMS, readabilityYield, runReadability, type ReadabilityDom } from "./clean/readability-run.ts";

interface ManifestEntry {
  id: string;
  dataset: string;
  lang?: string;
  html: string;
  body: string;
  url?: string;
  site?: string;
  title?: string;
  authors?: string[];
  published?: string;
}

interface PageResult {
  id: string;
  dataset: string;
  lang?: string;
  ours: PageScore;
  /** Per DOM Readability ran on. */
  readability?: Partial<Record<ReadabilityDom, PageScore>>;
  ms: number;
  readabilityMs?: Partial<Record<ReadabilityDom, number>>;
  title?: { truth: string; ours?: string; match: boolean; folded: boolean };
  date?: { truth: string; truthDay?: string; ours?: string; match: boolean };
  language?: { truth: string; page: string; body: string; title?: string };
  charset: string;
  /** Mojibake layers the decoder undid. */
  repaired?: string[];
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const USAGE = `usage: tidings eval-clean [--corpus DIR] [--limit N] [--json FILE] [--no-readability] [--only ID] [--dataset D]
                          [--readability-dom jsdom,linkedom]`;

function parseOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      corpus: { type: "string" }, limit: { type: "string" }, json: { type: "string" },
      "no-readability": { type: "boolean" }, only: { type: "string" }, dataset: { type: "string" },
      "readability-dom": { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit > 0)) throw new Error(`--limit must be a positive number, got ${JSON.stringify(values.limit)}`);
  let doms: ReadabilityDom[] = [...READABILITY_DOMS];
  if (values["readability-dom"] !== undefined) {
    const list = values["readability-dom"].split(",").map((d) => d.trim());
    const bad = list.find((d) => !(READABILITY_DOMS as readonly string[]).includes(d));
    if (bad !== undefined || list.length === 0) throw new Error(`--readability-dom takes ${READABILITY_DOMS.join(", ")} (comma-separated), got ${JSON.stringify(bad ?? "")}`);
    doms = list as ReadabilityDom[];
  }
  return {
    help: values.help === true,
    corpus: resolve(values.corpus ?? resolve(REPO, "../shared/corpus")),
    limit,
    json: resolve(values.json ?? resolve(REPO, "test-output/eval-clean.json")),
    readability: !values["no-readability"],
    doms,
    only: values.only,
    dataset: values.dataset,
  };
}

/** Typographic folding on top of normTitle: curly quotes, dashes, ellipsis, NBSP (reported separately). */
export function foldTitle(s: string): string {
  return normTitle(s.normalize("NFKC").replace(/[‘’‚‛′]/g, "'").replace(/[“”„‟″]/g, '"').replace(/[‐‑‒–—―]/g, "-").replace(/…/g, "..."));
}

/** Title normalisation for exact match: NFC, trim, collapse whitespace. */
export function normTitle(s: string): string {
  return s.normalize("NFC").replace(/[\s\u00a0]+/g, " ").trim();
}

function pct(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? 0;
}

function fmt(x: number): string {
  return x.toFixed(3);
}

type Row = [string, Aggregate, Partial<Record<ReadabilityDom, Aggregate>>];

function table(title: string, rows: Row[], doms: readonly ReadabilityDom[]): string {
  const head = doms.map((d) => ` | ${`Rd/${d} P`.padStart(13)} ${"R".padStart(6)} ${"F1".padStart(6)}  ${"dF1".padStart(6)}`).join("");
  const lines = [title, `${"group".padEnd(14)} ${"n".padStart(4)}  ${"P".padStart(6)} ${"R".padStart(6)} ${"F1".padStart(6)} ${head}`];
  for (const [name, a, bs] of rows) {
    const cells = doms.map((d) => {
      const b = bs[d];
      return b ? ` | ${fmt(b.precision).padStart(13)} ${fmt(b.recall).padStart(6)} ${fmt(b.f1).padStart(6)}  ${(a.f1 - b.f1 >= 0 ? "+" : "") + fmt(a.f1 - b.f1)}` : " |             -";
    }).join("");
    lines.push(`${name.padEnd(14)} ${String(a.n).padStart(4)}  ${fmt(a.precision).padStart(6)} ${fmt(a.recall).padStart(6)} ${fmt(a.f1).padStart(6)} ${cells}`);
  }
  return lines.join("\n");
}

export async function evalCleanCommand(args: string[]): Promise<number> {
  const opts = parseOptions(args);
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const manifestPath = join(opts.corpus, "manifest.jsonl");
  if (!existsSync(manifestPath)) {
    console.error(`eval-clean: no corpus at ${opts.corpus} (manifest.jsonl missing)`);
    return 2;
  }
  let entries = readFileSync(manifestPath, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ManifestEntry);
  if (opts.only) entries = entries.filter((e) => e.id === opts.only);
  if (opts.dataset) entries = entries.filter((e) => e.dataset === opts.dataset);
  entries = entries.slice(0, opts.limit);

  const results: PageResult[] = [];
  // warm-up so the first page does not pay for JIT and module init
  cleanPage({ body: "<html><body><p>warm up text for the cleaner</p></body></html>", kind: "html" });
  for (const e of entries) {
    const bytes = gunzipSync(readFileSync(join(opts.corpus, e.html)));
    // The fetch stage's own decoder, on bytes without an HTTP header (the corpus kept none).
    const decoded = decodeBody(new Uint8Array(bytes));
    // What the fetch stage stores and the clean stage opens: the text's UTF-8 bytes. Both sides
    // start from them; Readability's time includes decoding them (its DOM needs the text).
    const utf8 = Buffer.from(decoded.text, "utf8");
    const truth = readFileSync(join(opts.corpus, e.body), "utf8");
    const t0 = performance.now();
    let out;
    try {
      out = cleanPage(pageFromUtf8(utf8, { kind: "html", url: e.url }));
    } catch (err) {
      console.error(`cleanPage threw on ${e.id}:`, err);
      out = { text: "", paragraphs: [], language: "und", language_confidence: 0, authors: [] as string[] } as ReturnType<typeof cleanPage>;
    }
    const ms = performance.now() - t0;
    const r: PageResult = { id: e.id, dataset: e.dataset, lang: e.lang, ours: scorePage(truth, out.text), ms, charset: decoded.charset, ...(decoded.repaired ? { repaired: decoded.repaired } : {}) };
    if (opts.readability) {
      r.readability = {};
      r.readabilityMs = {};
      for (const dom of opts.doms) {
        const t1 = performance.now();
        const rd = runReadability(utf8.toString("utf8"), e.url, dom);
        r.readabilityMs[dom] = performance.now() - t1;
        r.readability[dom] = scorePage(truth, rd.text);
      }
      await readabilityYield();
    }
    if (e.title) r.title = { truth: e.title, ours: out.title, match: out.title !== undefined && normTitle(out.title) === normTitle(e.title), folded: out.title !== undefined && foldTitle(out.title) === foldTitle(e.title) };
    if (e.published) {
      const truthDay = parseDate(e.published, { dayFirst: e.lang !== "en" });
      const ours = out.published?.slice(0, 10);
      r.date = { truth: e.published, truthDay, ours, match: truthDay !== undefined && ours === truthDay };
    }
    if (e.lang) {
      r.language = {
        truth: e.lang,
        page: out.language,
        body: truth.trim() ? detectLanguage(truth).language : "-",
        title: e.title ? detectLanguage(e.title).language : undefined,
      };
    }
    results.push(r);
  }

  const groups = (key: (r: PageResult) => string | undefined) => {
    const m = new Map<string, PageResult[]>();
    for (const r of results) {
      const k = key(r);
      if (!k) continue;
      const l = m.get(k);
      if (l) l.push(r);
      else m.set(k, [r]);
    }
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length);
  };
  const agg = (rs: PageResult[]) => aggregate(rs.map((r) => r.ours));
  const doms = opts.readability ? opts.doms : [];
  const aggR = (rs: PageResult[]): Partial<Record<ReadabilityDom, Aggregate>> =>
    Object.fromEntries(doms.map((d) => [d, aggregate(rs.flatMap((r) => (r.readability?.[d] ? [r.readability[d]] : [])))]));
  const overall: Row = ["overall", agg(results), aggR(results)];
  const byDataset = groups((r) => r.dataset).map(([k, rs]): Row => [k, agg(rs), aggR(rs)]);
  const byLang = groups((r) => r.lang ?? "?").map(([k, rs]): Row => [k, agg(rs), aggR(rs)]);

  const titled = results.filter((r) => r.title);
  const titleAcc = titled.filter((r) => r.title?.match).length / Math.max(1, titled.length);
  const titleFolded = titled.filter((r) => r.title?.folded).length / Math.max(1, titled.length);
  const dated = results.filter((r) => r.date?.truthDay);
  const dateAcc = dated.filter((r) => r.date?.match).length / Math.max(1, dated.length);
  const langed = results.filter((r) => r.language);
  const pageLangAcc = langed.filter((r) => r.language?.page === r.language?.truth).length / Math.max(1, langed.length);
  const bodyLanged = langed.filter((r) => r.language?.body !== "-");
  const bodyLangAcc = bodyLanged.filter((r) => r.language?.body === r.language?.truth).length / Math.max(1, bodyLanged.length);
  const titleLanged = langed.filter((r) => r.language?.title !== undefined);
  const titleLangAcc = titleLanged.filter((r) => r.language?.title === r.language?.truth).length / Math.max(1, titleLanged.length);
  const ms = results.map((r) => r.ms);
  const speedOf = (xs: number[]) => ({ median: pct(xs, 0.5), p99: pct(xs, 0.99), max: Math.max(0, ...xs) });
  const speed = {
    ours: speedOf(ms),
    readability: Object.fromEntries(doms.map((d) => [d, speedOf(results.flatMap((r) => (r.readabilityMs?.[d] === undefined ? [] : [r.readabilityMs[d]])))])),
  };

  console.log(`eval-clean: ${results.length} pages from ${opts.corpus}\n`);
  console.log(table("Body (shingle F1), ours vs Readability (Rd/<dom>)", [overall], doms));
  console.log();
  console.log(table("By dataset", byDataset, doms));
  console.log();
  console.log(table("By language", byLang, doms));
  console.log();
  console.log(`Title exact match (NFC, trimmed, whitespace collapsed): ${fmt(titleAcc)} (${titled.length} pages with a title); with typographic folding (quotes, dashes, ellipsis): ${fmt(titleFolded)}`);
  console.log(`Date accuracy (same day):                              ${fmt(dateAcc)} (${dated.length} pages with a parseable date)`);
  console.log(`Language accuracy: cleanPage output ${fmt(pageLangAcc)} (${langed.length}); truth bodies ${fmt(bodyLangAcc)} (${bodyLanged.length}); truth titles ${fmt(titleLangAcc)} (${titleLanged.length}, no hint)`);
  console.log(
    `Speed ms/page: ours median ${speed.ours.median.toFixed(2)} p99 ${speed.ours.p99.toFixed(2)} max ${speed.ours.max.toFixed(1)}` +
      doms.map((d) => {
        const x = speed.readability[d]!;
        return ` | Readability/${d} median ${x.median.toFixed(2)} p99 ${x.p99.toFixed(2)} max ${x.max.toFixed(1)} (${(x.median / speed.ours.median).toFixed(1)}x ours at the median)`;
      }).join(""),
  );

  const summary = {
    corpus: opts.corpus,
    pages: results.length,
    overall: { ours: overall[1], readability: overall[2] },
    byDataset: Object.fromEntries(byDataset.map(([k, a, b]) => [k, { ours: a, readability: b }])),
    byLanguage: Object.fromEntries(byLang.map(([k, a, b]) => [k, { ours: a, readability: b }])),
    title: { exact: titleAcc, folded: titleFolded, n: titled.length },
    date: { sameDay: dateAcc, n: dated.length },
    language: { page: pageLangAcc, bodies: bodyLangAcc, titles: titleLangAcc },
    speed,
    pages_detail: results,
  };
  mkdirSync(dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, JSON.stringify(summary, null, 1));
  console.log(`\nwrote ${opts.json}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("eval-clean.ts")) {
  evalCleanCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
