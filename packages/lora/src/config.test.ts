import { readFileSync } from "node:fs";
import { TunekitError } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import {
  baseMutatingInitWarning,
  createLoraConfig,
  parseLoraConfig,
  serializeLoraConfig,
  unsupportedLoraFeatures,
} from "./config";

const fixture = (name: string) =>
  readFileSync(
    new URL(`../test/fixtures/${name}/adapter/adapter_config.json`, import.meta.url),
    "utf8",
  );

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("did not throw");
}

describe("parseLoraConfig", () => {
  it("reads peft 0.21's adapter_config.json", () => {
    const config = parseLoraConfig(fixture("llama-lora-basic"));
    expect(config.r).toBe(8);
    expect(config.lora_alpha).toBe(16);
    expect(config.target_modules).toEqual(["v_proj", "q_proj"]);
    expect(config.use_rslora).toBe(false);
    expect(config.fan_in_fan_out).toBe(false);
    expect(config.task_type).toBe("CAUSAL_LM");
    expect(config.init_lora_weights).toBe(false);
    expect(config.extra.peft_version).toBe("0.21.0");
    expect(config.extra.megatron_core).toBe("megatron.core");
  });

  it("writes the file back byte for byte as peft wrote it", () => {
    for (const name of ["llama-lora-basic", "llama-lora-f16-adapter"]) {
      const text = fixture(name);
      expect(serializeLoraConfig(parseLoraConfig(text))).toBe(text);
    }
  });

  it("keeps unknown keys", () => {
    const config = parseLoraConfig(
      '{"peft_type": "LORA", "r": 4, "lora_alpha": 8, "future_option": {"x": [1]}}',
    );
    expect(config.extra.future_option).toEqual({ x: [1] });
    expect(serializeLoraConfig(config)).toContain(
      '"future_option": {\n    "x": [\n      1\n    ]\n  }',
    );
  });

  it("keeps rank_pattern in file order, integer-like keys included", () => {
    const config = parseLoraConfig(
      '{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "rank_pattern": {"q_proj": 4, "1": 2}}',
    );
    expect([...config.rank_pattern.keys()]).toEqual(["q_proj", "1"]);
  });

  it("fails with a typed error naming a missing required key", () => {
    expect(codeOf(() => parseLoraConfig('{"peft_type": "LORA", "lora_alpha": 8}'))).toMatch(
      /^config_missing_key: .*"r"/,
    );
    expect(codeOf(() => parseLoraConfig('{"peft_type": "LORA", "r": 8}'))).toMatch(
      /^config_missing_key: .*"lora_alpha"/,
    );
    expect(codeOf(() => parseLoraConfig('{"r": 8, "lora_alpha": 8}'))).toMatch(
      /^config_missing_key: .*"peft_type"/,
    );
  });

  it("rejects r = 0 and a zero rank_pattern entry", () => {
    expect(codeOf(() => parseLoraConfig('{"peft_type": "LORA", "r": 0, "lora_alpha": 8}'))).toMatch(
      /^invalid_rank: .*got 0/,
    );
    expect(
      codeOf(() =>
        parseLoraConfig(
          '{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "rank_pattern": {"v_proj": 0}}',
        ),
      ),
    ).toMatch(/^invalid_rank: .*rank_pattern\["v_proj"\]/);
    expect(codeOf(() => createLoraConfig({ r: 2.5 }))).toMatch(/^invalid_rank/);
  });

  it("rejects other adapter types and wrongly typed fields", () => {
    expect(
      codeOf(() => parseLoraConfig('{"peft_type": "PROMPT_TUNING", "r": 8, "lora_alpha": 8}')),
    ).toMatch(/^config_peft_type/);
    expect(
      codeOf(() =>
        parseLoraConfig('{"peft_type": "LORA", "r": 8, "lora_alpha": 8, "use_rslora": "yes"}'),
      ),
    ).toMatch(/^config_invalid_value: .*"use_rslora"/);
    expect(codeOf(() => parseLoraConfig("{"))).toMatch(/^json_syntax/);
  });
});

describe("createLoraConfig", () => {
  it("fills peft's defaults", () => {
    const config = createLoraConfig();
    expect([config.r, config.lora_alpha, config.init_lora_weights, config.bias]).toEqual([
      8,
      8,
      true,
      "none",
    ]);
    const json = JSON.parse(serializeLoraConfig(config));
    expect(json.megatron_core).toBe("megatron.core");
    expect(json.rank_pattern).toEqual({});
    expect(json.lora_dropout).toBe(0);
  });
});

describe("feature checks", () => {
  it("lists variants this package does not implement", () => {
    expect(unsupportedLoraFeatures(parseLoraConfig(fixture("llama-lora-basic")))).toEqual([]);
    expect(
      unsupportedLoraFeatures(
        createLoraConfig({ extra: { use_qalora: true, kasa_config: { x: 1 } } }),
      ),
    ).toEqual(["kasa_config", "use_qalora"]);
  });

  it("warns about inits that change the base weights", () => {
    expect(
      baseMutatingInitWarning(createLoraConfig({ init_lora_weights: "pissa_niter_4" })),
    ).toContain("pissa");
    expect(
      baseMutatingInitWarning(createLoraConfig({ init_lora_weights: "gaussian" })),
    ).toBeUndefined();
  });
});
