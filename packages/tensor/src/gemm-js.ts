/**
 * The portable general matrix product kernel, `W[m×n] += s · B[m×r] · A[r×n]`, on
 * row-major storage. It is the fallback of the WebAssembly SIMD kernel and follows the
 * same order of floating-point operations, so both give bit-identical results:
 *
 * - the inner dimension is cut into blocks of {@link GEMM_DEPTH_BLOCK};
 * - per element and block, `acc = Σ_k c_k · a_kj` in k order starting from 0, where
 *   `c_k = s · b_ik` rounded to the storage type, then `w_ij = w_ij + acc`;
 * - for f32 storage every product and sum is rounded to single precision (`Math.fround`,
 *   which V8 compiles to single-precision instructions).
 *
 * Each function handles one depth block `[k0, k0 + kc)` over rows `[i0, i1)` and columns
 * `[j0, j1)`, so the SIMD driver can leave the ragged edges to it.
 */

/** Rows of A (columns of B) summed into a register before W is touched. */
export const GEMM_DEPTH_BLOCK = 64;

/** The shared arguments of one depth block of `W += s·B·A`. */
export interface GemmBlock<D> {
  w: D;
  b: D;
  a: D;
  s: number;
  /** Columns of W and A. */
  n: number;
  /** Columns of B (the inner dimension). */
  r: number;
  k0: number;
  kc: number;
}

export function gemmJsF32(
  { w, b, a, s, n, r, k0, kc }: GemmBlock<Float32Array>,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  coef: Float32Array,
): void {
  const fr = Math.fround;
  for (let i = i0; i < i1; i++) {
    for (let k = 0; k < kc; k++) coef[k] = s * b[i * r + k0 + k];
    const q = i * n;
    let j = j0;
    // Eight running sums in registers (measured faster than 4, and than an accumulator array).
    for (; j + 8 <= j1; j += 8) {
      let x0 = 0;
      let x1 = 0;
      let x2 = 0;
      let x3 = 0;
      let x4 = 0;
      let x5 = 0;
      let x6 = 0;
      let x7 = 0;
      for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) {
        const c = coef[k];
        x0 = fr(x0 + fr(c * a[p]));
        x1 = fr(x1 + fr(c * a[p + 1]));
        x2 = fr(x2 + fr(c * a[p + 2]));
        x3 = fr(x3 + fr(c * a[p + 3]));
        x4 = fr(x4 + fr(c * a[p + 4]));
        x5 = fr(x5 + fr(c * a[p + 5]));
        x6 = fr(x6 + fr(c * a[p + 6]));
        x7 = fr(x7 + fr(c * a[p + 7]));
      }
      w[q + j] += x0;
      w[q + j + 1] += x1;
      w[q + j + 2] += x2;
      w[q + j + 3] += x3;
      w[q + j + 4] += x4;
      w[q + j + 5] += x5;
      w[q + j + 6] += x6;
      w[q + j + 7] += x7;
    }
    for (; j < j1; j++) {
      let x = 0;
      for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) x = fr(x + fr(coef[k] * a[p]));
      w[q + j] += x;
    }
  }
}

export function gemmJsF64(
  { w, b, a, s, n, r, k0, kc }: GemmBlock<Float64Array>,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  coef: Float64Array,
): void {
  for (let i = i0; i < i1; i++) {
    for (let k = 0; k < kc; k++) coef[k] = s * b[i * r + k0 + k];
    const q = i * n;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      let x0 = 0;
      let x1 = 0;
      let x2 = 0;
      let x3 = 0;
      for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) {
        const c = coef[k];
        x0 += c * a[p];
        x1 += c * a[p + 1];
        x2 += c * a[p + 2];
        x3 += c * a[p + 3];
      }
      w[q + j] += x0;
      w[q + j + 1] += x1;
      w[q + j + 2] += x2;
      w[q + j + 3] += x3;
    }
    for (; j < j1; j++) {
      let x = 0;
      for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) x += coef[k] * a[p];
      w[q + j] += x;
    }
  }
}
