import { gemmJsF32, gemmJsF64 } from "./gemm-js";
import type { Matrix } from "./matrix";

/**
 * `W += s · B · A` with all three in the same storage type and shapes already checked.
 * Dispatches to the fastest kernel the runtime supports.
 */
export function gemmAccumulate(w: Matrix, s: number, b: Matrix, a: Matrix): void {
  const m = w.rows;
  const n = w.cols;
  const r = b.cols;
  if (m === 0 || n === 0 || r === 0) return;
  if (w.data instanceof Float32Array) {
    gemmJsF32(m, n, r, s, w.data, b.data as Float32Array, a.data as Float32Array);
  } else {
    gemmJsF64(m, n, r, s, w.data, b.data as Float64Array, a.data as Float64Array);
  }
}
