import { readFileSync } from "node:fs";
import {
  fromArray,
  matmul,
  maxAbsDiff,
  readSafetensors,
  TunekitError,
  toArray,
} from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { moduleLoraWeights } from "./adapter";
import { parseLoraConfig, serializeLoraConfig } from "./config";
import { extractAdapter, extractLora, extractLoraFromDelta } from "./extract";
import { deltaWeight } from "./layer";
import { mergeAdapter } from "./merge";
import { resolveModuleSettings } from "./patterns";

const bytes = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));

describe("extractLoraFromDelta", () => {
  it("keeps the largest singular triplets: diag(2, 1) at rank 1 leaves error 1", () => {
    const pair = extractLoraFromDelta(
      fromArray([
        [2, 0],
        [0, 1],
      ]),
      { rank: 1 },
    );
    expect(pair.rank).toBe(1);
    expect(toArray(matmul(pair.b, pair.a)).map((r) => r.map((v) => Math.abs(v)))).toEqual([
      [2, 0],
      [0, 0],
    ]);
    expect(pair.error).toBeCloseTo(1, 12);
    expect(pair.relativeError).toBeCloseTo(1 / Math.sqrt(5), 12);
  });

  it("peft split puts S in B (A has orthonormal rows); balanced splits √S", () => {
    const delta = fromArray([
      [3, 0, 0],
      [0, 0, 2],
    ]);
    const peft = extractLoraFromDelta(delta, { rank: 2 });
    expect(Array.from(peft.singularValues)).toEqual([3, 2]);
    expect(toArray(matmul(peft.a, peft.a, { transposeB: true }))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const balanced = extractLoraFromDelta(delta, { rank: 2, split: "balanced" });
    expect(Math.abs(balanced.b.data[0])).toBeCloseTo(Math.sqrt(3), 6);
    expect(maxAbsDiff(matmul(balanced.b, balanced.a), delta)).toBeLessThan(1e-6);
  });

  it("chooses the rank by an energy threshold", () => {
    // σ = 3, 1, 0.1: the first holds 9/10.01 = 0.8991 of the energy, two hold 0.999.
    const delta = fromArray([
      [3, 0, 0],
      [0, 1, 0],
      [0, 0, 0.1],
    ]);
    expect(extractLoraFromDelta(delta, { energy: 0.89 }).rank).toBe(1);
    expect(extractLoraFromDelta(delta, { energy: 0.9 }).rank).toBe(2);
    expect(extractLoraFromDelta(delta, { energy: 1 }).rank).toBe(3);
    expect(extractLoraFromDelta(delta, { energy: 1, rank: 2 }).rank).toBe(2);
  });

  it("rejects bad options", () => {
    const delta = fromArray([[1]]);
    expect(() => extractLoraFromDelta(delta, {})).toThrow(TunekitError);
    expect(() => extractLoraFromDelta(delta, { rank: 0 })).toThrow(/r must be a positive/);
    expect(() => extractLoraFromDelta(delta, { energy: 1.5 })).toThrow(/energy must be in/);
    expect(() => extractLora(fromArray([[1, 2]]), fromArray([[1], [2]]), { rank: 1 })).toThrow(
      /shape/,
    );
  });
});

describe("extractAdapter", () => {
  it("recovers peft's rank-8 update from base and merged weights, and merging it back gives peft's merge", () => {
    const base = readSafetensors(bytes("llama-lora-basic/base.safetensors"));
    const merged = readSafetensors(bytes("llama-lora-basic/merged.safetensors"));
    const inputs = base
      .names()
      .filter((n) => n.endsWith("proj.weight"))
      .map((n) => ({
        name: n.slice(0, -".weight".length),
        base: base.matrix(n),
        tuned: merged.matrix(n),
      }));
    const { adapter, report } = extractAdapter(inputs, { rank: 8 });
    expect(adapter.modules.map((m) => m.name).sort()).toEqual([
      "model.layers.0.self_attn.q_proj",
      "model.layers.0.self_attn.v_proj",
      "model.layers.1.self_attn.q_proj",
      "model.layers.1.self_attn.v_proj",
    ]);
    // Unchanged modules are reported with rank 0 and left out.
    expect(report.filter((r) => r.rank === 0).length).toBe(inputs.length - 4);
    for (const r of report.filter((r) => r.rank > 0)) expect(r.relativeError).toBeLessThan(1e-5);
    const again = mergeAdapter(base, adapter);
    const out = readSafetensors(again.bytes);
    for (const name of merged.names())
      expect(maxAbsDiff(out.matrix(name), merged.matrix(name))).toBeLessThanOrEqual(1e-5);
  });

  it("writes per-module ranks as exact rank_pattern and alpha_pattern entries (scaling 1 everywhere)", () => {
    const zero = fromArray([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const inputs = [
      {
        name: "m.layers.0.q",
        base: zero,
        tuned: fromArray([
          [3, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ]),
      },
      {
        name: "m.layers.1.q",
        base: zero,
        tuned: fromArray([
          [3, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ]),
      },
      {
        name: "m.layers.2.q",
        base: zero,
        tuned: fromArray([
          [3, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ]),
      },
    ];
    const { adapter } = extractAdapter(inputs, { energy: 1 });
    const config = parseLoraConfig(serializeLoraConfig(adapter.config));
    expect([config.r, config.lora_alpha]).toEqual([2, 2]);
    expect([...config.rank_pattern.entries()]).toEqual([["^m\\.layers\\.2\\.q", 1]]);
    expect([...config.alpha_pattern.entries()]).toEqual([["^m\\.layers\\.2\\.q", 1]]);
    for (const input of inputs) {
      expect(resolveModuleSettings(config, input.name).scaling).toBe(1);
      const module = adapter.modules.find((m) => m.name === input.name)!;
      expect(maxAbsDiff(deltaWeight(moduleLoraWeights(module, config)), input.tuned)).toBeLessThan(
        1e-6,
      );
    }
  });

  it("stores embeddings transposed, as lora_embedding_A (r × vocabulary)", () => {
    const base = fromArray([
      [0, 0],
      [0, 0],
      [0, 0],
    ]); // vocabulary 3, width 2
    const tuned = fromArray([
      [1, 0],
      [0, 0],
      [2, 0],
    ]);
    const { adapter } = extractAdapter([{ name: "embed_tokens", base, tuned, kind: "embedding" }], {
      rank: 1,
    });
    const [module] = adapter.modules;
    expect([module.kind, module.a.rows, module.a.cols, module.b.rows, module.b.cols]).toEqual([
      "embedding",
      1,
      3,
      2,
      1,
    ]);
    expect(maxAbsDiff(deltaWeight(moduleLoraWeights(module, adapter.config)), tuned)).toBeLessThan(
      1e-6,
    );
  });

  it("fails when nothing changed or shapes differ, naming the module", () => {
    const w = fromArray([[1, 2]]);
    expect(() => extractAdapter([{ name: "m.q", base: w, tuned: w }], { rank: 1 })).toThrow(
      /nothing to extract/,
    );
    expect(() =>
      extractAdapter([{ name: "m.q", base: w, tuned: fromArray([[1], [2]]) }], { rank: 1 }),
    ).toThrow(/module m\.q/);
  });
});
