/**
 * `/metrics` in the Prometheus text format: the counters and histograms every worker process
 * recorded in Redis (shared/src/metrics.ts), plus gauges read at scrape time (queue depths per
 * stage and state, from BullMQ) and this process's own default metrics (prom-client).
 */
import { METRIC_DEFS, PIPELINE, readMetrics, type Labels, type MetricName } from "@tidings/shared";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { JOB_STATES, type DashboardDeps } from "./data.ts";

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelText(labels: Labels, extra: Labels = {}): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all).filter((k) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k));
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(all[k] ?? "")}"`).join(",")}}` : "";
}

const num = (n: number) => (n === Number.POSITIVE_INFINITY ? "+Inf" : String(n));

/** The Redis-recorded metrics as exposition text (every defined metric has its HELP and TYPE). */
export async function renderRecorded(deps: Pick<DashboardDeps, "redis" | "config">): Promise<string> {
  const snap = await readMetrics(deps.redis, deps.config.queuePrefix);
  const lines: string[] = [];
  for (const [name, def] of Object.entries(METRIC_DEFS) as [MetricName, (typeof METRIC_DEFS)[MetricName]][]) {
    lines.push(`# HELP ${name} ${def.help}`, `# TYPE ${name} ${def.type}`);
    if (def.type === "counter") {
      for (const c of snap.counters.filter((x) => x.name === name)) lines.push(`${name}${labelText(c.labels)} ${c.value}`);
    } else {
      for (const h of snap.histograms.filter((x) => x.name === name)) {
        for (const b of h.buckets) lines.push(`${name}_bucket${labelText(h.labels, { le: num(b.le) })} ${b.count}`);
        lines.push(`${name}_sum${labelText(h.labels)} ${h.sum}`, `${name}_count${labelText(h.labels)} ${h.count}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

export class PrometheusExporter {
  readonly registry = new Registry();

  constructor(private readonly deps: DashboardDeps) {
    collectDefaultMetrics({ register: this.registry, prefix: "tidings_dashboard_" });
    const producer = deps.producer;
    new Gauge({
      name: "tidings_queue_jobs",
      help: "Jobs in each stage queue by state, read from BullMQ at scrape time.",
      labelNames: ["stage", "state"],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(PIPELINE.map(async (stage) => {
          const counts = await producer.queue(stage).getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ stage, state }, counts[state] ?? 0);
        }));
      },
    });
    const batches = producer.batches;
    new Gauge({
      name: "tidings_batch_sources",
      help: "Sources of the most recent batches by how they ended (pending = not ended yet).",
      labelNames: ["batch", "status"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const id of await batches.list(5)) {
          const p = await batches.progress(id);
          if (!p) continue;
          const ended = p.ended.indexed + p.ended.failed + p.ended.skipped;
          for (const [status, n] of Object.entries(p.ended)) this.set({ batch: id, status }, n);
          this.set({ batch: id, status: "pending" }, Math.max(0, p.count - ended));
        }
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const [own, recorded] = await Promise.all([this.registry.metrics(), renderRecorded(this.deps)]);
    return `${recorded}${own}`;
  }
}
