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
 */

/** Rows of A (columns of B) summed into a register before W is touched. */
export const GEMM_DEPTH_BLOCK = 64;

export function gemmJsF32(
  m: number,
  n: number,
  r: number,
  s: number,
  w: Float32Array,
  b: Float32Array,
  a: Float32Array,
): void {
  const fr = Math.fround;
  const coef = new Float32Array(GEMM_DEPTH_BLOCK);
  for (let k0 = 0; k0 < r; k0 += GEMM_DEPTH_BLOCK) {
    const kc = Math.min(GEMM_DEPTH_BLOCK, r - k0);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < kc; k++) coef[k] = s * b[i * r + k0 + k];
      const wRow = i * n;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let acc0 = 0;
        let acc1 = 0;
        let acc2 = 0;
        let acc3 = 0;
        let p = k0 * n + j;
        for (let k = 0; k < kc; k++, p += n) {
          const c = coef[k];
          acc0 = fr(acc0 + fr(c * a[p]));
          acc1 = fr(acc1 + fr(c * a[p + 1]));
          acc2 = fr(acc2 + fr(c * a[p + 2]));
          acc3 = fr(acc3 + fr(c * a[p + 3]));
        }
        w[wRow + j] += acc0;
        w[wRow + j + 1] += acc1;
        w[wRow + j + 2] += acc2;
        w[wRow + j + 3] += acc3;
      }
      for (; j < n; j++) {
        let acc = 0;
        for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) acc = fr(acc + fr(coef[k] * a[p]));
        w[wRow + j] += acc;
      }
    }
  }
}

export function gemmJsF64(
  m: number,
  n: number,
  r: number,
  s: number,
  w: Float64Array,
  b: Float64Array,
  a: Float64Array,
): void {
  const coef = new Float64Array(GEMM_DEPTH_BLOCK);
  for (let k0 = 0; k0 < r; k0 += GEMM_DEPTH_BLOCK) {
    const kc = Math.min(GEMM_DEPTH_BLOCK, r - k0);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < kc; k++) coef[k] = s * b[i * r + k0 + k];
      const wRow = i * n;
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        let acc0 = 0;
        let acc1 = 0;
        let p = k0 * n + j;
        for (let k = 0; k < kc; k++, p += n) {
          const c = coef[k];
          acc0 += c * a[p];
          acc1 += c * a[p + 1];
        }
        w[wRow + j] += acc0;
        w[wRow + j + 1] += acc1;
      }
      for (; j < n; j++) {
        let acc = 0;
        for (let k = 0, p = k0 * n + j; k < kc; k++, p += n) acc += coef[k] * a[p];
        w[wRow + j] += acc;
      }
    }
  }
}
