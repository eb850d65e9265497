import { fromArray, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { errorCode } from "../test/error-code";
import {
  fixtureBytes,
  fixtureSafetensors,
  fixtureText,
  PEFT,
  peftEmbeddings,
  rowsOf,
} from "../test/fixture-files";
import { readPromptTuningAdapter } from "./adapter";
import { embedTokens } from "./embed";
import { IGNORE_INDEX, prependCausalLm, prependSeq2Seq } from "./prepend";
import { createSoftPrompt } from "./prompt";

function peftCase() {
  const io = fixtureSafetensors(`${PEFT}/io.safetensors`);
  const { prompt } = readPromptTuningAdapter({
    config: fixtureText(`${PEFT}/adapter/adapter_config.json`),
    weights: fixtureBytes(`${PEFT}/adapter/adapter_model.safetensors`),
  });
  const tensor = (name: string) => io.tensor(name);
  const ids = tensor("input_ids");
  const mask = tensor("attention_mask");
  const labels = tensor("labels");
  return {
    io,
    prompt,
    inputIds: rowsOf(ids.data as BigInt64Array, ids.shape),
    attentionMask: rowsOf(mask.data as BigInt64Array, mask.shape),
    labels: rowsOf(labels.data as BigInt64Array, labels.shape),
  };
}

describe("prependCausalLm on the PEFT 0.21 fixture (llama-prompt-tuning-random)", () => {
  it("gives exactly the inputs_embeds, attention_mask and labels PEFT passed to the model", () => {
    const { io, prompt, inputIds, attentionMask, labels } = peftCase();
    const out = prependCausalLm(prompt, peftEmbeddings(), { inputIds, attentionMask, labels });

    const embeds = io.tensor("captured_inputs_embeds");
    expect(embeds.shape).toEqual([2, 14, 64]);
    const expectedRows = rowsOf(embeds.data as Float32Array, embeds.shape);
    expect(out.inputsEmbeds).toHaveLength(2);
    out.inputsEmbeds.forEach((m, b) => {
      expect([m.rows, m.cols]).toEqual([14, 64]);
      expect(m.data).toEqual(expectedRows[b]);
    });

    const mask = io.tensor("captured_attention_mask");
    expect(out.attentionMask).toEqual(
      rowsOf(mask.data as Float32Array, mask.shape).map((r) => Array.from(r)),
    );
    const capturedLabels = io.tensor("captured_labels");
    expect(out.labels).toEqual(
      rowsOf(capturedLabels.data as BigInt64Array, capturedLabels.shape).map((r) =>
        Array.from(r, Number),
      ),
    );
  });

  it("gives the same inputs_embeds when the batch carries embeddings instead of ids", () => {
    const { io, prompt, inputIds } = peftCase();
    const embeddings = peftEmbeddings();
    const out = prependCausalLm(prompt, null, {
      inputsEmbeds: inputIds.map((ids) => embedTokens(embeddings, ids)),
    });
    const embeds = io.tensor("captured_inputs_embeds");
    const expectedRows = rowsOf(embeds.data as Float32Array, embeds.shape);
    out.inputsEmbeds.forEach((m, b) => {
      expect(m.data).toEqual(expectedRows[b]);
    });
    expect(out.attentionMask).toBeUndefined();
    expect(out.labels).toBeUndefined();
  });

  it("rounds the prompt to the model's storage type, as PEFT's prompts.to(dtype) does", () => {
    const prompt = createSoftPrompt(fromArray([[1 + 2 ** -11, 1 + 2 ** -8, 3]]));
    const e = fromArray([[0, 0, 0]]);
    const f16 = prependCausalLm(prompt, e, { inputIds: [[0]] }, { embeddingDtype: "F16" });
    // 1 + 2^-11 is halfway between two f16 values and rounds to even (1); 1 + 2^-8 is exact.
    expect(Array.from(f16.inputsEmbeds[0].data.subarray(0, 3))).toEqual([1, 1 + 2 ** -8, 3]);
    const bf16 = prependCausalLm(prompt, e, { inputIds: [[0]] }, { embeddingDtype: "BF16" });
    // bf16 keeps 8 significant bits: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 → 1.
    expect(Array.from(bf16.inputsEmbeds[0].data.subarray(0, 3))).toEqual([1, 1, 3]);
  });
});

describe("prependCausalLm errors", () => {
  const e = zeros(10, 4);
  const prompt = createSoftPrompt(zeros(2, 4));

  it("rejects a prompt whose token_dim differs from the model's hidden size", () => {
    expect(
      errorCode(() => prependCausalLm(createSoftPrompt(zeros(2, 5)), e, { inputIds: [[1]] })),
    ).toBe("token_dim_mismatch");
    expect(errorCode(() => prependCausalLm(prompt, null, { inputsEmbeds: [zeros(3, 5)] }))).toBe(
      "token_dim_mismatch",
    );
  });

  it("rejects token ids outside the vocabulary, naming the row and position", () => {
    expect(() =>
      prependCausalLm(prompt, e, {
        inputIds: [
          [1, 2],
          [3, 10],
        ],
      }),
    ).toThrow(/input_ids\[1\]: token id 10 at position 1/);
    expect(errorCode(() => prependCausalLm(prompt, e, { inputIds: [[-1]] }))).toBe(
      "token_id_out_of_range",
    );
    expect(errorCode(() => prependCausalLm(prompt, e, { inputIds: [[1.5]] }))).toBe(
      "token_id_out_of_range",
    );
  });

  it("rejects masks and labels that do not line up with the inputs", () => {
    expect(
      errorCode(() => prependCausalLm(prompt, e, { inputIds: [[1, 2]], attentionMask: [[1]] })),
    ).toBe("batch_shape");
    expect(errorCode(() => prependCausalLm(prompt, e, { inputIds: [[1, 2]], labels: [] }))).toBe(
      "batch_shape",
    );
    expect(errorCode(() => prependCausalLm(prompt, e, {}))).toBe("batch_shape");
    expect(
      errorCode(() => prependCausalLm(prompt, e, { inputIds: [[1]], inputsEmbeds: [zeros(1, 4)] })),
    ).toBe("batch_shape");
    expect(errorCode(() => prependCausalLm(prompt, null, { inputIds: [[1]] }))).toBe("batch_shape");
  });

  it("rejects an encoder–decoder prompt", () => {
    const twoStacks = createSoftPrompt(zeros(4, 4), { numTransformerSubmodules: 2 });
    expect(errorCode(() => prependCausalLm(twoStacks, e, { inputIds: [[1]] }))).toBe(
      "soft_prompt_shape",
    );
  });
});

describe("prependSeq2Seq", () => {
  // Row i of the embedding matrix is [i, i, i]; prompt rows are 100, 101 (encoder), 200, 201 (decoder).
  const e = fromArray(Array.from({ length: 10 }, (_, i) => [i, i, i]));
  const prompt = createSoftPrompt(
    fromArray([
      [100, 100, 100],
      [101, 101, 101],
      [200, 200, 200],
      [201, 201, 201],
    ]),
    { numTransformerSubmodules: 2 },
  );
  const firstColumn = (data: Float32Array) => Array.from(data.filter((_, i) => i % 3 === 0));

  it("feeds rows [0, n) to the encoder and leaves the decoder alone, as PEFT's prompt tuning does", () => {
    const out = prependSeq2Seq(prompt, e, {
      inputIds: [[5, 6, 7]],
      attentionMask: [[1, 1, 0]],
      decoderInputIds: [[0, 8]],
      decoderAttentionMask: [[1, 1]],
      labels: [[8, 9]],
    });
    expect(firstColumn(out.inputsEmbeds[0].data)).toEqual([100, 101, 5, 6, 7]);
    expect(out.attentionMask).toEqual([[1, 1, 1, 1, 0]]);
    expect(out.decoderInputIds).toEqual([[0, 8]]);
    expect(out.decoderInputsEmbeds).toBeUndefined();
    expect(out.decoderAttentionMask).toEqual([[1, 1]]);
    expect(out.labels).toEqual([[8, 9]]);
  });

  it("with decoderPrompt, feeds rows [n, 2n) to the decoder with a prefixed mask and −100 labels", () => {
    const out = prependSeq2Seq(
      prompt,
      e,
      {
        inputIds: [[5, 6, 7]],
        decoderInputIds: [[0, 8]],
        decoderAttentionMask: [[1, 1]],
        labels: [[8, 9]],
      },
      { decoderPrompt: true },
    );
    expect(firstColumn(out.inputsEmbeds[0].data)).toEqual([100, 101, 5, 6, 7]);
    expect(firstColumn(out.decoderInputsEmbeds![0].data as Float32Array)).toEqual([200, 201, 0, 8]);
    expect(out.decoderAttentionMask).toEqual([[1, 1, 1, 1]]);
    expect(out.labels).toEqual([[IGNORE_INDEX, IGNORE_INDEX, 8, 9]]);
    expect(out.decoderInputIds).toBeUndefined();
  });

  it("rejects decoderPrompt without decoder inputs or with a one-submodule prompt", () => {
    expect(() =>
      prependSeq2Seq(prompt, e, { inputIds: [[1]], labels: [[2]] }, { decoderPrompt: true }),
    ).toThrow(/decoderInputIds/);
    expect(() =>
      prependSeq2Seq(
        createSoftPrompt(zeros(2, 3)),
        e,
        { inputIds: [[1]], decoderInputIds: [[0]] },
        { decoderPrompt: true },
      ),
    ).toThrow(/two-submodule/);
  });

  it("uses the whole prompt for the encoder when it has one submodule", () => {
    const one = createSoftPrompt(fromArray([[7, 7, 7]]));
    const out = prependSeq2Seq(one, e, { inputIds: [[2]] });
    expect(firstColumn(out.inputsEmbeds[0].data)).toEqual([7, 2]);
  });
});
