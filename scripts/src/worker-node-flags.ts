/**
 * Node flags a worker process is started with. Every launcher of workers passes them: `npm run
 * worker` (package.json), `infra/docker-compose.yml`, and the bench and chaos runs
 * (`spawnStageWorker`); a unit test keeps the first two in step with this list.
 *
 * `--single-threaded-gc`: V8 collects garbage on the JavaScript thread alone, without helper
 * threads for parallel scavenges and concurrent marking and sweeping (by default each process
 * runs four of them). A worker is judged by articles per second, not by the length of its GC
 * pauses, and the pipeline runs more busy processes than the machine has cores (five stage
 * workers, Redis and Elasticsearch on two here): the helpers then compete with the other
 * processes. `npm run bench -- --stages e2e --urls 5000 --warmup 2000`, in turn with and without
 * it: 8-12% more articles a second in three pairs, no difference in four, never worse beyond the
 * noise, identical results (README, Performance, fifteenth round).
 *
 * It has to be on the command line: Node refuses it in NODE_OPTIONS, and setting it at run time
 * with `v8.setFlagsFromString` makes V8 abort at the next collection. A worker started without it
 * works the same, only costlier; its "workers started" log line says which collector it runs.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--single-threaded-gc"];

/**
 * Which garbage collector this process (or one started with `execArgv`) runs, for the start-up
 * log. The last of `--single-threaded-gc` and `--no-single-threaded-gc` wins, as in V8.
 */
export function gcMode(execArgv: readonly string[] = process.execArgv): "single-threaded" | "parallel" {
  const on = execArgv.lastIndexOf("--single-threaded-gc");
  return on >= 0 && on > execArgv.lastIndexOf("--no-single-threaded-gc") ? "single-threaded" : "parallel";
}
