import { describe, expect, it } from "vitest";
import { Slots } from "../src/slots.ts";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("Slots", () => {
  it.each([1, 2, 3])("runs at most %i tasks at once, in the order they came, and gives slots back on failure", async (size) => {
    const slots = new Slots(size);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => slots.run(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await tick();
      running--;
      if (i % 3 === 0) throw new Error(`task ${i} failed`);
      return i;
    })));
    expect(most).toBe(size);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "rejected"]);
    expect(slots.state).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses a size that is not a positive integer", () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new Slots(size)).toThrow(/positive integer/);
  });
});
