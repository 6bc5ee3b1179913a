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
 *
 * `--initial-old-space-size=128`: V8 starts a worker's old generation at 128 MB instead of sizing
 * its limits from the live heap alone. That heap is small (17-30 MB after start-up), and with
 * limits sized from it full collections came close together: the fetch worker, whose page
 * buffers pass through the old generation, marked its heap every 350-800 ms (61 full collections
 * over 7,000 URLs). With the flag: 21, and fetch's CPU 1.49, 1.53 and 1.50 ms an article against
 * 1.79, 1.83 and 1.85 in three pairs in turn, identical results; peak RSS 10-35 MiB higher in
 * fetch and translate (README, Performance, sixteenth round). It is a start, not a cap: V8 still
 * collects when it must, and `--max-old-space-size` still bounds the heap.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--single-threaded-gc", "--initial-old-space-size=128"];

/**
 * Which garbage collector this process (or one started with `execArgv`) runs, for the start-up
 * log. The last of `--single-threaded-gc` and `--no-single-threaded-gc` wins, as in V8.
 */
export function gcMode(execArgv: readonly string[] = process.execArgv): "single-threaded" | "parallel" {
  const on = execArgv.lastIndexOf("--single-threaded-gc");
  return on >= 0 && on > execArgv.lastIndexOf("--no-single-threaded-gc") ? "single-threaded" : "parallel";
}
