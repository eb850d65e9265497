import { readFileSync } from "node:fs";
import {
  f16BitsToNumber,
  readSafetensors,
  type Tensor,
  TunekitError,
  tensorFromMatrix,
  writeSafetensors,
  zeros,
} from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { adapterTensors, createLoraModule, loadAdapter, serializeAdapter } from "./adapter";
import { createLoraConfig, serializeLoraConfig } from "./config";
import { adapterKey, baseKeyOfExtraTensor, parseAdapterKey } from "./keys";

const bytes = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));
const text = (path: string) =>
  readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url), "utf8");
const load = (name: string) =>
  loadAdapter(
    text(`${name}/adapter/adapter_config.json`),
    bytes(`${name}/adapter/adapter_model.safetensors`),
  );

function errorOf(fn: () => unknown): TunekitError {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("did not throw");
}

const f32 = (rows: number, cols: number, values: number[]): Tensor => ({
  dtype: "F32",
  shape: [rows, cols],
  data: new Float32Array(values),
});

describe("adapter keys", () => {
  it("maps peft's keys to modules and base keys", () => {
    expect(
      parseAdapterKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"),
    ).toEqual({
      module: "model.layers.0.self_attn.q_proj",
      role: "lora_A",
    });
    expect(parseAdapterKey("base_model.model.x.lora_B.bias")?.role).toBe("lora_B_bias");
    expect(parseAdapterKey("base_model.model.x.lora_magnitude_vector")?.role).toBe(
      "lora_magnitude_vector",
    );
    expect(parseAdapterKey("base_model.model.model.embed_tokens.lora_embedding_A")).toEqual({
      module: "model.embed_tokens",
      role: "lora_embedding_A",
    });
    expect(parseAdapterKey("model.q_proj.lora_B.weight")).toEqual({
      module: "model.q_proj",
      role: "lora_B",
    });
    expect(parseAdapterKey("base_model.model.lm_head.weight")).toBeNull();
    expect(adapterKey("model.embed_tokens", "lora_embedding_B")).toBe(
      "base_model.model.model.embed_tokens.lora_embedding_B",
    );
    expect(
      baseKeyOfExtraTensor("base_model.model.model.layers.0.mlp.up_proj.base_layer.bias"),
    ).toBe("model.layers.0.mlp.up_proj.bias");
  });
});

describe("loadAdapter", () => {
  it("reads the peft fixture: four modules, r = 8, scaling 16/8", () => {
    const adapter = load("llama-lora-basic");
    expect(adapter.modules.map((m) => m.name)).toEqual([
      "model.layers.0.self_attn.q_proj",
      "model.layers.0.self_attn.v_proj",
      "model.layers.1.self_attn.q_proj",
      "model.layers.1.self_attn.v_proj",
    ]);
    for (const m of adapter.modules) {
      expect([m.kind, m.r, m.scaling, m.dtype, m.a.rows, m.a.cols, m.b.rows, m.b.cols]).toEqual([
        "linear",
        8,
        2,
        "F32",
        8,
        64,
        64,
        8,
      ]);
    }
  });

  it("decodes F16 tensors exactly and remembers the dtype", () => {
    const adapter = load("llama-lora-f16-adapter");
    const file = readSafetensors(bytes("llama-lora-f16-adapter/adapter/adapter_model.safetensors"));
    const raw = file.tensor("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")
      .data as Uint16Array;
    const module = adapter.modules[0];
    expect(module.dtype).toBe("F16");
    expect(module.scaling).toBe(2.5);
    for (let i = 0; i < raw.length; i++) expect(module.a.data[i]).toBe(f16BitsToNumber(raw[i]));
  });

  it("saves the adapter byte for byte as peft saved it", () => {
    for (const name of ["llama-lora-basic", "llama-lora-f16-adapter"]) {
      const saved = serializeAdapter(load(name));
      expect(saved.config).toBe(text(`${name}/adapter/adapter_config.json`));
      expect(
        Buffer.from(saved.weights).equals(
          Buffer.from(bytes(`${name}/adapter/adapter_model.safetensors`)),
        ),
      ).toBe(true);
    }
  });

  it("reads and writes BF16 adapters", () => {
    const config = createLoraConfig({ r: 1, lora_alpha: 2, target_modules: ["q"] });
    // 1.5 = 0x3fc0 and −2 = 0xc000 in bfloat16.
    const weights = writeSafetensors({
      "base_model.model.q.lora_A.weight": {
        dtype: "BF16",
        shape: [1, 2],
        data: new Uint16Array([0x3fc0, 0xc000]),
      },
      "base_model.model.q.lora_B.weight": {
        dtype: "BF16",
        shape: [2, 1],
        data: new Uint16Array([0x3f80, 0x4040]),
      },
    });
    const adapter = loadAdapter(serializeLoraConfig(config), weights);
    expect(Array.from(adapter.modules[0].a.data)).toEqual([1.5, -2]);
    expect(Array.from(adapter.modules[0].b.data)).toEqual([1, 3]);
    expect(adapter.modules[0].dtype).toBe("BF16");
    const again = adapterTensors(adapter).get("base_model.model.q.lora_A.weight");
    expect(Array.from(again?.data as Uint16Array)).toEqual([0x3fc0, 0xc000]);
  });

  it("keeps extra tensors", () => {
    const config = serializeLoraConfig(
      createLoraConfig({ r: 1, lora_alpha: 1, target_modules: ["q"], bias: "all" }),
    );
    const weights = writeSafetensors({
      "base_model.model.q.lora_A.weight": f32(1, 2, [1, 2]),
      "base_model.model.q.lora_B.weight": f32(2, 1, [3, 4]),
      "base_model.model.q.base_layer.bias": {
        dtype: "F32",
        shape: [2],
        data: new Float32Array([5, 6]),
      },
    });
    const adapter = loadAdapter(config, weights);
    expect([...adapter.extraTensors.keys()]).toEqual(["base_model.model.q.base_layer.bias"]);
    expect(adapterTensors(adapter).has("base_model.model.q.base_layer.bias")).toBe(true);
  });

  describe("bad input names the module", () => {
    const config = serializeLoraConfig(
      createLoraConfig({ r: 1, lora_alpha: 1, target_modules: ["q"] }),
    );
    const cases: [string, Record<string, Tensor>, string, RegExp][] = [
      [
        "a tensor of the wrong dtype",
        {
          "base_model.model.m.q.lora_A.weight": {
            dtype: "I32",
            shape: [1, 2],
            data: new Int32Array([1, 2]),
          },
          "base_model.model.m.q.lora_B.weight": f32(2, 1, [1, 2]),
        },
        "adapter_dtype",
        /module m\.q: .* is I32/,
      ],
      [
        "a missing B",
        { "base_model.model.m.q.lora_A.weight": f32(1, 2, [1, 2]) },
        "adapter_incomplete",
        /module m\.q has no .*lora_B\.weight/,
      ],
      [
        "A and B of different ranks",
        {
          "base_model.model.m.q.lora_A.weight": f32(1, 2, [1, 2]),
          "base_model.model.m.q.lora_B.weight": f32(1, 2, [1, 2]),
        },
        "shape_mismatch",
        /module m\.q: .*the ranks differ/,
      ],
      [
        "a rank the config does not give",
        {
          "base_model.model.m.q.lora_A.weight": f32(2, 1, [1, 2]),
          "base_model.model.m.q.lora_B.weight": f32(1, 2, [1, 2]),
        },
        "adapter_rank_mismatch",
        /module m\.q: the tensors have rank 2 but the config gives r = 1/,
      ],
      [
        "a magnitude without use_dora",
        {
          "base_model.model.m.q.lora_A.weight": f32(1, 2, [1, 2]),
          "base_model.model.m.q.lora_B.weight": f32(2, 1, [1, 2]),
          "base_model.model.m.q.lora_magnitude_vector": {
            dtype: "F32",
            shape: [2],
            data: new Float32Array(2),
          },
        },
        "adapter_unexpected_tensor",
        /module m\.q has a DoRA magnitude/,
      ],
    ];
    for (const [what, tensors, code, message] of cases) {
      it(what, () => {
        const error = errorOf(() => loadAdapter(config, writeSafetensors(tensors)));
        expect(error.code).toBe(code);
        expect(error.message).toMatch(message);
      });
    }

    it("a DoRA adapter without magnitudes, and r = 0", () => {
      const dora = serializeLoraConfig(createLoraConfig({ r: 1, lora_alpha: 1, use_dora: true }));
      const tensors = {
        "base_model.model.m.q.lora_A.weight": f32(1, 2, [1, 2]),
        "base_model.model.m.q.lora_B.weight": f32(2, 1, [1, 2]),
      };
      expect(errorOf(() => loadAdapter(dora, writeSafetensors(tensors))).message).toMatch(
        /module m\.q has no .*lora_magnitude_vector/,
      );
      const zero = config.replace('"r": 1', '"r": 0');
      expect(errorOf(() => loadAdapter(zero, writeSafetensors(tensors))).code).toBe("invalid_rank");
      // A config built in code that slips r = 0 past parsing is caught per module, by name.
      const built = { ...createLoraConfig({ r: 1, lora_alpha: 1 }), r: 0 };
      const error = errorOf(() => loadAdapter(built, writeSafetensors(tensors)));
      expect(error.code).toBe("invalid_rank");
      expect(error.message).toContain("module m.q");
    });
  });
});

describe("createLoraModule", () => {
  it("takes rank, alpha and scaling from the config", () => {
    const config = createLoraConfig({ r: 4, lora_alpha: 8, rank_pattern: { k_proj: 2 } });
    const module = createLoraModule(config, "model.k_proj", { a: zeros(2, 3), b: zeros(5, 2) });
    expect([module.r, module.alpha, module.scaling]).toEqual([2, 8, 4]);
    expect(() =>
      createLoraModule(config, "model.q_proj", { a: zeros(2, 3), b: zeros(5, 2) }),
    ).toThrow(/module model\.q_proj: A has rank 2/);
    expect(tensorFromMatrix(module.a).dtype).toBe("F32");
  });
});
