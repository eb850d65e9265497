/** Root children with a symbol below this use the direct table. */
const DIRECT = 1 << 16;

/**
 * A trie of integer n-grams held in one open-addressing hash table: the node of an n-gram
 * is found from the node of its (n−1)-gram prefix and its last symbol (a token id or a code
 * point), so counting all n-grams of orders 1…N walks each position once and hashes two
 * integers per step, without building keys. Nodes get ids 1, 2, 3… (0 is the root), which
 * index the callers' count arrays. Children of the root with a symbol below 2¹⁶ (every BMP
 * character, the first 65,536 token ids) sit in a direct table, which spares the most
 * frequent lookup its hash.
 *
 * `reset()` empties the trie in O(1) (entries carry the generation that wrote them), so one
 * trie serves a whole corpus, one segment at a time.
 *
 * @internal
 */
export class NgramTrie {
  /** Slots of four: generation, parent, symbol, node id (one cache line per probe). */
  private entries: Int32Array;
  private mask: number;
  private shift: number;
  private readonly rootIds = new Int32Array(DIRECT);
  private readonly rootGenerations = new Int32Array(DIRECT);
  private generation = 1;
  /** Number of nodes (not counting the root); the largest id handed out. */
  size = 0;

  constructor(capacity = 1024) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.entries = new Int32Array(4 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /**
   * Forgets every node. With `nodes`, a bound on the nodes the next segment adds (a hint:
   * more only make the table grow), the table in use is sized for it rather than kept at
   * the size the longest segment so far needed. Entries of older generations read as
   * empty, so any size is free to pick.
   */
  reset(nodes?: number): void {
    this.size = 0;
    this.generation += 1;
    if (this.generation === 0x7fffffff) {
      for (let slot = 0; slot < this.entries.length; slot += 4) this.entries[slot] = 0;
      this.rootGenerations.fill(0);
      this.generation = 1;
    }
    if (nodes === undefined) return;
    // One eighth full at most: most lookups miss, and a miss probes until an empty slot.
    // Capped, so a huge segment starts at 4 MB and grows as it fills instead.
    let bits = 4;
    while (bits < 18 && 1 << bits <= nodes * 8 + 1) bits++;
    if (4 << bits > this.entries.length) this.entries = new Int32Array(4 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** The node for `parent` followed by `symbol`, or −1 when there is none. */
  find(parent: number, symbol: number): number {
    if (parent > 0) {
      if ((this.childBits[parent] & (1 << (symbol & 31))) === 0) return -1;
    } else if (parent === 0 && symbol >= 0 && symbol < DIRECT) {
      return this.rootGenerations[symbol] === this.generation ? this.rootIds[symbol] : -1;
    }
    const { entries, mask, generation } = this;
    let slot = Math.imul(parent ^ Math.imul(symbol, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    for (;;) {
      const at = slot << 2;
      if (entries[at] !== generation) return -1;
      if (entries[at + 2] === symbol && entries[at + 1] === parent) return entries[at + 3];
      slot = (slot + 1) & mask;
    }
  }

  /**
   * The node for `parent` followed by `symbol`, created when missing. Only for
   * {@link insertAllLinked}, which sizes the per-node arrays first.
   */
  private insert(parent: number, symbol: number): number {
    if (parent === 0 && symbol >= 0 && symbol < DIRECT) {
      if (this.rootGenerations[symbol] === this.generation) return this.rootIds[symbol];
      this.rootGenerations[symbol] = this.generation;
      this.rootIds[symbol] = ++this.size;
      this.childBits[this.size] = 0;
      return this.size;
    }
    const { entries, mask, generation } = this;
    let slot = Math.imul(parent ^ Math.imul(symbol, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    let at = slot << 2;
    while (entries[at] === generation) {
      if (entries[at + 2] === symbol && entries[at + 1] === parent) return entries[at + 3];
      slot = (slot + 1) & mask;
      at = slot << 2;
    }
    const id = ++this.size;
    this.childBits[id] = 0;
    if (parent > 0) this.childBits[parent] |= 1 << (symbol & 31);
    entries[at] = generation;
    entries[at + 1] = parent;
    entries[at + 2] = symbol;
    entries[at + 3] = id;
    // Keep the load at or below one half so probes stay short (the size also counts
    // direct root children, which only makes this earlier).
    if (this.size * 2 > mask) this.grow();
    return id;
  }

  /**
   * Inserts every n-gram of orders 1…`order` of `sequence[0, length)` under `root`, adds
   * one to `counts[node]` per occurrence, and records suffix links: the node of n-gram
   * s[a, b) links to the node of s[a + 1, b). Every suffix of an inserted n-gram is itself
   * inserted (it starts at a later position), so the links are complete for
   * {@link consumeAllLinked}.
   */
  insertAllLinked(
    root: number,
    sequence: Int32Array,
    length: number,
    order: number,
    counts: Int32Array,
  ): void {
    this.links = ensureLength(this.links, this.size + length * order + 1);
    this.childBits = ensureLength(this.childBits, this.links.length);
    const { links } = this;
    const path = this.path(order);
    const next = this.nextPath(order);
    // Backwards, so that the path of position i + 1 is known when position i is inserted.
    for (let i = length - 1; i >= 0; i--) {
      let node = root;
      const top = Math.min(order, length - i);
      for (let n = 1; n <= top; n++) {
        node = this.insert(node, sequence[i + n - 1]);
        counts[node] += 1;
        path[n] = node;
        links[node] = n === 1 ? root : next[n - 1];
      }
      next.set(path);
    }
  }

  /**
   * Walks every n-gram of orders 1…`order` of `sequence[0, length)` under `root` that is
   * in the trie (built with {@link insertAllLinked}); each one with `budget[node] > 0`
   * takes one from the budget and adds one to `matches[offset + (n − 1)·stride]` for an
   * n-gram. With the budget holding reference counts this sums, per order,
   * min(count in sequence, count in reference).
   *
   * At a position, the n-grams present are those up to its longest match (a missing
   * prefix rules out every longer n-gram). The path of position i + 1 is the suffix links
   * of position i's path, so a position only hashes to extend its match: about one or two
   * lookups instead of one per order.
   */
  consumeAllLinked(
    root: number,
    sequence: Int32Array,
    length: number,
    order: number,
    budget: Int32Array,
    matches: Float64Array,
    offset: number,
    stride: number,
  ): void {
    const { links } = this;
    const path = this.path(order);
    path[0] = root;
    let depth = 0;
    for (let i = 0; i < length; i++) {
      if (depth > 0) {
        for (let n = 1; n < depth; n++) path[n] = links[path[n + 1]];
        depth -= 1;
      }
      const top = Math.min(order, length - i);
      while (depth < top) {
        const node = this.find(path[depth], sequence[i + depth]);
        if (node < 0) break;
        depth += 1;
        path[depth] = node;
      }
      for (let n = 1; n <= depth; n++) {
        const node = path[n];
        if (budget[node] > 0) {
          budget[node] -= 1;
          matches[offset + (n - 1) * stride] += 1;
        }
      }
    }
  }

  private links = new Int32Array(1024);
  /**
   * Per node, a 32-bit filter of its children's symbols (bit `symbol & 31`): most lookups
   * in {@link consumeAllLinked} miss, and the filter answers most misses without probing.
   */
  private childBits = new Int32Array(1024);
  private pathBuffer = new Int32Array(16);
  private nextBuffer = new Int32Array(16);

  private path(order: number): Int32Array {
    if (this.pathBuffer.length <= order) this.pathBuffer = new Int32Array(order + 1);
    return this.pathBuffer;
  }

  private nextPath(order: number): Int32Array {
    if (this.nextBuffer.length <= order) this.nextBuffer = new Int32Array(order + 1);
    return this.nextBuffer;
  }

  private grow(): void {
    const { entries, generation } = this;
    const slots = (this.mask + 1) * 2;
    this.entries = new Int32Array(4 * slots);
    this.mask = slots - 1;
    this.shift -= 1;
    for (let at = 0; at < entries.length; at += 4) {
      if (entries[at] !== generation) continue;
      const parent = entries[at + 1];
      const symbol = entries[at + 2];
      let slot = Math.imul(parent ^ Math.imul(symbol, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
      while (this.entries[slot << 2] === generation) slot = (slot + 1) & this.mask;
      this.entries.set(entries.subarray(at, at + 4), slot << 2);
    }
  }
}

/**
 * A count array indexed by trie node id, grown (contents kept) to at least `length`.
 *
 * @internal
 */
export function ensureLength(
  array: Int32Array<ArrayBuffer>,
  length: number,
): Int32Array<ArrayBuffer> {
  if (array.length >= length) return array;
  let size = array.length || 16;
  while (size < length) size *= 2;
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}
