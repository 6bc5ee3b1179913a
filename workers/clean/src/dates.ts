/**
 * Publication dates: parse the many ways pages write a date (ISO, RFC 2822, CJK 年月日, Korean,
 * day-first numeric as most of the world writes it, month names in several languages, Vietnamese
 * "ngày 9 tháng 11 năm 2023"), find one printed in page text, or read it from a URL.
 * Results are `YYYY-MM-DD`: the calendar day as the page wrote it (no timezone shifting).
 */
import { countTokens } from "./text-utils.ts";

const MONTHS: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((alts, i) => {
    for (const a of alts) MONTHS[a] = i + 1;
  });
}
addMonths([
  ["january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari", "ocak", "leden", "ledna", "января", "январь", "янв", "січня", "enero"],
  ["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio", "fevereiro", "fev", "februari", "şubat", "subat", "únor", "února", "февраля", "февраль", "фев", "лютого"],
  ["march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "mart", "březen", "března", "марта", "март", "мар", "березня"],
  ["april", "apr", "avril", "avr", "abril", "abr", "aprile", "nisan", "duben", "dubna", "апреля", "апрель", "апр", "квітня"],
  ["may", "mai", "mayo", "maggio", "mag", "maio", "mei", "mayıs", "mayis", "květen", "května", "мая", "май", "травня"],
  ["june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "haziran", "červen", "června", "июня", "июнь", "июн", "червня"],
  ["july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "temmuz", "červenec", "července", "июля", "июль", "июл", "липня"],
  ["august", "aug", "août", "aout", "agosto", "ago", "augustus", "ağustos", "agustos", "srpen", "srpna", "августа", "август", "авг", "серпня"],
  ["september", "sep", "sept", "septembre", "septiembre", "set", "settembre", "setembro", "eylül", "eylul", "září", "сентября", "сентябрь", "сен", "вересня"],
  ["october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "ekim", "říjen", "října", "октября", "октябрь", "жовтня"],
  ["november", "nov", "novembre", "noviembre", "novembro", "kasım", "kasim", "listopad", "listopadu", "ноября", "ноябрь", "ноя", "листопада"],
  ["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro", "aralık", "aralik", "prosinec", "prosince", "декабря", "декабрь", "дек", "грудня"],
]);

const MONTH_WORD = "([a-zà-žа-яёіїєґ]{3,10})\\.?";

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function fullYear(y: number): number {
  if (y >= 100) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

/** A valid calendar day as YYYY-MM-DD, or undefined. */
export function ymd(y: number, m: number, d: number): string | undefined {
  const year = fullYear(y);
  if (!(year >= 1990 && year <= 2100) || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const dim = new Date(Date.UTC(year, m, 0)).getUTCDate();
  if (d > dim) return undefined;
  return `${year}-${pad(m)}-${pad(d)}`;
}

/** a/b/year: whichever of a and b cannot be a month is the day; otherwise dayFirst decides. */
function numericDate(a: number, b: number, y: number, dayFirst: boolean | undefined): string | undefined {
  if (a > 12) return ymd(y, b, a);
  if (b > 12) return ymd(y, a, b);
  return dayFirst ? ymd(y, b, a) : ymd(y, a, b);
}

function monthOf(word: string | undefined): number | undefined {
  if (!word) return undefined;
  return MONTHS[word.toLowerCase().replace(/\.$/, "")];
}

interface Pattern {
  re: RegExp;
  get: (m: RegExpExecArray, dayFirst: boolean) => string | undefined;
}

const n = (s: string | undefined): number => Number(s ?? NaN);

/** Patterns, most specific first. */
const PATTERNS: Pattern[] = [
  // 2023-09-13, 2023/9/13, 2023.09.13, 2023-09-13T10:00
  { re: /(?<!\d)((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)/, get: (m) => ymd(n(m[1]), n(m[2]), n(m[3])) },
  // 2023年9月13日, 2023 年 09 月 13 日
  { re: /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/, get: (m) => ymd(n(m[1]), n(m[2]), n(m[3])) },
  // 2023년 9월 13일
  { re: /((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/, get: (m) => ymd(n(m[1]), n(m[2]), n(m[3])) },
  // ngày 9 tháng 11 năm 2023
  { re: /(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,|năm)\s*((?:19|20)\d{2})/i, get: (m) => ymd(n(m[3]), n(m[2]), n(m[1])) },
  // 13/09/2023, 13.09.2023, 09/11/2023 (day first unless told otherwise or impossible)
  {
    re: /(?<![\d/.])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)/,
    get: (m, dayFirst) => numericDate(n(m[1]), n(m[2]), n(m[3]), dayFirst),
  },
  // 13 September 2023, 13. September 2023, 13 de septiembre de 2023, 13 сентября 2023 г.
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?:\\.|st|nd|rd|th)?\\s+(?:de\\s+)?${MONTH_WORD}\\s*(?:de\\s+|,\\s*)?((?:19|20)\\d{2})(?!\\d)`, "iu"),
    get: (m) => {
      const mo = monthOf(m[2]);
      return mo ? ymd(n(m[3]), mo, n(m[1])) : undefined;
    },
  },
  // September 13, 2023; Sep. 13th 2023
  {
    re: new RegExp(`${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})(?!\\d)`, "iu"),
    get: (m) => {
      const mo = monthOf(m[1]);
      return mo ? ymd(n(m[3]), mo, n(m[2])) : undefined;
    },
  },
  // Ноя 27th 11 (month day two-digit-year) is too ambiguous; skip. 13/09/23 day-first two-digit year
  {
    re: /(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{2})(?![\d/.])/,
    get: (m, dayFirst) => numericDate(n(m[1]), n(m[2]), n(m[3]), dayFirst),
  },
];

/**
 * Parse one date string. `dayFirst` settles ambiguous numeric dates like 09/11/2023 (true for
 * most of the world; US English writes month first).
 */
export function parseDate(s: string | undefined, opts: { dayFirst?: boolean } = {}): string | undefined {
  if (!s) return undefined;
  const str = s.trim().slice(0, 200);
  if (!str) return undefined;
  const dayFirst = opts.dayFirst ?? true;
  // Unix timestamps (seconds or milliseconds)
  if (/^\d{10}(\d{3})?$/.test(str)) {
    const ms = str.length === 13 ? Number(str) : Number(str) * 1000;
    const d = new Date(ms);
    return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  // Compact 20230913 or 20230913T101500
  const compact = /^((?:19|20)\d{2})(\d{2})(\d{2})(?:T?\d{4,6}.*)?$/.exec(str);
  if (compact) return ymd(n(compact[1]), n(compact[2]), n(compact[3]));
  for (const p of PATTERNS) {
    const m = p.re.exec(str);
    if (m) {
      const v = p.get(m, dayFirst);
      if (v) return v;
    }
  }
  return undefined;
}

/** Labels that announce the publication date in page text. */
const PUBLISHED_LABEL =
  /(发布时间|發佈時間|发布日期|发表时间|發表時間|发表于|發表於|时间|時間|日期|更新时间|来源|published|posted|publié|veröffentlicht|publicado|pubblicato|опубликовано|дата|ngày|cập nhật|date)\s*[:：]?/i;

/**
 * Find a date printed in text lines (bylines, date lines). Lines with a publication label win;
 * otherwise the first line that parses.
 */
export function findDateInLines(lines: readonly string[], opts: { dayFirst?: boolean } = {}): string | undefined {
  let firstAny: string | undefined;
  for (const line of lines) {
    if (line.length > 300) continue;
    const d = parseDate(line, opts);
    if (!d) continue;
    if (PUBLISHED_LABEL.test(line) && !/(updated|modified|更新|cập nhật)/i.test(line)) return d;
    firstAny ??= d;
  }
  return firstAny;
}

/** The first line with a publication label and a date ("发表于 2005-07-31", "Published on ..."). */
export function findLabelledDate(lines: readonly string[], opts: { dayFirst?: boolean } = {}): string | undefined {
  for (const line of lines) {
    if (line.length > 200 || !PUBLISHED_LABEL.test(line) || UPDATED_LABEL.test(line)) continue;
    const d = parseDate(line, opts);
    if (d) return d;
  }
  return undefined;
}

/** A date that ends a page title as one of its decorations: "Headline | Section | 28.04.2023". */
export function dateFromTitle(title: string | undefined, opts: { dayFirst?: boolean } = {}): string | undefined {
  if (!title) return undefined;
  const parts = title.trim().split(/\s[|｜·•–—-]\s|\s*[|｜_]\s*/u);
  const tail = parts.length > 1 ? parts[parts.length - 1]?.trim() : undefined;
  if (!tail || countTokens(tail) > 6 || /\p{L}{4,}/u.test(tail.replace(MONTH_NAMES_RE, ""))) return undefined;
  return parseDate(tail, opts);
}
const MONTH_NAMES_RE = new RegExp(`\\b(?:${Object.keys(MONTHS).join("|")})\\b`, "giu");

/** Longest line read as a printed date line (a dateline or a byline with its date). */
const DATE_LINE_MAX_TOKENS = 16;
const YEAR_G = /(?<!\d)(?:19|20)\d\d(?!\d)/g;
/** Lines announcing a modification, not the publication. */
const UPDATED_LABEL = /(updated|modified|aktualisiert|akt\.|mis à jour|actualizado|aggiornato|обновлено|更新|cập nhật)/iu;

/**
 * The date printed next to the headline, when it is one of `known` (the dates the page's metadata
 * carries): the nearest short line, in the order given, that parses to such a date. Long lines
 * (a sentence or a caption that mentions a date) and "updated ..." lines are skipped.
 */
export function findPrintedDate(lines: readonly string[], known: ReadonlySet<string>, opts: { dayFirst?: boolean } = {}): string | undefined {
  if (known.size === 0) return undefined;
  for (const line of lines) {
    if (line.length > 120 || countTokens(line) > DATE_LINE_MAX_TOKENS || UPDATED_LABEL.test(line)) continue;
    // Two dates on one line (published and updated run together): not telling which.
    if ((line.match(YEAR_G) ?? []).length > 1) continue;
    const d = parseDate(line, opts);
    if (d && known.has(d)) return d;
  }
  return undefined;
}

/** Date in a URL path: /2023/09/13/, /2023-09-13/, /20230913/ or -20230913... */
export function dateFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const a = /(?<!\d)((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)/.exec(path);
  if (a) {
    const v = ymd(n(a[1]), n(a[2]), n(a[3]));
    if (v) return v;
  }
  const b = /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)/.exec(path);
  if (b) {
    const v = ymd(n(b[1]), n(b[2]), n(b[3]));
    if (v) return v;
  }
  // Article ids that start with the date: A2026012914320005196, /20230913101500.html
  const c = /(?<![\d])[a-z]?((?:19|20)\d{2})(\d{2})(\d{2})\d{4,14}(?![\d])/i.exec(path);
  if (c) {
    const v = ymd(n(c[1]), n(c[2]), n(c[3]));
    if (v) return v;
  }
  // 12-digit+ ids that start with yyMMdd... are too ambiguous; /2023/09/ gives a month only.
  return undefined;
}
