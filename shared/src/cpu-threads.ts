/**
 * CPU-heavy pure functions of a stage (cleanPage, extractEvents) run in worker threads, so the
 * stage process's event loop stays free for Redis while a page is parsed: job fetches, lock
 * renewals and the next stage's adds go on meanwhile, and a slow page delays nothing else.
 *
 * A stage names its thread entry, a plain .js module (worker threads do not inherit the main
 * thread's TypeScript loader, so the entry registers tsx itself before importing the .ts code)
 * whose named exports are the functions to run. Arguments and results cross by structured clone.
 *
 * Threads per process: TIDINGS_CPU_THREADS (config.cpuThreads). 0 runs the function in the
 * event loop, as a plain call.
 *
 * An error crosses from a thread by structured clone, which keeps only its message (not even its
 * name): a classified error (`reason`, `permanent`, see errors.ts) would arrive as an anonymous
 * one and be retried as "error". So an entry exports its functions through threadExports, which
 * sends a thrown error back as a value, and the runner throws it again here with its
 * classification (a StageError) or its name.
 */
import type { Worker } from "bullmq";
import { Piscina } from "piscina";
import { StageError, type ClassifiedError } from "./errors.ts";

/** What threadExports returns in place of a thrown error. */
interface ThreadFailure {
  tidingsThreadFailure: true;
  name: string;
  message: string;
  classified?: ClassifiedError;
}

function isThreadFailure(value: unknown): value is ThreadFailure {
  return typeof value === "object" && value !== null && (value as ThreadFailure).tidingsThreadFailure === true;
}

/**
 * The functions of a thread entry, each returning a thrown error as a value that keeps its
 * name and classification (the runner throws it again). For the entry module only.
 */
export function threadExports<T extends Record<string, (arg: never) => unknown>>(fns: T): T {
  const out: Record<string, (arg: never) => unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = (arg: never) => {
      try {
        const result = fn(arg);
        // An async function's rejection is a thrown error too.
        return result instanceof Promise ? result.catch(asFailure) : result;
      } catch (err) {
        return asFailure(err);
      }
    };
  }
  return out as T;
}

function asFailure(err: unknown): ThreadFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  const c = (err ?? {}) as Partial<ClassifiedError>;
  const failure: ThreadFailure = { tidingsThreadFailure: true, name: e.name, message: e.message };
  if (typeof c.reason === "string") {
    failure.classified = {
      reason: c.reason, permanent: Boolean(c.permanent),
      ...(c.detail !== undefined ? { detail: String(c.detail) } : {}),
      ...(c.skipped ? { skipped: true } : {}),
    };
  }
  return failure;
}

/** The error a thread sent back, as an error again: a StageError when it was classified. */
function rethrown(f: ThreadFailure): Error {
  if (f.classified) {
    const { reason, permanent, detail, skipped } = f.classified;
    const e = new StageError(reason, detail ?? f.message, { permanent, ...(skipped ? { skipped } : {}) });
    e.name = f.name;
    return e;
  }
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}

export interface CpuRunner {
  /**
   * Run export `name` of the entry with `arg` (in a thread, or inline when threads are off).
   * `transfer`: buffers inside `arg` to move to the thread instead of copying (they are unusable
   * here afterwards).
   */
  run<O>(name: string, arg: unknown, transfer?: ArrayBuffer[]): Promise<O>;
  /** Threads of this runner (0: inline). */
  readonly threads: number;
  /** Stop the threads (after the stage worker has closed). */
  close(): Promise<void>;
}

/**
 * A runner for the thread entry at `entry` (a file: URL of a .js module). `inline` holds the same
 * functions for `threads` = 0, so that switching threads off changes nothing but where they run.
 */
export function createCpuRunner(entry: URL, threads: number, inline: Record<string, (arg: never) => unknown>): CpuRunner {
  if (threads <= 0) {
    return {
      threads: 0,
      async run<O>(name: string, arg: unknown): Promise<O> {
        const fn = inline[name];
        if (!fn) throw new Error(`no function ${name} in ${entry.pathname}`);
        return fn(arg as never) as O;
      },
      async close() {},
    };
  }
  const pool = new Piscina({
    filename: entry.href,
    minThreads: threads,
    maxThreads: threads,
    // Threads live as long as the process: starting one loads the stage's data tables again.
    idleTimeout: Number.POSITIVE_INFINITY,
    // Calls beyond the threads wait in the pool's queue, unbounded: the stage's concurrency
    // already bounds how many there can be ("auto", threads squared, refused a concurrency of 8
    // on one thread).
    maxQueue: Number.POSITIVE_INFINITY,
  });
  return {
    threads,
    async run<O>(name: string, arg: unknown, transfer?: ArrayBuffer[]): Promise<O> {
      const out: unknown = await pool.run(arg, transfer?.length ? { name, transferList: transfer } : { name });
      if (isThreadFailure(out)) throw rethrown(out);
      return out as O;
    },
    async close() {
      await pool.destroy();
    },
  };
}

/** The worker, its close() now also stopping the runner's threads once the worker's jobs are done. */
export function closeWithWorker(worker: Worker, cpu: CpuRunner): Worker {
  const close = worker.close.bind(worker);
  worker.close = async (force?: boolean) => {
    await close(force);
    await cpu.close();
  };
  return worker;
}
