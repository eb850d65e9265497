import {
  decodeBF16,
  decodeF16,
  encodeBF16,
  encodeF16,
  type Matrix,
  TunekitError,
} from "@tunekit/tensor";
import { type TokenIds, writeEmbeddedTokens } from "./embed";
import { assertPromptFitsEmbeddings, type SoftPrompt, submodulePrompt } from "./prompt";

/**
 * The label value a loss ignores (torch's `CrossEntropyLoss` `ignore_index`).
 *
 * @example
 * ```ts
 * import { IGNORE_INDEX } from "@tunekit/soft-prompt";
 * console.log(IGNORE_INDEX); // -100
 * ```
 */
export const IGNORE_INDEX = -100;

/**
 * The storage type of the frozen model's input embeddings. PEFT casts the prompt to it
 * before concatenating (`prompts.to(inputs_embeds.dtype)`), so a prompt fed to an F16 or
 * BF16 model is rounded to that precision.
 *
 * @example
 * ```ts
 * import { prependCausalLm, randomSoftPrompt, type EmbeddingDtype } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const dtype: EmbeddingDtype = "BF16";
 * prependCausalLm(randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 4 }), zeros(10, 4), { inputIds: [[1]] }, {
 *   embeddingDtype: dtype,
 * });
 * ```
 */
export type EmbeddingDtype = "F32" | "F16" | "BF16";

/**
 * A causal-LM batch as a HuggingFace data collator produces it: one entry per example.
 * Give `inputIds` (looked up in the embedding matrix) or `inputsEmbeds`, not both.
 *
 * @example
 * ```ts
 * import type { CausalLmBatch } from "@tunekit/soft-prompt";
 * const batch: CausalLmBatch = {
 *   inputIds: [[3, 96, 29], [90, 37, 0]],
 *   attentionMask: [[1, 1, 1], [1, 1, 0]],
 *   labels: [[3, 96, 29], [90, 37, -100]],
 * };
 * ```
 */
export interface CausalLmBatch {
  /** Token ids per example. */
  inputIds?: readonly TokenIds[];
  /** Input embeddings per example (`length × hidden`), instead of `inputIds`. */
  inputsEmbeds?: readonly Matrix[];
  /** 1 for real tokens, 0 for padding, per example; same lengths as the inputs. */
  attentionMask?: readonly TokenIds[];
  /** Target ids per example, `-100` where no loss is taken; same lengths as the inputs. */
  labels?: readonly TokenIds[];
}

/**
 * What a frozen causal LM receives once the soft prompt is prepended: PEFT's
 * `PeftModelForCausalLM.forward` arguments to the base model.
 *
 * @example
 * ```ts
 * import { prependCausalLm, randomSoftPrompt, type PromptedCausalLmBatch } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const out: PromptedCausalLmBatch = prependCausalLm(
 *   randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 4 }),
 *   zeros(10, 4),
 *   { inputIds: [[1, 2]], attentionMask: [[1, 1]] },
 * );
 * console.log(out.attentionMask); // [[1, 1, 1, 1]]
 * ```
 */
export interface PromptedCausalLmBatch {
  /** `[P ; E(ids)]` per example: `(numVirtualTokens + length) × hidden`, f32. */
  inputsEmbeds: Matrix<Float32Array>[];
  /** `[1 … 1 ; mask]` per example; present when the batch had a mask. */
  attentionMask?: number[][];
  /** `[−100 … −100 ; labels]` per example; present when the batch had labels. */
  labels?: number[][];
}

/**
 * Options of {@link prependCausalLm} and {@link prependSeq2Seq}.
 *
 * @example
 * ```ts
 * import type { PrependOptions } from "@tunekit/soft-prompt";
 * const options: PrependOptions = { embeddingDtype: "F16" };
 * ```
 */
export interface PrependOptions {
  /**
   * Storage type of the model's embeddings; the prompt is rounded to it as PEFT casts it.
   * Default `"F32"` (no rounding).
   */
  embeddingDtype?: EmbeddingDtype;
}

function roundedPrompt(rows: Matrix<Float32Array>, dtype: EmbeddingDtype): Float32Array {
  switch (dtype) {
    case "F32":
      return rows.data;
    case "F16":
      return decodeF16(encodeF16(rows.data));
    case "BF16":
      return decodeBF16(encodeBF16(rows.data));
    default:
      throw new TunekitError(
        "invalid_option",
        `embeddingDtype must be F32, F16 or BF16, got ${String(dtype)}`,
      );
  }
}

function batchSize(
  inputIds: unknown[] | undefined,
  inputsEmbeds: unknown[] | undefined,
  what: string,
): number {
  if ((inputIds === undefined) === (inputsEmbeds === undefined)) {
    throw new TunekitError(
      "batch_shape",
      `give exactly one of ${what}Ids and ${what}sEmbeds (got ${inputIds === undefined ? "neither" : "both"})`,
    );
  }
  return (inputIds ?? inputsEmbeds)!.length;
}

/** Builds `[prompt rows ; E(ids) or embeds]` for every example of one stack. */
function prefixedEmbeds(
  promptRows: Float32Array,
  numVirtualTokens: number,
  embeddings: Matrix | null,
  ids: readonly TokenIds[] | undefined,
  embeds: readonly Matrix[] | undefined,
  tokenDim: number,
  field: string,
): Matrix<Float32Array>[] {
  const count = (ids ?? embeds)!.length;
  const out: Matrix<Float32Array>[] = [];
  for (let b = 0; b < count; b++) {
    let length: number;
    if (ids) {
      length = ids[b].length;
    } else {
      const given = embeds![b];
      if (given.cols !== tokenDim) {
        throw new TunekitError(
          "token_dim_mismatch",
          `${field}[${b}] is ${given.rows}×${given.cols} but the soft prompt has token_dim ${tokenDim}`,
        );
      }
      length = given.rows;
    }
    const data = new Float32Array((numVirtualTokens + length) * tokenDim);
    data.set(promptRows, 0);
    if (ids) {
      if (!embeddings) {
        throw new TunekitError(
          "batch_shape",
          `${field} were given as token ids, so the embedding matrix is needed to look them up; pass it instead of null`,
        );
      }
      writeEmbeddedTokens(embeddings, ids[b], data, numVirtualTokens * tokenDim, `${field}[${b}]`);
    } else {
      const given = embeds![b].data;
      if (given instanceof Float32Array) data.set(given, numVirtualTokens * tokenDim);
      else for (let i = 0; i < given.length; i++) data[numVirtualTokens * tokenDim + i] = given[i];
    }
    out.push({ rows: numVirtualTokens + length, cols: tokenDim, data });
  }
  return out;
}

/** Prefixes every row of `rows` with `numVirtualTokens` copies of `value`, checking lengths. */
function prefixedRows(
  rows: readonly TokenIds[] | undefined,
  lengths: number[],
  numVirtualTokens: number,
  value: number,
  field: string,
): number[][] | undefined {
  if (rows === undefined) return undefined;
  if (rows.length !== lengths.length) {
    throw new TunekitError(
      "batch_shape",
      `${field} has ${rows.length} rows but the batch has ${lengths.length} examples`,
    );
  }
  return rows.map((row, b) => {
    if (row.length !== lengths[b]) {
      throw new TunekitError(
        "batch_shape",
        `${field}[${b}] has ${row.length} entries but example ${b} has ${lengths[b]} tokens; they must line up`,
      );
    }
    const out = new Array<number>(numVirtualTokens + row.length).fill(value);
    for (let i = 0; i < row.length; i++) out[numVirtualTokens + i] = Number(row[i]);
    return out;
  });
}

function plainRows(rows: readonly TokenIds[] | undefined): number[][] | undefined {
  return rows?.map((row) => Array.from({ length: row.length }, (_, i) => Number(row[i])));
}

/**
 * Prepends a soft prompt to a causal-LM batch exactly as PEFT's prompt tuning does
 * (`PeftModelForCausalLM.forward`): per example,
 *
 * - `inputs_embeds = [P ; E(input_ids)]`,
 * - `attention_mask = [1 … 1 ; attention_mask]` (n ones),
 * - `labels = [−100 … −100 ; labels]` (n ignored positions),
 *
 * where P is the `numVirtualTokens × hidden` prompt and E the frozen embedding matrix.
 *
 * Padding caveat: the prompt always goes first, so with left padding an example becomes
 * `[P ; pad … pad ; tokens]` — the virtual tokens land before the pad tokens and are
 * separated from the text by them. The mask still hides the pads, but the text's
 * positions shift with the amount of padding. PEFT behaves the same; pad on the right
 * (`[P ; tokens ; pad …]`) when training a soft prompt.
 *
 * @param prompt - a one-submodule soft prompt.
 * @param embeddings - the frozen model's input embedding matrix (`vocab × hidden`); may be
 * `null` when the batch gives `inputsEmbeds`.
 * @param batch - see {@link CausalLmBatch}.
 * @param options - see {@link PrependOptions}.
 * @returns see {@link PromptedCausalLmBatch}.
 * @throws TunekitError `token_dim_mismatch` when prompt and model widths differ,
 * `token_id_out_of_range` for an id outside the vocabulary, `batch_shape` when masks or
 * labels do not line up with the inputs, `soft_prompt_shape` for a two-submodule prompt.
 * @example
 * ```ts
 * import { prependCausalLm, randomSoftPrompt } from "@tunekit/soft-prompt";
 * import { randomNormal } from "@tunekit/tensor";
 * const embeddings = randomNormal(128, 64, { seed: 0 });
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 });
 * const out = prependCausalLm(prompt, embeddings, {
 *   inputIds: [[3, 96, 29]],
 *   attentionMask: [[1, 1, 1]],
 *   labels: [[3, 96, 29]],
 * });
 * console.log(out.inputsEmbeds[0].rows, out.labels?.[0].slice(7)); // 11 [-100, 3, 96, 29]
 * ```
 */
export function prependCausalLm(
  prompt: SoftPrompt,
  embeddings: Matrix | null,
  batch: CausalLmBatch,
  options: PrependOptions = {},
): PromptedCausalLmBatch {
  if (prompt.numTransformerSubmodules !== 1) {
    throw new TunekitError(
      "soft_prompt_shape",
      `a causal LM takes a one-submodule soft prompt, but this one has ${prompt.numTransformerSubmodules} (an encoder–decoder prompt); use prependSeq2Seq`,
    );
  }
  if (embeddings) assertPromptFitsEmbeddings(prompt, embeddings);
  const n = prompt.numVirtualTokens;
  const rows = roundedPrompt(prompt.promptEmbeddings, options.embeddingDtype ?? "F32");
  batchSize(batch.inputIds as unknown[], batch.inputsEmbeds as unknown[], "input");
  const inputsEmbeds = prefixedEmbeds(
    rows,
    n,
    embeddings,
    batch.inputIds,
    batch.inputsEmbeds,
    prompt.tokenDim,
    batch.inputIds ? "input_ids" : "inputs_embeds",
  );
  const lengths = inputsEmbeds.map((m) => m.rows - n);
  const result: PromptedCausalLmBatch = { inputsEmbeds };
  const attentionMask = prefixedRows(batch.attentionMask, lengths, n, 1, "attention_mask");
  if (attentionMask) result.attentionMask = attentionMask;
  const labels = prefixedRows(batch.labels, lengths, n, IGNORE_INDEX, "labels");
  if (labels) result.labels = labels;
  return result;
}

/**
 * An encoder–decoder batch: the encoder side as in {@link CausalLmBatch}, plus the
 * decoder side. `labels` are the decoder targets.
 *
 * @example
 * ```ts
 * import type { Seq2SeqBatch } from "@tunekit/soft-prompt";
 * const batch: Seq2SeqBatch = {
 *   inputIds: [[5, 6, 7]],
 *   attentionMask: [[1, 1, 1]],
 *   decoderInputIds: [[0, 8]],
 *   labels: [[8, 1]],
 * };
 * ```
 */
export interface Seq2SeqBatch extends CausalLmBatch {
  /** Decoder token ids per example. */
  decoderInputIds?: readonly TokenIds[];
  /** Decoder input embeddings per example, instead of `decoderInputIds`. */
  decoderInputsEmbeds?: readonly Matrix[];
  /** Decoder attention mask per example. */
  decoderAttentionMask?: readonly TokenIds[];
}

/**
 * What a frozen encoder–decoder model receives once the soft prompt is prepended. The
 * decoder fields are passed through unchanged unless `decoderPrompt` was set.
 *
 * @example
 * ```ts
 * import { prependSeq2Seq, randomSoftPrompt, type PromptedSeq2SeqBatch } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 4, numTransformerSubmodules: 2 });
 * const out: PromptedSeq2SeqBatch = prependSeq2Seq(prompt, zeros(10, 4), {
 *   inputIds: [[5, 6]],
 *   decoderInputIds: [[0, 8]],
 * });
 * console.log(out.decoderInputIds); // [[0, 8]]
 * ```
 */
export interface PromptedSeq2SeqBatch {
  /** Encoder input: `[P[0, n) ; E(input_ids)]` per example. */
  inputsEmbeds: Matrix<Float32Array>[];
  /** Encoder mask `[1 … 1 ; attention_mask]`; present when the batch had one. */
  attentionMask?: number[][];
  /** Decoder ids, unchanged; present when given and not embedded with a prompt. */
  decoderInputIds?: number[][];
  /** Decoder input: `[P[n, 2n) ; E(decoder_input_ids)]` with `decoderPrompt`, else as given. */
  decoderInputsEmbeds?: Matrix[];
  /** Decoder mask, prefixed with n ones only with `decoderPrompt`. */
  decoderAttentionMask?: number[][];
  /** Labels, prefixed with n × −100 only with `decoderPrompt`. */
  labels?: number[][];
}

/**
 * Options of {@link prependSeq2Seq}.
 *
 * @example
 * ```ts
 * import type { PrependSeq2SeqOptions } from "@tunekit/soft-prompt";
 * const options: PrependSeq2SeqOptions = { decoderPrompt: true };
 * ```
 */
export interface PrependSeq2SeqOptions extends PrependOptions {
  /**
   * Also prepend rows `[n, 2n)` of a two-submodule prompt to the decoder input (with a
   * prefixed decoder mask and −100 label prefix). Default `false`: PEFT's prompt tuning
   * feeds only rows `[0, n)` to the encoder and leaves the decoder alone, so the decoder
   * rows it saves are never used. Setting this follows PEFT's generic prompt-learning
   * path for encoder–decoders, which does use them.
   */
  decoderPrompt?: boolean;
}

/**
 * Prepends a soft prompt to an encoder–decoder batch. By default this is exactly PEFT's
 * prompt tuning (`PeftModelForSeq2SeqLM.forward`): the encoder receives
 * `[P[0, n) ; E(input_ids)]` with `[1 … 1 ; attention_mask]`, and the decoder inputs,
 * decoder mask and labels pass through untouched. With `decoderPrompt: true` and a
 * two-submodule prompt the decoder also receives `[P[n, 2n) ; E(decoder_input_ids)]`,
 * a decoder mask prefixed with ones and labels prefixed with −100.
 *
 * The left-padding caveat of {@link prependCausalLm} applies to the encoder too.
 *
 * @param prompt - a soft prompt with one or two submodules.
 * @param embeddings - the frozen model's shared input embedding matrix; may be `null`
 * when only embeddings are given.
 * @param batch - see {@link Seq2SeqBatch}.
 * @param options - see {@link PrependSeq2SeqOptions}.
 * @returns see {@link PromptedSeq2SeqBatch}.
 * @throws TunekitError `token_dim_mismatch`, `token_id_out_of_range`, `batch_shape`
 * (also when `decoderPrompt` is set without decoder inputs), `soft_prompt_shape` (when
 * `decoderPrompt` is set on a one-submodule prompt).
 * @example
 * ```ts
 * import { prependSeq2Seq, randomSoftPrompt } from "@tunekit/soft-prompt";
 * import { randomNormal } from "@tunekit/tensor";
 * const shared = randomNormal(100, 16, { seed: 0 });
 * const prompt = randomSoftPrompt({ numVirtualTokens: 4, tokenDim: 16, numTransformerSubmodules: 2 });
 * const out = prependSeq2Seq(prompt, shared, {
 *   inputIds: [[5, 6, 7]],
 *   attentionMask: [[1, 1, 1]],
 *   labels: [[8, 9]],
 * });
 * console.log(out.inputsEmbeds[0].rows, out.labels); // 7 [[8, 9]]
 * ```
 */
export function prependSeq2Seq(
  prompt: SoftPrompt,
  embeddings: Matrix | null,
  batch: Seq2SeqBatch,
  options: PrependSeq2SeqOptions = {},
): PromptedSeq2SeqBatch {
  const { decoderPrompt = false, embeddingDtype = "F32" } = options;
  if (embeddings) assertPromptFitsEmbeddings(prompt, embeddings);
  const n = prompt.numVirtualTokens;
  const d = prompt.tokenDim;
  batchSize(batch.inputIds as unknown[], batch.inputsEmbeds as unknown[], "input");
  const encoderRows = roundedPrompt(submodulePrompt(prompt, 0), embeddingDtype);
  const field = batch.inputIds ? "input_ids" : "inputs_embeds";
  const inputsEmbeds = prefixedEmbeds(
    encoderRows,
    n,
    embeddings,
    batch.inputIds,
    batch.inputsEmbeds,
    d,
    field,
  );
  const lengths = inputsEmbeds.map((m) => m.rows - n);
  const result: PromptedSeq2SeqBatch = { inputsEmbeds };
  const attentionMask = prefixedRows(batch.attentionMask, lengths, n, 1, "attention_mask");
  if (attentionMask) result.attentionMask = attentionMask;

  if (!decoderPrompt) {
    const decoderInputIds = plainRows(batch.decoderInputIds);
    if (decoderInputIds) result.decoderInputIds = decoderInputIds;
    if (batch.decoderInputsEmbeds) result.decoderInputsEmbeds = [...batch.decoderInputsEmbeds];
    const decoderAttentionMask = plainRows(batch.decoderAttentionMask);
    if (decoderAttentionMask) result.decoderAttentionMask = decoderAttentionMask;
    const labels = plainRows(batch.labels);
    if (labels) result.labels = labels;
    return result;
  }

  if (prompt.numTransformerSubmodules !== 2) {
    throw new TunekitError(
      "soft_prompt_shape",
      "decoderPrompt needs a two-submodule soft prompt (rows [n, 2n) feed the decoder), but this prompt has one",
    );
  }
  if (batch.decoderInputIds === undefined && batch.decoderInputsEmbeds === undefined) {
    throw new TunekitError(
      "batch_shape",
      "decoderPrompt prepends to the decoder input, so give decoderInputIds (the labels shifted right) or decoderInputsEmbeds",
    );
  }
  const decoderCount = batchSize(
    batch.decoderInputIds as unknown[],
    batch.decoderInputsEmbeds as unknown[],
    "decoderInput",
  );
  if (decoderCount !== lengths.length) {
    throw new TunekitError(
      "batch_shape",
      `the decoder inputs have ${decoderCount} examples but the encoder inputs have ${lengths.length}`,
    );
  }
  const decoderRows = roundedPrompt(submodulePrompt(prompt, 1), embeddingDtype);
  const decoderInputsEmbeds = prefixedEmbeds(
    decoderRows,
    n,
    embeddings,
    batch.decoderInputIds,
    batch.decoderInputsEmbeds,
    d,
    batch.decoderInputIds ? "decoder_input_ids" : "decoder_inputs_embeds",
  );
  result.decoderInputsEmbeds = decoderInputsEmbeds;
  const decoderLengths = decoderInputsEmbeds.map((m) => m.rows - n);
  const decoderAttentionMask = prefixedRows(
    batch.decoderAttentionMask,
    decoderLengths,
    n,
    1,
    "decoder_attention_mask",
  );
  if (decoderAttentionMask) result.decoderAttentionMask = decoderAttentionMask;
  const labels = prefixedRows(batch.labels, decoderLengths, n, IGNORE_INDEX, "labels");
  if (labels) result.labels = labels;
  return result;
}
