/**
 * `tidings demo`: the main job on a bundled demo. Starts Redis and Elasticsearch (or uses the
 * ones the environment names), serves the demo pages from a local web server (the repository's
 * fixture pages, plus the seed articles and a few corpus pages when ../shared is there, plus one
 * URL that 404s), runs all five stage workers in this process, enqueues the URLs, shows
 * progress, and prints what was indexed, the events found, the failures, and how to go on.
 */
import { parseArgs } from "node:util";
import { indexNames } from "@tidings/index";
import { loadConfig, PIPELINE, Producer, createRedis, createElasticsearch, type EnqueueItem, type SourceRecord } from "@tidings/shared";
import { WebServer } from "../demo/web-server.ts";
import { servicesUp } from "../services/index.ts";
import { formatEvent } from "./query.ts";
import { waitForBatch } from "./progress.ts";
import { startWorkers } from "./worker.ts";

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { "corpus-pages": { type: "string", default: "6" }, "timeout-s": { type: "string", default: "600" } } });
  const started = Date.now();
  // The workers' JSON logs would bury the summary; warnings and errors still show.
  process.env.LOG_LEVEL ??= "warn";
  console.log("1/5 services");
  const services = await servicesUp({ log: (m) => console.log(`    ${m}`) });
  process.env.REDIS_URL = services.redisUrl;
  process.env.ELASTICSEARCH_URL = services.elasticsearchUrl;

  console.log("2/5 local web server with the demo pages");
  const web = await new WebServer({ fixtures: true, seeds: true, corpusPages: Number(values["corpus-pages"]) }).start();
  // The fetch stage refuses loopback addresses by default (SSRF guard): open exactly this server.
  process.env.TIDINGS_FETCH_ALLOW_HOSTS = [process.env.TIDINGS_FETCH_ALLOW_HOSTS, `127.0.0.1:${web.port}`].filter(Boolean).join(",");
  // Politeness is for other people's servers; the demo's own local one needs no delay.
  process.env.TIDINGS_FETCH_HOST_DELAY_MS ??= "0";
  process.env.TIDINGS_FETCH_HOST_CONCURRENCY ??= "8";
  const origins = web.pages.reduce<Record<string, number>>((acc, p) => ((acc[p.origin] = (acc[p.origin] ?? 0) + 1), acc), {});
  console.log(`    ${web.origin}: ${Object.entries(origins).map(([o, n]) => `${n} ${o} page(s)`).join(", ")}, plus 1 missing page`);

  const config = loadConfig();
  console.log(`3/5 workers for ${PIPELINE.join(" -> ")}`);
  const workers = await startWorkers([...PIPELINE], config);
  const redis = createRedis(config, "producer");
  const producer = new Producer(redis, config);
  const es = createElasticsearch(config);
  try {
    const items: EnqueueItem[] = web.pages.map((p) => ({
      url: web.url(p.path),
      ...(p.published || p.language ? { meta: { ...(p.published ? { published: p.published } : {}), ...(p.language ? { language: p.language } : {}) } } : {}),
    }));
    items.push({ url: web.url("/errors/not-found") });
    console.log("4/5 enqueue and process");
    const result = await producer.enqueue(items, { label: "demo" });
    console.log(`    batch ${result.batch_id}: ${result.count} URL(s)`);
    const rt = { producer } as Parameters<typeof waitForBatch>[0];
    const progress = await waitForBatch(rt, result.batch_id, { tty: Boolean(process.stdout.isTTY), timeoutMs: Number(values["timeout-s"]) * 1000, intervalMs: 1000 });

    console.log("5/5 what was indexed");
    const sourcesIndex = indexNames(config.indexPrefix, "sources").read;
    const eventsIndex = indexNames(config.indexPrefix, "events").read;
    await es.indices.refresh({ index: [sourcesIndex, eventsIndex] });
    const sources = await es.search<SourceRecord>({ index: sourcesIndex, size: 200, query: { term: { batch_ids: result.batch_id } }, _source: { excludes: ["text"] } });
    const docs = sources.hits.hits.map((h) => h._source!);
    const byLang = docs.filter((d) => d.status === "indexed").reduce<Record<string, number>>((a, d) => ((a[d.language ?? "und"] = (a[d.language ?? "und"] ?? 0) + 1), a), {});
    console.log(`    sources: ${docs.filter((d) => d.status === "indexed").length} indexed (${Object.entries(byLang).map(([l, n]) => `${l} ${n}`).join(", ")}), ${docs.filter((d) => d.status === "failed").length} failed, ${docs.filter((d) => d.status === "skipped").length} skipped`);
    const eventIds = [...new Set(docs.flatMap((d) => d.event_ids ?? []))];
    const events = eventIds.length
      ? await es.search({ index: eventsIndex, size: 25, query: { ids: { values: eventIds } }, sort: [{ num_sources: "desc" }, { date_start: "desc" }] })
      : undefined;
    console.log(`    events: ${eventIds.length} (the top ${Math.min(25, eventIds.length)} by number of sources)`);
    for (const h of events?.hits.hits ?? []) console.log(`      ${formatEvent(h._source as Parameters<typeof formatEvent>[0])}`);
    const failed = docs.filter((d) => d.status !== "indexed");
    if (failed.length) {
      console.log("    failures:");
      for (const d of failed) console.log(`      ${d.status} at ${d.failure?.stage}: ${d.failure?.reason} (${d.failure?.detail?.slice(0, 80)})  ${d.url}`);
    }
    console.log(`
    done in ${((Date.now() - started) / 1000).toFixed(1)} s; ${progress.done ? "every URL accounted for" : "NOT every URL ended before the timeout"}.

  Go on from here:
    npm run query -- events --actor 朝鲜 --target RUS          events with North Korea, against Russia
    npm run query -- events --actor "North Korea" --json       the same, as JSON
    npm run query -- sources --batch ${result.batch_id}        the batch's sources
    npm run status -- ${result.batch_id}                       the batch's progress
    curl -s '${services.elasticsearchUrl}/${eventsIndex}/_search?size=3&pretty'
    npm run worker                                             keep workers running, then: npm run enqueue -- urls.txt --wait
    npm run services -- down                                   stop what the project started`);
    return progress.done ? 0 : 1;
  } finally {
    await workers.stop();
    await producer.close();
    await es.close();
    await redis.quit().catch(() => redis.disconnect());
    await web.stop();
  }
}
