/**
 * Vitest global setup of the e2e project: start real Redis and Elasticsearch with the project's
 * own `services up` (or use the ones REDIS_URL / ELASTICSEARCH_URL name). Never mocks: if a
 * service cannot be started, the suite fails with the reason.
 */
import type { TestProject } from "vitest/node";
import { servicesUp } from "@tidings/scripts/services/index";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    elasticsearchUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const { redisUrl, elasticsearchUrl } = await servicesUp({ log: (m) => console.log(`[services] ${m}`) });
  process.env.REDIS_URL = redisUrl;
  process.env.ELASTICSEARCH_URL = elasticsearchUrl;
  project.provide("redisUrl", redisUrl);
  project.provide("elasticsearchUrl", elasticsearchUrl);
}
