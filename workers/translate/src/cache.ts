/**
 * The translation cache: one Redis string per (provider, model, source language, target
 * language, sha256 of the text), with a TTL, so re-processing an article costs no request.
 * Keys are read and written one by one (no MGET), which stays valid on Redis Cluster whatever
 * the prefix. A Redis error is a cache miss, never a failed translation.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export interface TranslationCache {
  /** The cached translation of each text, or undefined. */
  getMany(source: string, target: string, texts: readonly string[]): Promise<(string | undefined)[]>;
  setMany(source: string, target: string, entries: readonly { text: string; translation: string }[]): Promise<void>;
}

export interface RedisCacheOptions {
  /** Key prefix, e.g. "tidings:translate:". */
  prefix: string;
  /** Identity of what translates: provider name and model, e.g. "http:libretranslate". */
  namespace: string;
  ttlSeconds: number;
  /** Told about Redis errors (which are treated as misses). */
  onError?: (err: unknown) => void;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export class RedisTranslationCache implements TranslationCache {
  constructor(private readonly redis: Redis, private readonly opts: RedisCacheOptions) {}

  key(source: string, target: string, text: string): string {
    return `${this.opts.prefix}${this.opts.namespace}:${source}:${target}:${sha256(text)}`;
  }

  async getMany(source: string, target: string, texts: readonly string[]): Promise<(string | undefined)[]> {
    try {
      const values = await Promise.all(texts.map((t) => this.redis.get(this.key(source, target, t))));
      return values.map((v) => v ?? undefined);
    } catch (err) {
      this.opts.onError?.(err);
      return texts.map(() => undefined);
    }
  }

  async setMany(source: string, target: string, entries: readonly { text: string; translation: string }[]): Promise<void> {
    if (this.opts.ttlSeconds <= 0) return;
    try {
      await Promise.all(entries.map((e) => this.redis.set(this.key(source, target, e.text), e.translation, "EX", this.opts.ttlSeconds)));
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
