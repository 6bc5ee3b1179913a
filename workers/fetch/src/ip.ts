/**
 * IP address classification for the SSRF guard: which addresses a fetch may connect to.
 * Pure functions, no I/O.
 */
import { isIP } from "node:net";

/** Why an address is not public, or null for a public (globally routable unicast) address. */
export type IpClass =
  | "unspecified"
  | "loopback"
  | "private"
  | "shared" // 100.64.0.0/10 carrier-grade NAT
  | "link_local" // 169.254.0.0/16 (cloud metadata 169.254.169.254), fe80::/10
  | "multicast"
  | "broadcast"
  | "reserved" // documentation, benchmarking, IETF, 240/4, non-global IPv6 ...
  | "unique_local" // fc00::/7
  | "site_local" // fec0::/10 (deprecated)
  | "invalid";

interface V4Range {
  base: number;
  bits: number;
  cls: IpClass;
}

/** Parse dotted-decimal IPv4 (strict, as produced by WHATWG URL / DNS) to a 32-bit unsigned number. */
export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

function v4(cidr: string, cls: IpClass): V4Range {
  const [addr, bits] = cidr.split("/");
  return { base: parseIpv4(addr ?? "") ?? 0, bits: Number(bits), cls };
}

const V4_RANGES: V4Range[] = [
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link_local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "reserved"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "reserved"),
  v4("203.0.113.0/24", "reserved"),
  v4("224.0.0.0/4", "multicast"),
  v4("255.255.255.255/32", "broadcast"),
  v4("240.0.0.0/4", "reserved"),
];

function inV4(n: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((n & mask) >>> 0) === ((base & mask) >>> 0);
}

function classifyV4(n: number): IpClass | null {
  for (const r of V4_RANGES) if (inV4(n, r.base, r.bits)) return r.cls;
  return null;
}

/** Parse an IPv6 address (zone id allowed and ignored) to 8 16-bit groups. */
export function parseIpv6(input: string): number[] | undefined {
  let ip = input;
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const pct = ip.indexOf("%");
  if (pct >= 0) ip = ip.slice(0, pct);
  if (isIP(ip) !== 6) return undefined;
  // Embedded dotted IPv4 at the end -> two hex groups.
  const lastColon = ip.lastIndexOf(":");
  const last = ip.slice(lastColon + 1);
  if (last.includes(".")) {
    const n = parseIpv4(last);
    if (n === undefined) return undefined;
    ip = `${ip.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = ip.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":").filter((s) => s !== "") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":").filter((s) => s !== "") : [];
  const parse = (s: string): number => parseInt(s, 16);
  const headN = head.map(parse);
  const restN = rest.map(parse);
  if (halves.length === 1) return headN.length === 8 ? headN : undefined;
  const fill = 8 - headN.length - restN.length;
  if (fill < 0) return undefined;
  return [...headN, ...new Array<number>(fill).fill(0), ...restN];
}

function groupsToV4(g: number[], at: number): number {
  return (((g[at] ?? 0) << 16) | (g[at + 1] ?? 0)) >>> 0;
}

function classifyV6(g: number[]): IpClass | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zero5 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zero5 && g5 === 0 && g6 === 0 && g7 === 0) return "unspecified";
  if (zero5 && g5 === 0 && g6 === 0 && g7 === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) -> the IPv4 address decides.
  if (zero5 && g5 === 0xffff) return classifyV4(groupsToV4(g, 6)) ?? null;
  // ::a.b.c.d (IPv4-compatible, deprecated) and ::ffff:0:a.b.c.d (SIIT) -> never global.
  if (zero5 && g5 === 0) return "reserved";
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return "reserved";
  // 64:ff9b::/96 NAT64 well-known prefix -> the embedded IPv4 decides.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return classifyV4(groupsToV4(g, 6)) ?? null;
  }
  // 2002::/16 6to4 -> the embedded IPv4 decides.
  if (g0 === 0x2002) return classifyV4(groupsToV4(g, 1)) ?? null;
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if ((g0 & 0xffc0) === 0xfe80) return "link_local";
  if ((g0 & 0xffc0) === 0xfec0) return "site_local";
  if ((g0 & 0xfe00) === 0xfc00) return "unique_local";
  // Only 2000::/3 is global unicast.
  if ((g0 & 0xe000) !== 0x2000) return "reserved";
  // Inside 2000::/3: Teredo 2001::/32, ORCHID 2001:10::/28 and 2001:20::/28, 2001:2::/48
  // benchmarking, documentation 2001:db8::/32 and 3fff::/20.
  if (g0 === 0x2001 && g1 === 0) return "reserved";
  if (g0 === 0x2001 && (g1 & 0xfff0) === 0x10) return "reserved";
  if (g0 === 0x2001 && (g1 & 0xfff0) === 0x20) return "reserved";
  if (g0 === 0x2001 && g1 === 2 && g2 === 0) return "reserved";
  if (g0 === 0x2001 && g1 === 0xdb8) return "reserved";
  if ((g0 & 0xfff0) === 0x3ff0) return "reserved";
  return null;
}

/**
 * Classify an IP literal: null when it is a public unicast address a crawler may reach,
 * otherwise why not. Accepts "1.2.3.4", "::1", "[::1]", "fe80::1%eth0". Non-IP strings -> "invalid".
 */
export function classifyIp(ip: string): IpClass | null {
  const n = parseIpv4(ip);
  if (n !== undefined) return classifyV4(n);
  const g = parseIpv6(ip);
  if (g) return classifyV6(g);
  return "invalid";
}

/** True when the string is an IP literal (IPv4 dotted decimal or IPv6, brackets allowed). */
export function isIpLiteral(host: string): boolean {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return isIP(h.split("%")[0] ?? "") !== 0;
}

/** A parsed CIDR block. */
export interface Cidr {
  family: 4 | 6;
  bits: number;
  /** IPv4: one number; IPv6: 8 groups. */
  v4?: number;
  v6?: number[];
  text: string;
}

/** Parse "10.0.0.0/8", "127.0.0.1" (= /32), "::1/128", "fc00::/7". Throws on bad input. */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const slash = t.indexOf("/");
  const addr = slash < 0 ? t : t.slice(0, slash);
  const bitsText = slash < 0 ? undefined : t.slice(slash + 1);
  const n = parseIpv4(addr);
  if (n !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!/^\d+$/.test(bitsText ?? "32") || bits < 0 || bits > 32) throw new Error(`bad CIDR prefix in ${JSON.stringify(text)}`);
    return { family: 4, bits, v4: n, text: t };
  }
  const g = parseIpv6(addr);
  if (g) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (!/^\d+$/.test(bitsText ?? "128") || bits < 0 || bits > 128) throw new Error(`bad CIDR prefix in ${JSON.stringify(text)}`);
    return { family: 6, bits, v6: g, text: t };
  }
  throw new Error(`not an IP address or CIDR: ${JSON.stringify(text)}`);
}

function v6InCidr(g: number[], c: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const take = Math.min(16, bits);
    const mask = take === 16 ? 0xffff : (0xffff << (16 - take)) & 0xffff;
    if (((g[i] ?? 0) & mask) !== ((c[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** True when the IP is inside the CIDR. IPv4-mapped IPv6 addresses also match IPv4 blocks. */
export function ipInCidr(ip: string, cidr: Cidr): boolean {
  let n = parseIpv4(ip);
  let g: number[] | undefined;
  if (n === undefined) {
    g = parseIpv6(ip);
    if (!g) return false;
    const mapped = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
    if (mapped) n = groupsToV4(g, 6);
  }
  if (cidr.family === 4) return n !== undefined && cidr.v4 !== undefined && inV4(n, cidr.v4, cidr.bits);
  if (!g) {
    // IPv4 address against an IPv6 block: compare as ::ffff:a.b.c.d.
    if (n === undefined) return false;
    g = [0, 0, 0, 0, 0, 0xffff, n >>> 16, n & 0xffff];
  }
  return cidr.v6 !== undefined && v6InCidr(g, cidr.v6, cidr.bits);
}
