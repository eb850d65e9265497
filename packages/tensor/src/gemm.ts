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
  if (wasm !== null && (backend === "wasm" || m * n * r >= WASM_MIN_WORK)) {
    if (gemmWasmAccumulate(wasm, { w: w.data, b: b.data, a: a.data, s, n, r, k0: 0, kc: r }, m))
      return;
  }
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
    if (f32) gemmJsF32(block as GemmBlock<Float32Array>, 0, m, 0, n, coef as Float32Array);
    else gemmJsF64(block as GemmBlock<Float64Array>, 0, m, 0, n, coef as Float64Array);
  }
}

/**
 * The SIMD path. For each panel of columns, the A panel (all r rows) is packed once;
 * then each block of W rows is copied into kernel memory, receives every depth block in
 * order, and is copied back. Blocks are padded with zero rows and columns up to whole
 * tiles; the padding is computed and dropped, so every element sees exactly the
 * operations the JavaScript kernel performs. Returns false when memory cannot grow.
 */
function gemmWasmAccumulate(
  wasm: GemmWasm,
  { w, b, a, s, n, r }: GemmBlock<MatrixData>,
  m: number,
): boolean {
  const f32 = w instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const tile = tileShape(size);
  const shape = blockShape(size);
  const panelCols = Math.min(shape.cols, Math.ceil(n / tile.cols) * tile.cols);
  const buffer = wasm.memoryFor(r * panelCols * size);
  if (buffer === null) return false;
  const mem = f32 ? new Float32Array(buffer) : new Float64Array(buffer);
  const wAt = wasm.offsets.w / size;
  const cAt = wasm.offsets.c / size;
  const aAt = wasm.offsets.a / size;
  const kernel = f32 ? wasm.f32 : wasm.f64;
  for (let j0 = 0; j0 < n; j0 += shape.cols) {
    const width = Math.min(shape.cols, n - j0); // real columns
    const nc = Math.ceil(width / tile.cols) * tile.cols; // padded
    for (let k = 0; k < r; k++) {
      const row = aAt + k * nc;
      mem.set(a.subarray(k * n + j0, k * n + j0 + width), row);
      mem.fill(0, row + width, row + nc);
    }
    for (let i0 = 0; i0 < m; i0 += shape.rows) {
      const height = Math.min(shape.rows, m - i0);
      const mc = Math.ceil(height / tile.rows) * tile.rows;
      for (let i = 0; i < height; i++) {
        const from = (i0 + i) * n + j0;
        mem.set(w.subarray(from, from + width), wAt + i * nc);
        mem.fill(0, wAt + i * nc + width, wAt + (i + 1) * nc);
      }
      mem.fill(0, wAt + height * nc, wAt + mc * nc);
      for (let k0 = 0; k0 < r; k0 += GEMM_DEPTH_BLOCK) {
        const kc = Math.min(GEMM_DEPTH_BLOCK, r - k0);
        for (let i = 0; i < height; i++) {
          const bRow = (i0 + i) * r + k0;
          const cRow = cAt + i * kc;
          for (let k = 0; k < kc; k++) mem[cRow + k] = s * b[bRow + k];
        }
        mem.fill(0, cAt + height * kc, cAt + mc * kc);
        kernel(mc, nc, kc, wasm.offsets.w, wasm.offsets.c, wasm.offsets.a + k0 * nc * size);
      }
      for (let i = 0; i < height; i++) {
        const at = wAt + i * nc;
        w.set(mem.subarray(at, at + width), (i0 + i) * n + j0);
      }
    }
  }
  return true;
}
