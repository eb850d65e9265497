import { fromTypedArray, matmul, maxAbsDiff, sub } from "@tunekit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractLora } from "./extract";

describe("extraction properties", () => {
  it("at full rank, B·A reproduces ΔW", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (rows, cols, seed) => {
          let state = seed;
          const next = () => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return (state / 2 ** 32) * 2 - 1;
          };
          const base = fromTypedArray(Float64Array.from({ length: rows * cols }, next), rows, cols);
          const tuned = fromTypedArray(
            Float64Array.from({ length: rows * cols }, next),
            rows,
            cols,
          );
          const pair = extractLora(base, tuned, { rank: Math.min(rows, cols) });
          expect(maxAbsDiff(matmul(pair.b, pair.a), sub(tuned, base))).toBeLessThan(1e-5);
          expect(pair.error).toBeLessThan(1e-5);
        },
      ),
    );
  });
});
