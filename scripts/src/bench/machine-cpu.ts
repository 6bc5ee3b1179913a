/**
 * What the whole machine's CPUs did over the end-to-end run, from the first line of /proc/stat:
 * busy, idle, waiting on I/O, and stolen. Steal is time this virtual machine was ready to run but
 * its host ran someone else: a run whose throughput is lower than its CPU per article predicts
 * (the machine not busy all the time) shows here whether the host took the time or nothing was
 * ready to run. Linux only; elsewhere it reads as unknown.
 */
import { readFileSync } from "node:fs";
import { clockTicks } from "./processes.ts";

/** Cumulative time of all CPUs since boot, in clock ticks, by kind (/proc/stat's "cpu" line). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/** The machine's CPU use between two readings, in cores (1.0 = one core all the time). */
export interface MachineCpu {
  seconds: number;
  cores: number;
  /** user + nice + system + irq + softirq. */
  busy_cores: number;
  idle_cores: number;
  iowait_cores: number;
  steal_cores: number;
}

/** The aggregate "cpu" line of /proc/stat's text, or undefined when there is none. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  if (n.length < 4 || n.slice(0, 4).some((x) => !Number.isFinite(x))) return undefined;
  const at = (i: number) => (Number.isFinite(n[i]) ? n[i]! : 0);
  return { user: at(0), nice: at(1), system: at(2), idle: at(3), iowait: at(4), irq: at(5), softirq: at(6), steal: at(7) };
}

export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseProcStat(readFileSync("/proc/stat", "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The use between readings `a` and `b` taken `seconds` apart on a machine of `cores` CPUs, with
 * `ticksPerSecond` ticks per second of CPU time.
 */
export function machineCpuBetween(a: CpuTimes, b: CpuTimes, seconds: number, cores: number, ticksPerSecond = clockTicks()): MachineCpu | undefined {
  if (!(seconds > 0)) return undefined;
  const d = (k: keyof CpuTimes) => Math.max(0, b[k] - a[k]) / ticksPerSecond / seconds;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    seconds: Math.round(seconds * 100) / 100, cores,
    busy_cores: r(d("user") + d("nice") + d("system") + d("irq") + d("softirq")),
    idle_cores: r(d("idle")), iowait_cores: r(d("iowait")), steal_cores: r(d("steal")),
  };
}
