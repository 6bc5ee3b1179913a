/**
 * Aho-Corasick multi-pattern matcher over code points (patterns are pre-normalised); offsets are
 * UTF-16 code units.
 *
 * Patterns are added into a trie of Maps; build() then packs it into typed arrays, which is what
 * search() walks: each node's transitions are a run of (code point, target) pairs sorted by code
 * point, found by a linear scan when short (most nodes have one or two) and a binary search when
 * long. Walking Maps cost about 50 ns a character, most of the extract stage's matching time (the
 * gazetteer's trie has some 12,700 nodes and is searched over every sentence).
 */
export interface AcMatch<T> { start: number; end: number; payload: T }

/** Above this many transitions, a node's run is binary-searched. */
const LINEAR_SCAN_MAX = 8;

export class AhoCorasick<T> {
  /** Transitions per node while patterns are added, keyed by code point. */
  private next: Map<number, number>[] = [new Map()];
  /** Pattern indices ending at each node (own only; build() adds those inherited through fail links). */
  private own: number[][] = [[]];
  private patLen: number[] = [];
  private patPayload: T[] = [];
  private built = false;

  // The packed automaton (build()).
  /** Transitions of node n: edgeCp/edgeTo[edgeStart[n] .. edgeStart[n + 1]), sorted by code point. */
  private edgeStart = new Int32Array(1);
  private edgeCp = new Int32Array(0);
  private edgeTo = new Int32Array(0);
  private fail = new Int32Array(1);
  /** Patterns ending at node n (own first, then inherited, longest first): outPat[outStart[n] .. outStart[n + 1]). */
  private outStart = new Int32Array(2);
  /** The own patterns of node n (those spelled by its path from the root): outPat[outStart[n] .. ownEnd[n]). */
  private ownEnd = new Int32Array(1);
  private outPat = new Int32Array(0);
  /** Root transitions for BMP code points (0: none). */
  private rootBmp = new Int32Array(0);
  /** Code points in some pattern: any other one sends the walk straight back to the root. */
  private inBmp = new Uint8Array(0);

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
        this.own.push([]);
        node.set(cp, nxt);
      }
      cur = nxt;
    }
    this.own[cur]!.push(this.patLen.length);
    this.patLen.push(pattern.length);
    this.patPayload.push(payload);
    this.built = false;
  }

  build(): void {
    const { next, own } = this;
    const n = next.length;
    // Transitions, packed and sorted.
    let edges = 0;
    for (const m of next) edges += m.size;
    const edgeStart = new Int32Array(n + 1);
    const edgeCp = new Int32Array(edges);
    const edgeTo = new Int32Array(edges);
    let e = 0;
    for (let u = 0; u < n; u++) {
      edgeStart[u] = e;
      for (const [cp, to] of [...next[u]!].sort((a, b) => a[0] - b[0])) {
        edgeCp[e] = cp;
        edgeTo[e] = to;
        e++;
      }
    }
    edgeStart[n] = e;
    // Fail links and output lists, breadth first (a node's fail target is shallower, so done).
    const fail = new Int32Array(n);
    const out: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (const child of next[0]!.values()) queue.push(child);
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
    const outStart = new Int32Array(n + 1);
    const ownEnd = new Int32Array(n);
    let outs = 0;
    for (let u = 0; u < n; u++) {
      outStart[u] = outs;
      ownEnd[u] = outs + own[u]!.length;
      outs += out[u]!.length;
    }
    outStart[n] = outs;
    const outPat = new Int32Array(outs);
    for (let u = 0; u < n; u++) outPat.set(out[u]!, outStart[u]!);
    const rootBmp = new Int32Array(0x10000);
    for (const [cp, u] of next[0]!) if (cp < 0x10000) rootBmp[cp] = u;
    const inBmp = new Uint8Array(0x10000);
    for (let k = 0; k < edges; k++) if (edgeCp[k]! < 0x10000) inBmp[edgeCp[k]!] = 1;
    this.edgeStart = edgeStart;
    this.edgeCp = edgeCp;
    this.edgeTo = edgeTo;
    this.fail = fail;
    this.outStart = outStart;
    this.ownEnd = ownEnd;
    this.outPat = outPat;
    this.rootBmp = rootBmp;
    this.inBmp = inBmp;
    this.built = true;
  }

  /** The node reached from `node` by `cp`, or -1. */
  private step(node: number, cp: number): number {
    const { edgeCp } = this;
    let lo = this.edgeStart[node]!;
    let hi = this.edgeStart[node + 1]!;
    if (hi - lo <= LINEAR_SCAN_MAX) {
      for (; lo < hi; lo++) if (edgeCp[lo] === cp) return this.edgeTo[lo]!;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = edgeCp[mid]!;
      if (c === cp) return this.edgeTo[mid]!;
      if (c < cp) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Every occurrence of every pattern (overlapping), in order of end position (longest first at one end). */
  search(text: string): AcMatch<T>[] {
    if (!this.built) this.build();
    const res: AcMatch<T>[] = [];
    const { fail, outStart, outPat, patLen, patPayload, rootBmp, inBmp } = this;
    const n = text.length;
    let cur = 0;
    let i = 0;
    while (i < n) {
      // A surrogate pair is one code point (astral ones are looked up the slow way); a lone
      // surrogate is itself. (charCodeAt: String.codePointAt made this loop slower.)
      let cp = text.charCodeAt(i++);
      if (cp >= 0xd800 && cp <= 0xdbff && i < n && (text.charCodeAt(i) & 0xfc00) === 0xdc00) {
        cp = (cp - 0xd800) * 0x400 + (text.charCodeAt(i) - 0xdc00) + 0x10000;
        i++;
      } else if (inBmp[cp] !== 1) {
        cur = 0;
        continue;
      }
      let to = -1;
      while (cur !== 0 && (to = this.step(cur, cp)) < 0) cur = fail[cur]!;
      if (cur !== 0) cur = to;
      else if (cp < 0x10000) cur = rootBmp[cp]!;
      else cur = Math.max(0, this.step(0, cp));
      if (cur === 0) continue;
      for (let k = outStart[cur]!, end = outStart[cur + 1]!; k < end; k++) {
        const p = outPat[k]!;
        res.push({ start: i - patLen[p]!, end: i, payload: patPayload[p]! });
      }
    }
    return res;
  }

  /**
   * The matches of search() that start where `mayStart(text, i)` allows, in the same order. For a
   * caller that would drop every other match (a name must start a word): instead of following
   * every character through the automaton, the trie is walked from the allowed starts only, each
   * walk ending at the first character no pattern continues with. On Latin text that is one
   * short walk a word.
   */
  searchWhereStarts(text: string, mayStart: (text: string, i: number) => boolean): AcMatch<T>[] {
    if (!this.built) this.build();
    const res: AcMatch<T>[] = [];
    const { outStart, ownEnd, outPat, patPayload, rootBmp, inBmp } = this;
    const n = text.length;
    for (let start = 0; start < n; start++) {
      // A start inside a surrogate pair is no start (search() walks code points).
      if ((text.charCodeAt(start) & 0xfc00) === 0xdc00 && start > 0 && (text.charCodeAt(start - 1) & 0xfc00) === 0xd800) continue;
      if (!mayStart(text, start)) continue;
      let cur = 0;
      let i = start;
      while (i < n) {
        let cp = text.charCodeAt(i++);
        if (cp >= 0xd800 && cp <= 0xdbff && i < n && (text.charCodeAt(i) & 0xfc00) === 0xdc00) {
          cp = (cp - 0xd800) * 0x400 + (text.charCodeAt(i) - 0xdc00) + 0x10000;
          i++;
        } else if (inBmp[cp] !== 1) break;
        cur = cur === 0 ? (cp < 0x10000 ? rootBmp[cp]! : Math.max(0, this.step(0, cp))) : this.step(cur, cp);
        if (cur <= 0) break;
        for (let k = outStart[cur]!, end = ownEnd[cur]!; k < end; k++) {
          const p = outPat[k]!;
          res.push({ start, end: i, payload: patPayload[p]! });
        }
      }
    }
    // search()'s order: by end, longest first. Matches with the same start and end (a pattern
    // added twice) come from one node in the order they were added, which the stable sort keeps.
    if (res.length > 1) res.sort((a, b) => a.end - b.end || a.start - b.start);
    return res;
  }
}
