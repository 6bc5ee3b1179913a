/**
 * `tidings <command>`: the command line. Each command lives in src/commands/<name>.ts and
 * returns an exit code; this file only dispatches.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<(args: string[]) => Promise<number>> }> = {
  services: { summary: "up | down | status: start or stop local Redis and Elasticsearch", load: async () => (await import("./services/index.ts")).servicesCommand },
  worker: { summary: "run stage workers: [--stages fetch,clean,...]", load: async () => (await import("./commands/worker.ts")).workerCommand },
  enqueue: { summary: "<file|-> [--label L] [--wait]: enqueue URLs (one a line, or JSON lines) as a batch", load: async () => (await import("./commands/enqueue.ts")).enqueueCommand },
  status: { summary: "[batch]: queue counts, batches and their progress", load: async () => (await import("./commands/status.ts")).statusCommand },
  process: { summary: "<file|dir|url>...: run clean -> translate -> extract in-process, print JSON lines", load: async () => (await import("./commands/process.ts")).processCommand },
  query: { summary: "events|sources|timeline [--actor X] [--target X] [--type T] [--from D] [--to D] [--near lat,lon,km] [--json]", load: async () => (await import("./commands/query.ts")).queryCommand },
  dashboard: { summary: "[--host 127.0.0.1] [--port 8080]: pipeline page, bull-board, batches API, /metrics, /healthz", load: async () => (await import("./commands/dashboard.ts")).dashboardCommand },
  reindex: { summary: "[sources|events|mentions|all] [--delete-old]: copy into a new index version and swap aliases", load: async () => (await import("./commands/reindex.ts")).reindexCommand },
  bench: { summary: "[--urls 5000] [--procs-per-stage 1|1,2] [--rounds 1] [--stages all|e2e|fetch,clean,...] [--json FILE] [--compare OLD.json]: measure the pipeline", load: async () => (await import("./commands/bench.ts")).benchCommand },
  chaos: { summary: "[--urls 2000] [--procs-per-stage 2] [--kills 6] [--es-outage-s 30] [--redis-restart]: prove nothing is lost or doubled under faults", load: async () => (await import("./commands/chaos.ts")).chaosCommand },
  demo: { summary: "serve the demo pages, run the whole pipeline on them and print a summary", load: async () => (await import("./commands/demo.ts")).demoCommand },
  "eval-clean": { summary: "[--limit N] [--no-readability] [--readability-dom jsdom,linkedom]: score the clean stage on ../shared/corpus, Readability side by side", load: async () => (await import("./eval/eval-clean.ts")).evalCleanCommand },
  "eval-events": { summary: "score the extract stage on ../shared/eval/seeds-gold.json", load: async () => (await import("./eval/eval-events.ts")).evalEventsCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return ["usage: tidings <command> [options]", "", ...Object.entries(COMMANDS).map(([c, { summary }]) => `  ${c.padEnd(width)}  ${summary}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(args);
  } catch (err) {
    const e = err as Error & { code?: string };
    // A mistyped option is the user's to fix: say what node:util parseArgs found, no stack, exit 2.
    if (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`tidings ${name}: ${e.message} (see: tidings help)`);
      return 2;
    }
    console.error(`tidings ${name}: ${e.name === "ConfigError" ? e.message : (e.stack ?? e.message)}`);
    return 1;
  }
}
