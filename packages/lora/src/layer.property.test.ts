import { fromTypedArray, matmul, maxAbsDiff } from "@tunekit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loraForward, mergeLora, unmergeLora } from "./layer";

const dims = fc.record({
  out: fc.integer({ min: 1, max: 9 }),
  inF: fc.integer({ min: 1, max: 9 }),
  r: fc.integer({ min: 1, max: 4 }),
  batch: fc.integer({ min: 1, max: 4 }),
  scaling: fc.double({ min: -4, max: 4, noNaN: true }),
  fanInFanOut: fc.boolean(),
  seed: fc.integer(),
});

function values(n: number, seed: number): Float32Array {
  // A small deterministic spread in [−2, 2] (fast-check drives the seed).
  const out = new Float32Array(n);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 4 - 2;
  }
  return out;
}

describe("layer properties", () => {
  it("unmerge(merge(W)) ≈ W", () => {
    fc.assert(
      fc.property(dims, ({ out, inF, r, scaling, fanInFanOut, seed }) => {
        const [rows, cols] = fanInFanOut ? [inF, out] : [out, inF];
        const original = values(rows * cols, seed);
        const w = fromTypedArray(original.slice(), rows, cols);
        const lora = {
          a: fromTypedArray(values(r * inF, seed + 1), r, inF),
          b: fromTypedArray(values(out * r, seed + 2), out, r),
          scaling,
          fanInFanOut,
        };
        unmergeLora(mergeLora(w, lora), lora);
        // |ΔW| ≤ 4·r·|s|, so float32 rounding stays within a few ulps of that.
        expect(maxAbsDiff(w, fromTypedArray(original, rows, cols))).toBeLessThanOrEqual(
          1e-5 * (1 + 4 * r * Math.abs(scaling)),
        );
      }),
    );
  });

  it("the merged layer computes what the unmerged one does", () => {
    fc.assert(
      fc.property(dims, ({ out, inF, r, batch, scaling, fanInFanOut, seed }) => {
        const [rows, cols] = fanInFanOut ? [inF, out] : [out, inF];
        const w = fromTypedArray(values(rows * cols, seed), rows, cols);
        const x = fromTypedArray(values(batch * inF, seed + 3), batch, inF);
        const lora = {
          a: fromTypedArray(values(r * inF, seed + 1), r, inF),
          b: fromTypedArray(values(out * r, seed + 2), out, r),
          scaling,
          fanInFanOut,
        };
        const unmerged = loraForward(x, w, lora);
        const merged = matmul(x, mergeLora(w, lora), { transposeB: !fanInFanOut });
        expect(maxAbsDiff(unmerged, merged)).toBeLessThanOrEqual(
          1e-4 * (1 + inF * r * Math.abs(scaling)),
        );
      }),
    );
  });
});
