/**
 * Translation edit rate of one prediction against one reference, on integer word ids, as
 * sacrebleu 2.6.0 computes it (`sacrebleu/metrics/lib_ter.py`, a re-implementation of
 * Tercom, Snover et al. 2006): greedily apply the block shift that lowers the edit
 * distance most until none does, then add the word-level Levenshtein distance.
 *
 * The limits are sacrebleu's: shifted blocks of at most 10 words, moved at most 50
 * positions, at most 1,000 shift candidates evaluated per segment, and a beam of 25 cells
 * either side of the length-scaled diagonal in the edit-distance matrix. Ties between
 * operations and between shift candidates break the way sacrebleu's do, so the edit counts
 * are the same.
 *
 * @internal
 */

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
const MAX_SHIFT_CANDIDATES = 1000;
/** Cells outside the beam; any cost built on it stays ≥ it, as sacrebleu's `int(1e16)`. */
const INFINITY = 1 << 30;

// Edit operations, rewriting the prediction into the reference.
const OP_NOP = 0;
const OP_SUB = 1;
const OP_INS = 2; // consumes a reference word
const OP_DEL = 3; // consumes a prediction word
const OP_UNDEF = 4;

/** Edit distance matrices with the beam of sacrebleu's `BeamEditDistance`. */
class BeamEditDistance {
  readonly reference: Int32Array;
  private readonly width: number;
  /** Costs and operations of the current prediction's full matrix, row-major. */
  costs = new Int32Array(0);
  ops = new Uint8Array(0);
  private previous: Int32Array;
  private row: Int32Array;
  private lengthRatio = 1;
  private beamWidth = BEAM_WIDTH;
  private predictionLength = -1;

  constructor(reference: Int32Array) {
    this.reference = reference;
    this.width = reference.length + 1;
    this.previous = new Int32Array(this.width);
    this.row = new Int32Array(this.width);
  }

  private prepare(length: number): void {
    if (length === this.predictionLength) return;
    this.predictionLength = length;
    const n = this.reference.length;
    this.lengthRatio = length > 0 ? n / length : 1;
    // Very unequal lengths would leave no overlap between consecutive rows' beams.
    this.beamWidth =
      BEAM_WIDTH < this.lengthRatio / 2 ? Math.ceil(this.lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    const size = (length + 1) * this.width;
    if (this.costs.length < size) {
      this.costs = new Int32Array(size);
      this.ops = new Uint8Array(size);
    }
  }

  /** The beam of row `i` (1-based prediction position): columns [from, to). */
  private beam(i: number, length: number): [number, number] {
    const diagonal = Math.floor(i * this.lengthRatio);
    const from = Math.max(0, diagonal - this.beamWidth);
    const to = i === length ? this.width : Math.min(this.width, diagonal + this.beamWidth);
    return [from, to];
  }

  /**
   * Fills the whole matrix of `words` (costs and operations) and returns its distance;
   * {@link trace} and {@link distanceFrom} then use it.
   */
  fill(words: Int32Array, length: number): number {
    this.prepare(length);
    const { costs, ops, reference, width } = this;
    for (let j = 0; j < width; j++) {
      costs[j] = j;
      ops[j] = OP_INS;
    }
    for (let i = 1; i <= length; i++) {
      const base = i * width;
      const above = base - width;
      costs.fill(INFINITY, base, base + width);
      ops.fill(OP_UNDEF, base, base + width);
      const [from, to] = this.beam(i, length);
      const word = words[i - 1];
      for (let j = from; j < to; j++) {
        if (j === 0) {
          costs[base] = costs[above] + 1;
          ops[base] = OP_DEL;
          continue;
        }
        // Preference on equal cost: match/substitution, then deletion, then insertion
        // (sacrebleu's order, which after its trace flip reproduces Tercom's).
        let cost = INFINITY;
        let op = OP_UNDEF;
        const diagonal = costs[above + j - 1] + (word === reference[j - 1] ? 0 : 1);
        if (cost > diagonal) {
          cost = diagonal;
          op = word === reference[j - 1] ? OP_NOP : OP_SUB;
        }
        const deletion = costs[above + j] + 1;
        if (cost > deletion) {
          cost = deletion;
          op = OP_DEL;
        }
        const insertion = costs[base + j - 1] + 1;
        if (cost > insertion) {
          cost = insertion;
          op = OP_INS;
        }
        costs[base + j] = cost;
        ops[base + j] = op;
      }
    }
    return costs[length * width + width - 1];
  }

  /**
   * The distance of `words`, which equal the last {@link fill}ed prediction in their first
   * `same` positions (rows up to `same` are reused), without operations.
   */
  distanceFrom(words: Int32Array, length: number, same: number): number {
    const { costs, reference, width } = this;
    if (same >= length) return costs[length * width + width - 1];
    let previous = this.previous;
    let row = this.row;
    previous.set(costs.subarray(same * width, same * width + width));
    for (let i = same + 1; i <= length; i++) {
      row.fill(INFINITY);
      const [from, to] = this.beam(i, length);
      const word = words[i - 1];
      for (let j = from; j < to; j++) {
        if (j === 0) {
          row[0] = previous[0] + 1;
          continue;
        }
        let cost = previous[j - 1] + (word === reference[j - 1] ? 0 : 1);
        const deletion = previous[j] + 1;
        if (deletion < cost) cost = deletion;
        const insertion = row[j - 1] + 1;
        if (insertion < cost) cost = insertion;
        row[j] = Math.min(cost, INFINITY);
      }
      const swap = previous;
      previous = row;
      row = swap;
    }
    return previous[width - 1];
  }

  /** The operations of the last {@link fill}, from the start, following its back pointers. */
  trace(length: number): Uint8Array {
    const { ops, width } = this;
    const reversed: number[] = [];
    let i = length;
    let j = width - 1;
    while (i > 0 || j > 0) {
      const op = ops[i * width + j];
      reversed.push(op);
      if (op === OP_NOP || op === OP_SUB) {
        i--;
        j--;
      } else if (op === OP_INS) {
        j--;
      } else if (op === OP_DEL) {
        i--;
      } else {
        throw new Error("TER edit distance: trace left the beam");
      }
    }
    return Uint8Array.from(reversed.reverse());
  }
}

/**
 * Moves `words[start, start + length)` to before position `target`, as sacrebleu's
 * `_perform_shift` (including its handling of a target inside the moved block), into `out`.
 */
function performShift(
  words: Int32Array,
  n: number,
  start: number,
  length: number,
  target: number,
  out: Int32Array,
): void {
  let o = 0;
  const copy = (from: number, to: number) => {
    const end = Math.min(to, n);
    for (let k = Math.max(0, from); k < end; k++) out[o++] = words[k];
  };
  if (target < start) {
    copy(0, target);
    copy(start, start + length);
    copy(target, start);
    copy(start + length, n);
  } else if (target > start + length) {
    copy(0, start);
    copy(start + length, target);
    copy(start, start + length);
    copy(target, n);
  } else {
    copy(0, start);
    copy(start + length, length + target);
    copy(start, start + length);
    copy(length + target, n);
  }
}

interface ShiftResult {
  /** How much the best shift lowers the edit distance (≤ 0: no useful shift). */
  gain: number;
  /** Candidates evaluated so far in this segment. */
  checked: number;
  start: number;
  length: number;
  target: number;
}

/** sacrebleu's `_shift`: the best single block shift of `words`, Tercom's ranking. */
function bestShift(
  words: Int32Array,
  reference: Int32Array,
  distance: BeamEditDistance,
  checked: number,
  scratch: Int32Array,
): ShiftResult {
  const nh = words.length;
  const nr = reference.length;
  const before = distance.fill(words, nh);
  const trace = distance.trace(nh);

  // Alignment from the reference's side: the trace rewrites prediction → reference, so
  // sacrebleu flips insertions and deletions and reads it as reference → prediction.
  const align = new Int32Array(nr);
  const hypErrors = new Int32Array(nh + 1); // prefix sums
  const refErrors = new Int32Array(nr + 1);
  let posHyp = -1;
  let posRef = -1;
  for (const op of trace) {
    if (op === OP_NOP || op === OP_SUB) {
      const error = op === OP_SUB ? 1 : 0;
      posHyp++;
      posRef++;
      align[posRef] = posHyp;
      hypErrors[posHyp + 1] = hypErrors[posHyp] + error;
      refErrors[posRef + 1] = refErrors[posRef] + error;
    } else if (op === OP_DEL) {
      // a deleted prediction word: an insertion when read from the reference
      posHyp++;
      hypErrors[posHyp + 1] = hypErrors[posHyp] + 1;
    } else {
      posRef++;
      align[posRef] = posHyp;
      refErrors[posRef + 1] = refErrors[posRef] + 1;
    }
  }

  let found = false;
  let bestGain = 0;
  let bestLength = 0;
  let bestStart = 0;
  let bestTarget = 0;
  outer: for (let startH = 0; startH < nh; startH++) {
    for (let startR = 0; startR < nr; startR++) {
      if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
      let length = 0;
      while (words[startH + length] === reference[startR + length] && length < MAX_SHIFT_SIZE) {
        length++;
        // Each matching block [startH, startH + length) ↔ [startR, startR + length).
        const consumed = nh === startH + length || nr === startR + length;
        if (
          hypErrors[startH + length] - hypErrors[startH] !== 0 &&
          refErrors[startR + length] - refErrors[startR] !== 0 &&
          !(startH <= align[startR] && align[startR] < startH + length)
        ) {
          let previousTarget = -1;
          for (let offset = -1; offset < length; offset++) {
            const target = startR + offset === -1 ? 0 : align[startR + offset] + 1;
            if (target === previousTarget) continue;
            previousTarget = target;
            performShift(words, nh, startH, length, target, scratch);
            const gain = before - distance.distanceFrom(scratch, nh, Math.min(startH, target));
            checked++;
            // Rank: larger gain, then longer block, then earlier start, then earlier target.
            if (
              !found ||
              gain > bestGain ||
              (gain === bestGain &&
                (length > bestLength ||
                  (length === bestLength &&
                    (startH < bestStart || (startH === bestStart && target < bestTarget)))))
            ) {
              found = true;
              bestGain = gain;
              bestLength = length;
              bestStart = startH;
              bestTarget = target;
            }
          }
          // sacrebleu checks the limit only after a block it evaluated.
          if (checked >= MAX_SHIFT_CANDIDATES) break outer;
        }
        if (consumed) break;
      }
    }
  }
  return found
    ? { gain: bestGain, checked, start: bestStart, length: bestLength, target: bestTarget }
    : { gain: 0, checked, start: 0, length: 0, target: 0 };
}

/**
 * The number of edits (shifts + insertions + deletions + substitutions) that turn
 * `prediction` into `reference`, and the reference length, as sacrebleu's
 * `translation_edit_rate`. An empty reference costs one edit per prediction word.
 *
 * @internal
 */
export function translationEditRate(
  prediction: Int32Array,
  reference: Int32Array,
): { edits: number; referenceLength: number } {
  if (reference.length === 0) return { edits: prediction.length, referenceLength: 0 };
  const distance = new BeamEditDistance(reference);
  let words = prediction.slice();
  let scratch = new Int32Array(words.length);
  let shifts = 0;
  let checked = 0;
  for (;;) {
    const shift = bestShift(words, reference, distance, checked, scratch);
    checked = shift.checked;
    if (checked >= MAX_SHIFT_CANDIDATES || shift.gain <= 0) break;
    shifts++;
    performShift(words, words.length, shift.start, shift.length, shift.target, scratch);
    const applied = scratch;
    scratch = words;
    words = applied;
  }
  const edits = distance.fill(words, words.length);
  return { edits: shifts + edits, referenceLength: reference.length };
}
