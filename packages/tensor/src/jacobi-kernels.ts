import { CodeWriter, encodeModule, ValueType, type WasmFunction } from "./wasm-emitter";

/**
 * The two vector operations of one-sided Jacobi on rows of a Float64Array: the dot
 * product of two rows and the plane rotation of a pair of rows. Offsets are in elements;
 * lengths are multiples of {@link JACOBI_LENGTH_MULTIPLE} (callers pad rows with zeros).
 * The WebAssembly SIMD versions and the JavaScript versions perform the same operations in
 * the same order, so both give the same bits:
 *
 * - dot: eight partial sums, sum k taking the elements at positions ≡ k (mod 8), combined
 *   as ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7));
 * - rotation: x′ = c·x − s·y, y′ = s·x + c·y per element.
 */
export interface JacobiKernels {
  /** The rows, for reading and writing by the caller. */
  data: Float64Array;
  dot(p: number, q: number, length: number): number;
  rotate(p: number, q: number, length: number, c: number, s: number): void;
}

/** Row lengths must be a multiple of this. */
export const JACOBI_LENGTH_MULTIPLE = 8;

/** The JavaScript kernels on `data`. */
export function jacobiKernelsJs(data: Float64Array): JacobiKernels {
  return {
    data,
    dot(p, q, length) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let t = 0; t < length; t += 8) {
        s0 += data[p + t] * data[q + t];
        s1 += data[p + t + 1] * data[q + t + 1];
        s2 += data[p + t + 2] * data[q + t + 2];
        s3 += data[p + t + 3] * data[q + t + 3];
        s4 += data[p + t + 4] * data[q + t + 4];
        s5 += data[p + t + 5] * data[q + t + 5];
        s6 += data[p + t + 6] * data[q + t + 6];
        s7 += data[p + t + 7] * data[q + t + 7];
      }
      return s0 + s2 + (s4 + s6) + (s1 + s3 + (s5 + s7));
    },
    rotate(p, q, length, c, s) {
      for (let t = 0; t < length; t++) {
        const x = data[p + t];
        const y = data[q + t];
        data[p + t] = c * x - s * y;
        data[q + t] = s * x + c * y;
      }
    },
  };
}

const OP = {
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64Add: 0xa0,
  i32GeU: 0x4f,
} as const;

function dotFunction(): WasmFunction {
  const [p, q, length, end] = [0, 1, 2, 3];
  const acc = (k: number) => 4 + k; // four f64x2 sums: lanes hold the eight partial sums
  const c = new CodeWriter();
  c.get(p).get(length).i32Const(3).i32Shl().i32Add().set(end);
  for (let k = 0; k < 4; k++) c.v128Zero().set(acc(k));
  c.block().loop();
  c.get(p).get(end).raw(OP.i32GeU).brIf(1);
  for (let k = 0; k < 4; k++) {
    c.get(acc(k))
      .get(p)
      .v128Load(16 * k)
      .get(q)
      .v128Load(16 * k)
      .simd(OP.f64x2Mul)
      .simd(OP.f64x2Add)
      .set(acc(k));
  }
  c.get(p).i32Const(64).i32Add().set(p);
  c.get(q).i32Const(64).i32Add().set(q);
  c.br(0).end().end();
  // ((acc0 + acc1) + (acc2 + acc3)), then lane 0 + lane 1.
  c.get(acc(0))
    .get(acc(1))
    .simd(OP.f64x2Add)
    .get(acc(2))
    .get(acc(3))
    .simd(OP.f64x2Add)
    .simd(OP.f64x2Add)
    .set(acc(0));
  c.get(acc(0))
    .simd(OP.f64x2ExtractLane, 0)
    .get(acc(0))
    .simd(OP.f64x2ExtractLane, 1)
    .raw(OP.f64Add);
  return {
    name: "dot",
    params: [ValueType.i32, ValueType.i32, ValueType.i32],
    results: [ValueType.f64],
    locals: [ValueType.i32, ValueType.v128, ValueType.v128, ValueType.v128, ValueType.v128],
    code: c,
  };
}

function rotateFunction(): WasmFunction {
  const [p, q, length, cos, sin, end, vc, vs, x, y] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const c = new CodeWriter();
  c.get(p).get(length).i32Const(3).i32Shl().i32Add().set(end);
  c.get(cos).simd(OP.f64x2Splat).set(vc);
  c.get(sin).simd(OP.f64x2Splat).set(vs);
  c.block().loop();
  c.get(p).get(end).raw(OP.i32GeU).brIf(1);
  c.get(p).v128Load(0).set(x);
  c.get(q).v128Load(0).set(y);
  c.get(p)
    .get(vc)
    .get(x)
    .simd(OP.f64x2Mul)
    .get(vs)
    .get(y)
    .simd(OP.f64x2Mul)
    .simd(OP.f64x2Sub)
    .v128Store(0);
  c.get(q)
    .get(vs)
    .get(x)
    .simd(OP.f64x2Mul)
    .get(vc)
    .get(y)
    .simd(OP.f64x2Mul)
    .simd(OP.f64x2Add)
    .v128Store(0);
  c.get(p).i32Const(16).i32Add().set(p);
  c.get(q).i32Const(16).i32Add().set(q);
  c.br(0).end().end();
  return {
    name: "rotate",
    params: [ValueType.i32, ValueType.i32, ValueType.i32, ValueType.f64, ValueType.f64],
    results: [],
    locals: [ValueType.i32, ValueType.v128, ValueType.v128, ValueType.v128, ValueType.v128],
    code: c,
  };
}

/** The module's bytes (exported for tests). */
export function jacobiModuleBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule([dotFunction(), rotateFunction()], 1);
}

interface JacobiWasm {
  dot(p: number, q: number, length: number): number;
  rotate(p: number, q: number, length: number, c: number, s: number): void;
  memory: WebAssembly.Memory;
}

let cached: JacobiWasm | null | undefined;

function jacobiWasm(): JacobiWasm | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = jacobiModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    cached = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
      .exports as unknown as JacobiWasm;
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * Kernels on a zeroed array of `length` doubles: in WebAssembly memory when SIMD is
 * available and `preferWasm`, else a plain Float64Array. The wasm memory is shared by
 * every call, so the array is only valid until the next call.
 */
export function jacobiKernels(length: number, preferWasm = true): JacobiKernels {
  const wasm = preferWasm ? jacobiWasm() : null;
  if (wasm !== null) {
    const bytes = length * 8;
    try {
      const have = wasm.memory.buffer.byteLength;
      if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
      const data = new Float64Array(wasm.memory.buffer, 0, length);
      data.fill(0);
      return {
        data,
        dot: (p, q, n) => wasm.dot(p * 8, q * 8, n),
        rotate: (p, q, n, c, s) => wasm.rotate(p * 8, q * 8, n, c, s),
      };
    } catch {
      // Memory could not grow: fall through to JavaScript.
    }
  }
  return jacobiKernelsJs(new Float64Array(length));
}
