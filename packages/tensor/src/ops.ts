import { TunekitError } from "../../../internal/shared/src/index";
import { gemmAccumulate } from "./gemm";
import { allocate, dtypeOf, type Matrix, type MatrixData, shapeText } from "./matrix";

function mismatch(operation: string, a: Matrix, b: Matrix, rule: string): TunekitError {
  return new TunekitError(
    "shape_mismatch",
    `${operation}: shapes ${shapeText(a)} and ${shapeText(b)} do not fit (${rule})`,
  );
}

function checkSameShape(operation: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw mismatch(operation, a, b, "both operands must have the same shape");
  }
}

/** `data` converted to the storage type of `like` (no copy when it already is). */
function asStorageOf<D extends MatrixData>(like: D, m: Matrix): Matrix<D> {
  if (m.data.constructor === like.constructor) return m as Matrix<D>;
  const data = allocate(dtypeOf(like), m.data.length) as D;
  data.set(m.data);
  return { rows: m.rows, cols: m.cols, data };
}

/**
 * Options of {@link matmul}.
 *
 * @example
 * ```ts
 * import { matmul, zeros, type MatmulOptions } from "@tunekit/tensor";
 * const options: MatmulOptions = { transposeB: true };
 * const gram = matmul(zeros(4, 3), zeros(4, 3), options); // 4×4
 * ```
 */
export interface MatmulOptions {
  /** Use Aᵀ in place of A. Default `false`. */
  transposeA?: boolean;
  /** Use Bᵀ in place of B. Default `false`. */
  transposeB?: boolean;
}

/**
 * The matrix product `op(A) · op(B)`, where `op` transposes when asked.
 *
 * Computed by the same cache-blocked kernel as {@link addScaledProduct}.
 *
 * @param a - the left operand; the result has its storage type.
 * @param b - the right operand.
 * @param options - `transposeA`, `transposeB` (both default `false`).
 * @returns a new matrix with the rows of `op(A)` and the columns of `op(B)`.
 * @throws TunekitError `shape_mismatch` when the inner dimensions differ.
 *
 * @example
 * ```ts
 * import { fromArray, matmul, toArray } from "@tunekit/tensor";
 * const a = fromArray([[1, 2], [3, 4]]);
 * toArray(matmul(a, a)); // [[7, 10], [15, 22]]
 * toArray(matmul(a, a, { transposeA: true })); // Aᵀ·A = [[10, 14], [14, 20]]
 * ```
 */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  const left = options.transposeA ? transpose(a) : a;
  const right = options.transposeB ? transpose(b) : b;
  if (left.cols !== right.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `matmul: ${options.transposeA ? "Aᵀ" : "A"} is ${shapeText(left)} and ${
        options.transposeB ? "Bᵀ" : "B"
      } is ${shapeText(right)}; the columns of the first must equal the rows of the second`,
    );
  }
  const out: Matrix = {
    rows: left.rows,
    cols: right.cols,
    data: allocate(dtypeOf(a.data), left.rows * right.cols),
  };
  gemmAccumulate(out, 1, left, asStorageOf(out.data, right));
  return out;
}

/**
 * In place `W += s · B · A`: the LoRA merge kernel (`B` is out × r, `A` is r × in).
 *
 * Runs on a WebAssembly SIMD kernel where the runtime has one, else on an unrolled
 * JavaScript loop that gives bit-identical results. Operands whose storage type differs
 * from `w` are converted first.
 *
 * @param w - the target, `m × n`; modified in place.
 * @param s - the scale (LoRA: `alpha / r`).
 * @param b - `m × r`.
 * @param a - `r × n`.
 * @returns `w`.
 * @throws TunekitError `shape_mismatch` when the shapes do not chain.
 *
 * @example
 * ```ts
 * import { addScaledProduct, randomNormal, zeros } from "@tunekit/tensor";
 * const w = zeros(64, 64);
 * const b = randomNormal(64, 8, { seed: 1 });
 * const a = randomNormal(8, 64, { seed: 2 });
 * addScaledProduct(w, 16 / 8, b, a); // w = 2·B·A
 * ```
 */
export function addScaledProduct(w: Matrix, s: number, b: Matrix, a: Matrix): Matrix {
  if (b.rows !== w.rows || a.cols !== w.cols || b.cols !== a.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `addScaledProduct: W is ${shapeText(w)}, B is ${shapeText(b)}, A is ${shapeText(a)}; ` +
        "W += s·B·A needs B rows = W rows, A columns = W columns and B columns = A rows",
    );
  }
  gemmAccumulate(w, s, asStorageOf(w.data, b), asStorageOf(w.data, a));
  return w;
}

/** Rows and columns of a square tile copied at once by {@link transpose}. */
const TRANSPOSE_TILE = 32;

/**
 * The transpose `Aᵀ` (a copy, cache-blocked).
 *
 * @param a - the matrix.
 * @returns a new `a.cols × a.rows` matrix with the storage type of `a`.
 *
 * @example
 * ```ts
 * import { fromArray, toArray, transpose } from "@tunekit/tensor";
 * toArray(transpose(fromArray([[1, 2, 3]]))); // [[1], [2], [3]]
 * ```
 */
export function transpose(a: Matrix): Matrix {
  const { rows, cols } = a;
  const src = a.data;
  const dst = allocate(dtypeOf(src), rows * cols);
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_TILE) {
    const i1 = Math.min(rows, i0 + TRANSPOSE_TILE);
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_TILE) {
      const j1 = Math.min(cols, j0 + TRANSPOSE_TILE);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
      }
    }
  }
  return { rows: cols, cols: rows, data: dst };
}

/**
 * The elementwise sum `A + B`.
 *
 * @param a - the first operand; the result has its storage type.
 * @param b - the second operand, same shape.
 * @returns a new matrix.
 * @throws TunekitError `shape_mismatch` when the shapes differ.
 *
 * @example
 * ```ts
 * import { add, identity, toArray } from "@tunekit/tensor";
 * toArray(add(identity(2), identity(2))); // [[2, 0], [0, 2]]
 * ```
 */
export function add(a: Matrix, b: Matrix): Matrix {
  checkSameShape("add", a, b);
  return addInPlace(copyOf(a), b, 1);
}

/**
 * The elementwise difference `A − B`.
 *
 * @param a - the first operand; the result has its storage type.
 * @param b - the second operand, same shape.
 * @returns a new matrix.
 * @throws TunekitError `shape_mismatch` when the shapes differ.
 *
 * @example
 * ```ts
 * import { fromArray, sub, toArray } from "@tunekit/tensor";
 * toArray(sub(fromArray([[3, 4]]), fromArray([[1, 1]]))); // [[2, 3]]
 * ```
 */
export function sub(a: Matrix, b: Matrix): Matrix {
  checkSameShape("sub", a, b);
  return addInPlace(copyOf(a), b, -1);
}

/**
 * The product `s · A`.
 *
 * @param a - the matrix.
 * @param s - the scalar.
 * @returns a new matrix with the storage type of `a`.
 *
 * @example
 * ```ts
 * import { fromArray, scale, toArray } from "@tunekit/tensor";
 * toArray(scale(fromArray([[1, -2]]), 3)); // [[3, -6]]
 * ```
 */
export function scale(a: Matrix, s: number): Matrix {
  const data = allocate(dtypeOf(a.data), a.data.length);
  const src = a.data;
  for (let i = 0; i < src.length; i++) data[i] = s * src[i];
  return { rows: a.rows, cols: a.cols, data };
}

/**
 * In place `target += s · B`.
 *
 * @param target - modified in place.
 * @param b - same shape as `target`.
 * @param s - the scale of `b`. Default 1.
 * @returns `target`.
 * @throws TunekitError `shape_mismatch` when the shapes differ.
 *
 * @example
 * ```ts
 * import { addInPlace, fromArray } from "@tunekit/tensor";
 * const w = fromArray([[1, 1]]);
 * addInPlace(w, fromArray([[2, 4]]), -0.5); // w = [[0, -1]]
 * ```
 */
export function addInPlace(target: Matrix, b: Matrix, s = 1): Matrix {
  checkSameShape("addInPlace", target, b);
  const t = target.data;
  const src = b.data;
  const n = t.length;
  if (s === 1) {
    for (let i = 0; i < n; i++) t[i] += src[i];
  } else {
    for (let i = 0; i < n; i++) t[i] += s * src[i];
  }
  return target;
}

function copyOf(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/**
 * The Euclidean (L2) norm of each row, accumulated in double precision.
 *
 * @param a - the matrix.
 * @returns `a.rows` norms.
 *
 * @example
 * ```ts
 * import { fromArray, rowL2Norms } from "@tunekit/tensor";
 * rowL2Norms(fromArray([[3, 4], [0, 0]])); // Float64Array [5, 0]
 * ```
 */
export function rowL2Norms(a: Matrix): Float64Array {
  const out = new Float64Array(a.rows);
  const d = a.data;
  for (let i = 0; i < a.rows; i++) out[i] = euclideanNorm(d, i * a.cols, (i + 1) * a.cols);
  return out;
}

/**
 * √(Σ x²) over `data[start..end)` without overflow or underflow: values are scaled by
 * the largest magnitude when the plain sum of squares would leave the double range.
 */
function euclideanNorm(data: MatrixData, start: number, end: number): number {
  let sum = 0;
  let largest = 0;
  for (let i = start; i < end; i++) {
    const x = data[i];
    sum += x * x;
    const ax = Math.abs(x);
    if (ax > largest) largest = ax;
  }
  if (Number.isNaN(sum)) return Number.NaN;
  if (largest === Number.POSITIVE_INFINITY) return largest;
  if (sum !== Number.POSITIVE_INFINITY && (sum >= 1e-290 || largest === 0)) return Math.sqrt(sum);
  let scaled = 0;
  for (let i = start; i < end; i++) {
    const x = data[i] / largest;
    scaled += x * x;
  }
  return largest * Math.sqrt(scaled);
}

/**
 * The Frobenius norm `√(Σᵢⱼ aᵢⱼ²)`, accumulated in double precision.
 *
 * @param a - the matrix.
 * @returns the norm.
 *
 * @example
 * ```ts
 * import { fromArray, frobeniusNorm } from "@tunekit/tensor";
 * frobeniusNorm(fromArray([[1, 2], [2, 4]])); // 5
 * ```
 */
export function frobeniusNorm(a: Matrix): number {
  return euclideanNorm(a.data, 0, a.data.length);
}

/**
 * One entry of a {@link cosineTopK} result.
 *
 * @example
 * ```ts
 * import type { CosineMatch } from "@tunekit/tensor";
 * const best: CosineMatch = { index: 3, score: 0.97 };
 * ```
 */
export interface CosineMatch {
  /** Row index in `keys`. */
  index: number;
  /** Cosine similarity with the query row. */
  score: number;
}

/** Floor of the norm product, as torch's `cosine_similarity` (eps = 1e-8). */
const COSINE_EPS = 1e-8;

/**
 * For each row of `queries`, the `k` rows of `keys` most similar by cosine similarity,
 * best first; equal scores keep the lower key index first.
 *
 * Similarity is `q·k / max(‖q‖·‖k‖, 1e-8)` in double precision (the formula of
 * `torch.nn.functional.cosine_similarity`), so a zero row scores 0 against everything.
 *
 * @param queries - `n × d`.
 * @param keys - `v × d`.
 * @param k - how many matches per query; capped at `v`.
 * @returns `n` lists of `min(k, v)` matches.
 * @throws TunekitError `shape_mismatch` when the column counts differ; `invalid_argument`
 *   when `k` is not a whole number ≥ 0.
 *
 * @example
 * ```ts
 * import { cosineTopK, fromArray } from "@tunekit/tensor";
 * const vocab = fromArray([[1, 0], [0, 1], [1, 1]]);
 * cosineTopK(fromArray([[2, 0.1]]), vocab, 2);
 * // [[{ index: 0, score: 0.9987… }, { index: 2, score: 0.7423… }]]
 * ```
 */
export function cosineTopK(queries: Matrix, keys: Matrix, k: number): CosineMatch[][] {
  if (queries.cols !== keys.cols) {
    throw mismatch("cosineTopK", queries, keys, "queries and keys need the same number of columns");
  }
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new TunekitError(
      "invalid_argument",
      `cosineTopK: k must be a whole number ≥ 0, got ${k}`,
    );
  }
  const take = Math.min(k, keys.rows);
  const d = queries.cols;
  const qNorms = rowL2Norms(queries);
  const kNorms = rowL2Norms(keys);
  const q = queries.data;
  const v = keys.data;
  const bestScore = new Float64Array(take);
  const bestIndex = new Int32Array(take);
  const result: CosineMatch[][] = [];
  for (let i = 0; i < queries.rows; i++) {
    let count = 0;
    const qOff = i * d;
    for (let j = 0; j < keys.rows; j++) {
      let dot = 0;
      const kOff = j * d;
      for (let t = 0; t < d; t++) dot += q[qOff + t] * v[kOff + t];
      let score = dot / Math.max(qNorms[i] * kNorms[j], COSINE_EPS);
      if (Number.isNaN(score)) score = Number.NEGATIVE_INFINITY;
      // Insertion into the sorted best list; strict ">" keeps earlier indices ahead on ties.
      if (count < take || score > bestScore[count - 1]) {
        let p = count < take ? count++ : count - 1;
        while (p > 0 && score > bestScore[p - 1]) {
          bestScore[p] = bestScore[p - 1];
          bestIndex[p] = bestIndex[p - 1];
          p--;
        }
        bestScore[p] = score;
        bestIndex[p] = j;
      }
    }
    const row: CosineMatch[] = [];
    for (let p = 0; p < count; p++) row.push({ index: bestIndex[p], score: bestScore[p] });
    result.push(row);
  }
  return result;
}

/**
 * Options of {@link allClose}.
 *
 * @example
 * ```ts
 * import { allClose, identity, type AllCloseOptions } from "@tunekit/tensor";
 * const options: AllCloseOptions = { atol: 1e-6 };
 * allClose(identity(2), identity(2), options); // true
 * ```
 */
export interface AllCloseOptions {
  /** Relative tolerance. Default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance. Default `1e-8`. */
  atol?: number;
}

/**
 * Whether every element satisfies `|a − b| ≤ atol + rtol·|b|` (numpy's `allclose`:
 * NaN is never close, equal infinities are).
 *
 * @param a - the first matrix.
 * @param b - the second (reference) matrix, same shape.
 * @param options - `rtol` (default 1e-5), `atol` (default 1e-8).
 * @returns true when all elements are close.
 * @throws TunekitError `shape_mismatch` when the shapes differ.
 *
 * @example
 * ```ts
 * import { allClose, fromArray } from "@tunekit/tensor";
 * allClose(fromArray([[1.000001]]), fromArray([[1]])); // true
 * allClose(fromArray([[1.1]]), fromArray([[1]])); // false
 * ```
 */
export function allClose(a: Matrix, b: Matrix, options: AllCloseOptions = {}): boolean {
  checkSameShape("allClose", a, b);
  const { rtol = 1e-5, atol = 1e-8 } = options;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (xi === yi) continue; // also equal infinities
    if (!(Math.abs(xi - yi) <= atol + rtol * Math.abs(yi))) return false;
  }
  return true;
}

/**
 * The largest elementwise `|a − b|` (equal infinities differ by 0; NaN when any other
 * difference is NaN; 0 for empty matrices).
 *
 * @param a - the first matrix.
 * @param b - the second matrix, same shape.
 * @returns the largest absolute difference.
 * @throws TunekitError `shape_mismatch` when the shapes differ.
 *
 * @example
 * ```ts
 * import { fromArray, maxAbsDiff } from "@tunekit/tensor";
 * maxAbsDiff(fromArray([[1, 5]]), fromArray([[1.5, 4]])); // 1
 * ```
 */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  checkSameShape("maxAbsDiff", a, b);
  const x = a.data;
  const y = b.data;
  let largest = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue; // also equal infinities
    const d = Math.abs(x[i] - y[i]);
    if (Number.isNaN(d)) return Number.NaN;
    if (d > largest) largest = d;
  }
  return largest;
}
