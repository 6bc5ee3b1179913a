/**
 * CPU time the services have used since they started, as they report it themselves: the Redis
 * server (INFO cpu) and the Elasticsearch nodes (nodes stats). The benchmarks take the difference
 * over a run.
 */
import type { Redis } from "ioredis";
import type { ElasticsearchClient } from "@tidings/shared";

/** CPU ms the Redis server has used (INFO cpu: used_cpu_user + used_cpu_sys), or undefined. */
export async function redisCpuMs(redis: Redis): Promise<number | undefined> {
  try {
    const info = await redis.info("cpu");
    const user = /used_cpu_user:([\d.]+)/.exec(info);
    const sys = /used_cpu_sys:([\d.]+)/.exec(info);
    return user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms the Elasticsearch nodes' processes have used (nodes stats, process.cpu.total_in_millis), or undefined. */
export async function esCpuMs(es: ElasticsearchClient): Promise<number | undefined> {
  try {
    const stats = await es.nodes.stats({ metric: "process" });
    let sum = 0;
    for (const node of Object.values(stats.nodes)) sum += node.process?.cpu?.total_in_millis ?? 0;
    return sum;
  } catch {
    return undefined;
  }
}
