/**
 * URL normalisation: the normalised URL decides the source id, so two spellings of one page
 * are one source and are fetched once.
 *
 * Rules of `normaliseUrl` (each one is covered by shared/test/url.test.ts):
 * - surrounding whitespace is trimmed; control characters inside the URL are refused;
 * - only absolute `http:` / `https:` URLs are accepted (`javascript:`, `file:`, `data:`,
 *   `gopher:`, `ftp:`, `mailto:` ... are refused, and so is a URL without a scheme such as
 *   `example.com/a` or `//example.com/a`);
 * - credentials (`http://user:pass@host/`) are refused: they leak secrets into ids and logs;
 * - scheme and host are lower-cased, IDN hosts become punycode (`bücher.de` -> `xn--bcher-kva.de`),
 *   a trailing dot on the host is dropped, default ports (`:80` for http, `:443` for https) are
 *   dropped, port 0 is refused; IPv4 written in decimal/octal/hex (`http://2130706433/`,
 *   `http://0177.0.0.1/`) becomes dotted decimal (WHATWG), IPv6 is compressed;
 * - the path keeps its dot segments resolved (WHATWG), percent-escapes upper-cased and escapes of
 *   unreserved characters (`%7E` -> `~`, `%41` -> `A`) decoded;
 * - trailing slash rule: an empty path becomes `/`; any other path is kept exactly as written,
 *   with or without its trailing slash (`/a` and `/a/` can be different resources on real sites,
 *   so we never add or remove one), and repeated slashes are kept too;
 * - the fragment is dropped;
 * - tracking parameters (`utm_*`, `fbclid`, `gclid`, ... see TRACKING_PARAMS) are removed, the
 *   remaining parameters are sorted by name (stable: repeated names keep their relative order,
 *   which can matter), each parameter keeps its original spelling (`+` stays `+`, `%20` stays
 *   `%20`) apart from the percent-escape normalisation above, empty `&&` pieces are dropped and
 *   an empty query (`?`) disappears.
 */

export class BadUrlError extends Error {
  constructor(readonly input: string, readonly reason: string) {
    super(`bad URL ${JSON.stringify(input.slice(0, 200))}: ${reason}`);
    this.name = "BadUrlError";
  }
}

/** Query parameters that only track the reader and never change the page (names compared case-insensitively). */
const TRACKING_PARAMS =
  /^(utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|igsh|_ga|_gl|_hsenc|_hsmi|__hssc|__hstc|__hsfp|mkt_tok|oly_anon_id|oly_enc_id|vero_id|vero_conv|rb_clickid|s_kwcid|ef_id|spm|from|share_token|ocid|cmpid|smid|sr_share)$/i;

export const MAX_URL_LENGTH = 8192;

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

/**
 * Parse and validate an absolute http(s) URL; returns the WHATWG URL (host lower-cased,
 * punycoded, default port dropped, IPv4 forms canonicalised) without changing path or query.
 * Throws BadUrlError with a short, human-readable reason.
 */
export function parseHttpUrl(input: string): URL {
  if (typeof input !== "string") throw new BadUrlError(String(input), "not a string");
  const raw = input.trim();
  if (raw.length === 0) throw new BadUrlError(input, "empty");
  if (raw.length > MAX_URL_LENGTH) throw new BadUrlError(input, `longer than ${MAX_URL_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new BadUrlError(input, "contains control characters");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
  if (!scheme || (scheme[1] ?? "").includes(".")) {
    throw new BadUrlError(input, "missing scheme (expected http:// or https://)");
  }
  const schemeName = (scheme[1] ?? "").toLowerCase();
  if (schemeName !== "http" && schemeName !== "https") {
    throw new BadUrlError(input, `scheme ${schemeName} is not http or https`);
  }
  if (!/^https?:\/\//i.test(raw)) throw new BadUrlError(input, "missing // after the scheme");
  if (/^https?:\/\/[/\\]/i.test(raw)) throw new BadUrlError(input, "no host");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadUrlError(input, "not a valid absolute URL");
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new BadUrlError(input, `scheme ${url.protocol.replace(/:$/, "")} is not http or https`);
  }
  if (url.username !== "" || url.password !== "") throw new BadUrlError(input, "credentials in URL are not allowed");
  // WHATWG drops an empty userinfo ("http://@host/", "http://:@host/"); refuse it too.
  const authority = raw.slice(raw.indexOf("//") + 2).split(/[/?#\\]/, 1)[0] ?? "";
  if (authority.includes("@")) throw new BadUrlError(input, "credentials in URL are not allowed");
  if (!url.hostname) throw new BadUrlError(input, "no host");
  if (url.port === "0") throw new BadUrlError(input, "port 0");
  if (url.hostname.endsWith(".") && !url.hostname.startsWith("[")) {
    const trimmed = url.hostname.replace(/\.+$/, "");
    if (!trimmed) throw new BadUrlError(input, "no host");
    url.hostname = trimmed;
  }
  if (url.hostname.length > 253) throw new BadUrlError(input, "host name longer than 253 characters");
  return url;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Upper-case percent-escapes and decode the ones that stand for unreserved characters. */
function normaliseEscapes(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function paramName(piece: string): string {
  const eq = piece.indexOf("=");
  const name = eq < 0 ? piece : piece.slice(0, eq);
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}

/**
 * Normalise an http(s) URL (see the rules at the top of this file).
 * Throws BadUrlError with a reason otherwise.
 */
export function normaliseUrl(input: string): string {
  const url = parseHttpUrl(input);
  url.hash = "";
  url.pathname = normaliseEscapes(url.pathname || "/");
  const query = url.search.replace(/^\?/, "");
  if (query) {
    const kept = query
      .split("&")
      .filter((p) => p !== "")
      .map((p) => ({ piece: normaliseEscapes(p), name: paramName(p) }))
      .filter(({ name }) => !TRACKING_PARAMS.test(name));
    // Array.prototype.sort is stable: repeated names keep their order.
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    url.search = kept.length ? `?${kept.map((k) => k.piece).join("&")}` : "";
  } else {
    url.search = "";
  }
  let out = url.toString();
  // WHATWG keeps a lone "?" when search was set to "?"; make sure none is left.
  if (out.endsWith("?")) out = out.slice(0, -1);
  return out;
}

/** True when the string is a URL normaliseUrl accepts. */
export function isHttpUrl(input: string): boolean {
  try {
    parseHttpUrl(input);
    return true;
  } catch {
    return false;
  }
}

/** The site of a URL: its host without a leading "www.". */
export function siteOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return undefined;
  }
}
