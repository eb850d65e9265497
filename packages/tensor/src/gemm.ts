import { GEMM_DEPTH_BLOCK, type GemmBlock, gemmJsF32, gemmJsF64 } from "./gemm-js";
import { blockShape, type GemmWasm, gemmWasm, tileShape } from "./gemm-wasm";
import type { Matrix, MatrixData } from "./matrix";

/** Which kernel runs `W += s·B·A`: the fastest available, or one forced (for tests). */
export type GemmBackend = "auto" | "js" | "wasm";

let backend: GemmBackend = "auto";

/** Forces a kernel; `"wasm"` throws where WebAssembly SIMD is unavailable. */
export function setGemmBackend(choice: GemmBackend): void {
  if (choice === "wasm" && gemmWasm() === null)
    throw new Error("WebAssembly SIMD is not available here");
  backend = choice;
}

/** Below this many multiply-adds the copies into kernel memory cost more than they save. */
const WASM_MIN_WORK = 1 << 15;

/**
 * `W += s · B · A` with all three in the same storage type and shapes already checked.
 * Dispatches to the WebAssembly SIMD kernel when available, else to JavaScript; both
 * give the same bits.
 */
export function gemmAccumulate(w: Matrix, s: number, b: Matrix, a: Matrix): void {
  const m = w.rows;
  const n = w.cols;
  const r = b.cols;
  if (m === 0 || n === 0 || r === 0) return;
  const wasm = backend === "js" ? null : gemmWasm();
  const useWasm = wasm !== null && (backend === "wasm" || m * n * r >= WASM_MIN_WORK);
  const f32 = w.data instanceof Float32Array;
  const coef = f32 ? new Float32Array(GEMM_DEPTH_BLOCK) : new Float64Array(GEMM_DEPTH_BLOCK);
  for (let k0 = 0; k0 < r; k0 += GEMM_DEPTH_BLOCK) {
    const block = {
      w: w.data,
      b: b.data,
      a: a.data,
      s,
      n,
      r,
      k0,
      kc: Math.min(GEMM_DEPTH_BLOCK, r - k0),
    };
    const js = (i0: number, i1: number, j0: number, j1: number) => {
      if (i0 >= i1 || j0 >= j1) return;
      if (f32) gemmJsF32(block as GemmBlock<Float32Array>, i0, i1, j0, j1, coef as Float32Array);
      else gemmJsF64(block as GemmBlock<Float64Array>, i0, i1, j0, j1, coef as Float64Array);
    };
    if (!useWasm) {
      js(0, m, 0, n);
      continue;
    }
    const tile = tileShape(f32 ? 4 : 8);
    const mTiled = m - (m % tile.rows);
    const nTiled = n - (n % tile.cols);
    wasmBlock(wasm, block, mTiled, nTiled);
    js(0, mTiled, nTiled, n); // right edge
    js(mTiled, m, 0, n); // bottom edge
  }
}

/** One depth block over the tiled part of W: rows [0, mTiled) × columns [0, nTiled). */
function wasmBlock(
  wasm: GemmWasm,
  block: GemmBlock<MatrixData>,
  mTiled: number,
  nTiled: number,
): void {
  const { w, b, a, s, n, r, k0, kc } = block;
  const f32 = w instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const View = f32 ? Float32Array : Float64Array;
  const mem = new View(wasm.memory);
  const aAt = wasm.offsets.a / size;
  const cAt = wasm.offsets.c / size;
  const wAt = wasm.offsets.w / size;
  const kernel = f32 ? wasm.f32 : wasm.f64;
  const shape = blockShape(size);
  for (let j0 = 0; j0 < nTiled; j0 += shape.cols) {
    const nc = Math.min(shape.cols, nTiled - j0);
    // Pack the A panel rows k0…k0+kc, columns j0…j0+nc with row stride nc.
    for (let k = 0; k < kc; k++) {
      const from = (k0 + k) * n + j0;
      mem.set(a.subarray(from, from + nc), aAt + k * nc);
    }
    for (let i0 = 0; i0 < mTiled; i0 += shape.rows) {
      const mc = Math.min(shape.rows, mTiled - i0);
      for (let i = 0; i < mc; i++) {
        const bRow = (i0 + i) * r + k0;
        for (let k = 0; k < kc; k++) mem[cAt + i * kc + k] = s * b[bRow + k];
        const from = (i0 + i) * n + j0;
        mem.set(w.subarray(from, from + nc), wAt + i * nc);
      }
      kernel(mc, nc, kc, wasm.offsets.w, wasm.offsets.c, wasm.offsets.a);
      for (let i = 0; i < mc; i++) {
        const at = wAt + i * nc;
        w.set(mem.subarray(at, at + nc), (i0 + i) * n + j0);
      }
    }
  }
}
