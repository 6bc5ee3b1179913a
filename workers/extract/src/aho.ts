/** Aho-Corasick multi-pattern matcher over code points (patterns are pre-normalised); offsets are UTF-16 code units. */
export interface AcMatch<T> { start: number; end: number; payload: T }

const EMPTY: readonly number[] = [];

export class AhoCorasick<T> {
  /** Transitions per node, keyed by code point. */
  private next: Map<number, number>[] = [new Map()];
  private fail: number[] = [0];
  /** Pattern indices ending at each node (own and inherited through fail links). */
  private out: number[][] = [[]];
  private patLen: number[] = [];
  private patPayload: T[] = [];
  /** Root transitions for BMP code points (-1: none), the hot path of every search. */
  private rootBmp = new Int32Array(0);
  private built = false;

  add(pattern: string, payload: T): void {
    if (!pattern) return;
    let cur = 0;
    for (const ch of pattern) {
      const cp = ch.codePointAt(0)!;
      const node = this.next[cur]!;
      let nxt = node.get(cp);
      if (nxt === undefined) {
        nxt = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.out.push([]);
        node.set(cp, nxt);
      }
      cur = nxt;
    }
    this.out[cur]!.push(this.patLen.length);
    this.patLen.push(pattern.length);
    this.patPayload.push(payload);
    this.built = false;
  }

  build(): void {
    const { next, fail, out } = this;
    const queue: number[] = [];
    for (const child of next[0]!.values()) { fail[child] = 0; queue.push(child); }
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi]!;
      for (const [ch, u] of next[r]!) {
        queue.push(u);
        let f = fail[r]!;
        while (f !== 0 && !next[f]!.has(ch)) f = fail[f]!;
        const g = next[f]!.get(ch);
        fail[u] = g !== undefined && g !== u ? g : 0;
        const inherited = out[fail[u]!]!;
        if (inherited.length) out[u]!.push(...inherited);
      }
    }
    const root = new Int32Array(0x10000).fill(-1);
    for (const [cp, u] of next[0]!) if (cp < 0x10000) root[cp] = u;
    this.rootBmp = root;
    this.built = true;
  }

  /** Every occurrence of every pattern (overlapping), in order of end position. */
  search(text: string): AcMatch<T>[] {
    if (!this.built) this.build();
    const res: AcMatch<T>[] = [];
    const { next, fail, out, patLen, patPayload, rootBmp } = this;
    const n = text.length;
    let cur = 0;
    let i = 0;
    while (i < n) {
      let cp = text.charCodeAt(i++);
      if (cp >= 0xd800 && cp <= 0xdbff && i < n) {
        const lo = text.charCodeAt(i);
        if (lo >= 0xdc00 && lo <= 0xdfff) { cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000; i++; }
      }
      let to: number | undefined;
      while (cur !== 0 && (to = next[cur]!.get(cp)) === undefined) cur = fail[cur]!;
      if (cur === 0) {
        if (cp < 0x10000) { const r = rootBmp[cp]!; cur = r < 0 ? 0 : r; }
        else cur = next[0]!.get(cp) ?? 0;
      } else cur = to!;
      const o = cur === 0 ? EMPTY : out[cur]!;
      for (let k = 0; k < o.length; k++) {
        const p = o[k]!;
        res.push({ start: i - patLen[p]!, end: i, payload: patPayload[p]! });
      }
    }
    return res;
  }
}
