import { fromArray, type TunekitError, toArray, transpose } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { doraForward, doraWeightNorm, initDoraMagnitude, mergeDora, unmergeDora } from "./dora";
import type { LoraWeights } from "./layer";

// Hand-computable DoRA layer: out = 2, in = 3, r = 1, s = 1.
// W = [[1, 2, 2], [0, 3, 4]]; B·A = [[0, 0, 0], [0, −3, 1]], so W + ΔW = [[1, 2, 2], [0, 0, 5]]
// with row norms 3 and 5. With m = [6, 10] the factor m/‖W + ΔW‖ is 2 in both rows.
const W = [
  [1, 2, 2],
  [0, 3, 4],
];
const lora = (fanInFanOut = false): LoraWeights => ({
  a: fromArray([[0, -3, 1]]),
  b: fromArray([[0], [1]]),
  scaling: 1,
  fanInFanOut,
});
const magnitude = new Float32Array([6, 10]);

describe("DoRA", () => {
  it("the weight norm is per output row of W + ΔW", () => {
    expect(Array.from(doraWeightNorm(fromArray(W), lora()))).toEqual([3, 5]);
    expect(Array.from(initDoraMagnitude(fromArray(W), lora()))).toEqual([3, 5]);
  });

  it("merges to (m / ‖W + ΔW‖)·(W + ΔW) and unmerges back", () => {
    const w = fromArray(W);
    const norms = mergeDora(w, lora(), magnitude);
    expect(toArray(w)).toEqual([
      [2, 4, 4],
      [0, 0, 10],
    ]);
    expect(Array.from(norms)).toEqual([3, 5]);
    unmergeDora(w, lora(), magnitude, norms);
    expect(toArray(w)).toEqual(W);
  });

  it("fan_in_fan_out: norms per output column of the stored in × out weight", () => {
    const stored = transpose(fromArray(W));
    expect(Array.from(doraWeightNorm(stored, lora(true)))).toEqual([3, 5]);
    mergeDora(stored, lora(true), magnitude);
    expect(toArray(stored)).toEqual([
      [2, 0],
      [4, 0],
      [4, 10],
    ]);
  });

  it("the forward equals the merged layer: y = x·W'ᵀ + b", () => {
    const x = fromArray([
      [1, 1, 1],
      [1, 0, -1],
    ]);
    const y = doraForward(x, fromArray(W), lora(), magnitude, { bias: new Float32Array([1, -1]) });
    // W' = [[2, 4, 4], [0, 0, 10]]: x·W'ᵀ = [[10, 10], [−2, −10]], plus the bias.
    expect(toArray(y)).toEqual([
      [11, 9],
      [-1, -11],
    ]);
    const yT = doraForward(x, transpose(fromArray(W)), lora(true), magnitude);
    expect(toArray(yT)).toEqual([
      [10, 10],
      [-2, -10],
    ]);
  });

  it("checks the magnitude length and refuses lora_bias", () => {
    expect(() => mergeDora(fromArray(W), lora(), new Float32Array([1]), { name: "m.q" })).toThrow(
      /module m\.q: lora_magnitude_vector has 1/,
    );
    try {
      mergeDora(fromArray(W), { ...lora(), bias: new Float32Array(2) }, magnitude);
      expect.unreachable();
    } catch (error) {
      expect((error as TunekitError).code).toBe("dora_lora_bias");
    }
  });
});
