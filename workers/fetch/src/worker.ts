/** BullMQ adapter of the fetch stage: fetch the URL (or read the saved page) and hand it to clean. */
import { createStageWorker, QueueName, type Config, type Producer } from "@tidings/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { fetchPage, policyFromEnv } from "./index.ts";
import { loadLocalPage } from "./local-page.ts";

export function createFetchWorker(deps: { connection: Redis; config: Config; producer: Producer }): Worker {
  const policy = policyFromEnv();
  return createStageWorker(QueueName.Fetch, async (payload, ctx) => {
    const e = payload.envelope;
    const page = e.local_file ? await loadLocalPage(e.local_file, e.url) : await fetchPage(e.url, policy);
    ctx.log.info("fetched", { status: page.http_status, bytes: page.bytes, charset: page.charset, final_url: page.final_url, ms: page.timing_ms });
    return { envelope: e, page };
  }, deps);
}
