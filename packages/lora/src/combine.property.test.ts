import { fromTypedArray, maxAbsDiff, zeros } from "@tunekit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLoraModule, type LoraAdapter, moduleLoraWeights } from "./adapter";
import { combineAdapters } from "./combine";
import { createLoraConfig } from "./config";
import { addDeltaInPlace, deltaWeight } from "./layer";

const source = fc.record({
  r: fc.integer({ min: 1, max: 4 }),
  alpha: fc.integer({ min: 1, max: 32 }),
  rslora: fc.boolean(),
  weight: fc.double({ min: -2, max: 2, noNaN: true }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

function values(n: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

describe("combination properties", () => {
  it("the cat-combined adapter's ΔW is Σ wᵢ·ΔWᵢ", () => {
    fc.assert(
      fc.property(
        fc.array(source, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (sources, out, inF) => {
          const adapters: LoraAdapter[] = sources.map((s) => {
            const config = createLoraConfig({
              r: s.r,
              lora_alpha: s.alpha,
              use_rslora: s.rslora,
              target_modules: ["q"],
            });
            const module = createLoraModule(config, "m.q", {
              a: fromTypedArray(values(s.r * inF, s.seed), s.r, inF),
              b: fromTypedArray(values(out * s.r, s.seed + 1), out, s.r),
            });
            return { config, modules: [module], extraTensors: new Map() };
          });
          const weights = sources.map((s) => s.weight);
          // useRslora: false asks for the combination itself (peft would inherit the first flag).
          const { adapter } = combineAdapters(adapters, {
            method: "cat",
            weights,
            useRslora: false,
          });
          const expected = zeros(out, inF, { dtype: "f64" });
          adapters.forEach((a, i) => {
            const lora = moduleLoraWeights(a.modules[0], a.config);
            addDeltaInPlace(expected, { ...lora, scaling: lora.scaling * weights[i] }, 1);
          });
          const got = deltaWeight(moduleLoraWeights(adapter.modules[0], adapter.config));
          const bound = sources.reduce((s, x) => s + Math.abs(x.weight) * x.alpha * x.r, 0);
          expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(1e-6 * (1 + bound));
        },
      ),
    );
  });
});
