import { CodeWriter, encodeModule, ValueType, type WasmFunction } from "./wasm-emitter";

/**
 * The WebAssembly SIMD micro-kernel of `W += C · A` on packed blocks in its own memory:
 * W is `m × n` (row stride n), C is `m × kc` (the coefficients s·B, row stride kc), A is
 * `kc × n` (row stride n); m is a multiple of 4 and n of two vectors (8 floats or
 * 4 doubles) — the driver pads blocks with zeros to get there. Each 4-row × 2-vector tile of W sums `Σ_k c_ik · a_kj` in registers over k,
 * in k order from zero, and then adds that sum to W: the same order of operations as the
 * JavaScript kernel in `gemm-js.ts`, so both give bit-identical results.
 */

const TILE_ROWS = 4;

interface Lanes {
  name: string;
  /** Bytes per element and its log2. */
  size: number;
  sizeLog2: number;
  /** Elements per v128. */
  lanes: number;
  splatLoad: number;
  add: number;
  mul: number;
}

const F32: Lanes = {
  name: "gemm_f32",
  size: 4,
  sizeLog2: 2,
  lanes: 4,
  splatLoad: 0x09,
  add: 0xe4,
  mul: 0xe6,
};
const F64: Lanes = {
  name: "gemm_f64",
  size: 8,
  sizeLog2: 3,
  lanes: 2,
  splatLoad: 0x0a,
  add: 0xf0,
  mul: 0xf2,
};

function kernel(t: Lanes): WasmFunction {
  // Parameters.
  const m = 0;
  const n = 1;
  const kc = 2;
  const wPtr = 3;
  const cPtr = 4;
  const aPtr = 5;
  // i32 locals.
  const i = 6;
  const j = 7;
  const k = 8;
  const pa = 9;
  const pc = 10;
  const pw = 11;
  const rowBytes = 12;
  const cRowBytes = 13;
  // v128 locals: acc[r][h] for tile row r and vector h, then a0, a1 and the coefficient.
  const acc = (r: number, h: number) => 14 + 2 * r + h;
  const a0 = 22;
  const a1 = 23;
  const coef = 24;
  const c = new CodeWriter();
  const vectorBytes = 16;

  c.get(n).i32Const(t.sizeLog2).i32Shl().set(rowBytes);
  c.get(kc).i32Const(t.sizeLog2).i32Shl().set(cRowBytes);
  c.i32Const(0).set(i);
  c.block().loop(); // rows
  c.get(i).get(m).i32GeS().brIf(1);
  c.i32Const(0).set(j);
  c.block().loop(); // tile columns
  c.get(j).get(n).i32GeS().brIf(1);
  for (let r = 0; r < TILE_ROWS; r++) for (let h = 0; h < 2; h++) c.v128Zero().set(acc(r, h));
  c.get(aPtr).get(j).i32Const(t.sizeLog2).i32Shl().i32Add().set(pa);
  c.get(cPtr).get(i).get(cRowBytes).i32Mul().i32Add().set(pc);
  c.get(kc).set(k);
  c.block().loop(); // k
  c.get(k).i32Eqz().brIf(1);
  c.get(pa).v128Load(0).set(a0);
  c.get(pa).v128Load(vectorBytes).set(a1);
  for (let r = 0; r < TILE_ROWS; r++) {
    // coef = splat(C[i + r, k]) at pc + r·cRowBytes.
    c.get(pc);
    if (r > 0) c.get(cRowBytes).i32Const(r).i32Mul().i32Add();
    c.simd(t.splatLoad, ...CodeWriter.memarg(t.sizeLog2, 0)).set(coef);
    for (let h = 0; h < 2; h++) {
      c.get(acc(r, h))
        .get(coef)
        .get(h === 0 ? a0 : a1)
        .simd(t.mul)
        .simd(t.add)
        .set(acc(r, h));
    }
  }
  c.get(pa).get(rowBytes).i32Add().set(pa);
  c.get(pc).i32Const(t.size).i32Add().set(pc);
  c.get(k).i32Const(1).i32Sub().set(k);
  c.br(0).end().end(); // k
  // W[i + r, j …] += acc[r].
  c.get(wPtr)
    .get(i)
    .get(rowBytes)
    .i32Mul()
    .i32Add()
    .get(j)
    .i32Const(t.sizeLog2)
    .i32Shl()
    .i32Add()
    .set(pw);
  for (let r = 0; r < TILE_ROWS; r++) {
    for (let h = 0; h < 2; h++) {
      c.get(pw)
        .get(pw)
        .v128Load(h * vectorBytes)
        .get(acc(r, h))
        .simd(t.add)
        .v128Store(h * vectorBytes);
    }
    c.get(pw).get(rowBytes).i32Add().set(pw);
  }
  c.get(j)
    .i32Const(2 * t.lanes)
    .i32Add()
    .set(j);
  c.br(0).end().end(); // tile columns
  c.get(i).i32Const(TILE_ROWS).i32Add().set(i);
  c.br(0).end().end(); // rows

  return {
    name: t.name,
    params: new Array<number>(6).fill(ValueType.i32),
    results: [],
    locals: [
      ...new Array<number>(8).fill(ValueType.i32),
      ...new Array<number>(11).fill(ValueType.v128),
    ],
    code: c,
  };
}

/** Bytes of the W block, the coefficient block, and where the A panel starts. */
const W_BYTES = 1 << 19;
const C_BYTES = 1 << 15;
const A_OFFSET = W_BYTES + C_BYTES;
const PAGE = 65536;

/**
 * Rows of a W block and columns of a W block / A panel, for an element size: 512 KiB of
 * W, which stays in L2 while every depth block is added to it.
 */
export function blockShape(size: number): { rows: number; cols: number } {
  const cols = (1 << 13) / size; // 2048 floats or 1024 doubles
  return { rows: W_BYTES / (cols * size), cols };
}

/** Rows and columns of one kernel tile. */
export function tileShape(size: number): { rows: number; cols: number } {
  return { rows: TILE_ROWS, cols: size === 4 ? 2 * F32.lanes : 2 * F64.lanes };
}

/** The instantiated kernels and their memory. */
export interface GemmWasm {
  f32(m: number, n: number, kc: number, wPtr: number, cPtr: number, aPtr: number): void;
  f64(m: number, n: number, kc: number, wPtr: number, cPtr: number, aPtr: number): void;
  /** Byte offsets of the W block, the coefficient block and the A panel. */
  offsets: { w: number; c: number; a: number };
  /**
   * The memory as an ArrayBuffer with room for an A panel of `aBytes`, growing it when
   * needed; null when it cannot grow that far.
   */
  memoryFor(aBytes: number): ArrayBuffer | null;
}

/** The module's bytes (exported for tests). */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule([kernel(F32), kernel(F64)], Math.ceil((A_OFFSET + W_BYTES) / PAGE));
}

let cached: GemmWasm | null | undefined;

/**
 * The kernels, or null where WebAssembly SIMD is unavailable. Compiled once, lazily and
 * synchronously: the module is about 1.4 KB, under the 4 KB browsers allow for
 * synchronous compilation on the main thread.
 */
export function gemmWasm(): GemmWasm | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = gemmModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const exports = instance.exports as {
      gemm_f32: GemmWasm["f32"];
      gemm_f64: GemmWasm["f64"];
      memory: WebAssembly.Memory;
    };
    const memory = exports.memory;
    cached = {
      f32: exports.gemm_f32,
      f64: exports.gemm_f64,
      offsets: { w: 0, c: W_BYTES, a: A_OFFSET },
      memoryFor(aBytes) {
        const needed = A_OFFSET + aBytes;
        if (needed > memory.buffer.byteLength) {
          try {
            memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
          } catch {
            return null;
          }
        }
        return memory.buffer;
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
