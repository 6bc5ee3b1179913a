/**
 * A small LibreTranslate-compatible HTTP server for tests and local trials (node:http on
 * 127.0.0.1, port 0 by default). It speaks the same protocol and errors as LibreTranslate
 * (`GET /languages`, `POST /translate` with a string or a list, 400 for an unsupported language
 * or a request over the char limit, 403 for a bad API key) and "translates" by tagging each text
 * with the pair: `[zh>en] 原文`. Failures and delays can be scripted; every request is recorded.
 *
 *   const server = await new LibreServer({ charLimit: 100 }).start();
 *   process.env.TIDINGS_TRANSLATE_URL = server.url;
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { charCount } from "./batching.ts";
import type { ServerLanguage } from "./http-provider.ts";

export interface LibreServerOptions {
  languages?: ServerLanguage[];
  /** Most characters per request (sum over q), as LibreTranslate's --char-limit. Default: none. */
  charLimit?: number;
  /** When set, /translate wants this api_key. */
  apiKey?: string;
  /** Delay before answering /translate (ms). */
  delayMs?: number;
  translate?: (text: string, source: string, target: string) => string;
  port?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body?: { q?: string | string[]; source?: string; target?: string; format?: string; api_key?: string };
}

interface ScriptedFailure { status: number; headers?: Record<string, string>; body?: unknown }

const DEFAULT_LANGUAGES: ServerLanguage[] = [
  { code: "en", name: "English", targets: ["zh-Hans", "vi", "ru", "ko", "ja", "fr"] },
  { code: "zh-Hans", name: "Chinese (Simplified)", targets: ["en"] },
  { code: "vi", name: "Vietnamese", targets: ["en"] },
  { code: "ru", name: "Russian", targets: ["en"] },
  { code: "ko", name: "Korean", targets: ["en"] },
  { code: "ja", name: "Japanese", targets: ["en"] },
  { code: "fr", name: "French", targets: ["en"] },
];

export class LibreServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private failures: ScriptedFailure[] = [];
  port = 0;

  constructor(readonly options: LibreServerOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests to /translate so far. */
  get translateRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === "/translate");
  }

  /** Answer the next `times` requests with this status (and headers, e.g. Retry-After). */
  failNext(times: number, status: number, headers?: Record<string, string>, body?: unknown): this {
    for (let i = 0; i < times; i++) this.failures.push({ status, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) });
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const raw = await readBody(req);
    const recorded: RecordedRequest = { method: req.method ?? "GET", path };
    if (raw) {
      try { recorded.body = JSON.parse(raw) as RecordedRequest["body"]; } catch { /* recorded without body */ }
    }
    this.requests.push(recorded);

    const failure = this.failures.shift();
    if (failure) return send(res, failure.status, failure.body ?? { error: `scripted failure ${failure.status}` }, failure.headers);

    const languages = this.options.languages ?? DEFAULT_LANGUAGES;
    if (path === "/languages" && req.method === "GET") return send(res, 200, languages);
    if (path !== "/translate" || req.method !== "POST") return send(res, 404, { error: "Not Found" });

    const body = recorded.body;
    if (!body) return send(res, 400, { error: "Invalid request: missing body" });
    if (this.options.apiKey !== undefined && body.api_key !== this.options.apiKey) {
      return send(res, 403, { error: "Invalid API key" });
    }
    const { q, source, target } = body;
    if (q === undefined) return send(res, 400, { error: "Invalid request: missing q parameter" });
    if (!source) return send(res, 400, { error: "Invalid request: missing source parameter" });
    if (!target) return send(res, 400, { error: "Invalid request: missing target parameter" });
    const from = languages.find((l) => l.code === source);
    if (!from) return send(res, 400, { error: `${source} is not supported` });
    if (!languages.some((l) => l.code === target) || (from.targets && !from.targets.includes(target))) {
      return send(res, 400, { error: `${target} is not supported` });
    }
    const texts = Array.isArray(q) ? q : [q];
    const chars = texts.reduce((n, t) => n + charCount(t), 0);
    const limit = this.options.charLimit;
    if (limit !== undefined && limit >= 0 && chars > limit) {
      return send(res, 400, { error: `Invalid request: request (${chars}) exceeds text limit (${limit})` });
    }
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    const tr = this.options.translate ?? ((text: string, s: string, t: string) => `[${s}>${t}] ${text}`);
    const out = texts.map((t) => tr(t, source, target));
    return send(res, 200, { translatedText: Array.isArray(q) ? out : out[0] });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
