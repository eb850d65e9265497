import { fromArray, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { errorCode } from "../test/error-code";
import { assertPromptFitsEmbeddings, createSoftPrompt, submodulePrompt } from "./prompt";

describe("createSoftPrompt", () => {
  it("splits rows between submodules and keeps f32 data without copying", () => {
    const m = zeros(6, 4);
    const prompt = createSoftPrompt(m, { numTransformerSubmodules: 2 });
    expect([prompt.numVirtualTokens, prompt.tokenDim]).toEqual([3, 4]);
    expect(prompt.promptEmbeddings.data).toBe(m.data);
  });

  it("converts f64 data to f32", () => {
    const prompt = createSoftPrompt(fromArray([[0.1]], { dtype: "f64" }));
    expect(prompt.promptEmbeddings.data).toEqual(new Float32Array([0.1]));
  });

  it("rejects shapes that cannot be a prompt", () => {
    expect(errorCode(() => createSoftPrompt(zeros(3, 4), { numTransformerSubmodules: 2 }))).toBe(
      "soft_prompt_shape",
    );
    expect(errorCode(() => createSoftPrompt(zeros(0, 4)))).toBe("soft_prompt_shape");
    expect(errorCode(() => createSoftPrompt(zeros(2, 4), { numTransformerSubmodules: 3 }))).toBe(
      "soft_prompt_shape",
    );
    expect(
      errorCode(() => assertPromptFitsEmbeddings(createSoftPrompt(zeros(1, 4)), zeros(9, 5))),
    ).toBe("token_dim_mismatch");
  });
});

describe("submodulePrompt", () => {
  it("views rows [0, n) for the encoder and [n, 2n) for the decoder", () => {
    const prompt = createSoftPrompt(fromArray([[1], [2], [3], [4]]), {
      numTransformerSubmodules: 2,
    });
    expect(Array.from(submodulePrompt(prompt, 0).data)).toEqual([1, 2]);
    expect(Array.from(submodulePrompt(prompt, 1).data)).toEqual([3, 4]);
    expect(() => submodulePrompt(prompt, 2)).toThrow(/submodule 2 does not exist/);
  });
});
