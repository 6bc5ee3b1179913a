/**
 * Date mentions resolved against the publication date: absolute (2019年4月, 9月13日, ngày 29/3,
 * 29-3-2021), relative (上周三, 本月, 周五, hôm qua, tuần trước, last Friday) and combinations
 * (上周三(13日)); past preferred for reported events. Vague spans (上周, a few days ago) come out
 * with month precision.
 */
import * as chrono from "chrono-node";
import type { DatePrecision } from "@tidings/shared/model";

export interface DateMention { start: number; end: number; value: string; precision: DatePrecision; vague?: boolean; mention: string }

const pad = (n: number) => String(n).padStart(2, "0");
function ymd(d: Date): string { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; }
function ym(d: Date): string { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`; }
const dayCache = new Map<string, Date>();
/** parseDay with a cache (the result is only read, never mutated). */
function parseDayCached(s: string): Date {
  let d = dayCache.get(s);
  if (!d) { d = parseDay(s); if (dayCache.size > 1000) dayCache.clear(); dayCache.set(s, d); }
  return d;
}
export function parseDay(s: string): Date { const [y, m, d] = s.slice(0, 10).split("-").map(Number); return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1)); }
function addDays(d: Date, n: number): Date { return new Date(d.getTime() + n * 86400000); }
function valid(y: number, m: number, d: number): boolean { const x = new Date(Date.UTC(y, m - 1, d)); return x.getUTCMonth() === m - 1 && x.getUTCDate() === d; }

/** Day and month without a year: the year that puts the date closest to (preferably before) pub. */
function dayNoYear(pub: Date, m: number, d: number): string | undefined {
  let y = pub.getUTCFullYear();
  if (!valid(y, m, d)) return undefined;
  const cand = new Date(Date.UTC(y, m - 1, d));
  if (cand.getTime() - pub.getTime() > 60 * 86400000) y -= 1;
  return valid(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : undefined;
}
function monthNoYear(pub: Date, m: number): string {
  let y = pub.getUTCFullYear();
  if (m > pub.getUTCMonth() + 2) y -= 1;
  return `${y}-${pad(m)}`;
}
/** Day-of-month alone: this month unless that is after pub, then last month. */
function dayOfMonth(pub: Date, d: number): string | undefined {
  let y = pub.getUTCFullYear(); let m = pub.getUTCMonth() + 1;
  if (d > pub.getUTCDate() + 1) { m -= 1; if (m === 0) { m = 12; y -= 1; } }
  return valid(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : undefined;
}
/** weekday: 1 = Monday .. 7 = Sunday; week: 0 this week (on or before pub when bare), -1 last week, 1 next. */
function weekday(pub: Date, wd: number, week: number | null): string {
  const pubWd = pub.getUTCDay() === 0 ? 7 : pub.getUTCDay();
  if (week === null) { let diff = pubWd - wd; if (diff < 0) diff += 7; return ymd(addDays(pub, -diff)); }
  const monday = addDays(pub, -(pubWd - 1));
  return ymd(addDays(monday, week * 7 + (wd - 1)));
}
function vagueMonth(pub: Date, daysBack: number): { value: string; precision: DatePrecision; vague: boolean } {
  return { value: ym(addDays(pub, -daysBack)), precision: "month", vague: true };
}

type Rule = { re: RegExp; f: (m: RegExpExecArray, pub: Date) => { value: string; precision: DatePrecision; vague?: boolean } | undefined | null };

const ZH_WD: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const VI_WD: Record<string, number> = { hai: 1, ba: 2, tư: 3, "năm": 4, sáu: 5, bảy: 6 };

const ZH: Rule[] = [
  { re: /(?<![自从])(\d{4})年(\d{1,2})月(\d{1,2})[日号](?!以来)/gu, f: (m) => valid(+m[1]!, +m[2]!, +m[3]!) ? { value: `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}`, precision: "day" } : null },
  { re: /(?<![自从])(\d{4})年(\d{1,2})月(?![\d份]*以来)/gu, f: (m) => +m[2]! >= 1 && +m[2]! <= 12 ? { value: `${m[1]}-${pad(+m[2]!)}`, precision: "month" } : null },
  { re: /(\d{1,2})月(\d{1,2})[日号](?:[至到\-—~](?:\d{1,2}月)?\d{1,2}[日号])?/gu, f: (m, pub) => { const v = dayNoYear(pub, +m[1]!, +m[2]!); return v ? { value: v, precision: "day" } : null; } },
  { re: /(去|今|前)年\s*(\d{1,2})月(?![\d日号])/gu, f: (m, pub) => +m[2]! >= 1 && +m[2]! <= 12 ? { value: `${pub.getUTCFullYear() - (m[1] === "去" ? 1 : m[1] === "前" ? 2 : 0)}-${pad(+m[2]!)}`, precision: "month" } : null },
  { re: /(?<![自从至到\d])(\d{4})年(?![代度间以]|至|到)/gu, f: (m) => ({ value: m[1]!, precision: "year" }) },
  { re: /(上|本|这|下)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])(?:\s*[(（]\s*(\d{1,2})[日号]\s*[)）])?/gu, f: (m, pub) => {
    if (m[3]) { const v = dayOfMonth(pub, +m[3]); return v ? { value: v, precision: "day" } : null; }
    const week = m[1] === "上" ? -1 : m[1] === "下" ? 1 : m[1] ? 0 : null;
    return { value: weekday(pub, ZH_WD[m[2]!]!, week), precision: "day" };
  } },
  { re: /(?<![月\d])(?:昨|今)?\s*[(（]?\s*(\d{1,2})[日号](?!讯|电)\s*[)）]?/gu, f: (m, pub) => { const v = dayOfMonth(pub, +m[1]!); return v ? { value: v, precision: "day" } : null; } },
  { re: /(\d{1,2})月(?:份)?(?![\d日号])/gu, f: (m, pub) => +m[1]! >= 1 && +m[1]! <= 12 ? { value: monthNoYear(pub, +m[1]!), precision: "month" } : null },
  { re: /上(?:个)?星?期(?![一二三四五六日天])|上周(?![一二三四五六日天])/gu, f: (_m, pub) => vagueMonth(pub, 7) },
  { re: /上(?:个)?月(?:底|初|中旬|下旬|上旬)?/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
  { re: /本月|这个月|当月/gu, f: (_m, pub) => ({ value: ym(pub), precision: "month" }) },
  { re: /今年/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear()), precision: "year" }) },
  { re: /去年/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear() - 1), precision: "year" }) },
  { re: /昨天|昨日/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /前天/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -2)), precision: "day" }) },
  { re: /今天|今日/gu, f: (_m, pub) => ({ value: ymd(pub), precision: "day" }) },
  { re: /近日|日前|最近|几天前|数日前|本周|这周/gu, f: (_m, pub) => vagueMonth(pub, 2) },
];

const VI: Rule[] = [
  { re: /(\d{1,2})[/-](\d{1,2})[/-](\d{4})/gu, f: (m) => valid(+m[3]!, +m[2]!, +m[1]!) ? { value: `${m[3]}-${pad(+m[2]!)}-${pad(+m[1]!)}`, precision: "day" } : null },
  { re: /(?<=(?:ngày|hôm|vào|sáng|chiều|tối|đêm|trưa|từ|đến|qua)\s+)(\d{1,2})[/-](\d{1,2})(?![/\-\d])/gu, f: (m, pub) => { const v = dayNoYear(pub, +m[2]!, +m[1]!); return v ? { value: v, precision: "day" } : null; } },
  { re: /tháng\s+(\d{1,2})(?:\s*(?:\/|năm)\s*(\d{4}))?/gu, f: (m, pub) => +m[1]! >= 1 && +m[1]! <= 12 ? { value: m[2] ? `${m[2]}-${pad(+m[1]!)}` : monthNoYear(pub, +m[1]!), precision: "month" } : null },
  { re: /(?<!từ\s)năm\s+(\d{4})/gu, f: (m) => ({ value: m[1]!, precision: "year" }) },
  { re: /(?:rạng sáng|sáng|trưa|chiều|tối|đêm) nay/gu, f: (_m, pub) => ({ value: ymd(pub), precision: "day" }) },
  { re: /(?:rạng sáng|sáng|trưa|chiều|tối|đêm) qua/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /(?<!(?:lần|người|hạng|đứng|lượt|vòng)\s)(?:thứ\s+(hai|ba|tư|năm|sáu|bảy)|(chủ nhật))(\s+tuần (?:trước|qua))?/gu, f: (m, pub) => ({ value: weekday(pub, m[2] ? 7 : VI_WD[m[1]!]!, m[3] ? -1 : null), precision: "day" }) },
  { re: /hôm qua/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /hôm nay/gu, f: (_m, pub) => ({ value: ymd(pub), precision: "day" }) },
  { re: /tuần (?:trước|qua)/gu, f: (_m, pub) => vagueMonth(pub, 7) },
  { re: /tháng (?:trước|qua)/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
  { re: /tháng này/gu, f: (_m, pub) => ({ value: ym(pub), precision: "month" }) },
  { re: /năm (?:ngoái|trước)/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear() - 1), precision: "year" }) },
  { re: /năm nay/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear()), precision: "year" }) },
  { re: /vài ngày|mấy ngày|gần đây|mới đây|tuần này/gu, f: (_m, pub) => vagueMonth(pub, 2) },
];

const KO_WD: Record<string, number> = { 월: 1, 화: 2, 수: 3, 목: 4, 금: 5, 토: 6, 일: 7 };
const KO: Rule[] = [
  { re: /(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일/gu, f: (m) => valid(+m[1]!, +m[2]!, +m[3]!) ? { value: `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}`, precision: "day" } : null },
  { re: /(\d{4})년\s*(\d{1,2})월(?!\s*\d)/gu, f: (m) => +m[2]! >= 1 && +m[2]! <= 12 ? { value: `${m[1]}-${pad(+m[2]!)}`, precision: "month" } : null },
  { re: /(\d{1,2})월\s*(\d{1,2})일/gu, f: (m, pub) => { const v = dayNoYear(pub, +m[1]!, +m[2]!); return v ? { value: v, precision: "day" } : null; } },
  { re: /(?:지난주|이번 주|다음 주)?\s*([월화수목금토일])요일/gu, f: (m, pub) => ({ value: weekday(pub, KO_WD[m[1]!]!, /지난주/u.test(m[0]) ? -1 : /이번 주/u.test(m[0]) ? 0 : /다음 주/u.test(m[0]) ? 1 : null), precision: "day" }) },
  { re: /(?:어제|그제|그저께|오늘|지난)?\s*[(（]?\s*(?<![\d월])(\d{1,2})일(?!\s*(?:간|동안))\s*[)）]?/gu, f: (m, pub) => { const v = dayOfMonth(pub, +m[1]!); return v ? { value: v, precision: "day" } : null; } },
  { re: /(\d{4})년/gu, f: (m) => ({ value: m[1]!, precision: "year" }) },
  { re: /어제/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /그제|그저께/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -2)), precision: "day" }) },
  { re: /오늘/gu, f: (_m, pub) => ({ value: ymd(pub), precision: "day" }) },
  { re: /지난주/gu, f: (_m, pub) => vagueMonth(pub, 7) },
  { re: /지난달/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
  { re: /작년|지난해/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear() - 1), precision: "year" }) },
  { re: /올해/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear()), precision: "year" }) },
];

const JA_WD: Record<string, number> = { 月: 1, 火: 2, 水: 3, 木: 4, 金: 5, 土: 6, 日: 7 };
const JA: Rule[] = [
  { re: /(先週|今週|来週)?\s*([月火水木金土日])曜日?(?:\s*[(（]\s*(\d{1,2})日\s*[)）])?/gu, f: (m, pub) => {
    if (m[3]) { const v = dayOfMonth(pub, +m[3]); return v ? { value: v, precision: "day" } : null; }
    return { value: weekday(pub, JA_WD[m[2]!]!, m[1] === "先週" ? -1 : m[1] === "来週" ? 1 : m[1] ? 0 : null), precision: "day" };
  } },
  { re: /一昨日|おととい/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -2)), precision: "day" }) },
  { re: /昨夜|昨晩/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /先月/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
  { re: /昨年/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear() - 1), precision: "year" }) },
];

const RU_MONTHS: Record<string, number> = { январ: 1, феврал: 2, март: 3, апрел: 4, ма: 5, июн: 6, июл: 7, август: 8, сентябр: 9, октябр: 10, ноябр: 11, декабр: 12 };
const RU_WD: Record<string, number> = { понедельник: 1, вторник: 2, сред: 3, четверг: 4, пятниц: 5, суббот: 6, воскресень: 7 };
const ruMonth = (w: string) => { for (const [k, v] of Object.entries(RU_MONTHS)) if (w.startsWith(k) && (k !== "ма" || /^ма[яйе]$/u.test(w))) return v; return 0; };
const RU: Rule[] = [
  { re: /(\d{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)(?:\s+(\d{4})(?:\s*(?:года|г\.))?)?/gu, f: (m, pub) => {
    const mo = ruMonth(m[2]!);
    if (m[3]) return valid(+m[3], mo, +m[1]!) ? { value: `${m[3]}-${pad(mo)}-${pad(+m[1]!)}`, precision: "day" } : null;
    const v = dayNoYear(pub, mo, +m[1]!); return v ? { value: v, precision: "day" } : null;
  } },
  { re: /(?:в|во)\s+(январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)(?:\s+(\d{4}))?/gu, f: (m, pub) => { const mo = ruMonth(m[1]!); return { value: m[2] ? `${m[2]}-${pad(mo)}` : monthNoYear(pub, mo), precision: "month" }; } },
  { re: /(?:в|во)\s+(прошл(?:ый|ую|ое)\s+)?(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)/gu, f: (m, pub) => {
    const w = Object.entries(RU_WD).find(([k]) => m[2]!.startsWith(k))?.[1] ?? 1;
    return { value: weekday(pub, w, m[1] ? -1 : null), precision: "day" };
  } },
  { re: /(?:в\s+)?(\d{4})\s+(?:году|года|г\.)/gu, f: (m) => ({ value: m[1]!, precision: "year" }) },
  { re: /позавчера/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -2)), precision: "day" }) },
  { re: /вчера/gu, f: (_m, pub) => ({ value: ymd(addDays(pub, -1)), precision: "day" }) },
  { re: /сегодня/gu, f: (_m, pub) => ({ value: ymd(pub), precision: "day" }) },
  { re: /на прошлой неделе/gu, f: (_m, pub) => vagueMonth(pub, 7) },
  { re: /в прошлом месяце/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
  { re: /в прошлом году/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear() - 1), precision: "year" }) },
  { re: /в этом году/gu, f: (_m, pub) => ({ value: String(pub.getUTCFullYear()), precision: "year" }) },
];

const EN_VAGUE: Rule[] = [
  { re: /\blast week\b/gu, f: (_m, pub) => vagueMonth(pub, 7) },
  { re: /\b(?:a few|several) days ago\b|\brecently\b|\bthis week\b/gu, f: (_m, pub) => vagueMonth(pub, 2) },
  { re: /\bthis month\b/gu, f: (_m, pub) => ({ value: ym(pub), precision: "month" }) },
  { re: /\blast month\b/gu, f: (_m, pub) => ({ value: ym(new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - 1, 1))), precision: "month" }) },
];

function runRules(rules: Rule[], norm: string, orig: string, pub: Date, taken: boolean[], out: DateMention[]) {
  for (const rule of rules) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(norm))) {
      const start = m.index; const end = start + m[0].length;
      if (m[0].length === 0) { rule.re.lastIndex++; continue; }
      let busy = false;
      for (let i = start; i < end; i++) if (taken[i]) { busy = true; break; }
      if (busy) continue;
      const r = rule.f(m, pub);
      if (!r) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      out.push({ start, end, ...r, mention: orig.slice(start, end).trim() });
    }
  }
}

/*
 * A necessary condition for chrono (en, casual) to find anything in a text: every one of its parsers
 * needs a digit, a month or weekday name, a casual word (today, yesterday, noon...), a relative word
 * before a time unit (last week, this month) or a counted time unit (a day, two weeks, a couple of
 * hours; one with a space or digit, since parseDuration drops letter-only runs such as "them").
 * Each alternative is a superset of what the parsers' patterns accept (see chrono-node's
 * locales/en/parsers and constants), so skipping chrono when it fails changes no result.
 */
const CHRONO_UNIT = "(?:seconds|second|secs?|s|minutes|minute|mins?|m|hours|hour|hrs?|h|days|day|d|weeks|week|w|months|month|mos|mon|mo|quarters|quarter|qtr|years|year|yrs?|y)";
const CHRONO_NUMBER = "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|the|half|an?)";
const CHRONO_AFTER_UNIT = "(?:[^a-z_]|$|ago|before|earlier|later|after|from|henceforth|forward|out|and|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?(?![a-z0-9_])|acouple|few|several|the|couple|half)";
const CHRONO_HINT = new RegExp([
  "[0-9]",
  "(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?=[^a-z_]|$|of|fir|sec|thi|fou|fif|six|sev|eig|nin|ten|ele|twe)",
  "(?:sunday|sun|monday|mon|tuesday|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|weekend|weekday)(?=[^a-z0-9_]|$|of|this|last|past|next)",
  "(?<![a-z0-9_])(?:now|today|tonight|tomorrow|overmorrow|tmrw?|yesterday)(?![a-z0-9_])",
  "(?:morning|afternoon|evening|night|midnight|midday|noon|month)(?![a-z0-9_])",
  `(?:this|last|past|next|after)\\s*${CHRONO_UNIT}(?![a-z0-9_])`,
  `(?:${CHRONO_NUMBER}\\s{1,3}|(?:of|couple|few|half\\s{0,2}an?)\\s{0,3})${CHRONO_UNIT}(?=${CHRONO_AFTER_UNIT})`,
].join("|"), "i");
/** Whether chrono could find a date in the text (false: it certainly finds none). */
export function mayHaveChronoDate(text: string): boolean { return /[0-9]/.test(text) || CHRONO_HINT.test(text); }

/** Any character outside printable ASCII, Cyrillic letters and general punctuation (whose per-character lower-casing is plain toLowerCase). */
const NOT_SIMPLE = /[^\t\n\r\u0020-\u007f\u0400-\u0482\u048a-\u04ff\u2000-\u206f]/;
function lowerSameLength(s: string): string {
  if (!NOT_SIMPLE.test(s)) return s.toLowerCase();
  let r = "";
  for (const ch of s) { const l = ch.toLowerCase(); r += l.length === ch.length ? l : ch; }
  return r;
}

/** Date mentions in one sentence. `norm` is the normalised sentence (same length as `orig`). */
export function findDates(norm: string, orig: string, lang: string, published: string): DateMention[] {
  const pub = parseDayCached(published);
  const out: DateMention[] = [];
  const taken: boolean[] = new Array(norm.length).fill(false);
  if (lang === "ja") runRules(JA, norm, orig, pub, taken, out);
  if (lang === "zh" || lang === "ja") runRules(ZH, norm, orig, pub, taken, out);
  else if (lang === "ko") runRules(KO, norm, orig, pub, taken, out);
  else if (lang === "ru") { runRules(RU, lowerSameLength(orig), orig, pub, taken, out); }
  else if (lang === "vi") runRules(VI, lowerSameLength(orig), orig, pub, taken, out);
  else {
    runRules(EN_VAGUE, lowerSameLength(orig), orig, pub, taken, out);
    if (lang === "en" && mayHaveChronoDate(orig)) {
      for (const r of chrono.parse(orig, { instant: pub, timezone: 0 }, { forwardDate: false })) {
        const start = r.index; const end = start + r.text.length;
        let busy = false;
        for (let i = start; i < end && i < taken.length; i++) if (taken[i]) { busy = true; break; }
        if (busy) continue;
        const c = r.start;
        if (!c.isCertain("day") && !c.isCertain("month") && !c.isCertain("weekday") && !c.isCertain("year")) continue;
        const d = c.date();
        let dd = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
        // Prefer the past for a weekday or a day-month that chrono put after publication.
        if (!c.isCertain("year") && (dd.getTime() - pub.getTime() > 60 * 86400000 || (!c.isCertain("day") && dd.getTime() > pub.getTime()))) {
          dd = c.isCertain("month") ? new Date(Date.UTC(dd.getUTCFullYear() - 1, dd.getUTCMonth(), dd.getUTCDate())) : addDays(dd, -7);
        }
        const precision: DatePrecision = c.isCertain("day") || c.isCertain("weekday") ? "day" : c.isCertain("month") ? "month" : "year";
        const value = precision === "day" ? ymd(dd) : precision === "month" ? ym(dd) : String(dd.getUTCFullYear());
        for (let i = start; i < end; i++) taken[i] = true;
        out.push({ start, end, value, precision, mention: r.text });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whether date a (any precision) and b overlap. */
export function datesCompatible(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}
