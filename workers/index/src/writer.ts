/**
 * Single-document reads and writes of sources (the batched writes of events, mentions and
 * sources live in batcher.ts). Sources are written with external versioning (version = the
 * run's start time), so a newer run wins and a replay of the same run ties and rewrites the
 * same document.
 */
import type { ElasticsearchClient, SourceRecord } from "@tidings/shared";
import { indexNames } from "./names.ts";

const statusOf = (err: unknown) => (err as { meta?: { statusCode?: number } }).meta?.statusCode;

export class IndexWriter {
  constructor(private readonly es: ElasticsearchClient, private readonly prefix: string) {}

  /** Write a source document; a newer run's document is never overwritten by an older one. */
  async writeSource(doc: SourceRecord, version: number): Promise<"written" | "stale"> {
    try {
      await this.es.index({ index: indexNames(this.prefix, "sources").write, id: doc.id, document: doc, version, version_type: "external_gte" });
      return "written";
    } catch (err) {
      if (statusOf(err) === 409) return "stale";
      throw err;
    }
  }

  async getSource(id: string): Promise<{ doc: SourceRecord; version: number } | undefined> {
    try {
      const r = await this.es.get<SourceRecord>({ index: indexNames(this.prefix, "sources").write, id });
      return r.found && r._source ? { doc: r._source, version: r._version ?? 1 } : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}
