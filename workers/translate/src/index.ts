export * from "./provider.ts";
export * from "./providers.ts";
export * from "./stub.ts";
export * from "./translate.ts";
export * from "./worker.ts";
