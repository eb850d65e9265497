import { TunekitError } from "../../../internal/shared/src/index";

// Quotas within this distance of an integer count as that integer, and remainders this
// close count as tied, so that 0.1 + 0.2 style noise never decides who gets a record.
const EPSILON = 1e-9;

function checkWeights(weights: readonly number[]): number {
  let sum = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) {
      throw new TunekitError(
        "invalid_weights",
        `weights must be finite and non-negative, got ${JSON.stringify(weights)}`,
      );
    }
    sum += w;
  }
  if (weights.length === 0 || sum <= 0) {
    throw new TunekitError(
      "invalid_weights",
      `weights must have a positive sum, got ${JSON.stringify(weights)}`,
    );
  }
  return sum;
}

/**
 * Splits a whole number `total` into whole parts proportional to `weights` by the
 * largest-remainder (Hamilton) method: each part gets the floor of its exact quota
 * `total · wᵢ / Σw`, and the records left over go one each to the largest fractional
 * remainders, ties to the earlier part. Every part is the floor or the ceiling of its
 * quota, and the parts sum to `total`.
 *
 * @param total - a non-negative whole number.
 * @param weights - non-negative weights with a positive sum (they need not sum to 1).
 * @returns the parts, in the order of `weights`.
 * @throws {@link TunekitError} `invalid_weights` for negative, non-finite or all-zero weights.
 * @example
 * ```ts
 * import { largestRemainder } from "@tunekit/instruct";
 * largestRemainder(10, [0.8, 0.1, 0.1]); // [8, 1, 1]
 * largestRemainder(7, [0.8, 0.1, 0.1]); // [5, 1, 1]: quotas 5.6, 0.7, 0.7
 * ```
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new TunekitError("invalid_total", `total must be a whole number ≥ 0, got ${total}`);
  }
  const sum = checkWeights(weights);
  const parts = new Array<number>(weights.length);
  const remainders = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const quota = (total * weights[i]) / sum;
    const floor = Math.floor(quota + EPSILON);
    parts[i] = floor;
    remainders[i] = Math.max(0, quota - floor);
    given += floor;
  }
  // Only parts with weight get a leftover seat, even when rounding noise makes ties.
  const order = weights.flatMap((w, i) => (w > 0 ? [i] : []));
  order.sort((a, b) => {
    const difference = remainders[b] - remainders[a];
    return Math.abs(difference) > EPSILON ? difference : a - b;
  });
  for (let k = 0; given < total; k++, given++) parts[order[k % order.length]]++;
  return parts;
}

/**
 * Rounds a table of quotas — `rows[s]` items shared out in proportion to `weights` — to
 * whole numbers so that every row sums to its size, every column sums to its target, and
 * every cell is the floor or the ceiling of its exact quota `rows[s] · wₖ / Σw`
 * (controlled rounding of a two-way table, Cox 1987). Used for stratified splits: each
 * stratum is within one record of its exact share in every split, while the split sizes
 * are the ones {@link largestRemainder} gives for the whole dataset.
 *
 * Method: floors first; each row's leftover goes to its cells with a fractional part,
 * preferring the columns that still need the most; then single records are moved along
 * short chains of rows (a breadth-first search over the columns) until every column
 * meets its target. If no chain exists, the column totals stay as close as found; the
 * cells always stay within one of their quotas.
 *
 * @param rows - the row sizes (whole numbers).
 * @param weights - the column weights (non-negative, positive sum).
 * @param targets - the column totals, whole numbers summing to the sum of `rows` (usually
 *   `largestRemainder(Σ rows, weights)`).
 * @returns `cells[s][k]`.
 * @throws {@link TunekitError} `invalid_total` when the targets do not sum to the rows' total.
 * @example
 * ```ts
 * import { controlledRounding, largestRemainder } from "@tunekit/instruct";
 * // three strata of 5 records shared 8 : 1 : 1 — 15 records, targets 12, 2, 1
 * const targets = largestRemainder(15, [0.8, 0.1, 0.1]);
 * controlledRounding([5, 5, 5], [0.8, 0.1, 0.1], targets);
 * // [[4, 1, 0], [4, 1, 0], [4, 0, 1]]: rows sum to 5, columns to 12, 2, 1
 * ```
 */
export function controlledRounding(
  rows: readonly number[],
  weights: readonly number[],
  targets: readonly number[],
): number[][] {
  const weightSum = checkWeights(weights);
  if (targets.length !== weights.length) {
    throw new TunekitError(
      "invalid_total",
      `${targets.length} column targets for ${weights.length} weights`,
    );
  }
  const total = rows.reduce((a, b) => a + b, 0);
  const targetSum = targets.reduce((a, b) => a + b, 0);
  if (targetSum !== total) {
    throw new TunekitError(
      "invalid_total",
      `column targets sum to ${targetSum} but the rows hold ${total}`,
    );
  }
  const columns = targets.length;
  const cells = rows.map(() => new Array<number>(columns).fill(0));
  const floors = rows.map(() => new Array<number>(columns).fill(0));
  const fractional = rows.map(() => new Array<boolean>(columns).fill(false));
  const need = targets.map((t) => t);
  const leftover = new Array<number>(rows.length).fill(0);
  for (let s = 0; s < rows.length; s++) {
    let given = 0;
    for (let k = 0; k < columns; k++) {
      const quota = (rows[s] * weights[k]) / weightSum;
      const floor = Math.floor(quota + EPSILON);
      cells[s][k] = floor;
      floors[s][k] = floor;
      fractional[s][k] = quota - floor > EPSILON;
      need[k] -= floor;
      given += floor;
    }
    leftover[s] = rows[s] - given;
  }
  // Greedy: a row's leftover records go to its fractional cells, neediest column first.
  for (let s = 0; s < rows.length; s++) {
    const candidates: number[] = [];
    for (let k = 0; k < columns; k++) if (fractional[s][k]) candidates.push(k);
    candidates.sort((a, b) => need[b] - need[a] || a - b);
    for (let j = 0; j < leftover[s]; j++) {
      const k = candidates[j];
      cells[s][k]++;
      need[k]--;
    }
  }
  // Repair: move one record from a column over its target to one under it, through a
  // chain of rows (a breadth-first search over the few columns).
  for (;;) {
    const under = need.findIndex((n) => n > 0);
    if (under === -1) break;
    const from = new Array<number>(columns).fill(-2);
    const via = new Array<number>(columns).fill(-1);
    from[under] = -1;
    const queue = [under];
    let found = -1;
    while (queue.length > 0 && found === -1) {
      const k = queue.shift()!;
      // A record can move into k from column j within row s when (s, j) was rounded up
      // and (s, k) was rounded down.
      for (let s = 0; s < rows.length && found === -1; s++) {
        if (!fractional[s][k] || cells[s][k] !== floors[s][k]) continue;
        for (let j = 0; j < columns; j++) {
          if (from[j] !== -2 || !fractional[s][j] || cells[s][j] === floors[s][j]) continue;
          from[j] = k;
          via[j] = s;
          if (need[j] < 0) {
            found = j;
            break;
          }
          queue.push(j);
        }
      }
    }
    if (found === -1) break; // cannot happen for consistent input; leave the best found
    for (let j = found; from[j] !== -1; j = from[j]) {
      const s = via[j];
      cells[s][j]--;
      cells[s][from[j]]++;
    }
    need[found]++;
    need[under]--;
  }
  return cells;
}
