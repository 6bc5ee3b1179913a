/** Aho-Corasick multi-pattern matcher over UTF-16 code units (patterns are pre-normalised). */
export interface AcMatch<T> { start: number; end: number; payload: T }

interface Node { next: Map<string, number>; fail: number; out: number[] }

export class AhoCorasick<T> {
  private nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  private patterns: { len: number; payload: T }[] = [];
  private built = false;

  add(pattern: string, payload: T): void {
    if (!pattern) return;
    let cur = 0;
    for (const ch of pattern) {
      const node = this.nodes[cur]!;
      let nxt = node.next.get(ch);
      if (nxt === undefined) {
        nxt = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, out: [] });
        node.next.set(ch, nxt);
      }
      cur = nxt;
    }
    this.nodes[cur]!.out.push(this.patterns.length);
    this.patterns.push({ len: pattern.length, payload });
    this.built = false;
  }

  build(): void {
    const queue: number[] = [];
    for (const child of this.nodes[0]!.next.values()) { this.nodes[child]!.fail = 0; queue.push(child); }
    while (queue.length) {
      const r = queue.shift()!;
      for (const [ch, u] of this.nodes[r]!.next) {
        queue.push(u);
        let f = this.nodes[r]!.fail;
        while (f !== 0 && !this.nodes[f]!.next.has(ch)) f = this.nodes[f]!.fail;
        const g = this.nodes[f]!.next.get(ch);
        this.nodes[u]!.fail = g !== undefined && g !== u ? g : 0;
        this.nodes[u]!.out.push(...this.nodes[this.nodes[u]!.fail]!.out);
      }
    }
    this.built = true;
  }

  /** Every occurrence of every pattern (overlapping), in order of end position. */
  search(text: string): AcMatch<T>[] {
    if (!this.built) this.build();
    const res: AcMatch<T>[] = [];
    let cur = 0;
    let i = 0;
    for (const ch of text) {
      while (cur !== 0 && !this.nodes[cur]!.next.has(ch)) cur = this.nodes[cur]!.fail;
      cur = this.nodes[cur]!.next.get(ch) ?? 0;
      i += ch.length;
      for (const p of this.nodes[cur]!.out) {
        const pat = this.patterns[p]!;
        res.push({ start: i - pat.len, end: i, payload: pat.payload });
      }
    }
    return res;
  }
}
