/**
 * Longest common subsequence on integer token ids, in the two forms ROUGE needs: the length
 * (ROUGE-L) and the reference positions of one particular LCS (ROUGE-Lsum's union LCS).
 *
 * Both use the bit-parallel LCS of Hyyrö ("Bit-parallel LCS-length computation revisited",
 * 2004; after Allison & Dix 1986): bit i of a vector V stands for reference position i, and
 * after reading the first j candidate tokens, the number of 0 bits among bits 0…i−1 of V is
 * the dynamic-programming value LCS(ref[0..i), cand[0..j)). One candidate token updates V
 * with an add and a few bitwise operations per 32 reference positions, instead of one cell
 * per position, so a summary of 30 tokens costs one word operation per candidate token.
 *
 * Reference ids must be dense in [0, distinct); candidate ids are in [0, distinct) or −1
 * for tokens the reference does not have (they never match). Buffers live in an
 * {@link LcsWorkspace} and are reused, so nothing is allocated per call once they are big
 * enough.
 *
 * @internal
 */

/** Scratch buffers for the LCS functions; one per scorer. @internal */
export interface LcsWorkspace {
  /** Per token id, the bit mask of the reference positions holding it (`words` per id). */
  masks: Uint32Array;
  /** The bit vector of each candidate prefix, `words` per column (column 0 = all ones). */
  columns: Uint32Array;
}

/** Creates an empty {@link LcsWorkspace}. @internal */
export function createLcsWorkspace(): LcsWorkspace {
  return { masks: new Uint32Array(256), columns: new Uint32Array(1024) };
}

function growWords(buffer: Uint32Array, size: number): Uint32Array {
  return buffer.length >= size ? buffer : new Uint32Array(Math.max(size, buffer.length * 2));
}

/** Number of 1 bits in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Fills `masks` for ref[start, end): bit (i − start) set in the words of ref[i]'s id. */
function buildMasks(
  workspace: LcsWorkspace,
  ref: Int32Array,
  start: number,
  end: number,
  distinct: number,
  words: number,
): Uint32Array {
  const masks = growWords(workspace.masks, distinct * words);
  workspace.masks = masks;
  masks.fill(0, 0, distinct * words);
  for (let i = start; i < end; i++) {
    const k = i - start;
    masks[ref[i] * words + (k >>> 5)] |= 1 << (k & 31);
  }
  return masks;
}

/**
 * One step of the bit-parallel recurrence, V ← (V + U) | (V & ~U) with U = V & match,
 * on the `words`-word vector starting at `to`, read from the vector at `from`. The add
 * carries from word to word; V − U, which the textbook form also uses, equals V & ~U
 * because U is a subset of V.
 */
function advance(
  columns: Uint32Array,
  from: number,
  to: number,
  masks: Uint32Array,
  maskStart: number,
  words: number,
): void {
  let carry = 0;
  for (let w = 0; w < words; w++) {
    const v = columns[from + w];
    const u = v & masks[maskStart + w];
    const sum = v + (u >>> 0) + carry;
    carry = sum > 0xffffffff ? 1 : 0;
    columns[to + w] = (sum >>> 0) | (v & ~u);
  }
}

/** Number of 0 bits among the first `length` bits of the vector at `at`. */
function zerosBefore(columns: Uint32Array, at: number, length: number): number {
  let ones = 0;
  const full = length >>> 5;
  for (let w = 0; w < full; w++) ones += popcount(columns[at + w]);
  const rest = length & 31;
  if (rest !== 0) ones += popcount(columns[at + full] & ((1 << rest) - 1));
  return length - ones;
}

/**
 * Length of the LCS of `ref[refStart, refEnd)` and `cand[candStart, candEnd)`.
 *
 * @internal
 */
export function lcsLength(
  workspace: LcsWorkspace,
  ref: Int32Array,
  refStart: number,
  refEnd: number,
  cand: Int32Array,
  candStart: number,
  candEnd: number,
  distinct: number,
): number {
  const m = refEnd - refStart;
  if (m === 0 || candEnd === candStart) return 0;
  const words = (m + 31) >>> 5;
  const masks = buildMasks(workspace, ref, refStart, refEnd, distinct, words);
  if (words === 1) {
    // The common case, a reference of at most 32 tokens: V is one number.
    let v = 0xffffffff;
    for (let j = candStart; j < candEnd; j++) {
      const id = cand[j];
      if (id < 0) continue;
      const u = v & masks[id];
      v = ((v + (u >>> 0)) | (v & ~u)) >>> 0;
    }
    return m - popcount(m === 32 ? v : v & ((1 << m) - 1));
  }
  const columns = growWords(workspace.columns, words);
  workspace.columns = columns;
  columns.fill(0xffffffff, 0, words);
  for (let j = candStart; j < candEnd; j++) {
    const id = cand[j];
    if (id >= 0) advance(columns, 0, 0, masks, id * words, words);
  }
  return zerosBefore(columns, 0, m);
}

/**
 * For one reference sentence `ref[refStart, refEnd)`, sets `mark[i] = 1` for every position
 * `refStart + i` used by the LCS read back against each candidate sentence — the union LCS
 * of ROUGE-Lsum. Candidate sentence `s` is `cand[candEnds[s − 1], candEnds[s])` (the first
 * starts at 0).
 *
 * The read-back is rouge-score's (`_backtrack_norec`): from the bottom-right corner, take
 * the diagonal when the two tokens are equal, else step back in the candidate only when
 * that cell is strictly larger than the one above, else step back in the reference. Which
 * LCS is read changes the union, so the tie rule matters.
 *
 * @internal
 */
export function markUnionLcs(
  workspace: LcsWorkspace,
  ref: Int32Array,
  refStart: number,
  refEnd: number,
  cand: Int32Array,
  candEnds: Int32Array,
  candCount: number,
  distinct: number,
  mark: Uint8Array,
): void {
  const m = refEnd - refStart;
  if (m === 0) return;
  const words = (m + 31) >>> 5;
  const masks = buildMasks(workspace, ref, refStart, refEnd, distinct, words);
  for (let s = 0, candStart = 0; s < candCount; s++) {
    const candEnd = candEnds[s];
    const n = candEnd - candStart;
    const columns = growWords(workspace.columns, (n + 1) * words);
    workspace.columns = columns;
    columns.fill(0xffffffff, 0, words);
    if (words === 1) {
      for (let j = 1; j <= n; j++) {
        const v = columns[j - 1];
        const id = cand[candStart + j - 1];
        if (id < 0) {
          columns[j] = v;
        } else {
          const u = v & masks[id];
          columns[j] = (v + (u >>> 0)) | (v & ~u);
        }
      }
    } else {
      for (let j = 1; j <= n; j++) {
        const id = cand[candStart + j - 1];
        if (id >= 0) advance(columns, (j - 1) * words, j * words, masks, id * words, words);
        else columns.copyWithin(j * words, (j - 1) * words, j * words);
      }
    }
    if (zerosBefore(columns, n * words, m) === 0) {
      // No common subsequence: nothing to mark, and the read-back would only walk.
      candStart = candEnd;
      continue;
    }
    let i = m;
    let j = n;
    while (i > 0 && j > 0) {
      if (ref[refStart + i - 1] === cand[candStart + j - 1]) {
        mark[i - 1] = 1;
        i--;
        j--;
      } else if (
        zerosBefore(columns, (j - 1) * words, i) > zerosBefore(columns, j * words, i - 1)
      ) {
        j--;
      } else {
        i--;
      }
    }
    candStart = candEnd;
  }
}
