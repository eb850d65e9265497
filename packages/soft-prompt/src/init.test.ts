import { fromArray } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { errorCode } from "../test/error-code";
import { fixtureText } from "../test/fixture-files";
import {
  fitInitTokenIds,
  initTextTokenIds,
  randomSoftPrompt,
  sampleVocabSoftPrompt,
  sampleVocabTokenIds,
  softPromptFromTokenIds,
  textSoftPrompt,
} from "./init";
import { loadTokenizer } from "./tokenizer";

// Word-level vocabulary of test/fixtures/word-level/tokenizer.json: <unk> 0, <s> 1, </s> 2,
// summarize 3, the 4, dialogue 5, classify 6, sentiment 7, of 8, this 9, review 10,
// translate 11, to 12, french 13, positive 14, negative 15. Its post-processor puts <s> first.
const tokenizer = loadTokenizer(fixtureText("word-level/tokenizer.json"));

// Row i of this 16 × 3 embedding matrix is [i, −i, i / 4]: every row is distinct and exact in f32.
const embeddings = fromArray(Array.from({ length: 16 }, (_, i) => [i, -i, i / 4]));
const rowIds = (data: Float32Array) => Array.from(data.filter((_, k) => k % 3 === 0));

describe("TEXT initialisation (PEFT PromptTuningInit.TEXT)", () => {
  it("encodes the init text with the BOS the tokenizer adds", () => {
    // "<s> summarize the dialogue" — the text lowercased by the normalizer.
    expect(initTextTokenIds(tokenizer, "Summarize the dialogue", { numVirtualTokens: 4 })).toEqual([
      1, 3, 4, 5,
    ]);
  });

  it("keeps the first num_virtual_tokens ids when the text is longer", () => {
    expect(initTextTokenIds(tokenizer, "Summarize the dialogue", { numVirtualTokens: 2 })).toEqual([
      1, 3,
    ]);
    // <s> classify the sentiment of this review = 7 ids, cut to 5.
    expect(
      initTextTokenIds(tokenizer, "classify the sentiment of this review", { numVirtualTokens: 5 }),
    ).toEqual([1, 6, 4, 7, 8]);
  });

  it("repeats the whole id list, BOS included, then cuts, when the text is shorter", () => {
    // ceil(10 / 4) = 3 copies of [1, 3, 4, 5], cut to 10.
    expect(initTextTokenIds(tokenizer, "Summarize the dialogue", { numVirtualTokens: 10 })).toEqual(
      [1, 3, 4, 5, 1, 3, 4, 5, 1, 3],
    );
    // exactly two copies
    expect(initTextTokenIds(tokenizer, "summarize the dialogue", { numVirtualTokens: 8 })).toEqual([
      1, 3, 4, 5, 1, 3, 4, 5,
    ]);
  });

  it("fills num_virtual_tokens × num_transformer_submodules rows", () => {
    // 3 virtual tokens × 2 submodules = 6 rows: [1, 3, 4, 5] repeated, cut to 6.
    expect(
      initTextTokenIds(tokenizer, "Summarize the dialogue", {
        numVirtualTokens: 3,
        numTransformerSubmodules: 2,
      }),
    ).toEqual([1, 3, 4, 5, 1, 3]);
  });

  it("maps out-of-vocabulary words to the unknown token", () => {
    expect(initTextTokenIds(tokenizer, "translate to klingon", { numVirtualTokens: 4 })).toEqual([
      1, 11, 12, 0,
    ]);
  });

  it("copies the embedding rows of those ids as f32", () => {
    const prompt = textSoftPrompt(embeddings, tokenizer, "Summarize the dialogue", {
      numVirtualTokens: 6,
    });
    expect(prompt.promptEmbeddings.data).toBeInstanceOf(Float32Array);
    expect([prompt.promptEmbeddings.rows, prompt.promptEmbeddings.cols]).toEqual([6, 3]);
    expect(Array.from(prompt.promptEmbeddings.data.subarray(0, 6))).toEqual([
      1, -1, 0.25, 3, -3, 0.75,
    ]);
    expect(rowIds(prompt.promptEmbeddings.data)).toEqual([1, 3, 4, 5, 1, 3]);
    expect(prompt.numVirtualTokens).toBe(6);
  });

  it("copies rows of an f64 embedding matrix into f32 storage", () => {
    const e64 = fromArray([[0.1], [0.2]], { dtype: "f64" });
    const prompt = softPromptFromTokenIds(e64, [1]);
    expect(prompt.promptEmbeddings.data).toEqual(new Float32Array([0.2]));
  });

  it("rejects an empty or blank init text with empty_init_text", () => {
    expect(errorCode(() => initTextTokenIds(tokenizer, "", { numVirtualTokens: 4 }))).toBe(
      "empty_init_text",
    );
    expect(
      errorCode(() => textSoftPrompt(embeddings, tokenizer, "  \n", { numVirtualTokens: 4 })),
    ).toBe("empty_init_text");
    const silent = { encode: () => [], idToToken: () => undefined };
    expect(errorCode(() => initTextTokenIds(silent, "words", { numVirtualTokens: 4 }))).toBe(
      "empty_init_text",
    );
  });

  it("rejects a tokenizer whose ids run past the embedding matrix", () => {
    const small = fromArray([[0], [1], [2]]);
    expect(() =>
      textSoftPrompt(small, tokenizer, "Summarize the dialogue", { numVirtualTokens: 4 }),
    ).toThrow(/token id 3 at position 1 is not in the vocabulary/);
  });

  it("rejects bad sizes", () => {
    expect(errorCode(() => initTextTokenIds(tokenizer, "the", { numVirtualTokens: 0 }))).toBe(
      "soft_prompt_shape",
    );
    expect(
      errorCode(() =>
        initTextTokenIds(tokenizer, "the", { numVirtualTokens: 2, numTransformerSubmodules: 3 }),
      ),
    ).toBe("soft_prompt_shape");
  });
});

describe("fitInitTokenIds", () => {
  it("cuts, repeats and passes through as PEFT's PromptEmbedding does", () => {
    expect(fitInitTokenIds([7, 8, 9], 2)).toEqual([7, 8]);
    expect(fitInitTokenIds([7, 8, 9], 3)).toEqual([7, 8, 9]);
    expect(fitInitTokenIds([7, 8, 9], 7)).toEqual([7, 8, 9, 7, 8, 9, 7]);
    expect(fitInitTokenIds([7], 3)).toEqual([7, 7, 7]);
  });
});

describe("initialisation from given token ids", () => {
  it("uses one row per id without a size", () => {
    const prompt = softPromptFromTokenIds(embeddings, [15, 2, 9]);
    expect(rowIds(prompt.promptEmbeddings.data)).toEqual([15, 2, 9]);
  });

  it("fits the ids to numVirtualTokens when given", () => {
    const prompt = softPromptFromTokenIds(embeddings, [15, 2], { numVirtualTokens: 5 });
    expect(rowIds(prompt.promptEmbeddings.data)).toEqual([15, 2, 15, 2, 15]);
  });

  it("accepts BigInt64Array ids (I64 tensors)", () => {
    const prompt = softPromptFromTokenIds(embeddings, new BigInt64Array([3n, 4n]));
    expect(rowIds(prompt.promptEmbeddings.data)).toEqual([3, 4]);
  });

  it("rejects ids outside the vocabulary", () => {
    expect(errorCode(() => softPromptFromTokenIds(embeddings, [16]))).toBe("token_id_out_of_range");
    expect(errorCode(() => softPromptFromTokenIds(embeddings, [-1]))).toBe("token_id_out_of_range");
  });

  it("rejects an id list that does not split between two submodules", () => {
    expect(
      errorCode(() =>
        softPromptFromTokenIds(embeddings, [1, 2, 3], { numTransformerSubmodules: 2 }),
      ),
    ).toBe("soft_prompt_shape");
    expect(errorCode(() => softPromptFromTokenIds(embeddings, []))).toBe("empty_init_text");
  });
});

describe("RANDOM initialisation", () => {
  it("is N(0, 1), seeded, of the right shape", () => {
    const a = randomSoftPrompt({ numVirtualTokens: 50, tokenDim: 40 }, { seed: 3 });
    const b = randomSoftPrompt({ numVirtualTokens: 50, tokenDim: 40 }, { seed: 3 });
    const c = randomSoftPrompt({ numVirtualTokens: 50, tokenDim: 40 }, { seed: 4 });
    expect([a.promptEmbeddings.rows, a.promptEmbeddings.cols]).toEqual([50, 40]);
    expect(a.promptEmbeddings.data).toEqual(b.promptEmbeddings.data);
    expect(a.promptEmbeddings.data).not.toEqual(c.promptEmbeddings.data);
    const values = Array.from(a.promptEmbeddings.data);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
    // 2,000 draws: the standard error of the mean is about 0.022.
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.15);
  });

  it("makes 2n rows for an encoder–decoder prompt", () => {
    const p = randomSoftPrompt({ numVirtualTokens: 3, tokenDim: 4, numTransformerSubmodules: 2 });
    expect([p.promptEmbeddings.rows, p.numVirtualTokens, p.numTransformerSubmodules]).toEqual([
      6, 3, 2,
    ]);
  });
});

describe("SAMPLE_VOCAB initialisation", () => {
  it("draws ids uniformly with replacement from the whole vocabulary", () => {
    const ids = sampleVocabTokenIds(4, { numVirtualTokens: 4000 }, { seed: 1 });
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[id]++;
    // With replacement: repeats happen (without replacement 4,000 draws from 4 ids would be impossible).
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(120);
    expect(sampleVocabTokenIds(4, { numVirtualTokens: 5 }, { seed: 1 })).toEqual(ids.slice(0, 5));
  });

  it("copies the embedding rows of the drawn ids", () => {
    const prompt = sampleVocabSoftPrompt(embeddings, { numVirtualTokens: 6 }, { seed: 9 });
    expect(rowIds(prompt.promptEmbeddings.data)).toEqual(
      sampleVocabTokenIds(16, { numVirtualTokens: 6 }, { seed: 9 }),
    );
  });
});
