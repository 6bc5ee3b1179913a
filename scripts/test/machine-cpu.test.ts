import { describe, expect, it } from "vitest";
import { machineCpuBetween, parseProcStat, type CpuTimes } from "../src/bench/machine-cpu.ts";

const STAT = `cpu  3708946 4257 422617 2261484 16551 0 36029 35846 0 0
cpu0 1854473 2128 211308 1130742 8275 0 18014 17923 0 0
cpu1 1854473 2129 211309 1130742 8276 0 18015 17923 0 0
intr 123 4 5
ctxt 987654
`;

describe("parseProcStat", () => {
  it.each([
    ["a current kernel's line", STAT, { user: 3708946, nice: 4257, system: 422617, idle: 2261484, iowait: 16551, irq: 0, softirq: 36029, steal: 35846 }],
    ["an old kernel's line without steal", "cpu 10 0 5 100 1 0 2\n", { user: 10, nice: 0, system: 5, idle: 100, iowait: 1, irq: 0, softirq: 2, steal: 0 }],
    ["no aggregate line (per-CPU lines only)", "cpu0 1 2 3 4\n", undefined],
    ["garbage", "cpu  a b c d\n", undefined],
    ["nothing", "", undefined],
  ])("%s", (_name, text, expected) => {
    expect(parseProcStat(text)).toEqual(expected);
  });
});

describe("machineCpuBetween", () => {
  const zero: CpuTimes = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  it("turns tick deltas into cores over the span", () => {
    // 10 s on 2 cores at 100 ticks/s = 2000 ticks: 1500 busy (of which 100 irq+softirq), 300 idle, 50 iowait, 150 steal.
    const b: CpuTimes = { user: 1200, nice: 0, system: 200, idle: 300, iowait: 50, irq: 40, softirq: 60, steal: 150 };
    expect(machineCpuBetween(zero, b, 10, 2, 100)).toEqual({ seconds: 10, cores: 2, busy_cores: 1.5, idle_cores: 0.3, iowait_cores: 0.05, steal_cores: 0.15 });
  });
  it("is unknown over no time, and never negative if a counter went back", () => {
    expect(machineCpuBetween(zero, zero, 0, 2, 100)).toBeUndefined();
    const back = { ...zero, idle: 100 };
    expect(machineCpuBetween(back, zero, 1, 2, 100)?.idle_cores).toBe(0);
  });
});
