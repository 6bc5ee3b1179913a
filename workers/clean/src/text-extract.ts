/**
 * Main text from a plain-text dump of a whole page (lines and blank-line paragraphs): the same
 * job as on HTML without markup. Lines get values (long prose positive; navigation, repeated
 * template lines, teaser snippets, comment markers, contact/copyright footers negative); section
 * headings such as "Related" or "Comments" are hard barriers; the article is the best-scoring
 * contiguous run of lines inside one section.
 */
import { countTokens, normalizeSpace } from "./text-utils.ts";

/** Headings that start a non-article section (related articles, comments, most read, ...). */
const BARRIER =
  /^(?:热门|相关|推荐|更多|最新评论|网友评论|今日评论|评论|猜你喜欢|热点|精彩推荐|延伸阅读|相關|熱門|推薦|tin liên quan|bài viết cùng chủ đề|đọc thêm|tin mới|tin khác|xem thêm|bình luận|ý kiến|related|read more|more from|most (?:read|popular)|recommended|comments?|you may also like|see also|trending|latest news|читайте также|похожие|комментари|ещё по теме|другие новости|lesen sie auch|mehr zum thema|kommentare|à lire aussi|lire aussi|commentaires|te puede interesar|comentarios|関連記事|관련기사|댓글)/iu;
/** Interface lines in comment threads and sharing widgets. */
const UI_LINE =
  /(回复|回覆|点赞|举报|分享到|转发|阅读全文|查看更多|tặng sao|trả lời|thích|chia sẻ|theo dõi|reply|share this|share on|like\b|report\b|log ?in|sign ?up|subscribe|ответить|поделиться|подписаться|antworten|teilen|répondre|partager|responder|compartir)/iu;
/** Copyright, contact and legal footer lines. */
const FOOTER =
  /(copyright|©|\(c\)\s*\d{4}|all rights reserved|版权|版權|联系我们|聯繫我們|隐私|隱私|免责|網站地圖|网站地图|友情链接|电话[:：]|邮箱|e-?mail[:：]|\[email|hotline|liên hệ|bản quyền|giấy phép|privacy|terms of (?:use|service)|cookie|политика конфиденциальности|все права защищены|impressum|datenschutz|mentions légales|快照|爬虫|本站|本网)/iu;
const DATE_ONLY = /^[\s\d:./\-年月日号時时分秒gmtutc+()apm,]+$/iu;

export interface TextLine {
  text: string;
  tokens: number;
  value: number;
  barrier: boolean;
  drop: boolean;
}

function longThreshold(text: string): number {
  // CJK prose packs a word into one or two characters: ask for more tokens there.
  return /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/u.test(text) ? 18 : 10;
}

function selfRepeating(s: string): boolean {
  if (s.length < 20) return false;
  for (let k = Math.floor(s.length / 2) - 3; k <= Math.ceil(s.length / 2) + 3; k++) {
    if (k <= 5 || k >= s.length) continue;
    const a = s.slice(0, Math.min(k, 30));
    if (s.slice(k).startsWith(a)) return true;
  }
  return false;
}

/** Value every line; exported for tests and diagnostics. */
export function scoreLines(body: string): TextLine[] {
  const raw = body.split(/\r?\n/).map((l) => normalizeSpace(l));
  const lines = raw.filter((l) => l.length > 0);
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  const seen = new Set<string>();
  const out: TextLine[] = lines.map((text) => {
    const tokens = countTokens(text);
    const long = tokens >= longThreshold(text);
    const repeated = (counts.get(text) ?? 0) >= 2;
    const dup = seen.has(text);
    seen.add(text);
    let value: number;
    let barrier = false;
    let drop = false;
    const bare = text.replace(/^[\s•·*\-–—>|#]+/u, "");
    if (!long && BARRIER.test(bare) && tokens <= 12) {
      barrier = true;
      value = -100;
      drop = true;
    } else if (FOOTER.test(text) && tokens < 60) {
      value = -30;
      drop = true;
    } else if (tokens < 20 && UI_LINE.test(text)) {
      value = -8;
      drop = true;
    } else if (repeated && !long) {
      value = -40;
      drop = true;
    } else if (repeated) {
      // A long line printed twice is a teaser headline or a caption, whichever copy this is.
      value = -Math.min(tokens, 20);
      drop = true;
    } else if (dup) {
      value = -10;
      drop = true;
    } else if (/^(?:\.{3}|…)/u.test(text) || selfRepeating(text)) {
      value = -Math.max(10, tokens);
      drop = true;
    } else if (DATE_ONLY.test(text) && /\d/.test(text)) {
      value = -5;
      drop = true;
    } else if (/^[•·*]\s*/u.test(text) && !long) {
      value = -5;
      drop = true;
    } else if (long) value = tokens;
    else value = -2;
    return { text, tokens, value, barrier, drop };
  });
  // Prose next to a repeated template line ("Read more", section label) is a teaser.
  for (let i = 0; i < out.length; i++) {
    const l = out[i];
    if (!l || l.value <= 0) continue;
    const prev = out[i - 1];
    const next = out[i + 1];
    const markerNear = [prev, next].some((x) => x !== undefined && x.drop && !x.barrier && (counts.get(x.text) ?? 0) >= 3);
    if (markerNear) {
      l.value = -l.tokens;
      l.drop = true;
    }
  }
  return out;
}

/** The article's paragraphs from a plain-text page dump. */
export function extractFromText(body: string): { paragraphs: string[]; lines: TextLine[]; start: number; end: number } {
  const lines = scoreLines(body);
  // Best contiguous run inside barrier-free sections (Kadane with resets at barriers).
  let bestSum = -Infinity;
  let bestA = 0;
  let bestZ = -1;
  let sum = 0;
  let a = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l) continue;
    if (l.barrier) {
      sum = 0;
      a = i + 1;
      continue;
    }
    if (sum <= 0) {
      sum = 0;
      a = i;
    }
    sum += l.value;
    if (sum > bestSum) {
      bestSum = sum;
      bestA = a;
      bestZ = i;
    }
  }
  const paragraphs: string[] = [];
  if (bestSum > 0) {
    for (let i = bestA; i <= bestZ; i++) {
      const l = lines[i];
      if (l && !l.drop) paragraphs.push(l.text);
    }
  }
  return { paragraphs, lines, start: bestA, end: bestZ };
}
