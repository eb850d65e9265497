import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addScaledProduct,
  maxAbsDiff,
  readSafetensors,
  type Tensor,
  writeSafetensors,
} from "../src/index";
import { openSafetensorsFile, readSafetensorsFile } from "../src/node";

const fixture = (name: string) =>
  new URL(`./fixtures/llama-lora-basic/${name}`, import.meta.url).pathname;
const config = JSON.parse(readFileSync(fixture("adapter_config.json"), "utf8")) as {
  r: number;
  lora_alpha: number;
};

/**
 * An independent little reader for checking values: the header via JSON.parse, floats
 * via DataView at the byte offsets the header gives.
 */
function rawF32(file: string, name: string, index: number): number {
  const bytes = readFileSync(fixture(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
  const [begin] = header[name].data_offsets as [number, number];
  return view.getFloat32(8 + n + begin + 4 * index, true);
}

const A = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
const B = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";
const Q = "model.layers.0.self_attn.q_proj.weight";

describe("PEFT 0.21 llama-lora-basic fixture", () => {
  it("lists the adapter's tensors with names, dtypes, shapes and metadata", async () => {
    const adapter = await readSafetensorsFile(fixture("adapter_model.safetensors"));
    expect(adapter.metadata).toEqual({ format: "pt" });
    const layers = [0, 1].flatMap((l) =>
      ["q_proj", "v_proj"].flatMap((m) =>
        ["lora_A", "lora_B"].map(
          (ab) => `base_model.model.model.layers.${l}.self_attn.${m}.${ab}.weight`,
        ),
      ),
    );
    expect(adapter.names()).toEqual(layers);
    for (const name of layers) {
      const info = adapter.info(name);
      expect(info.dtype).toBe("F32");
      expect(info.shape).toEqual(name.includes("lora_A") ? [config.r, 64] : [64, config.r]);
    }
    expect(adapter.header.headerSize).toBe(1024);
  });

  it("lists the base model's 21 tensors without __metadata__", async () => {
    const base = await openSafetensorsFile(fixture("base.safetensors"));
    try {
      expect(base.names()).toHaveLength(21);
      expect(base.metadata).toEqual({});
      expect(base.info("lm_head.weight")).toEqual({
        name: "lm_head.weight",
        dtype: "F32",
        shape: [128, 64],
        dataOffsets: [0, 32768],
      });
      expect(base.info("model.layers.0.mlp.down_proj.weight").shape).toEqual([64, 96]);
      expect(base.info("model.norm.weight").shape).toEqual([64]);
      const q = await base.matrix(Q);
      for (const i of [0, 1, 63, 64, 4095])
        expect(q.data[i]).toBe(rawF32("base.safetensors", Q, i));
    } finally {
      await base.close();
    }
  });

  it("reads the same values as a DataView reader, in memory and lazily", async () => {
    const adapter = readSafetensors(
      new Uint8Array(readFileSync(fixture("adapter_model.safetensors"))),
    );
    const lazy = await openSafetensorsFile(fixture("adapter_model.safetensors"));
    const a = adapter.matrix(A);
    const b = await lazy.matrix(B);
    await lazy.close();
    for (const i of [0, 7, 100, 511]) {
      expect(a.data[i]).toBe(rawF32("adapter_model.safetensors", A, i));
      expect(b.data[i]).toBe(rawF32("adapter_model.safetensors", B, i));
    }
  });

  it("merged = base + (alpha / r)·B·A for layer 0 q_proj, to 1e-5 (the end-to-end check)", async () => {
    const base = await readSafetensorsFile(fixture("base.safetensors"));
    const merged = await readSafetensorsFile(fixture("merged.safetensors"));
    const adapter = await readSafetensorsFile(fixture("adapter_model.safetensors"));
    const w = base.matrix(Q);
    const delta = maxAbsDiff(w, merged.matrix(Q));
    expect(delta).toBeGreaterThan(1e-3); // the adapter really changes the weight
    addScaledProduct(w, config.lora_alpha / config.r, adapter.matrix(B), adapter.matrix(A));
    expect(maxAbsDiff(w, merged.matrix(Q))).toBeLessThanOrEqual(1e-5);
    // Modules without an adapter are unchanged by the merge.
    const k = "model.layers.0.self_attn.k_proj.weight";
    expect(maxAbsDiff(base.matrix(k), merged.matrix(k))).toBe(0);
  });

  it("rewrites the reference's files byte for byte (same order, header and padding)", () => {
    for (const [file, metadata] of [
      ["adapter_model.safetensors", { format: "pt" }],
      ["base.safetensors", null],
    ] as const) {
      const original = new Uint8Array(readFileSync(fixture(file)));
      const read = readSafetensors(original);
      const tensors = new Map<string, Tensor>(
        read
          .names()
          .reverse()
          .map((n) => [n, read.tensor(n)]),
      );
      expect(Buffer.compare(writeSafetensors(tensors, { metadata }), original)).toBe(0);
    }
  });
});
