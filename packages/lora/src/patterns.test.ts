import { describe, expect, it } from "vitest";
import { createLoraConfig } from "./config";
import { exactModulePattern, findPatternKey, resolveModuleSettings } from "./patterns";
import { pythonReMatch } from "./python-regex";

const NAME = "model.layers.0.self_attn.q_proj";

describe("findPatternKey", () => {
  // Expected: peft's get_pattern_key on the same keys, run in Python 3 (None = no match).
  const cases: [string[], string | undefined][] = [
    [["q_proj"], "q_proj"],
    [["proj"], undefined], // a suffix must be whole dotted segments
    [["attn.q_proj"], undefined],
    [["self_attn.q_proj"], "self_attn.q_proj"],
    [["0.self_attn.q_proj"], "0.self_attn.q_proj"],
    [["^model.layers.0.self_attn.q_proj"], "^model.layers.0.self_attn.q_proj"],
    [["^layers.0.self_attn.q_proj"], undefined],
    [["layers\\.1\\..*", "layers\\.0\\..*", "q_proj"], "layers\\.0\\..*"], // first match in order
    [["q_proj|v_proj"], "q_proj|v_proj"],
    [[".*attn.q_proj"], ".*attn.q_proj"],
  ];
  for (const [keys, expected] of cases) {
    it(`${JSON.stringify(keys)} → ${expected}`, () => {
      expect(findPatternKey(keys, NAME)).toBe(expected);
    });
  }
});

describe("resolveModuleSettings", () => {
  const config = createLoraConfig({
    r: 8,
    lora_alpha: 16,
    use_rslora: true,
    rank_pattern: [
      ["layers\\.0\\.self_attn\\.v_proj", 4],
      ["v_proj", 2],
    ],
    alpha_pattern: { q_proj: 3 },
  });

  it("takes rank and alpha from separate patterns, first match wins, rsLoRA scaling", () => {
    // v_proj in layer 0: r from the first rank pattern, default alpha, 16/√4 = 8.
    expect(resolveModuleSettings(config, "model.layers.0.self_attn.v_proj")).toMatchObject({
      r: 4,
      alpha: 16,
      scaling: 8,
    });
    // v_proj in layer 1: the second rank pattern, 16/√2.
    expect(resolveModuleSettings(config, "model.layers.1.self_attn.v_proj").scaling).toBeCloseTo(
      16 / Math.SQRT2,
      12,
    );
    // q_proj: default rank 8, alpha 3 → 3/√8.
    const q = resolveModuleSettings(config, NAME);
    expect([q.r, q.alpha, q.rankPatternKey, q.alphaPatternKey]).toEqual([
      8,
      3,
      undefined,
      "q_proj",
    ]);
    expect(q.scaling).toBeCloseTo(3 / Math.sqrt(8), 12);
  });

  it("uses alpha / r without rsLoRA", () => {
    const plain = createLoraConfig({ r: 8, lora_alpha: 16, rank_pattern: { v_proj: 4 } });
    expect(resolveModuleSettings(plain, "model.layers.0.self_attn.v_proj").scaling).toBe(4);
    expect(resolveModuleSettings(plain, NAME).scaling).toBe(2);
  });
});

describe("exactModulePattern", () => {
  it("matches its module and no other", () => {
    const key = exactModulePattern(NAME);
    expect(findPatternKey([key], NAME)).toBe(key);
    expect(findPatternKey([key], `vision.${NAME}`)).toBeUndefined();
    expect(findPatternKey([key], "model.layers.0.self_attn.q_projx")).toBeUndefined();
    expect(findPatternKey([key], "model.layers.0Xself_attn.q_proj")).toBeUndefined();
    expect(pythonReMatch(key, NAME)).not.toBeNull();
  });
});
