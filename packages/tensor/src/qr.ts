import { allocate, dtypeOf, type Matrix } from "./matrix";

/**
 * The result of {@link qr}.
 *
 * @example
 * ```ts
 * import { qr, randomNormal, type QrResult } from "@tunekit/tensor";
 * const { q, r }: QrResult = qr(randomNormal(5, 3, { seed: 0 }));
 * ```
 */
export interface QrResult {
  /** `rows × k` with orthonormal columns, `k = min(rows, cols)`. */
  q: Matrix;
  /** `k × cols`, upper triangular with a non-negative diagonal. */
  r: Matrix;
}

/**
 * Householder QR on the columns of an `m × n` matrix given column-major (column j is
 * `cols[j·m … j·m + m)`), in place, in double precision. Returns the factors with the
 * columns of Q as rows (`k × m`) and R row-major (`k × n`); R's diagonal is made
 * non-negative, which makes the factorisation unique for full-rank A. With `pivot`,
 * columns are permuted as they go (`A·P = Q·R`, column j of A·P is column
 * `permutation[j]` of A).
 * (Golub & Van Loan, Matrix Computations, 4th ed., §5.2.2.)
 */
export function householderQr(
  cols: Float64Array,
  m: number,
  n: number,
  pivot = false,
): { qT: Float64Array; r: Float64Array; k: number; permutation: Int32Array } {
  const k = Math.min(m, n);
  const vs = new Float64Array(k * m);
  const betas = new Float64Array(k);
  const permutation = Int32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < k; j++) {
    const x = j * m;
    if (pivot) {
      // Column pivoting (Businger & Golub 1965): bring the remaining column of largest
      // norm to position j, so R's diagonal decreases.
      let best = j;
      let bestNorm = -1;
      for (let c = j; c < n; c++) {
        let sum = 0;
        for (let i = c * m + j, end = (c + 1) * m; i < end; i++) sum += cols[i] * cols[i];
        if (sum > bestNorm) {
          bestNorm = sum;
          best = c;
        }
      }
      if (best !== j) {
        const held = cols.slice(x, x + m);
        cols.copyWithin(x, best * m, best * m + m);
        cols.set(held, best * m);
        const p = permutation[j];
        permutation[j] = permutation[best];
        permutation[best] = p;
      }
    }
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += cols[x + i] * cols[x + i];
    const norm = Math.sqrt(norm2);
    if (norm === 0) continue; // nothing to annihilate; H_j = I
    const x0 = cols[x + j];
    const alpha = x0 >= 0 ? -norm : norm; // the sign that avoids cancellation in v0
    const v = j * m;
    for (let i = j; i < m; i++) vs[v + i] = cols[x + i];
    vs[v + j] = x0 - alpha;
    const vNorm2 = norm2 - x0 * x0 + vs[v + j] * vs[v + j];
    const beta = 2 / vNorm2;
    betas[j] = beta;
    cols[x + j] = alpha;
    for (let i = j + 1; i < m; i++) cols[x + i] = 0;
    for (let c = j + 1; c < n; c++) {
      const y = c * m;
      let d = 0;
      for (let i = j; i < m; i++) d += vs[v + i] * cols[y + i];
      const f = beta * d;
      if (f === 0) continue;
      for (let i = j; i < m; i++) cols[y + i] -= f * vs[v + i];
    }
  }
  // Q = H_0 H_1 … H_{k−1} · I[:, :k], built column by column (as rows of qT).
  const qT = new Float64Array(k * m);
  for (let c = 0; c < k; c++) qT[c * m + c] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const beta = betas[j];
    if (beta === 0) continue;
    const v = j * m;
    for (let c = 0; c < k; c++) {
      const y = c * m;
      let d = 0;
      for (let i = j; i < m; i++) d += vs[v + i] * qT[y + i];
      const f = beta * d;
      if (f === 0) continue;
      for (let i = j; i < m; i++) qT[y + i] -= f * vs[v + i];
    }
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const flip = cols[i * m + i] < 0;
    for (let j = i; j < n; j++) r[i * n + j] = flip ? -cols[j * m + i] : cols[j * m + i];
    if (flip) for (let t = 0; t < m; t++) qT[i * m + t] = -qT[i * m + t];
  }
  return { qT, r, k, permutation };
}

/** The columns of `a` as contiguous rows of a double-precision array. */
export function columnsOf(a: Matrix): Float64Array {
  const { rows: m, cols: n } = a;
  const out = new Float64Array(m * n);
  const d = a.data;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = d[i * n + j];
  return out;
}

/**
 * The reduced QR decomposition `A = Q·R` by Householder reflections, computed in double
 * precision: Q is `rows × k` with orthonormal columns, R is `k × cols` upper triangular
 * with a non-negative diagonal, `k = min(rows, cols)`.
 *
 * @param a - the matrix; the factors have its storage type.
 * @returns `{ q, r }`.
 *
 * @example
 * ```ts
 * import { fromArray, matmul, qr } from "@tunekit/tensor";
 * const a = fromArray([[3, 1], [4, 2], [0, 5]]);
 * const { q, r } = qr(a); // q 3×2, r 2×2; r = [[5, 2.2], [0, 5.09…]]
 * matmul(q, r); // ≈ a
 * ```
 */
export function qr(a: Matrix): QrResult {
  const { rows: m, cols: n } = a;
  const { qT, r, k } = householderQr(columnsOf(a), m, n);
  const dtype = dtypeOf(a.data);
  const q = allocate(dtype, m * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < m; i++) q[i * k + c] = qT[c * m + i];
  const rOut = allocate(dtype, k * n);
  rOut.set(r);
  return { q: { rows: m, cols: k, data: q }, r: { rows: k, cols: n, data: rOut } };
}
