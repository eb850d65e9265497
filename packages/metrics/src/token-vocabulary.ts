/**
 * Tokens as spans of a string: token t is `text[starts[t], ends[t])`, with the hash of its
 * UTF-16 units in `hashes[t]` (computed by the tokenizer while it scans, so interning need
 * not read the token again). The arrays may be longer than `count`.
 *
 * @internal
 */
export interface TokenSpans {
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
  count: number;
}

/** @internal The hash of the empty token; fold each unit in with {@link tokenHashStep}. */
export const TOKEN_HASH_SEED = 0x811c9dc5 | 0;

/** @internal One step of the token hash (32-bit FNV-1a over UTF-16 units). */
export function tokenHashStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}

/** @internal Grows the arrays of `spans` to hold at least `size` tokens. */
export function ensureSpanCapacity(spans: TokenSpans, size: number): void {
  if (spans.starts.length >= size) return;
  spans.starts = new Int32Array(size);
  spans.ends = new Int32Array(size);
  spans.hashes = new Int32Array(size);
}

/**
 * Interns tokens given as spans of a string (`text[start, end)`) with their hashes to
 * integer ids, so a tokenizer that reports spans never has to slice out a string for a
 * token the vocabulary already holds.
 *
 * @internal
 */
export class TokenVocabulary {
  private table = new Int32Array(1024); // slot → id + 1, 0 when empty
  private hashes = new Int32Array(512); // id → hash
  private readonly tokens: string[] = [];
  private shift = 32 - 10;

  /** Number of distinct tokens. */
  get size(): number {
    return this.tokens.length;
  }

  /**
   * The id of `text[start, end)`, whose {@link tokenHashStep} hash is `h`; a token not seen
   * before gets the next id when `insert` is true, else −1.
   */
  id(text: string, start: number, end: number, h: number, insert: boolean): number {
    const { table, tokens } = this;
    const mask = table.length - 1;
    const length = end - start;
    let slot = Math.imul(h, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === h) {
        const token = tokens[id];
        if (token.length === length) {
          let same = true;
          for (let k = 0; k < length; k++) {
            if (token.charCodeAt(k) !== text.charCodeAt(start + k)) {
              same = false;
              break;
            }
          }
          if (same) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (!insert) return -1;
    const id = tokens.length;
    tokens.push(text.slice(start, end));
    if (this.hashes.length <= id) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    table[slot] = id + 1;
    if (tokens.length * 2 > mask) this.grow();
    return id;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    this.shift -= 1;
    const mask = table.length - 1;
    for (let id = 0; id < this.tokens.length; id++) {
      let slot = Math.imul(this.hashes[id], 0x9e3779b1) >>> this.shift;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }
}
