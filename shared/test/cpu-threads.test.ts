import { isMainThread } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createCpuRunner } from "../src/cpu-threads.ts";
import { classifyError } from "../src/errors.ts";

// The same functions as the thread entry, for the inline runner.
const entry = {
  where: (arg: unknown) => ({ main: isMainThread, threadId: 0, echo: arg }),
  fail: (arg: unknown) => {
    throw new TypeError(`refused ${String(arg)}`);
  },
  failClassified: (arg: unknown) => {
    throw Object.assign(new Error(`${String(arg)} is gone`), { name: "BodyGoneError", reason: "body_gone", permanent: true });
  },
  failAsync: async (arg: unknown) => {
    throw Object.assign(new Error(`${String(arg)} is gone`), { name: "BodyGoneError", reason: "body_gone", permanent: true });
  },
};

const ENTRY = new URL("./fixtures/cpu-entry.js", import.meta.url);
type Where = { main: boolean; threadId: number; echo: unknown };

describe("createCpuRunner", () => {
  it("runs the function in a worker thread and clones the argument and result", async () => {
    const cpu = createCpuRunner(ENTRY, 1, entry);
    try {
      const arg = { text: "朝鲜 Triều Tiên", n: [1, 2, 3], nested: { date: "2024-06-19" } };
      const r = await cpu.run<Where>("where", arg);
      expect(r.main).toBe(false);
      expect(r.threadId).toBeGreaterThan(0);
      expect(r.echo).toEqual(arg);
      expect(cpu.threads).toBe(1);
    } finally {
      await cpu.close();
    }
  });

  it("runs inline in this thread when threads are 0", async () => {
    const cpu = createCpuRunner(ENTRY, 0, entry);
    const r = await cpu.run<Where>("where", "x");
    expect(r.main).toBe(isMainThread);
    expect(cpu.threads).toBe(0);
    await cpu.close();
  });

  it("rejects with the thread's error, and keeps serving afterwards", async () => {
    const cpu = createCpuRunner(ENTRY, 1, entry);
    try {
      await expect(cpu.run("fail", "page 7")).rejects.toThrow("refused page 7");
      await expect(cpu.run<Where>("where", 1)).resolves.toMatchObject({ echo: 1 });
    } finally {
      await cpu.close();
    }
  });

  // Structured clone alone would deliver a plain Error without name, reason or permanence, and
  // the stage would retry a page that can never succeed under the reason "error".
  it.each([1, 0])("keeps a thrown error's name and classification (threads: %i)", async (threads) => {
    const cpu = createCpuRunner(ENTRY, threads, entry);
    try {
      const plain = await cpu.run("fail", "page 7").catch((e: unknown) => e as Error);
      expect(plain).toBeInstanceOf(Error);
      expect((plain as Error).name).toBe("TypeError");
      expect((plain as Error).message).toContain("refused page 7");
      expect(classifyError(plain)).toMatchObject({ reason: "error", permanent: false });

      for (const fn of ["failClassified", "failAsync"]) {
        const classified = await cpu.run(fn, "body 9").catch((e: unknown) => e as Error);
        expect((classified as Error).name, fn).toBe("BodyGoneError");
        expect(classifyError(classified), fn).toMatchObject({ reason: "body_gone", permanent: true, detail: expect.stringContaining("body 9 is gone") });
      }
    } finally {
      await cpu.close();
    }
  });

  it("spreads concurrent calls over its threads", async () => {
    const cpu = createCpuRunner(ENTRY, 2, entry);
    try {
      const ids = new Set<number>();
      // Piscina starts minThreads threads up front; enough calls at once reach both.
      for (let round = 0; round < 20 && ids.size < 2; round++) {
        const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => cpu.run<Where>("where", i)));
        for (const r of rs) ids.add(r.threadId);
      }
      expect(ids.size).toBe(2);
    } finally {
      await cpu.close();
    }
  });
});
