import { afterEach, describe, expect, it } from "vitest";
import { setGemmBackend } from "./gemm";
import { gemmModuleBytes, gemmWasm } from "./gemm-wasm";
import type { Matrix } from "./matrix";
import { addScaledProduct, matmul } from "./ops";
import { randomNormal } from "./random";
import { sleb, uleb } from "./wasm-emitter";

afterEach(() => setGemmBackend("auto"));

function bits(m: Matrix): Buffer {
  return Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
}

function sameBits(x: Matrix, y: Matrix): boolean {
  return bits(x).equals(bits(y));
}

function runWith(backend: "js" | "wasm", fn: () => Matrix): Matrix {
  setGemmBackend(backend);
  try {
    return fn();
  } finally {
    setGemmBackend("auto");
  }
}

describe("matrix product kernels", () => {
  it("assembles a valid WebAssembly SIMD module and instantiates it in Node", () => {
    expect(WebAssembly.validate(gemmModuleBytes())).toBe(true);
    expect(gemmWasm()).not.toBeNull();
  });

  // Shapes cover whole tiles, ragged right and bottom edges (padded in the SIMD path),
  // more than one depth block (r > 64), and more than one column panel and row block.
  it.each([
    [4, 8, 8],
    [5, 3, 9],
    [33, 70, 17],
    [130, 16, 2100],
    [67, 129, 40],
    [20, 300, 1100], // an A panel larger than the initial kernel memory: it must grow
    [1, 1, 1],
  ])("gives bit-identical W += s·B·A in SIMD and in JavaScript (%i×%i·%i…)", (m, r, n) => {
    for (const dtype of ["f32", "f64"] as const) {
      const w0 = randomNormal(m, n, { seed: 1, dtype });
      const b = randomNormal(m, r, { seed: 2, dtype });
      const a = randomNormal(r, n, { seed: 3, dtype });
      const viaJs = runWith("js", () =>
        addScaledProduct({ ...w0, data: w0.data.slice() }, 0.37, b, a),
      );
      const viaWasm = runWith("wasm", () =>
        addScaledProduct({ ...w0, data: w0.data.slice() }, 0.37, b, a),
      );
      expect(sameBits(viaWasm, viaJs)).toBe(true);
      // And the sum really changed W (the comparison is not between two untouched copies).
      expect(sameBits(viaWasm, w0)).toBe(false);
    }
  });

  it("gives bit-identical matmul in both paths", () => {
    const a = randomNormal(45, 77, { seed: 4 });
    const b = randomNormal(77, 29, { seed: 5 });
    expect(
      sameBits(
        runWith("wasm", () => matmul(a, b)),
        runWith("js", () => matmul(a, b)),
      ),
    ).toBe(true);
  });
});

describe("wasm emitter encodings", () => {
  it("writes LEB128 as the specification's examples", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});
