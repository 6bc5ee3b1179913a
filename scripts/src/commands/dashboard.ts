/**
 * `tidings dashboard [--host 127.0.0.1] [--port 8080]`: the pipeline page, bull-board, the
 * batches API, Prometheus metrics and health probes (see src/dashboard/server.ts).
 *
 * On anything but a loopback address it refuses to start without credentials
 * (TIDINGS_DASHBOARD_TOKEN, or TIDINGS_DASHBOARD_USER + TIDINGS_DASHBOARD_PASSWORD). Bull-board
 * is read-only unless TIDINGS_DASHBOARD_ALLOW_WRITE=true.
 */
import { parseArgs } from "node:util";
import { rootLogger } from "@tidings/shared";
import { authFromEnv, checkExposure } from "../dashboard/auth.ts";
import { startDashboard } from "../dashboard/server.ts";
import { openRuntime } from "../runtime.ts";

export async function dashboardCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, allowPositionals: false,
    options: {
      host: { type: "string", default: process.env.TIDINGS_DASHBOARD_HOST ?? "127.0.0.1" },
      port: { type: "string", default: process.env.TIDINGS_DASHBOARD_PORT ?? "8080" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`tidings dashboard: --port must be a port number (0-65535), not "${values.port}"`);
    return 2;
  }
  const auth = authFromEnv();
  // Before connecting to anything: an exposed, unprotected dashboard must not start at all.
  const exposure = checkExposure(values.host, auth);
  if (!exposure.ok) {
    console.error(`tidings dashboard: ${exposure.message}`);
    return 1;
  }
  const allowWrite = process.env.TIDINGS_DASHBOARD_ALLOW_WRITE === "true";
  const rt = await openRuntime();
  let running;
  try {
    running = await startDashboard(rt, { host: values.host, port, auth, allowWrite });
  } catch (err) {
    await rt.close();
    console.error(`tidings dashboard: ${(err as Error).message}`);
    return 1;
  }
  const log = rootLogger();
  log.info("dashboard listening", { url: running.url, auth: exposure.mode, write_actions: allowWrite, queue_prefix: rt.config.queuePrefix });
  console.log(`dashboard: ${running.url}/  (queues: ${running.url}/queues, metrics: ${running.url}/metrics)${exposure.mode === "none" ? "" : `  auth: ${exposure.mode}`}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info("signal received", { signal });
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await running.close();
  await rt.close();
  return 0;
}
