import { type Matrix, TunekitError } from "@tunekit/tensor";

/**
 * A soft prompt: the learned virtual-token vectors of prompt tuning.
 *
 * `promptEmbeddings` is the one tensor a prompt-tuning adapter holds (PEFT's
 * `prompt_embeddings`): `numVirtualTokens × numTransformerSubmodules` rows of
 * `tokenDim` columns. With one submodule (decoder-only models) every row is prepended to
 * the input. With two (encoder–decoder models) rows `[0, n)` belong to the encoder and
 * rows `[n, 2n)` to the decoder, see {@link submodulePrompt}.
 *
 * @example
 * ```ts
 * import { createSoftPrompt } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const prompt = createSoftPrompt(zeros(8, 64));
 * console.log(prompt.numVirtualTokens, prompt.tokenDim); // 8 64
 * ```
 */
export interface SoftPrompt {
  /** Virtual tokens per transformer submodule (PEFT's `num_virtual_tokens`). */
  readonly numVirtualTokens: number;
  /** 1 for decoder-only models, 2 for encoder–decoder models (PEFT's `num_transformer_submodules`). */
  readonly numTransformerSubmodules: number;
  /** Width of each virtual token: the model's hidden size (PEFT's `token_dim`). */
  readonly tokenDim: number;
  /** The trainable matrix, `(numVirtualTokens × numTransformerSubmodules) × tokenDim`, f32. */
  readonly promptEmbeddings: Matrix<Float32Array>;
}

/**
 * Options of {@link createSoftPrompt}.
 *
 * @example
 * ```ts
 * import { createSoftPrompt, type CreateSoftPromptOptions } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const options: CreateSoftPromptOptions = { numTransformerSubmodules: 2 };
 * createSoftPrompt(zeros(40, 512), options);
 * ```
 */
export interface CreateSoftPromptOptions {
  /** Number of transformer submodules the rows are split between: 1 or 2. Default 1. */
  numTransformerSubmodules?: number;
}

/**
 * Wraps a `prompt_embeddings` matrix as a {@link SoftPrompt}, checking its shape. The
 * matrix is used as is (not copied) when it already holds f32 values; f64 data is
 * converted to f32, the storage type PEFT keeps prompt embeddings in.
 *
 * @param promptEmbeddings - `(n × numTransformerSubmodules) × tokenDim` rows.
 * @param options - see {@link CreateSoftPromptOptions}.
 * @returns the soft prompt.
 * @throws TunekitError `soft_prompt_shape` when the matrix is empty or its row count is
 * not a multiple of `numTransformerSubmodules`, or the submodule count is not 1 or 2.
 * @example
 * ```ts
 * import { createSoftPrompt } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * // a T5-style prompt: 20 encoder rows then 20 decoder rows
 * const prompt = createSoftPrompt(zeros(40, 512), { numTransformerSubmodules: 2 });
 * console.log(prompt.numVirtualTokens); // 20
 * ```
 */
export function createSoftPrompt(
  promptEmbeddings: Matrix,
  options: CreateSoftPromptOptions = {},
): SoftPrompt {
  const { numTransformerSubmodules = 1 } = options;
  if (numTransformerSubmodules !== 1 && numTransformerSubmodules !== 2) {
    throw new TunekitError(
      "soft_prompt_shape",
      `num_transformer_submodules must be 1 (decoder-only) or 2 (encoder–decoder), got ${numTransformerSubmodules}`,
    );
  }
  const { rows, cols } = promptEmbeddings;
  if (rows === 0 || cols === 0) {
    throw new TunekitError(
      "soft_prompt_shape",
      `prompt_embeddings is ${rows}×${cols}; a soft prompt needs at least one virtual token and token_dim ≥ 1`,
    );
  }
  if (rows % numTransformerSubmodules !== 0) {
    throw new TunekitError(
      "soft_prompt_shape",
      `prompt_embeddings has ${rows} rows, which does not split evenly between ${numTransformerSubmodules} transformer submodules; expected num_virtual_tokens × ${numTransformerSubmodules} rows`,
    );
  }
  const data =
    promptEmbeddings.data instanceof Float32Array
      ? promptEmbeddings.data
      : Float32Array.from(promptEmbeddings.data);
  return {
    numVirtualTokens: rows / numTransformerSubmodules,
    numTransformerSubmodules,
    tokenDim: cols,
    promptEmbeddings: { rows, cols, data },
  };
}

/**
 * The rows of a soft prompt that one transformer submodule receives: rows
 * `[i·n, (i+1)·n)` of `promptEmbeddings`, as a view (no copy). Submodule 0 is the
 * encoder (or the only stack of a decoder-only model); submodule 1 is the decoder.
 *
 * @param prompt - the soft prompt.
 * @param submodule - 0 or 1 (1 only when the prompt has two submodules). Default 0.
 * @returns an `n × tokenDim` matrix sharing storage with the prompt.
 * @throws TunekitError `soft_prompt_shape` when the prompt has no such submodule.
 * @example
 * ```ts
 * import { createSoftPrompt, submodulePrompt } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const prompt = createSoftPrompt(zeros(40, 512), { numTransformerSubmodules: 2 });
 * const decoderRows = submodulePrompt(prompt, 1); // rows 20..39
 * console.log(decoderRows.rows); // 20
 * ```
 */
export function submodulePrompt(prompt: SoftPrompt, submodule = 0): Matrix<Float32Array> {
  if (
    !Number.isInteger(submodule) ||
    submodule < 0 ||
    submodule >= prompt.numTransformerSubmodules
  ) {
    throw new TunekitError(
      "soft_prompt_shape",
      `this soft prompt has ${prompt.numTransformerSubmodules} transformer submodule(s); submodule ${submodule} does not exist`,
    );
  }
  const n = prompt.numVirtualTokens;
  const d = prompt.tokenDim;
  return {
    rows: n,
    cols: d,
    data: prompt.promptEmbeddings.data.subarray(submodule * n * d, (submodule + 1) * n * d),
  };
}

/**
 * Checks that a soft prompt fits a frozen model's embedding matrix: both must have the
 * same width (`token_dim` = hidden size).
 *
 * @param prompt - the soft prompt.
 * @param embeddings - the model's input embedding matrix, `vocab × hidden`.
 * @param where - names the prompt in the error message (e.g. a task name or file).
 * @throws TunekitError `token_dim_mismatch` when the widths differ.
 * @example
 * ```ts
 * import { assertPromptFitsEmbeddings, createSoftPrompt } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * assertPromptFitsEmbeddings(createSoftPrompt(zeros(8, 64)), zeros(128, 64)); // fine
 * ```
 */
export function assertPromptFitsEmbeddings(
  prompt: SoftPrompt,
  embeddings: Matrix,
  where = "soft prompt",
): void {
  if (prompt.tokenDim !== embeddings.cols) {
    throw new TunekitError(
      "token_dim_mismatch",
      `${where} has token_dim ${prompt.tokenDim} but the embedding matrix is ${embeddings.rows}×${embeddings.cols} (hidden size ${embeddings.cols}); a soft prompt only fits the model it was trained for`,
    );
  }
}
