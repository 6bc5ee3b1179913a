/**
 * schema.org JSON-LD: the article object of a page (NewsArticle, Article, BlogPosting, ...),
 * tolerant of the usual breakage (HTML comments, CDATA, control characters, several objects).
 */

export interface JsonLdArticle {
  headline?: string;
  datePublished?: string;
  dateCreated?: string;
  dateModified?: string;
  authors: string[];
  publisher?: string;
  articleBody?: string;
  description?: string;
  url?: string;
  inLanguage?: string;
}

type Json = unknown;

const ARTICLE_TYPE = /(article|posting|report|newsarticle|blogposting|reportage|analysis|opinion|review|liveblog)/i;

function parseLoose(raw: string): Json {
  const s = raw
    .replace(/^\s*<!--/, "")
    .replace(/-->\s*$/, "")
    .replace(/^\s*\/\/\s*<!\[CDATA\[/, "")
    .replace(/\/\/\s*\]\]>\s*$/, "")
    .trim();
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    try {
      // raw newlines/tabs inside strings are common
      // eslint-disable-next-line no-control-regex
      return JSON.parse(s.replace(/[\u0000-\u001f]+/g, " "));
    } catch {
      return undefined;
    }
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Decode the HTML entities that JSON-LD strings often carry. */
function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function str(v: Json): string | undefined {
  if (typeof v === "string") return decodeEntities(v).trim() || undefined;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === "object" && "@value" in v) return str((v as Record<string, Json>)["@value"]);
  return undefined;
}

function names(v: Json, out: string[], depth = 0): void {
  if (depth > 3 || v === null || v === undefined) return;
  if (typeof v === "string") {
    if (v.trim()) out.push(v.trim());
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v.slice(0, 20)) names(x, out, depth + 1);
    return;
  }
  if (typeof v === "object") {
    const name = str((v as Record<string, Json>).name);
    if (name) out.push(name);
  }
}

function typesOf(o: Record<string, Json>): string {
  const t = o["@type"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.filter((x) => typeof x === "string").join(" ");
  return "";
}

/** All objects in the JSON-LD scripts (flattening arrays and @graph), breadth-first, bounded. */
function objects(scripts: readonly string[]): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  const queue: Json[] = [];
  for (const s of scripts.slice(0, 20)) queue.push(parseLoose(s));
  let steps = 0;
  while (queue.length > 0 && steps++ < 2000) {
    const v = queue.shift();
    if (Array.isArray(v)) queue.push(...v.slice(0, 100));
    else if (v && typeof v === "object") {
      const o = v as Record<string, Json>;
      out.push(o);
      if (Array.isArray(o["@graph"])) queue.push(...(o["@graph"] as Json[]).slice(0, 100));
      if (o.mainEntity && typeof o.mainEntity === "object") queue.push(o.mainEntity);
    }
  }
  return out;
}

/** The page's article object from its JSON-LD scripts, if any. */
export function readJsonLd(scripts: readonly string[]): JsonLdArticle | undefined {
  const objs = objects(scripts);
  let best: Record<string, Json> | undefined;
  let bestRank = -1;
  for (const o of objs) {
    const t = typesOf(o);
    let rank = -1;
    if (ARTICLE_TYPE.test(t)) rank = 3;
    else if (/webpage/i.test(t) && (o.datePublished || o.headline)) rank = 1;
    if (rank > 0 && typeof o.articleBody === "string") rank += 1;
    if (rank > bestRank) {
      bestRank = rank;
      best = o;
    }
  }
  if (!best) return undefined;
  const authors: string[] = [];
  names(best.author ?? best.creator, authors);
  let publisher: string | undefined;
  const pub = best.publisher;
  if (pub && typeof pub === "object") publisher = str((pub as Record<string, Json>).name) ?? (Array.isArray(pub) ? str((pub[0] as Record<string, Json> | undefined)?.name) : undefined);
  if (!publisher) {
    const site = objs.find((o) => /organization|newsmediaorganization|website/i.test(typesOf(o)) && str(o.name));
    publisher = site ? str(site.name) : undefined;
  }
  return {
    headline: str(best.headline) ?? str(best.name),
    datePublished: str(best.datePublished),
    dateCreated: str(best.dateCreated),
    dateModified: str(best.dateModified),
    authors,
    publisher,
    articleBody: str(best.articleBody),
    description: str(best.description),
    url: str(best.url) ?? str(best.mainEntityOfPage && typeof best.mainEntityOfPage === "object" ? (best.mainEntityOfPage as Record<string, Json>)["@id"] : best.mainEntityOfPage),
    inLanguage: str(best.inLanguage),
  };
}
