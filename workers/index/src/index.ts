export * from "./batcher.ts";
export * from "./documents.ts";
export * from "./names.ts";
export * from "./segment.ts";
export * from "./templates.ts";
export * from "./worker.ts";
export * from "./writer.ts";
export * from "./reindex.ts";
