/** Fetch stage: polite, safe HTTP with charset decoding. Pure logic; worker.ts adapts it to BullMQ. */
export { fetchPage, prefetchRobots, classifyNetworkError, looksBinary, mediaType, type FetchOptions } from "./fetch.ts";
export { FetchError, isFetchError, isPermanentStatus, type FetchErrorInit, type FetchReason } from "./errors.ts";
export {
  DEFAULT_POLICY,
  DEFAULT_USER_AGENT,
  PolicyError,
  defaultRobotsCache,
  normaliseAllowHost,
  policyFromEnv,
  resolvePolicy,
  type FetchPolicy,
  type ResolvedAddress,
  type Resolver,
  type SsrfPolicy,
} from "./policy.ts";
export {
  decodeBody,
  charsetFromContentType,
  resolveCharsetLabel,
  sniffBom,
  sniffMetaCharset,
  type CharsetSource,
  type DecodedBody,
} from "./charset.ts";
export { parseRetryAfter } from "./retry-after.ts";
export {
  isAllowedByRobots,
  robotsCrawlDelay,
  robotsToken,
  robotsUrlFor,
  MemoryRobotsCache,
  type RobotsCache,
  type RobotsEntry,
} from "./robots.ts";
export { detectBotWall } from "./botwall.ts";
export { classifyIp, ipInCidr, isIpLiteral, parseCidr, type IpClass } from "./ip.ts";
export { SsrfGuard, agentFor, closeAgents } from "./ssrf.ts";
