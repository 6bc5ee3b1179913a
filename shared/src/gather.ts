/**
 * Let an idle worker gather arrivals before it wakes up for them.
 *
 * A BullMQ worker whose queue is empty blocks on Redis until a job arrives, then fetches it at
 * once. When jobs trickle in (every stage downstream of the slowest one does: it receives jobs at
 * the pipeline's rate, one at a time), every job pays a whole wake-up: a blocking-wait reply, a
 * moveToActive round trip, the job, and back to sleep, with caches and (on a virtual machine)
 * the vCPU cold each time. Measured on the 2-core development VM with a no-op processor, 3,000
 * jobs at 60/s cost 1.44 ms of worker CPU and 1.21 ms of Redis CPU per job; the same jobs waiting
 * in a backlog cost 0.25 ms. Waiting `gatherMs` after the wake-up lets the jobs that arrive
 * meanwhile be fetched back to back (each moveToFinished hands over the next job in the same
 * round trip): with 50 ms, 0.92 and 0.85 ms per job at 60/s, 0.48 and 0.55 at 200/s. `npm run
 * bench` prints the same comparison (queue-trickle.ts). End to end over 5,000 corpus pages, paired
 * runs went from 68-70 to 74-82 articles/s and from 26.4-27.4 to 22.2-24.8 ms of CPU per article
 * (README, Performance, seventh round).
 *
 * The price is latency: a job that finds its worker idle waits up to `gatherMs` more per stage.
 * Nothing else changes (the job is in Redis, locked by nobody, all the while): a worker that
 * dies while gathering loses nothing. TIDINGS_GATHER_MS sets it (config.ts; default 100, 0 turns
 * it off).
 *
 * How: BullMQ (6.x) calls the worker's `waitForJob` only when its queue was found drained, and
 * fetches the next job when it returns. That method is private in BullMQ's typings, so this
 * wraps it on the instance and fails loudly if a BullMQ upgrade renames it (test/e2e/gather.test.ts
 * checks on real Redis that arrivals are gathered).
 */
import type { Worker } from "bullmq";

type Waiting = { waitForJob?: (blockUntil: number) => Promise<number>; closing?: Promise<void>; paused?: boolean };

export function gatherArrivals(worker: Worker, gatherMs: number): void {
  if (!(gatherMs > 0)) return;
  const w = worker as unknown as Waiting;
  const waitForJob = w.waitForJob;
  if (typeof waitForJob !== "function") {
    throw new Error("gatherArrivals: this BullMQ version's Worker has no waitForJob; set TIDINGS_GATHER_MS=0 or update gather.ts");
  }
  const stopping = () => Boolean(w.closing) || Boolean(w.paused);
  w.waitForJob = async function (this: Worker, blockUntil: number) {
    const result = await waitForJob.call(this, blockUntil);
    if (stopping()) return result;
    await new Promise((resolve) => setTimeout(resolve, gatherMs));
    // Closed or paused while gathering: fetch nothing (BullMQ's own answer when it is stopping),
    // so the arrival stays waiting for the next worker instead of starting during a shutdown.
    return stopping() ? Infinity : result;
  };
}
