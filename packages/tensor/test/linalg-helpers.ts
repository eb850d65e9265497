import { createRng } from "../../../internal/shared/src/index";
import type { Matrix } from "../src/matrix";

// Helpers for the QR and SVD tests, written without the library's kernels.

/** The product of two matrices given as nested arrays, by the textbook triple loop. */
export function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, x, k) => sum + x * b[k][j], 0)));
}

/** The transpose of a nested array. */
export function transposed(a: number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/** A nested-array copy of a matrix. */
export function nested(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
}

/** The largest |x − y| over two equally shaped nested arrays. */
export function maxDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[i].length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
  return worst;
}

/** max |QᵀQ − I| for the columns of a matrix. */
export function orthogonalityError(q: Matrix): number {
  const cols = nested(q);
  const gram = multiply(transposed(cols), cols);
  return maxDiff(
    gram,
    gram.map((row, i) => row.map((_, j) => (i === j ? 1 : 0))),
  );
}

/**
 * A random n × n orthogonal matrix as a product of three Householder reflections
 * I − 2·v·vᵀ / (vᵀv), each exactly orthogonal in exact arithmetic.
 */
export function randomOrthogonal(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  let q: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let r = 0; r < 3; r++) {
    const v = Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    const h = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
    q = multiply(q, h);
  }
  return q;
}

/** U·diag(s)·Vᵀ for an m × n matrix with prescribed singular values s (length ≤ min(m, n)). */
export function withSingularValues(m: number, n: number, s: number[], seed: number): number[][] {
  const u = randomOrthogonal(m, seed);
  const v = randomOrthogonal(n, seed + 1);
  const us = u.map((row) => s.map((x, k) => row[k] * x));
  return multiply(us, transposed(v.map((row) => row.slice(0, s.length))));
}
