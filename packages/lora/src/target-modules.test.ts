import { describe, expect, it } from "vitest";
import { createLoraConfig } from "./config";
import { isTargetModule } from "./target-modules";

// Expected values follow peft's check_target_module_exists (tuners_utils.py) rule by rule.
describe("isTargetModule", () => {
  it("matches a list by whole name or dotted suffix", () => {
    const config = createLoraConfig({ target_modules: ["q_proj", "self_attn.v_proj"] });
    expect(isTargetModule(config, "model.layers.0.self_attn.q_proj")).toBe(true);
    expect(isTargetModule(config, "model.layers.0.self_attn.v_proj")).toBe(true);
    expect(isTargetModule(config, "q_proj")).toBe(true);
    expect(isTargetModule(config, "model.layers.0.self_attn.xq_proj")).toBe(false);
    expect(isTargetModule(config, "model.layers.0.mlp.v_proj")).toBe(false);
  });

  it("matches a regex string against the whole name (re.fullmatch)", () => {
    const config = createLoraConfig({ target_modules: ".*\\.(q|v)_proj" });
    expect(isTargetModule(config, "model.layers.0.self_attn.q_proj")).toBe(true);
    expect(isTargetModule(config, "model.layers.0.self_attn.q_proj.lora")).toBe(false);
    expect(
      isTargetModule(
        createLoraConfig({ target_modules: "q_proj" }),
        "model.layers.0.self_attn.q_proj",
      ),
    ).toBe(false);
  });

  it("treats all-linear as every linear module but the output embedding", () => {
    const config = createLoraConfig({ target_modules: "ALL-LINEAR" });
    const isLinear = (name: string) => !name.includes("embed");
    expect(isTargetModule(config, "model.layers.0.mlp.up_proj", { isLinear })).toBe(true);
    expect(isTargetModule(config, "lm_head", { isLinear })).toBe(false);
    expect(isTargetModule(config, "model.embed_tokens", { isLinear })).toBe(false);
    expect(isTargetModule(config, "lm_head", { isLinear, outputEmbedding: null })).toBe(true);
  });

  it("applies exclude_modules and modules_to_save first", () => {
    const config = createLoraConfig({
      target_modules: ["q_proj", "score"],
      exclude_modules: ["layers.1.self_attn.q_proj"],
      modules_to_save: ["score"],
    });
    expect(isTargetModule(config, "model.layers.0.self_attn.q_proj")).toBe(true);
    expect(isTargetModule(config, "model.layers.1.self_attn.q_proj")).toBe(false);
    expect(isTargetModule(config, "score")).toBe(false);
    const regexExclude = createLoraConfig({
      target_modules: ["q_proj"],
      exclude_modules: ".*layers\\.1\\..*",
    });
    expect(isTargetModule(regexExclude, "model.layers.1.self_attn.q_proj")).toBe(false);
  });

  it("keeps only layers_to_transform, with and without layers_pattern", () => {
    const byIndex = createLoraConfig({ target_modules: ["q_proj"], layers_to_transform: [1] });
    expect(isTargetModule(byIndex, "model.layers.1.self_attn.q_proj")).toBe(true);
    expect(isTargetModule(byIndex, "model.layers.0.self_attn.q_proj")).toBe(false);
    const byPattern = createLoraConfig({
      target_modules: ["q_proj"],
      layers_to_transform: 0,
      layers_pattern: "layers",
    });
    expect(isTargetModule(byPattern, "model.layers.0.self_attn.q_proj")).toBe(true);
    expect(isTargetModule(byPattern, "model.blocks.0.self_attn.q_proj")).toBe(false);
  });

  it("targets nothing without target_modules", () => {
    expect(isTargetModule(createLoraConfig(), "model.layers.0.self_attn.q_proj")).toBe(false);
  });
});
