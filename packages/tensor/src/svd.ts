import { createRng, TunekitError } from "../../../internal/shared/src/index";
import { gemmAccumulate } from "./gemm";
import { JACOBI_LENGTH_MULTIPLE, type JacobiKernels, jacobiKernels } from "./jacobi-kernels";
import { allocate, dtypeOf, type Matrix, type MatrixData, shapeText } from "./matrix";
import { matmul, transpose } from "./ops";
import { columnsOf, householderQr, qr } from "./qr";
import { randomNormal } from "./random";

/**
 * A singular value decomposition `A ≈ U · diag(s) · Vᵀ`.
 *
 * @example
 * ```ts
 * import { randomNormal, svd, type SvdResult } from "@tunekit/tensor";
 * const { u, s, v }: SvdResult = svd(randomNormal(6, 4, { seed: 0 }));
 * ```
 */
export interface SvdResult {
  /** `rows × k`, orthonormal columns: the left singular vectors. */
  u: Matrix;
  /** The `k` singular values, descending. */
  s: Float64Array;
  /** `cols × k`, orthonormal columns: the right singular vectors. */
  v: Matrix;
}

/** Sweeps after which one-sided Jacobi gives up converging further (it needs ~6–12). */
const MAX_SWEEPS = 60;

/** Bytes of vectors that one block pair of the Jacobi ordering may touch (about half of L2). */
const JACOBI_BLOCK_BYTES = 1 << 20;

/** Which vector kernels the Jacobi sweeps use: SIMD when available, or forced (for tests). */
let jacobiPreferWasm = true;

/** Forces the JavaScript Jacobi kernels (`false`) or allows SIMD (`true`, the default). */
export function setJacobiSimd(allowed: boolean): void {
  jacobiPreferWasm = allowed;
}

/**
 * One-sided (Hestenes) Jacobi on `n` rows of `k.data`, each `stride` long: a vector of
 * length `len` (zero-padded to a multiple of 8) followed by its accumulated rotation
 * coefficients, so that one rotation is one contiguous loop. Pairs are rotated until all
 * vectors are mutually orthogonal to working precision. Rotation angles as in Demmel &
 * Veselić, "Jacobi's method is more accurate than QR" (1992), Algorithm 4.1. Pairs are
 * visited block by block so that the rows in use stay in cache; any ordering that visits
 * every pair once per sweep converges.
 */
function oneSidedJacobi(
  k: JacobiKernels,
  n: number,
  len: number,
  paddedLen: number,
  stride: number,
): void {
  const tol = Math.max(len, 8) * Number.EPSILON;
  const norms = new Float64Array(n);
  const block = Math.max(8, Math.floor(JACOBI_BLOCK_BYTES / (16 * stride)));
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    for (let p = 0; p < n; p++) norms[p] = k.dot(p * stride, p * stride, paddedLen);
    let rotated = false;
    for (let p0 = 0; p0 < n; p0 += block) {
      const p1 = Math.min(n, p0 + block);
      for (let q0 = p0; q0 < n; q0 += block) {
        const q1 = Math.min(n, q0 + block);
        for (let p = p0; p < p1; p++) {
          for (let q = Math.max(q0, p + 1); q < q1; q++) {
            const alpha = norms[p];
            const beta = norms[q];
            if (alpha === 0 || beta === 0) continue;
            const gamma = k.dot(p * stride, q * stride, paddedLen);
            if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
            rotated = true;
            const zeta = (beta - alpha) / (2 * gamma);
            const tangent = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            const c = 1 / Math.sqrt(1 + tangent * tangent);
            k.rotate(p * stride, q * stride, stride, c, c * tangent);
            norms[p] = alpha - tangent * gamma;
            norms[q] = beta + tangent * gamma;
          }
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * Extends the first `count` orthonormal rows of `basis` (`n` rows of length `len`) with
 * rows `count…n−1` orthonormal to them, by Gram–Schmidt (twice) on unit vectors.
 */
function completeBasis(basis: Float64Array, n: number, len: number, filled: boolean[]): void {
  let candidate = 0;
  for (let row = 0; row < n; row++) {
    if (filled[row]) continue;
    const r = row * len;
    while (candidate < len) {
      basis.fill(0, r, r + len);
      basis[r + candidate++] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let other = 0; other < n; other++) {
          if (!filled[other]) continue;
          const o = other * len;
          let d = 0;
          for (let i = 0; i < len; i++) d += basis[o + i] * basis[r + i];
          for (let i = 0; i < len; i++) basis[r + i] -= d * basis[o + i];
        }
      }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += basis[r + i] * basis[r + i];
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let i = 0; i < len; i++) basis[r + i] /= norm;
        filled[row] = true;
        break;
      }
    }
  }
}

/** The SVD of a tall (`m ≥ n`) matrix given column-major, as rows: uT (n×m), vT (n×n). */
function tallSvd(
  cols: Float64Array,
  m: number,
  n: number,
): { uT: Float64Array; s: Float64Array; vT: Float64Array } {
  // A = Q·R, then Jacobi on Rᵀ (whose columns are R's rows): Rᵀ = Ux·Σ·Vxᵀ, so
  // A = (Q·Vx)·Σ·Uxᵀ. Preconditioning with QR makes the Jacobi sweeps few and short.
  // Column pivoting grades R, which cuts the number of Jacobi sweeps (Drmač & Veselić,
  // "New fast and accurate Jacobi SVD algorithm", SIAM J. Matrix Anal. Appl. 2008).
  const { qT, r, permutation } = householderQr(cols, m, n, true);
  // Row i: row i of R (column i of Rᵀ) zero-padded to a multiple of 8, then row i of the
  // identity (padded too), which accumulates the rotations.
  const pad = (x: number) => Math.ceil(x / JACOBI_LENGTH_MULTIPLE) * JACOBI_LENGTH_MULTIPLE;
  const gLen = pad(n);
  const stride = gLen + pad(n);
  const kernels = jacobiKernels(n * stride, jacobiPreferWasm);
  const gw = kernels.data;
  for (let i = 0; i < n; i++) {
    gw.set(r.subarray(i * n, (i + 1) * n), i * stride);
    gw[i * stride + gLen + i] = 1;
  }
  oneSidedJacobi(kernels, n, n, gLen, stride);

  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = i * stride; t < i * stride + n; t++) sum += gw[t] * gw[t];
    sigma[i] = Math.sqrt(sum);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sigma[b] - sigma[a] || a - b);

  const s = new Float64Array(n);
  const vT = new Float64Array(n * n);
  const wSorted = new Float64Array(n * n);
  const filled: boolean[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    s[k] = sigma[i];
    wSorted.set(gw.subarray(i * stride + gLen, i * stride + gLen + n), k * n);
    filled.push(sigma[i] > 0);
    // A·P = Q·R, so V = P·Ux: entry t of a column of Ux is entry permutation[t] of V's.
    if (sigma[i] > 0)
      for (let t = 0; t < n; t++) vT[k * n + permutation[t]] = gw[i * stride + t] / sigma[i];
  }
  if (filled.includes(false)) completeBasis(vT, n, n, filled);
  // Uᵀ = Vxᵀ · Qᵀ, where Vxᵀ's rows are the accumulated rotations.
  const uT = new Float64Array(n * m);
  gemmAccumulate(
    { rows: n, cols: m, data: uT },
    1,
    { rows: n, cols: n, data: wSorted },
    { rows: n, cols: m, data: qT },
  );
  return { uT, s, vT };
}

/** Rows `0…k−1` of `rowsT` (each of length `len`) as the columns of a `len × k` matrix. */
function asColumns(rowsT: Float64Array, len: number, k: number, like: MatrixData): Matrix {
  const out = allocate(dtypeOf(like), len * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < len; i++) out[i * k + c] = rowsT[c * len + i];
  return { rows: len, cols: k, data: out };
}

/**
 * The thin singular value decomposition `A = U · diag(s) · Vᵀ`, exact to working
 * precision: Householder QR, then one-sided Jacobi on `Rᵀ`, all in double precision.
 * Jacobi computes even tiny singular values to high relative accuracy. Cost is
 * O(m·n·min(m, n)) for the QR plus O(n³) per Jacobi sweep (n = min(m, n)), with about
 * ten sweeps: a 1000 × 1000 matrix takes seconds (about 13 s on a 2-core machine); for a
 * few leading singular triplets of a large matrix use {@link randomizedSvd}.
 *
 * @param a - the `m × n` matrix; `u` and `v` have its storage type.
 * @returns `u` (m × k), `s` (k, descending), `v` (n × k) with `k = min(m, n)`; singular
 *   vectors of zero singular values complete orthonormal bases.
 *
 * @example
 * ```ts
 * import { fromArray, svd } from "@tunekit/tensor";
 * const { s } = svd(fromArray([[3, 0], [4, 5]]));
 * // s ≈ [6.7082, 2.2361] (√45 and √5)
 * ```
 */
export function svd(a: Matrix): SvdResult {
  const { rows: m, cols: n } = a;
  if (m >= n) {
    const { uT, s, vT } = tallSvd(columnsOf(a), m, n);
    return { u: asColumns(uT, m, n, a.data), s, v: asColumns(vT, n, n, a.data) };
  }
  // Wide: decompose Aᵀ = U'·Σ·V'ᵀ, so A = V'·Σ·U'ᵀ. Aᵀ column-major is A row-major.
  const rowsAsColumns = Float64Array.from(a.data);
  const { uT, s, vT } = tallSvd(rowsAsColumns, n, m);
  return { u: asColumns(vT, m, m, a.data), s, v: asColumns(uT, n, m, a.data) };
}

/**
 * Options of {@link randomizedSvd}.
 *
 * @example
 * ```ts
 * import { randomizedSvd, randomNormal, type RandomizedSvdOptions } from "@tunekit/tensor";
 * const options: RandomizedSvdOptions = { oversample: 20, powerIterations: 4, seed: 7 };
 * const top = randomizedSvd(randomNormal(300, 200, { seed: 1 }), 5, options);
 * ```
 */
export interface RandomizedSvdOptions {
  /** Extra random directions beyond `rank`. Default 10. */
  oversample?: number;
  /** Power (subspace) iterations, which sharpen a slowly decaying spectrum. Default 2. */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix. Default 0. */
  seed?: number;
}

function checkRank(operation: string, a: Matrix, rank: number): void {
  const k = Math.min(a.rows, a.cols);
  if (!Number.isSafeInteger(rank) || rank < 0 || rank > k) {
    throw new TunekitError(
      "invalid_argument",
      `${operation}: rank must be a whole number from 0 to min(rows, cols) = ${k} for a ${shapeText(a)} matrix, got ${rank}`,
    );
  }
}

function leadingColumns(m: Matrix, k: number): Matrix {
  const out = allocate(dtypeOf(m.data), m.rows * k);
  for (let i = 0; i < m.rows; i++) out.set(m.data.subarray(i * m.cols, i * m.cols + k), i * k);
  return { rows: m.rows, cols: k, data: out };
}

/**
 * The leading `rank` singular triplets by the randomized range finder of Halko,
 * Martinsson & Tropp, "Finding structure with randomness" (SIAM Review 2011):
 * `Y = A·Ω` for a seeded Gaussian `Ω` with `rank + oversample` columns, `powerIterations`
 * rounds of re-orthonormalised subspace iteration (Algorithm 4.4), `Q = qr(Y).q`, then the
 * exact SVD of the small `B = Qᵀ·A` (Algorithm 5.1). Products run in the storage type of
 * `a`; the small factorisations in double precision.
 *
 * @param a - the `m × n` matrix.
 * @param rank - how many triplets, `0 ≤ rank ≤ min(m, n)`.
 * @param options - `oversample` (default 10), `powerIterations` (default 2), `seed`
 *   (default 0).
 * @returns `u` (m × rank), `s` (rank, descending), `v` (n × rank).
 * @throws TunekitError `invalid_argument` for a rank out of range.
 *
 * @example
 * ```ts
 * import { matmul, randomNormal, randomizedSvd } from "@tunekit/tensor";
 * const low = matmul(randomNormal(2000, 8, { seed: 1 }), randomNormal(8, 1500, { seed: 2 }));
 * const { s } = randomizedSvd(low, 8); // the 8 nonzero singular values of a rank-8 matrix
 * ```
 */
export function randomizedSvd(
  a: Matrix,
  rank: number,
  options: RandomizedSvdOptions = {},
): SvdResult {
  checkRank("randomizedSvd", a, rank);
  const { oversample = 10, powerIterations = 2, seed = 0 } = options;
  const { rows: m, cols: n } = a;
  const l = Math.min(rank + Math.max(0, oversample), m, n);
  const dtype = dtypeOf(a.data);
  const omega = randomNormal(n, l, { rng: createRng(seed), dtype });
  let q = qr(matmul(a, omega)).q;
  if (powerIterations > 0) {
    const aT = transpose(a);
    for (let i = 0; i < powerIterations; i++) {
      const z = qr(matmul(aT, q)).q;
      q = qr(matmul(a, z)).q;
    }
  }
  const b = matmul(q, a, { transposeA: true }); // l × n
  const small = svd(
    b.data instanceof Float64Array
      ? b
      : { rows: b.rows, cols: b.cols, data: Float64Array.from(b.data) },
  );
  const v = leadingColumns(small.v, rank);
  const vData = allocate(dtype, v.data.length);
  vData.set(v.data);
  return {
    u: matmul(q, leadingColumns(small.u, rank)),
    s: small.s.slice(0, rank),
    v: { rows: v.rows, cols: v.cols, data: vData },
  };
}

/**
 * Options of {@link truncatedSvd}.
 *
 * @example
 * ```ts
 * import { randomNormal, truncatedSvd, type TruncatedSvdOptions } from "@tunekit/tensor";
 * const options: TruncatedSvdOptions = { method: "exact" };
 * const { s } = truncatedSvd(randomNormal(50, 40, { seed: 0 }), 4, options);
 * ```
 */
export interface TruncatedSvdOptions {
  /**
   * `"exact"`: {@link svd} then keep `rank`; `"randomized"`: {@link randomizedSvd};
   * `"auto"` (default): exact when `min(m, n) ≤ 512` or `rank` is at least a quarter of
   * `min(m, n)`, else randomized.
   */
  method?: "exact" | "randomized" | "auto";
}

/**
 * The best rank-`rank` approximation's factors (Eckart–Young: no rank-`rank` matrix is
 * closer to `A` in Frobenius or spectral norm than `U·diag(s)·Vᵀ`).
 *
 * @param a - the `m × n` matrix.
 * @param rank - how many triplets, `0 ≤ rank ≤ min(m, n)`.
 * @param options - `method`: `"auto"` (default), `"exact"` or `"randomized"`.
 * @returns `u` (m × rank), `s` (rank, descending), `v` (n × rank).
 * @throws TunekitError `invalid_argument` for a rank out of range.
 *
 * @example
 * ```ts
 * import { randomNormal, truncatedSvd } from "@tunekit/tensor";
 * const delta = randomNormal(64, 64, { seed: 3 });
 * const { u, s, v } = truncatedSvd(delta, 8); // LoRA-style rank-8 factors
 * ```
 */
export function truncatedSvd(
  a: Matrix,
  rank: number,
  options: TruncatedSvdOptions = {},
): SvdResult {
  checkRank("truncatedSvd", a, rank);
  const k = Math.min(a.rows, a.cols);
  const method = options.method ?? "auto";
  const exact = method === "exact" || (method === "auto" && (k <= 512 || 4 * rank >= k));
  if (!exact) return randomizedSvd(a, rank);
  const full = svd(a);
  return {
    u: leadingColumns(full.u, rank),
    s: full.s.slice(0, rank),
    v: leadingColumns(full.v, rank),
  };
}
