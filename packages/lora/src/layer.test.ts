import { readFileSync } from "node:fs";
import { fromArray, maxAbsDiff, readSafetensors, TunekitError, toArray } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { loadAdapter, moduleLoraWeights } from "./adapter";
import { deltaWeight, type LoraWeights, loraForward, mergeLora, unmergeLora } from "./layer";

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));

function errorOf(fn: () => unknown): TunekitError {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("loraForward against peft", () => {
  for (const [name, module] of [
    ["llama-lora-basic", "model.layers.0.self_attn.q_proj"],
    ["llama-lora-f16-adapter", "model.layers.1.self_attn.q_proj"],
  ]) {
    it(`${name}: the io_module layer maps io.safetensors x to y (max |Δ| ≤ 1e-5)`, () => {
      const adapter = loadAdapter(
        readFileSync(
          new URL(`../test/fixtures/${name}/adapter/adapter_config.json`, import.meta.url),
          "utf8",
        ),
        fixture(`${name}/adapter/adapter_model.safetensors`),
      );
      const base = readSafetensors(fixture(`${name}/base.safetensors`));
      const io = readSafetensors(fixture(`${name}/io.safetensors`));
      const lora = adapter.modules.find((m) => m.name === module);
      expect(lora).toBeDefined();
      const y = loraForward(
        io.matrix("x"),
        base.matrix(`${module}.weight`),
        moduleLoraWeights(lora!, adapter.config),
      );
      expect(maxAbsDiff(y, io.matrix("y"))).toBeLessThanOrEqual(1e-5);
      // Without the adapter the output is far from y: the LoRA term is really there.
      const plain = loraForward(io.matrix("x"), base.matrix(`${module}.weight`), {
        ...moduleLoraWeights(lora!, adapter.config),
        scaling: 0,
      });
      expect(maxAbsDiff(plain, io.matrix("y"))).toBeGreaterThan(1e-2);
    });
  }
});

// A hand-computable layer: out = 3, in = 2, r = 1, s = 0.5.
// B·A = [[1, 2], [0, 0], [−1, −2]], so ΔW = [[0.5, 1], [0, 0], [−0.5, −1]].
const pair = (extra: Partial<LoraWeights> = {}): LoraWeights => ({
  a: fromArray([[1, 2]]),
  b: fromArray([[1], [0], [-1]]),
  scaling: 0.5,
  ...extra,
});

describe("layer math on hand-computed matrices", () => {
  it("deltaWeight is s·B·A, transposed for fan_in_fan_out", () => {
    expect(toArray(deltaWeight(pair()))).toEqual([
      [0.5, 1],
      [0, 0],
      [-0.5, -1],
    ]);
    expect(toArray(deltaWeight(pair({ fanInFanOut: true })))).toEqual([
      [0.5, 0, -0.5],
      [1, 0, -1],
    ]);
  });

  it("merges into an out × in weight and unmerges back", () => {
    const w = fromArray([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    mergeLora(w, pair());
    expect(toArray(w)).toEqual([
      [1.5, 1],
      [0, 1],
      [1.5, 1],
    ]);
    unmergeLora(w, pair());
    expect(toArray(w)).toEqual([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
  });

  it("fan_in_fan_out: a Conv1D weight (in × out) gets ΔWᵀ and the forward uses x·W", () => {
    const w = fromArray([
      [1, 0, 2],
      [0, 1, 0],
    ]);
    const x = fromArray([[1, 1]]);
    // x·W = [1, 1, 2]; s·(x·Aᵀ)·Bᵀ = 0.5·3·[1, 0, −1] = [1.5, 0, −1.5].
    expect(toArray(loraForward(x, w, pair({ fanInFanOut: true })))).toEqual([[2.5, 1, 0.5]]);
    mergeLora(w, pair({ fanInFanOut: true }));
    expect(toArray(w)).toEqual([
      [1.5, 0, 1.5],
      [1, 1, -1],
    ]);
  });

  it("lora_bias: the forward adds s·b_B and the merge moves it into the base bias", () => {
    const w = fromArray([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const lora = pair({ bias: new Float32Array([1, 2, 3]) });
    const bias = new Float32Array([10, 20, 30]);
    // x·Wᵀ = [1, 1, 4] + b = [11, 21, 34]; s·((x·Aᵀ)·Bᵀ + b_B) = 0.5·([3, 0, −3] + [1, 2, 3]) = [2, 1, 0].
    expect(toArray(loraForward(fromArray([[1, 1]]), w, lora, { bias }))).toEqual([[13, 22, 34]]);
    mergeLora(w, lora, { bias });
    expect(Array.from(bias)).toEqual([10.5, 21, 31.5]);
    unmergeLora(w, lora, { bias });
    expect(Array.from(bias)).toEqual([10, 20, 30]);
    expect(errorOf(() => mergeLora(w, lora)).code).toBe("merge_bias_missing");
  });

  it("safe merge refuses NaN/Inf and leaves the weight as it was", () => {
    const w = fromArray([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const broken = pair({ a: fromArray([[Number.POSITIVE_INFINITY, 0]]) });
    const error = errorOf(() => mergeLora(w, broken, { safeMerge: true, name: "model.q_proj" }));
    expect(error.code).toBe("merge_not_finite");
    expect(error.message).toContain("module model.q_proj");
    expect(toArray(w)).toEqual([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
  });

  it("names the module when shapes do not fit", () => {
    const error = errorOf(() =>
      mergeLora(fromArray([[1, 2, 3]]), pair(), { name: "model.layers.0.q_proj" }),
    );
    expect(error.code).toBe("shape_mismatch");
    expect(error.message).toContain("module model.layers.0.q_proj");
    expect(error.message).toContain("1×3");
    const ranks = errorOf(() =>
      deltaWeight({ a: fromArray([[1, 2]]), b: fromArray([[1, 1]]), scaling: 1 }),
    );
    expect(ranks.message).toMatch(/ranks 1 and 2 differ/);
  });
});
