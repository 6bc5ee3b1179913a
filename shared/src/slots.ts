/**
 * A counting semaphore: at most `size` tasks run at once; the others wait their turn, first come
 * first served. The stage worker runs every URL through one (bundles.ts), so that
 * TIDINGS_CONCURRENCY_<STAGE> keeps meaning URLs at once in a process, as it did when a job
 * carried one URL: a bundle does not multiply, say, the requests a translate worker sends its
 * provider.
 */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Slots: size must be a positive integer, got ${size}`);
  }

  /** Run `task` in a slot, once one is free; the slot is given back however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight on: `running` stays as it is
      else this.running--;
    }
  }

  /** Tasks running now and tasks waiting for a slot (tests, metrics). */
  get state(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
