/**
 * Bot walls: anti-bot challenge or block pages served instead of the article (Cloudflare
 * "Just a moment...", "Attention Required!", DataDome, PerimeterX, Imperva/Incapsula, Sucuri,
 * AWS WAF, Akamai "Access Denied", generic captcha interstitials). Pure.
 *
 * Strong markers (a challenge script or header) count on any status; weak ones (a title like
 * "Just a moment...", "captcha", "verify you are human") only on the statuses walls use
 * (202, 403, 429, 503) or on a tiny 200 page, so an article that mentions captchas is not a wall.
 */

/** Pages larger than this are never judged by weak markers. */
export const BOT_WALL_MAX_BYTES = 64 * 1024;

const STRONG_BODY: Array<[RegExp, string]> = [
  [/\/cdn-cgi\/challenge-platform\//i, "cloudflare challenge"],
  [/window\._cf_chl_opt|cf_chl_opt|cf-browser-verification|cf_captcha_kind/i, "cloudflare challenge"],
  [/captcha-delivery\.com|geo\.captcha-delivery/i, "datadome"],
  [/px-captcha|_pxAppId|perimeterx/i, "perimeterx"],
  [/_Incapsula_Resource|Incapsula incident ID/i, "imperva"],
  [/Sucuri WebSite Firewall|sucuri\.net\/.*?block/i, "sucuri"],
  [/awsWafCookieDomainList|aws-waf-token|AwsWafIntegration/i, "aws waf"],
  [/challenges\.cloudflare\.com\/turnstile/i, "cloudflare turnstile"],
];

const WEAK_BODY: Array<[RegExp, string]> = [
  [/<title>\s*Just a moment\.\.\.?\s*<\/title>/i, "cloudflare 'Just a moment'"],
  [/<title>[^<]*Attention Required![^<]*<\/title>/i, "cloudflare 'Attention Required'"],
  [/Checking (if the site connection is secure|your browser before accessing)/i, "browser check"],
  [/Enable JavaScript and cookies to continue/i, "javascript/cookie wall"],
  [/Please enable JS and disable any ad blocker/i, "datadome"],
  [/\b(verify|prove) (that )?you are (a )?human\b|are you a robot\??|I'm not a robot/i, "human verification"],
  [/<title>[^<]*(captcha|robot check|bot check|security check|access denied|just a moment)[^<]*<\/title>/i, "challenge title"],
  [/g-recaptcha|h-captcha|hcaptcha\.com|recaptcha\/api\.js|cf-turnstile/i, "captcha widget"],
  [/Access Denied[\s\S]{0,400}Reference #\d/i, "akamai access denied"],
  [/Request unsuccessful\. Incapsula/i, "imperva"],
  [/Pardon Our Interruption/i, "distil/imperva"],
];

const WALL_STATUSES = new Set([202, 403, 429, 503]);

/**
 * The kind of bot wall a response is, or undefined. `headers` keys are lower-case; `body` is the
 * decoded text of the first bytes (a prefix is enough), or a function that gives it: it is read
 * only for a response small and shaped enough to be a wall, so a caller holding a big page as
 * bytes never decodes it for this. `bodyBytes`: the body's size (default: the text's length).
 */
export function detectBotWall(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string | (() => string),
  bodyBytes?: number,
): string | undefined {
  const h = (k: string): string => {
    const v = headers[k];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).toLowerCase();
  };
  if (h("cf-mitigated") === "challenge") return "cloudflare challenge (cf-mitigated)";
  if (h("x-datadome") && (status === 403 || h("x-dd-b"))) return "datadome";
  if (h("x-amzn-waf-action") === "captcha" || h("x-amzn-waf-action") === "challenge") return "aws waf";
  if (h("x-sucuri-block")) return "sucuri";
  let read: string | undefined;
  const text = (): string => (read ??= typeof body === "string" ? body : body());
  const size = bodyBytes ?? text().length;
  const small = size <= BOT_WALL_MAX_BYTES;
  if (!small) return undefined;
  if (status === 429 && !text()) return undefined;
  const wallStatus = WALL_STATUSES.has(status);
  // A 200 page counts only when it is tiny (a real article is rarely under ~8 KB of HTML with
  // nothing but a challenge in it).
  const tiny200 = status === 200 && size <= 16 * 1024;
  if (!wallStatus && !tiny200) return undefined;
  const sample = text().slice(0, BOT_WALL_MAX_BYTES);
  for (const [re, name] of STRONG_BODY) if (re.test(sample)) return name;
  if (status === 429) return undefined; // plain rate limiting stays a transient http_429
  for (const [re, name] of WEAK_BODY) {
    if (!re.test(sample)) continue;
    // On a 200, a captcha widget alone is not enough (comment forms have them): require little text.
    if (tiny200 && visibleTextLength(sample) > 1500) return undefined;
    return name;
  }
  return undefined;
}

function visibleTextLength(html: string): number {
  return html
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim().length;
}
