import { fromArray, maxAbsDiff, type TunekitError, toArray } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { createLoraModule, type LoraAdapter, moduleLoraWeights } from "./adapter";
import { combineAdapters } from "./combine";
import { createLoraConfig, type LoraConfigInit } from "./config";
import { deltaWeight } from "./layer";

function adapter(
  init: LoraConfigInit,
  modules: { name: string; a: number[][]; b: number[][] }[],
): LoraAdapter {
  const config = createLoraConfig(init);
  return {
    config,
    modules: modules.map((m) =>
      createLoraModule(config, m.name, { a: fromArray(m.a), b: fromArray(m.b) }),
    ),
    extraTensors: new Map(),
  };
}

// Adapter 1: s = 2/1, A₁ = [1, 0], B₁ = [1, 2]ᵀ → ΔW₁ = [[2, 0], [4, 0]].
// Adapter 2: s = 1/1, A₂ = [0, 1], B₂ = [3, 1]ᵀ → ΔW₂ = [[0, 3], [0, 1]].
const one = adapter({ r: 1, lora_alpha: 2, target_modules: ["q"] }, [
  { name: "m.q", a: [[1, 0]], b: [[1], [2]] },
]);
const two = adapter({ r: 1, lora_alpha: 1, target_modules: ["q", "k"] }, [
  { name: "m.q", a: [[0, 1]], b: [[3], [1]] },
]);
const weights = [0.5, 2];
const delta = (a: LoraAdapter, name = "m.q") =>
  toArray(deltaWeight(moduleLoraWeights(a.modules.find((m) => m.name === name)!, a.config)));

describe("combineAdapters", () => {
  it("cat stacks w·s·A and B: exact, rank 2, ΔW = Σ wᵢ·ΔWᵢ", () => {
    const { adapter: out } = combineAdapters([one, two], { method: "cat", weights });
    const [module] = out.modules;
    expect(toArray(module.a)).toEqual([
      [1, 0],
      [0, 2],
    ]); // 0.5·2·A₁ and 2·1·A₂
    expect(toArray(module.b)).toEqual([
      [1, 3],
      [2, 1],
    ]);
    expect([out.config.r, out.config.lora_alpha, module.scaling]).toEqual([2, 2, 1]);
    expect(delta(out)).toEqual([
      [1, 6],
      [2, 2],
    ]); // 0.5·ΔW₁ + 2·ΔW₂
    expect(out.config.target_modules).toEqual(["q", "k"]);
    expect(out.config.rank_pattern.size).toBe(0);
  });

  it("linear adds √(w·s)-weighted A's and B's, which is not Σ wᵢ·ΔWᵢ", () => {
    const { adapter: out } = combineAdapters([one, two], { method: "linear", weights });
    const [module] = out.modules;
    const r2 = Math.SQRT2;
    // c₁ = 0.5·2 = 1, c₂ = 2·1 = 2: A = 1·A₁ + √2·A₂, B = 1·B₁ + √2·B₂.
    expect(Array.from(module.a.data)).toEqual([1, Math.fround(r2)]);
    expect(maxAbsDiff(module.b, fromArray([[1 + 3 * r2], [2 + r2]]))).toBeLessThan(1e-6);
    expect(out.config.r).toBe(1);
    // B·A = Σ wᵢΔWᵢ + √(c₁c₂)·(B₂A₁ + B₁A₂) = [[1, 6], [2, 2]] + √2·[[3, 1], [1, 2]].
    const expected = fromArray([
      [1 + 3 * r2, 6 + r2],
      [2 + r2, 2 + 2 * r2],
    ]);
    expect(maxAbsDiff(fromArray(delta(out)), expected)).toBeLessThan(1e-5);
  });

  it("linear puts a negative weight's sign on A only", () => {
    const { adapter: out } = combineAdapters([one, two], { method: "linear", weights: [-0.5, 2] });
    expect(Array.from(out.modules[0].a.data)).toEqual([-1, Math.fround(Math.SQRT2)]);
    expect(out.modules[0].b.data[0]).toBeCloseTo(1 + 3 * Math.SQRT2, 5);
  });

  it("svd truncates Σ wᵢ·sᵢ·ΔWᵢ as peft does (each update scaled twice), or Σ wᵢ·ΔWᵢ", () => {
    // peft: 0.5·2·ΔW₁ + 2·1·ΔW₂ = [[2, 6], [4, 2]]; at rank 2 it is reproduced exactly.
    const full = combineAdapters([one, two], { method: "svd", weights, svdRank: 2 }).adapter;
    expect(
      maxAbsDiff(
        fromArray(delta(full)),
        fromArray([
          [2, 6],
          [4, 2],
        ]),
      ),
    ).toBeLessThan(1e-5);
    const single = combineAdapters([one, two], {
      method: "svd",
      weights,
      svdRank: 2,
      svdScaling: "single",
    }).adapter;
    expect(
      maxAbsDiff(
        fromArray(delta(single)),
        fromArray([
          [1, 6],
          [2, 2],
        ]),
      ),
    ).toBeLessThan(1e-5);
    // Default rank: the largest source rank (1): the best rank-1 approximation of [[2, 6], [4, 2]],
    // whose singular values are √(30 ± √500) (eigenvalues of MᵀM), so the error is √(30 − √500).
    const truncated = combineAdapters([one, two], { method: "svd", weights }).adapter;
    expect(truncated.config.r).toBe(1);
    const residual = fromArray(delta(truncated)).data.map((v, i) => v - [2, 6, 4, 2][i]);
    expect(Math.hypot(...residual)).toBeCloseTo(Math.sqrt(30 - Math.sqrt(500)), 4);
  });

  it("cat zero-pads modules of smaller rank and modules missing from an adapter", () => {
    const big = adapter(
      { r: 2, lora_alpha: 2, target_modules: ["q", "k"], rank_pattern: { k: 1 } },
      [
        {
          name: "m.q",
          a: [
            [1, 0],
            [0, 1],
          ],
          b: [
            [1, 0],
            [0, 1],
          ],
        },
        { name: "m.k", a: [[1, 1]], b: [[1], [1]] },
      ],
    );
    const { adapter: out } = combineAdapters([big, two], { method: "cat" });
    expect(out.config.r).toBe(3); // max rank 2 + 1
    const k = out.modules.find((m) => m.name === "m.k")!;
    expect(toArray(k.a)).toEqual([
      [2, 2],
      [0, 0],
      [0, 0],
    ]); // s = 2/1 for k, no second adapter
    expect(toArray(k.b)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });

  it("inherits use_rslora from the first adapter as peft does, and warns", () => {
    const rs = adapter({ r: 4, lora_alpha: 4, use_rslora: true, target_modules: ["q"] }, [
      {
        name: "m.q",
        a: [
          [1, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        b: [
          [1, 0, 0, 0],
          [0, 0, 0, 0],
        ],
      },
    ]);
    const kept = combineAdapters([rs, rs], { method: "cat" });
    expect(kept.adapter.config.use_rslora).toBe(true);
    expect(kept.adapter.modules[0].scaling).toBeCloseTo(Math.sqrt(8), 12);
    expect(kept.warnings[0]).toMatch(/use_rslora/);
    const fixed = combineAdapters([rs, rs], { method: "cat", useRslora: false });
    expect(fixed.adapter.modules[0].scaling).toBe(1);
    expect(fixed.warnings).toEqual([]);
  });

  it("combines one adapter with linear, as peft does", () => {
    const { adapter: out } = combineAdapters([one], { method: "cat", weights: [1] });
    expect(out.config.r).toBe(1);
    // A·√2 and B·√2 (c = 1·2): ΔW₁ again, up to float32 rounding of √2.
    expect(maxAbsDiff(fromArray(delta(out)), fromArray(delta(one)))).toBeLessThan(1e-6);
  });

  it("refuses what peft cannot combine correctly", () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as TunekitError).code;
      }
      return "none";
    };
    const rank2 = adapter({ r: 2, lora_alpha: 2, target_modules: ["q"] }, [
      {
        name: "m.q",
        a: [
          [1, 0],
          [0, 1],
        ],
        b: [
          [1, 0],
          [0, 1],
        ],
      },
    ]);
    expect(codeOf(() => combineAdapters([one, rank2], { method: "linear" }))).toBe(
      "combine_incompatible",
    );
    expect(codeOf(() => combineAdapters([one, two], { method: "cat", weights: [1] }))).toBe(
      "combine_incompatible",
    );
    const dora = { ...one, config: { ...one.config, use_dora: true } };
    expect(codeOf(() => combineAdapters([dora, two], { method: "cat" }))).toBe(
      "combine_incompatible",
    );
    const regex = { ...two, config: { ...two.config, target_modules: ".*q" } };
    expect(codeOf(() => combineAdapters([one, regex], { method: "cat" }))).toBe(
      "combine_incompatible",
    );
    expect(codeOf(() => combineAdapters([one, two], { method: "svd", svdRank: 3 }))).toBe(
      "invalid_rank",
    );
    const wide = adapter({ r: 1, lora_alpha: 1, target_modules: ["q"] }, [
      { name: "m.q", a: [[1, 0, 0]], b: [[1], [0]] },
    ]);
    expect(codeOf(() => combineAdapters([one, wide], { method: "cat" }))).toBe("shape_mismatch");
  });

  it("joins regex target_modules as peft does", () => {
    const a = { ...one, config: { ...one.config, target_modules: ".*q" } };
    const b = { ...two, config: { ...two.config, target_modules: ".*k" } };
    expect(combineAdapters([a, b], { method: "cat" }).adapter.config.target_modules).toBe(
      "(.*q)|(.*k)",
    );
  });
});
