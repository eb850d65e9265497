import { readSafetensors, writeSafetensors, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { errorCode } from "../test/error-code";
import { fixtureBytes, fixtureSafetensors, fixtureText, PEFT } from "../test/fixture-files";
import {
  formatPromptTuningConfig,
  parsePromptTuningConfig,
  promptTuningConfig,
  readPromptTuningAdapter,
  writePromptTuningAdapter,
} from "./adapter";
import { createSoftPrompt } from "./prompt";

const configText = fixtureText(`${PEFT}/adapter/adapter_config.json`);
const weights = fixtureBytes(`${PEFT}/adapter/adapter_model.safetensors`);

describe("PEFT prompt-tuning adapter files (fixture saved by peft 0.21.0)", () => {
  it("loads prompt_embeddings equal to the prompt PEFT used", () => {
    const { config, prompt } = readPromptTuningAdapter({ config: configText, weights });
    const io = fixtureSafetensors(`${PEFT}/io.safetensors`);
    expect(prompt.promptEmbeddings.data).toEqual(io.tensor("prompt").data);
    expect([prompt.numVirtualTokens, prompt.numTransformerSubmodules, prompt.tokenDim]).toEqual([
      8, 1, 64,
    ]);
    expect(config).toMatchObject({
      peftType: "PROMPT_TUNING",
      taskType: "CAUSAL_LM",
      numVirtualTokens: 8,
      tokenDim: 64,
      numTransformerSubmodules: 1,
      numAttentionHeads: 4,
      numLayers: 2,
      promptTuningInit: "RANDOM",
      promptTuningInitText: null,
      inferenceMode: true,
      peftVersion: "0.21.0",
      extra: {},
    });
  });

  it("writes both files byte for byte as PEFT wrote them", () => {
    const adapter = readPromptTuningAdapter({ config: configText, weights });
    const files = writePromptTuningAdapter(adapter);
    expect(files.config).toBe(configText);
    expect(Buffer.from(files.weights).equals(Buffer.from(weights))).toBe(true);
  });

  it("writes PEFT's config for a fresh prompt with the same defaults PEFT saves", () => {
    const prompt = createSoftPrompt(zeros(8, 64));
    const text = formatPromptTuningConfig(
      promptTuningConfig(prompt, { numAttentionHeads: 4, numLayers: 2 }),
    );
    expect(text).toBe(configText);
  });

  it("keeps unknown fields and escapes non-ASCII text as Python's json.dumps does", () => {
    const raw = JSON.parse(configText);
    raw.prompt_tuning_init = "PromptTuningInit.TEXT";
    raw.prompt_tuning_init_text = "Résumé ✓ 𝄞";
    raw.future_field = { b: 1, a: [] };
    const config = parsePromptTuningConfig(raw);
    expect(config.promptTuningInit).toBe("TEXT");
    expect(config.extra).toEqual({ future_field: { b: 1, a: [] } });
    const text = formatPromptTuningConfig(config);
    expect(text).toContain('"future_field": {\n    "a": [],\n    "b": 1\n  },');
    expect(text).toContain(
      '"prompt_tuning_init_text": "R\\u00e9sum\\u00e9 \\u2713 \\ud834\\udd1e"',
    );
    expect(JSON.parse(text).prompt_tuning_init_text).toBe("Résumé ✓ 𝄞");
  });

  it("fills num_transformer_submodules from the task type when missing", () => {
    const base = { peft_type: "PROMPT_TUNING", num_virtual_tokens: 4, token_dim: 8 };
    expect(
      parsePromptTuningConfig({ ...base, task_type: "SEQ_2_SEQ_LM" }).numTransformerSubmodules,
    ).toBe(2);
    expect(
      parsePromptTuningConfig({ ...base, task_type: "CAUSAL_LM" }).numTransformerSubmodules,
    ).toBe(1);
  });

  it("rejects other adapter types and malformed fields", () => {
    expect(errorCode(() => parsePromptTuningConfig('{"peft_type": "LORA"}'))).toBe(
      "adapter_config",
    );
    expect(() => parsePromptTuningConfig('{"peft_type": "LORA"}')).toThrow(/@tunekit\/lora/);
    expect(errorCode(() => parsePromptTuningConfig("not json"))).toBe("adapter_config");
    expect(
      errorCode(() =>
        parsePromptTuningConfig({
          peft_type: "PROMPT_TUNING",
          num_virtual_tokens: "8",
          token_dim: 64,
        }),
      ),
    ).toBe("adapter_config");
    expect(
      errorCode(() =>
        parsePromptTuningConfig({
          peft_type: "PROMPT_TUNING",
          num_virtual_tokens: 8,
          token_dim: 64,
          prompt_tuning_init: "ZEROS",
        }),
      ),
    ).toBe("adapter_config");
  });

  it("rejects weights whose shape disagrees with the config, or that lack prompt_embeddings", () => {
    const raw = JSON.parse(configText);
    raw.token_dim = 32;
    expect(() => readPromptTuningAdapter({ config: raw, weights })).toThrow(
      /prompt_embeddings has shape \[8, 64\].*\[8, 32\]/,
    );
    const other = writeSafetensors({
      "base_model.model.q_proj.lora_A.weight": {
        dtype: "F32",
        shape: [1, 1],
        data: new Float32Array(1),
      },
    });
    expect(errorCode(() => readPromptTuningAdapter({ config: configText, weights: other }))).toBe(
      "adapter_weights",
    );
  });

  it("decodes F16 and BF16 prompt_embeddings to f32", () => {
    const bits = new Uint16Array([0x3c00, 0xc000]); // f16: 1, -2
    const f16 = writeSafetensors({
      prompt_embeddings: { dtype: "F16", shape: [1, 2], data: bits },
    });
    const config = { peft_type: "PROMPT_TUNING", num_virtual_tokens: 1, token_dim: 2 };
    expect(
      Array.from(readPromptTuningAdapter({ config, weights: f16 }).prompt.promptEmbeddings.data),
    ).toEqual([1, -2]);
    const bf = new Uint16Array([0x3f80, 0x4040]); // bf16: 1, 3
    const bf16 = writeSafetensors({
      prompt_embeddings: { dtype: "BF16", shape: [1, 2], data: bf },
    });
    expect(
      Array.from(readPromptTuningAdapter({ config, weights: bf16 }).prompt.promptEmbeddings.data),
    ).toEqual([1, 3]);
  });

  it("round-trips a two-submodule prompt", () => {
    const prompt = createSoftPrompt(
      { rows: 4, cols: 2, data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]) },
      { numTransformerSubmodules: 2 },
    );
    const files = writePromptTuningAdapter({ prompt, config: promptTuningConfig(prompt) });
    const back = readPromptTuningAdapter(files);
    expect(back.config.taskType).toBe("SEQ_2_SEQ_LM");
    expect(back.prompt).toEqual(prompt);
    expect(readSafetensors(files.weights).info("prompt_embeddings").shape).toEqual([4, 2]);
  });
});
