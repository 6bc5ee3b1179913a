/** Sentence splitting with Intl.Segmenter, per paragraph (it slows sharply on long text). */
export interface Sentence { text: string; start: number; end: number; paragraph: number }

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (!s) {
    try { s = new Intl.Segmenter(lang || "en", { granularity: "sentence" }); } catch { s = new Intl.Segmenter("en", { granularity: "sentence" }); }
    segmenters.set(lang, s);
  }
  return s;
}

/** Pieces of at most ~maxLen characters, cut after sentence-final punctuation or newlines. */
function chunks(text: string, maxLen = 800): [number, number][] {
  const out: [number, number][] = [];
  const re = /\n+|(?<=[。！？!?；;])/gu;
  let last = 0;
  let m: RegExpExecArray | null;
  let pieceStart = 0;
  while ((m = re.exec(text))) {
    const cut = m.index + m[0].length;
    if (m[0].startsWith("\n")) {
      out.push([pieceStart, m.index]); pieceStart = cut; last = cut; continue;
    }
    if (cut - pieceStart >= maxLen) { out.push([pieceStart, cut]); pieceStart = cut; }
    last = cut;
    if (m[0].length === 0) re.lastIndex++;
  }
  void last;
  if (pieceStart < text.length) out.push([pieceStart, text.length]);
  return out.filter(([a, b]) => b > a);
}

export function splitSentences(paragraphs: string[], lang: string): Sentence[] {
  const out: Sentence[] = [];
  let offset = 0;
  paragraphs.forEach((p, pi) => {
    for (const [a, b] of chunks(p)) {
      const piece = p.slice(a, b);
      for (const seg of segmenter(lang).segment(piece)) {
        const raw = seg.segment;
        const lead = raw.length - raw.trimStart().length;
        const text = raw.trim();
        if (!text) continue;
        const start = offset + a + seg.index + lead;
        out.push({ text, start, end: start + text.length, paragraph: pi });
      }
    }
    offset += p.length + 2;
  });
  return out;
}
