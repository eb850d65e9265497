import { readFileSync } from "node:fs";
import {
  maxAbsDiff,
  readSafetensors,
  type Tensor,
  TunekitError,
  tensorToFloat32,
  toArray,
  writeSafetensors,
} from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { createLoraModule, type LoraAdapter, loadAdapter } from "./adapter";
import { createLoraConfig, type LoraConfigInit, serializeLoraConfig } from "./config";
import { mergeAdapter } from "./merge";

const bytes = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));
const text = (path: string) =>
  readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url), "utf8");

function errorOf(fn: () => unknown): TunekitError {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("did not throw");
}

const raw = (t: Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe("mergeAdapter against peft's merge_and_unload", () => {
  for (const name of ["llama-lora-basic", "llama-lora-f16-adapter"]) {
    it(`${name}: merged tensors within 1e-5 of peft's, untouched ones bit-equal`, () => {
      const adapter = loadAdapter(
        text(`${name}/adapter/adapter_config.json`),
        bytes(`${name}/adapter/adapter_model.safetensors`),
      );
      const base = readSafetensors(bytes(`${name}/base.safetensors`));
      const { bytes: out, report } = mergeAdapter(base, adapter);
      const merged = readSafetensors(out);
      const peft = readSafetensors(bytes(`${name}/merged.safetensors`));
      expect(merged.names().sort()).toEqual(peft.names().sort());
      const targets = new Set(report.merged.map((m) => m.baseKey));
      expect(targets.size).toBe(adapter.modules.length);
      let worst = 0;
      for (const key of peft.names()) {
        expect(merged.info(key).dtype).toBe(peft.info(key).dtype);
        expect(merged.info(key).shape).toEqual(peft.info(key).shape);
        if (targets.has(key)) {
          const diff = maxAbsDiff(merged.matrix(key), peft.matrix(key));
          worst = Math.max(worst, diff);
          expect(diff).toBeLessThanOrEqual(1e-5);
          // The adapter really changed this weight.
          expect(maxAbsDiff(base.matrix(key), peft.matrix(key))).toBeGreaterThan(1e-2);
        } else {
          expect(raw(merged.tensor(key)).equals(raw(peft.tensor(key)))).toBe(true);
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }
});

/** A tiny base checkpoint and an adapter built by hand. */
function build(
  configInit: LoraConfigInit,
  baseTensors: Record<string, Tensor>,
  modules: { name: string; a: number[][]; b: number[][]; magnitude?: number[]; bias?: number[] }[],
  extraTensors: Record<string, Tensor> = {},
): { base: Uint8Array; adapter: LoraAdapter } {
  const config = createLoraConfig(configInit);
  const m = (rows: number[][]) => ({
    rows: rows.length,
    cols: rows[0].length,
    data: Float32Array.from(rows.flat()),
  });
  return {
    base: writeSafetensors(baseTensors, { metadata: null }),
    adapter: {
      config,
      modules: modules.map((mod) =>
        createLoraModule(config, mod.name, {
          a: m(mod.a),
          b: m(mod.b),
          magnitude: mod.magnitude,
          bias: mod.bias,
        }),
      ),
      extraTensors: new Map(Object.entries(extraTensors)),
    },
  };
}
const f32 = (shape: number[], values: number[]): Tensor => ({
  dtype: "F32",
  shape,
  data: new Float32Array(values),
});
const mergedMatrix = (out: Uint8Array, key: string) => toArray(readSafetensors(out).matrix(key));

describe("mergeAdapter on hand-computed adapters", () => {
  it("rsLoRA with rank_pattern and alpha_pattern: s = alpha / √r per module", () => {
    // v_proj: r = 1 (rank_pattern), alpha 8 → s = 8/√1 = 8; q_proj: r = 4, alpha 3 (alpha_pattern) → s = 3/√4 = 1.5.
    // Plain LoRA would give 8 and 0.75, so the test tells the two apart.
    const { base, adapter } = build(
      {
        r: 4,
        lora_alpha: 8,
        use_rslora: true,
        rank_pattern: { v_proj: 1 },
        alpha_pattern: { q_proj: 3 },
      },
      {
        "m.v_proj.weight": f32([2, 2], [0, 0, 0, 0]),
        "m.q_proj.weight": f32([2, 2], [1, 1, 1, 1]),
      },
      [
        { name: "m.v_proj", a: [[1, 0]], b: [[1], [0]] },
        {
          name: "m.q_proj",
          a: [
            [1, 0],
            [0, 0],
            [0, 0],
            [0, 0],
          ],
          b: [
            [1, 0, 0, 0],
            [0, 0, 0, 1],
          ],
        },
      ],
    );
    const { bytes: out } = mergeAdapter(base, adapter);
    expect(mergedMatrix(out, "m.v_proj.weight")).toEqual([
      [8, 0],
      [0, 0],
    ]);
    expect(mergedMatrix(out, "m.q_proj.weight")).toEqual([
      [2.5, 1],
      [1, 1],
    ]);
  });

  it("a Conv1D (in × out) base weight gets ΔWᵀ, decided by its shape", () => {
    // out = 3, in = 2: ΔW = 0.5·B·A = [[0.5, 1], [0, 0], [−0.5, −1]], stored transposed.
    const { base, adapter } = build(
      { r: 1, lora_alpha: 0.5, fan_in_fan_out: true },
      { "h.0.attn.c_attn.weight": f32([2, 3], [1, 0, 2, 0, 1, 0]) },
      [{ name: "h.0.attn.c_attn", a: [[1, 2]], b: [[1], [0], [-1]] }],
    );
    const { bytes: out, report } = mergeAdapter(base, adapter);
    expect(report.merged[0].fanInFanOut).toBe(true);
    expect(mergedMatrix(out, "h.0.attn.c_attn.weight")).toEqual([
      [1.5, 0, 1.5],
      [1, 1, -1],
    ]);
  });

  it("DoRA: W' = (m / ‖W + ΔW‖)·(W + ΔW)", () => {
    const { base, adapter } = build(
      { r: 1, lora_alpha: 1, use_dora: true },
      { "m.q.weight": f32([2, 3], [1, 2, 2, 0, 3, 4]) },
      [{ name: "m.q", a: [[0, -3, 1]], b: [[0], [1]], magnitude: [6, 10] }],
    );
    const { bytes: out, report } = mergeAdapter(base, adapter);
    expect(report.merged[0].dora).toBe(true);
    expect(mergedMatrix(out, "m.q.weight")).toEqual([
      [2, 4, 4],
      [0, 0, 10],
    ]);
  });

  it("lora_bias goes into the base bias; trained biases replace the base's; unknown extras are ignored", () => {
    const { base, adapter } = build(
      { r: 1, lora_alpha: 2, lora_bias: true, bias: "lora_only" },
      {
        "m.q.weight": f32([2, 2], [0, 0, 0, 0]),
        "m.q.bias": f32([2], [1, 1]),
        "m.k.bias": f32([2], [0, 0]),
      },
      [{ name: "m.q", a: [[1, 0]], b: [[1], [0]], bias: [0.25, -0.5] }],
      {
        "base_model.model.m.k.base_layer.bias": f32([2], [7, 8]),
        "base_model.model.m.gone.bias": f32([2], [0, 0]),
      },
    );
    const { bytes: out, report } = mergeAdapter(base, adapter);
    const merged = readSafetensors(out);
    expect(Array.from(merged.float32("m.q.bias"))).toEqual([1.5, 0]);
    expect(Array.from(merged.float32("m.k.bias"))).toEqual([7, 8]);
    expect(report.replaced).toEqual(["m.k.bias"]);
    expect(report.ignored).toEqual(["base_model.model.m.gone.bias"]);
  });

  it("an embedding adapter from a BF16 file: ΔW = s·(B·A)ᵀ on the vocabulary × width weight", () => {
    // lora_embedding_A (1 × 3) = [1, 0, 2], lora_embedding_B (2 × 1) = [1, 3]ᵀ, s = 2/1:
    // (B·A)ᵀ = [[1, 3], [0, 0], [2, 6]], doubled.
    const bf16 = (shape: number[], values: number[]): Tensor => ({
      dtype: "BF16",
      shape,
      data: Uint16Array.from(values, (v) => new Uint16Array(new Float32Array([v]).buffer)[1]),
    });
    const adapter = loadAdapter(
      serializeLoraConfig(
        createLoraConfig({ r: 1, lora_alpha: 2, target_modules: ["embed_tokens"] }),
      ),
      writeSafetensors({
        "base_model.model.model.embed_tokens.lora_embedding_A": bf16([1, 3], [1, 0, 2]),
        "base_model.model.model.embed_tokens.lora_embedding_B": bf16([2, 1], [1, 3]),
      }),
    );
    expect([adapter.modules[0].kind, adapter.modules[0].dtype]).toEqual(["embedding", "BF16"]);
    const base = writeSafetensors({ "model.embed_tokens.weight": f32([3, 2], [0, 0, 0, 0, 0, 0]) });
    expect(mergedMatrix(mergeAdapter(base, adapter).bytes, "model.embed_tokens.weight")).toEqual([
      [2, 6],
      [0, 0],
      [4, 12],
    ]);
  });

  it("a BF16 base stays BF16, rounded to nearest even once", () => {
    // 1 + 3·2⁻⁹ is not a bfloat16; the nearest is 1 + 2⁻⁷ (0x3f81).
    const { base, adapter } = build(
      { r: 1, lora_alpha: 1 },
      { "m.q.weight": { dtype: "BF16", shape: [1, 2], data: new Uint16Array([0x3f80, 0x4000]) } },
      [{ name: "m.q", a: [[3 / 512, 0.5]], b: [[1]] }],
    );
    const merged = readSafetensors(mergeAdapter(base, adapter).bytes).tensor("m.q.weight");
    expect(merged.dtype).toBe("BF16");
    expect(Array.from(merged.data as Uint16Array)).toEqual([0x3f81, 0x4020]); // 2.5 = 0x4020
    expect(Array.from(tensorToFloat32(merged))).toEqual([1.0078125, 2.5]);
  });

  describe("bad input names the module", () => {
    const module = { name: "m.q", a: [[1, 0]], b: [[1], [0]] };
    it("a module missing from the base", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1 },
        { "model.m.q.weight": f32([2, 2], [0, 0, 0, 0]) },
        [module],
      );
      const error = errorOf(() => mergeAdapter(base, adapter));
      expect(error.code).toBe("merge_module_missing");
      expect(error.message).toContain("module m.q");
      expect(error.message).toContain('"model.m.q.weight"'); // the closest name is suggested
    });
    it("mismatched shapes", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1 },
        { "m.q.weight": f32([3, 3], Array(9).fill(0)) },
        [module],
      );
      const error = errorOf(() => mergeAdapter(base, adapter));
      expect(error.code).toBe("shape_mismatch");
      expect(error.message).toMatch(/module m\.q: base tensor "m\.q\.weight" is 3×3/);
    });
    it("a base weight of the wrong dtype", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1 },
        { "m.q.weight": { dtype: "I32", shape: [2, 2], data: new Int32Array(4) } },
        [module],
      );
      const error = errorOf(() => mergeAdapter(base, adapter));
      expect(error.code).toBe("merge_dtype");
      expect(error.message).toContain("module m.q");
    });
    it("lora_bias without a base bias", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1, lora_bias: true },
        { "m.q.weight": f32([2, 2], [0, 0, 0, 0]) },
        [{ ...module, bias: [1, 1] }],
      );
      expect(errorOf(() => mergeAdapter(base, adapter)).message).toMatch(
        /module m\.q: .*no "m\.q\.bias"/,
      );
    });
    it("a NaN with safeMerge", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1 },
        { "m.q.weight": f32([2, 2], [0, 0, 0, 0]) },
        [{ ...module, a: [[Number.NaN, 0]] }],
      );
      expect(errorOf(() => mergeAdapter(base, adapter, { safeMerge: true })).message).toMatch(
        /module m\.q/,
      );
    });
    it("variants this package does not implement", () => {
      const { base, adapter } = build(
        { r: 1, lora_alpha: 1, extra: { use_qalora: true } },
        { "m.q.weight": f32([2, 2], [0, 0, 0, 0]) },
        [module],
      );
      expect(errorOf(() => mergeAdapter(base, adapter)).code).toBe("unsupported_variant");
    });
  });

  it("reports progress once per base tensor", () => {
    const { base, adapter } = build(
      { r: 1, lora_alpha: 1 },
      { "m.q.weight": f32([2, 2], [0, 0, 0, 0]), "m.k.weight": f32([1], [0]) },
      [{ name: "m.q", a: [[1, 0]], b: [[1], [0]] }],
    );
    const seen: number[] = [];
    mergeAdapter(base, adapter, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2]);
  });
});
