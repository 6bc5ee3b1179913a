import type { Redis } from "ioredis";
import { RedisTranslationCache } from "./cache.ts";
import { loadHttpTranslateConfig } from "./config.ts";
import { HttpTranslationProvider } from "./http-provider.ts";
import { StubProvider } from "./stub.ts";
import type { TranslationProvider } from "./provider.ts";

export const PROVIDERS = ["stub", "http"] as const;

export interface CreateProviderOptions {
  /** Redis for the translation cache (the `http` provider); no cache without it. */
  redis?: Redis;
  /** Key prefix of the cache. Default "tidings:translate:". */
  cachePrefix?: string;
  /** Where the provider's settings are read from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Told about retries and cache errors. */
  log?: { warn(message: string, meta?: Record<string, unknown>): unknown };
}

/**
 * The provider named by TIDINGS_TRANSLATE_PROVIDER. `http` reads its settings from the
 * environment (see config.ts) and throws a ConfigError at once when they are missing or bad.
 */
export function createProvider(name: string, opts: CreateProviderOptions = {}): TranslationProvider {
  switch (name) {
    case "stub": return new StubProvider();
    case "http": {
      const config = loadHttpTranslateConfig(opts.env ?? process.env);
      const log = opts.log;
      const cache = opts.redis && config.cacheTtlSeconds > 0
        ? new RedisTranslationCache(opts.redis, {
          prefix: opts.cachePrefix ?? "tidings:translate:",
          namespace: `http:${config.model}`,
          ttlSeconds: config.cacheTtlSeconds,
          onError: (err) => log?.warn("translation cache unavailable", { error: String(err) }),
        })
        : undefined;
      return new HttpTranslationProvider({
        config,
        ...(cache ? { cache } : {}),
        onRetry: (info) => log?.warn("translation request retried", { ...info }),
      });
    }
    default: throw new Error(`translation provider "${name}" is not available (known: ${PROVIDERS.join(", ")})`);
  }
}
