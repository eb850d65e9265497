import { type Matrix, TunekitError } from "@tunekit/tensor";
import type { SoftPrompt } from "./prompt";

/**
 * Upstream gradients of a loss with respect to the prompted inputs, one matrix per
 * example, shaped like the `inputsEmbeds` that {@link prependCausalLm} or
 * {@link prependSeq2Seq} returned.
 *
 * @example
 * ```ts
 * import type { PromptedInputGradients } from "@tunekit/soft-prompt";
 * import { zeros } from "@tunekit/tensor";
 * const gradients: PromptedInputGradients = { inputsEmbeds: [zeros(10, 64), zeros(12, 64)] };
 * ```
 */
export interface PromptedInputGradients {
  /** ∂L/∂inputs_embeds per example, `(n + length) × hidden`. */
  inputsEmbeds: readonly Matrix[];
  /**
   * ∂L/∂decoder_inputs_embeds per example, when the decoder received prompt rows
   * (`decoderPrompt: true`).
   */
  decoderInputsEmbeds?: readonly Matrix[];
}

function accumulateFirstRows(
  sum: Float64Array,
  offset: number,
  grads: readonly Matrix[],
  n: number,
  d: number,
  field: string,
): void {
  const width = n * d;
  grads.forEach((g, b) => {
    if (g.cols !== d || g.rows < n) {
      throw new TunekitError(
        "shape_mismatch",
        `${field}[${b}] is ${g.rows}×${g.cols}; a gradient for a prompt of ${n} virtual tokens × ${d} needs at least ${n} rows of ${d}`,
      );
    }
    const data = g.data;
    for (let i = 0; i < width; i++) sum[offset + i] += data[i];
  });
}

/**
 * The gradient of a loss with respect to the soft prompt, given the gradient with
 * respect to the prompted `inputs_embeds`. Every example saw the same prompt rows in its
 * first `n` positions (`inputs_embeds = [P ; E(ids)]`), and the frozen embeddings get no
 * update, so by the chain rule through the concatenation
 * `∂L/∂P = Σ_b ∂L/∂inputs_embeds[b][0:n]`. For an encoder–decoder prompt whose decoder
 * rows were used, rows `[n, 2n)` get the sum over the decoder gradients; otherwise they
 * get zero, as in PEFT.
 *
 * Sums are accumulated in f64 and stored as f32, the prompt's storage type.
 *
 * @param prompt - the soft prompt the inputs were built with.
 * @param gradients - see {@link PromptedInputGradients}.
 * @returns ∂L/∂promptEmbeddings, shaped like `prompt.promptEmbeddings`.
 * @throws TunekitError `shape_mismatch` when a gradient is narrower than the prompt or
 * has fewer than `n` rows; `soft_prompt_shape` when decoder gradients are given for a
 * one-submodule prompt.
 * @example
 * ```ts
 * import { randomSoftPrompt, softPromptGradient } from "@tunekit/soft-prompt";
 * import { addInPlace, zeros } from "@tunekit/tensor";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 2, tokenDim: 4 });
 * const upstream = [zeros(5, 4), zeros(7, 4)]; // from the model's backward pass
 * const grad = softPromptGradient(prompt, { inputsEmbeds: upstream });
 * addInPlace(prompt.promptEmbeddings, grad, -0.1); // one SGD step
 * ```
 */
export function softPromptGradient(
  prompt: SoftPrompt,
  gradients: PromptedInputGradients,
): Matrix<Float32Array> {
  const n = prompt.numVirtualTokens;
  const d = prompt.tokenDim;
  const sum = new Float64Array(prompt.promptEmbeddings.rows * d);
  accumulateFirstRows(sum, 0, gradients.inputsEmbeds, n, d, "inputsEmbeds");
  if (gradients.decoderInputsEmbeds) {
    if (prompt.numTransformerSubmodules !== 2) {
      throw new TunekitError(
        "soft_prompt_shape",
        "decoder gradients were given but the soft prompt has no decoder rows (one transformer submodule)",
      );
    }
    accumulateFirstRows(sum, n * d, gradients.decoderInputsEmbeds, n, d, "decoderInputsEmbeds");
  }
  return { rows: prompt.promptEmbeddings.rows, cols: d, data: Float32Array.from(sum) };
}
