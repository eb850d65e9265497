import { createRng, type Matrix, type Rng, randomNormal, TunekitError } from "@tunekit/tensor";
import { checkedTokenId, embedTokens, type TokenIds } from "./embed";
import { createSoftPrompt, type SoftPrompt } from "./prompt";
import type { PromptTokenizer } from "./tokenizer";

/**
 * How a soft prompt starts, in PEFT's words (`prompt_tuning_init`): `RANDOM` draws each
 * value from N(0, 1); `TEXT` copies the embeddings of the tokens of a text; `SAMPLE_VOCAB`
 * copies the embeddings of randomly drawn vocabulary tokens.
 *
 * @example
 * ```ts
 * import type { PromptTuningInit } from "@tunekit/soft-prompt";
 * const init: PromptTuningInit = "TEXT";
 * ```
 */
export type PromptTuningInit = "RANDOM" | "TEXT" | "SAMPLE_VOCAB";

/**
 * The size of a soft prompt, shared by the init functions.
 *
 * @example
 * ```ts
 * import { randomSoftPrompt, type SoftPromptSize } from "@tunekit/soft-prompt";
 * const size: SoftPromptSize = { numVirtualTokens: 20, numTransformerSubmodules: 2 };
 * const prompt = randomSoftPrompt({ ...size, tokenDim: 512 });
 * ```
 */
export interface SoftPromptSize {
  /** Virtual tokens per transformer submodule (PEFT's `num_virtual_tokens`). */
  numVirtualTokens: number;
  /** 1 for decoder-only models, 2 for encoder–decoder models. Default 1. */
  numTransformerSubmodules?: number;
}

/**
 * Where random draws come from: a seed, or a generator to continue.
 *
 * @example
 * ```ts
 * import { randomSoftPrompt, type PromptRandomSource } from "@tunekit/soft-prompt";
 * import { createRng } from "@tunekit/tensor";
 * const seeded: PromptRandomSource = { seed: 42 };
 * const shared: PromptRandomSource = { rng: createRng(7) };
 * randomSoftPrompt({ numVirtualTokens: 4, tokenDim: 8 }, seeded);
 * ```
 */
export interface PromptRandomSource {
  /** Seed of the generator (`createRng`). Default 0. Ignored when `rng` is given. */
  seed?: number;
  /** A generator to draw from instead of a fresh one. */
  rng?: Rng;
}

function totalVirtualTokens(size: SoftPromptSize): number {
  const { numVirtualTokens, numTransformerSubmodules = 1 } = size;
  if (!Number.isSafeInteger(numVirtualTokens) || numVirtualTokens < 1) {
    throw new TunekitError(
      "soft_prompt_shape",
      `num_virtual_tokens must be a whole number ≥ 1, got ${numVirtualTokens}`,
    );
  }
  if (numTransformerSubmodules !== 1 && numTransformerSubmodules !== 2) {
    throw new TunekitError(
      "soft_prompt_shape",
      `num_transformer_submodules must be 1 or 2, got ${numTransformerSubmodules}`,
    );
  }
  return numVirtualTokens * numTransformerSubmodules;
}

/**
 * Fits a list of init token ids to the number of prompt rows the way PEFT's
 * `PromptEmbedding` does: a longer list is cut to its first `total` ids; a shorter one
 * is repeated whole `⌈total / length⌉` times and then cut. (`[1, 3, 4, 5]` for 10 rows
 * gives `[1, 3, 4, 5, 1, 3, 4, 5, 1, 3]`.)
 *
 * @param ids - the token ids, at least one.
 * @param total - rows to fill: `num_virtual_tokens × num_transformer_submodules`.
 * @returns exactly `total` ids.
 * @throws TunekitError `empty_init_text` when `ids` is empty.
 * @example
 * ```ts
 * import { fitInitTokenIds } from "@tunekit/soft-prompt";
 * console.log(fitInitTokenIds([1, 3, 4, 5], 10)); // [1, 3, 4, 5, 1, 3, 4, 5, 1, 3]
 * console.log(fitInitTokenIds([1, 3, 4, 5], 2)); // [1, 3]
 * ```
 */
export function fitInitTokenIds(ids: readonly number[], total: number): number[] {
  if (ids.length === 0) {
    throw new TunekitError(
      "empty_init_text",
      "there are no init token ids to copy; give a non-empty init text or list of token ids",
    );
  }
  const out = new Array<number>(total);
  for (let i = 0; i < total; i++) out[i] = ids[i % ids.length];
  return out;
}

/**
 * The token ids a `TEXT` initialisation copies: the init text encoded with the special
 * tokens the tokenizer adds (PEFT calls `tokenizer(init_text)["input_ids"]`), fitted to
 * `numVirtualTokens × numTransformerSubmodules` rows by {@link fitInitTokenIds}.
 *
 * @param tokenizer - the model's tokenizer.
 * @param text - the init text, such as a task description.
 * @param size - the prompt size.
 * @returns one id per prompt row.
 * @throws TunekitError `empty_init_text` when the text is empty or only whitespace, or
 * encodes to no tokens; `soft_prompt_shape` for a bad size.
 * @example
 * ```ts
 * import { initTextTokenIds, loadTokenizer } from "@tunekit/soft-prompt";
 * declare const tokenizerJson: string; // the contents of tokenizer.json
 * const ids = initTextTokenIds(loadTokenizer(tokenizerJson), "Summarize the dialogue", {
 *   numVirtualTokens: 10,
 * });
 * ```
 */
export function initTextTokenIds(
  tokenizer: PromptTokenizer,
  text: string,
  size: SoftPromptSize,
): number[] {
  const total = totalVirtualTokens(size);
  if (text.trim() === "") {
    throw new TunekitError(
      "empty_init_text",
      `the init text ${JSON.stringify(text)} is empty; TEXT initialisation copies the embeddings of the text's tokens, so give a short description of the task`,
    );
  }
  const ids = tokenizer.encode(text);
  if (ids.length === 0) {
    throw new TunekitError(
      "empty_init_text",
      `the init text ${JSON.stringify(text)} encodes to no tokens with this tokenizer; give a different text`,
    );
  }
  return fitInitTokenIds(ids, total);
}

/**
 * A soft prompt whose rows are embedding-matrix rows of the given token ids, copied as
 * f32. With `numVirtualTokens`, the ids are fitted to the prompt size by
 * {@link fitInitTokenIds}; without it, there is one virtual token per id (per submodule).
 *
 * @param embeddings - the frozen model's input embedding matrix, `vocab × hidden`.
 * @param ids - token ids, each in `[0, vocab)`.
 * @param size - the prompt size; `numVirtualTokens` may be left out (see above).
 * @returns the soft prompt.
 * @throws TunekitError `token_id_out_of_range` for an id outside the vocabulary,
 * `empty_init_text` for no ids, `soft_prompt_shape` for a bad size.
 * @example
 * ```ts
 * import { softPromptFromTokenIds } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const embeddings = zeros(128, 64);
 * const prompt = softPromptFromTokenIds(embeddings, [3, 96, 29], { numVirtualTokens: 8 });
 * console.log(prompt.promptEmbeddings.rows); // 8
 * ```
 */
export function softPromptFromTokenIds(
  embeddings: Matrix,
  ids: TokenIds,
  size: Partial<SoftPromptSize> = {},
): SoftPrompt {
  const numTransformerSubmodules = size.numTransformerSubmodules ?? 1;
  const list = Array.from({ length: ids.length }, (_, i) =>
    checkedTokenId(ids, i, embeddings.rows, "init token ids"),
  );
  let rows: number[];
  if (size.numVirtualTokens === undefined) {
    if (list.length === 0 || list.length % numTransformerSubmodules !== 0) {
      throw new TunekitError(
        list.length === 0 ? "empty_init_text" : "soft_prompt_shape",
        `${list.length} init token ids cannot fill ${numTransformerSubmodules} transformer submodules evenly; pass numVirtualTokens to repeat or cut them`,
      );
    }
    rows = list;
  } else {
    rows = fitInitTokenIds(
      list,
      totalVirtualTokens({ numVirtualTokens: size.numVirtualTokens, numTransformerSubmodules }),
    );
  }
  return createSoftPrompt(embedTokens(embeddings, rows, "init token ids"), {
    numTransformerSubmodules,
  });
}

/**
 * `TEXT` initialisation (PEFT `PromptTuningInit.TEXT`): the prompt rows are the
 * embeddings of the init text's tokens, special tokens included, cut or repeated to the
 * prompt size (see {@link initTextTokenIds}), copied as f32. In Lester et al.'s (2021)
 * ablation of initialisations, starting from real token embeddings beat random ones.
 *
 * @param embeddings - the frozen model's input embedding matrix, `vocab × hidden`.
 * @param tokenizer - the model's tokenizer.
 * @param text - the init text.
 * @param size - the prompt size.
 * @returns the soft prompt.
 * @throws TunekitError `empty_init_text`, `token_id_out_of_range` (the tokenizer's
 * vocabulary is larger than the embedding matrix), `soft_prompt_shape`.
 * @example
 * ```ts
 * import { loadTokenizer, textSoftPrompt } from "@tunekit/soft-prompt";
 * import type { Matrix } from "@tunekit/tensor";
 * declare const embeddings: Matrix; // model.embed_tokens.weight
 * declare const tokenizerJson: string; // tokenizer.json
 * const prompt = textSoftPrompt(embeddings, loadTokenizer(tokenizerJson),
 *   "Classify the sentiment of this review", { numVirtualTokens: 20 });
 * ```
 */
export function textSoftPrompt(
  embeddings: Matrix,
  tokenizer: PromptTokenizer,
  text: string,
  size: SoftPromptSize,
): SoftPrompt {
  const ids = initTextTokenIds(tokenizer, text, size);
  return createSoftPrompt(embedTokens(embeddings, ids, `init text ${JSON.stringify(text)}`), {
    numTransformerSubmodules: size.numTransformerSubmodules ?? 1,
  });
}

/**
 * `RANDOM` initialisation (PEFT's default): every value drawn from N(0, 1), the
 * initialisation of torch's `nn.Embedding`, from the seeded generator so the same seed
 * gives the same prompt on every platform. (PEFT's own values come from torch's
 * generator and cannot be reproduced; the distribution is the same.)
 *
 * @param size - the prompt size plus `tokenDim`, the model's hidden size.
 * @param random - the seed (default 0) or generator.
 * @returns the soft prompt.
 * @throws TunekitError `soft_prompt_shape` for a bad size.
 * @example
 * ```ts
 * import { randomSoftPrompt } from "@tunekit/soft-prompt";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 20, tokenDim: 4096 }, { seed: 42 });
 * ```
 */
export function randomSoftPrompt(
  size: SoftPromptSize & { tokenDim: number },
  random: PromptRandomSource = {},
): SoftPrompt {
  const total = totalVirtualTokens(size);
  if (!Number.isSafeInteger(size.tokenDim) || size.tokenDim < 1) {
    throw new TunekitError(
      "soft_prompt_shape",
      `token_dim must be a whole number ≥ 1, got ${size.tokenDim}`,
    );
  }
  const rng = random.rng ?? createRng(random.seed ?? 0);
  const values = randomNormal(total, size.tokenDim, { rng, dtype: "f32" });
  return createSoftPrompt(values, { numTransformerSubmodules: size.numTransformerSubmodules ?? 1 });
}

/**
 * The token ids a `SAMPLE_VOCAB` initialisation copies: `total` ids drawn uniformly from
 * `[0, vocabSize)` independently, so with replacement (PEFT uses `torch.randint`).
 *
 * @param vocabSize - rows of the embedding matrix.
 * @param size - the prompt size.
 * @param random - the seed (default 0) or generator.
 * @returns one id per prompt row.
 * @throws TunekitError `soft_prompt_shape` for a bad size or an empty vocabulary.
 * @example
 * ```ts
 * import { sampleVocabTokenIds } from "@tunekit/soft-prompt";
 * const ids = sampleVocabTokenIds(32000, { numVirtualTokens: 20 }, { seed: 1 });
 * ```
 */
export function sampleVocabTokenIds(
  vocabSize: number,
  size: SoftPromptSize,
  random: PromptRandomSource = {},
): number[] {
  const total = totalVirtualTokens(size);
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 1) {
    throw new TunekitError(
      "soft_prompt_shape",
      `the vocabulary must have at least one token, got ${vocabSize}`,
    );
  }
  const rng = random.rng ?? createRng(random.seed ?? 0);
  return Array.from({ length: total }, () => rng.int(vocabSize));
}

/**
 * `SAMPLE_VOCAB` initialisation (PEFT `PromptTuningInit.SAMPLE_VOCAB`): each prompt row
 * is the embedding of a token drawn uniformly from the whole vocabulary, with
 * replacement ({@link sampleVocabTokenIds}), copied as f32.
 *
 * @param embeddings - the frozen model's input embedding matrix, `vocab × hidden`.
 * @param size - the prompt size.
 * @param random - the seed (default 0) or generator.
 * @returns the soft prompt.
 * @throws TunekitError `soft_prompt_shape` for a bad size.
 * @example
 * ```ts
 * import { sampleVocabSoftPrompt } from "@tunekit/soft-prompt";
 * import type { Matrix } from "@tunekit/tensor";
 * declare const embeddings: Matrix; // model.embed_tokens.weight
 * const prompt = sampleVocabSoftPrompt(embeddings, { numVirtualTokens: 20 }, { seed: 7 });
 * ```
 */
export function sampleVocabSoftPrompt(
  embeddings: Matrix,
  size: SoftPromptSize,
  random: PromptRandomSource = {},
): SoftPrompt {
  const ids = sampleVocabTokenIds(embeddings.rows, size, random);
  return createSoftPrompt(embedTokens(embeddings, ids, "sampled vocabulary ids"), {
    numTransformerSubmodules: size.numTransformerSubmodules ?? 1,
  });
}
