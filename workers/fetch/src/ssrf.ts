/**
 * SSRF guard. Two checks, both against the same rules:
 * 1. before each request (first URL and every redirect target): the URL's host, when it is an IP
 *    literal (WHATWG URL has already turned 2130706433, 0177.0.0.1, 0x7f.1 into 127.0.0.1);
 * 2. at connect time, inside the undici connector: the host name is resolved once, every address
 *    is checked, and the socket connects to that checked address (TLS keeps the name for SNI and
 *    certificate checks). No second lookup happens, so there is no DNS-rebinding window.
 * A host on `allowHosts` (host or host:port) and addresses inside `allowCidrs` pass.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { Agent, buildConnector } from "undici";
import { classifyIp, ipInCidr, isIpLiteral, parseCidr, type Cidr } from "./ip.ts";
import { FetchError } from "./errors.ts";
import { normaliseAllowHost, type FetchPolicy, type ResolvedAddress, type Resolver } from "./policy.ts";

export class SsrfGuard {
  private readonly hosts: Set<string>;
  private readonly cidrs: Cidr[];
  readonly resolver: Resolver;

  constructor(policy: Pick<FetchPolicy, "ssrf" | "resolver">) {
    this.hosts = new Set(policy.ssrf.allowHosts.map(normaliseAllowHost));
    this.cidrs = policy.ssrf.allowCidrs.map(parseCidr);
    this.resolver = policy.resolver ?? defaultResolver;
  }

  /** Host allowlisted for this port? `hostname` as in URL.hostname (IPv6 with brackets). */
  hostAllowed(hostname: string, port: number): boolean {
    const h = hostname.toLowerCase();
    return this.hosts.has(h) || this.hosts.has(`${h}:${port}`);
  }

  /** null when the address may be connected to, otherwise the reason. */
  addressProblem(address: string): string | null {
    const cls = classifyIp(address);
    if (cls === null) return null;
    if (this.cidrs.some((c) => ipInCidr(address, c))) return null;
    return cls;
  }

  /** Check 1: throws blocked_address for an IP-literal host that is not public and not allowed. */
  checkUrl(url: URL): void {
    const port = effectivePort(url);
    if (this.hostAllowed(url.hostname, port)) return;
    if (isIpLiteral(url.hostname)) {
      const problem = this.addressProblem(url.hostname);
      if (problem) throw blocked(url.host, url.hostname, problem, url.href);
    }
  }

  /**
   * Check 2: resolve (unless an IP literal), check every address, return the one to connect to.
   * Any refused address among several refuses the host (a name that mixes public and private
   * addresses is an attack or a misconfiguration either way).
   */
  async resolveChecked(hostname: string, port: number, timeoutMs: number): Promise<ResolvedAddress> {
    const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
    const allowedHost = this.hostAllowed(hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname, port);
    if (isIpLiteral(bare)) {
      if (!allowedHost) {
        const problem = this.addressProblem(bare);
        if (problem) throw blocked(`${hostname}:${port}`, bare, problem);
      }
      return { address: bare, family: bare.includes(":") ? 6 : 4 };
    }
    let addrs: ResolvedAddress[];
    let timer: NodeJS.Timeout | undefined;
    try {
      addrs = await Promise.race([
        this.resolver(bare),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new FetchError("connect_timeout", { permanent: false, detail: `DNS lookup of ${bare} took longer than ${timeoutMs} ms` })),
            timeoutMs,
          );
        }),
      ]);
    } catch (e) {
      if (e instanceof FetchError) throw e;
      const code = (e as NodeJS.ErrnoException).code ?? "";
      throw new FetchError("dns_error", {
        // NXDOMAIN is as permanent as DNS gets; SERVFAIL/timeouts are worth a retry.
        permanent: code === "ENOTFOUND" || code === "ENODATA",
        detail: `cannot resolve ${bare}: ${code || (e as Error).message}`,
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    if (addrs.length === 0) throw new FetchError("dns_error", { permanent: true, detail: `${bare} has no addresses` });
    if (!allowedHost) {
      for (const a of addrs) {
        const problem = this.addressProblem(a.address);
        if (problem) throw blocked(`${hostname}:${port}`, a.address, problem);
      }
    }
    return addrs[0] as ResolvedAddress;
  }
}

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function blocked(target: string, address: string, cls: string, url?: string): FetchError {
  return new FetchError("blocked_address", {
    permanent: true,
    detail: `${target} -> ${address} is ${cls.replace(/_/g, "-")}; not allowed by the SSRF policy`,
    ...(url ? { url } : {}),
  });
}

export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

type ConnectOptions = Parameters<ReturnType<typeof buildConnector>>[0];
type ConnectCallback = Parameters<ReturnType<typeof buildConnector>>[1];

/** An undici Agent whose every connection goes through the guard (resolve, check, pin). */
export function guardedAgent(guard: SsrfGuard, policy: Pick<FetchPolicy, "connectTimeoutMs">): Agent {
  const base = buildConnector({ timeout: policy.connectTimeoutMs });
  const connect = (opts: ConnectOptions, callback: ConnectCallback): void => {
    const port = opts.port ? Number(opts.port) : opts.protocol === "https:" ? 443 : 80;
    const hostname = opts.hostname;
    guard.resolveChecked(hostname, port, policy.connectTimeoutMs).then(
      (addr) => {
        const servername = isIpLiteral(hostname) ? opts.servername : (opts.servername ?? hostname);
        base({ ...opts, hostname: addr.address, servername: servername ?? null } as ConnectOptions, callback);
      },
      (err: unknown) => callback(err as Error, null),
    );
  };
  return new Agent({
    connect,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    connections: 64,
    pipelining: 1,
  });
}

/** Agents cached per guard configuration, so connections are reused across fetches. */
const agents = new Map<string, { guard: SsrfGuard; agent: Agent }>();
const resolverIds = new WeakMap<Resolver, number>();
let nextResolverId = 1;
const MAX_AGENTS = 16;

export function agentFor(policy: FetchPolicy): { guard: SsrfGuard; agent: Agent } {
  let rid = 0;
  if (policy.resolver) {
    rid = resolverIds.get(policy.resolver) ?? 0;
    if (!rid) {
      rid = nextResolverId++;
      resolverIds.set(policy.resolver, rid);
    }
  }
  const key = JSON.stringify([policy.ssrf.allowHosts, policy.ssrf.allowCidrs, policy.connectTimeoutMs, rid]);
  const hit = agents.get(key);
  if (hit) {
    agents.delete(key);
    agents.set(key, hit);
    return hit;
  }
  const guard = new SsrfGuard(policy);
  const entry = { guard, agent: guardedAgent(guard, policy) };
  agents.set(key, entry);
  while (agents.size > MAX_AGENTS) {
    const oldest = agents.entries().next();
    if (oldest.done) break;
    agents.delete(oldest.value[0]);
    void oldest.value[1].agent.close().catch(() => undefined);
  }
  return entry;
}

/** Close every cached agent (tests, graceful shutdown). */
export async function closeAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.agent.close().catch(() => undefined)));
}
