import {
  addScaledProduct,
  type Matrix,
  type MatrixData,
  matmul,
  TunekitError,
} from "@tunekit/tensor";
import { doraWeightNorm } from "./dora";
import { addDeltaInPlace, checkBaseWeight, type LoraLayerOptions, type LoraWeights } from "./layer";

/**
 * Gradients of a loss with respect to a LoRA layer's trained tensors (and its input).
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { type LoraGradients, loraBackward } from "@tunekit/lora";
 * const grads: LoraGradients = loraBackward(fromArray([[1, 2]]), fromArray([[1, 0]]), {
 *   a: fromArray([[1, 1]]), b: fromArray([[2], [3]]), scaling: 1,
 * });
 * ```
 */
export interface LoraGradients {
  /** ∂L/∂A, r × in. */
  a: Matrix;
  /** ∂L/∂B, out × r. */
  b: Matrix;
  /** ∂L/∂b_B, when the layer has `lora_bias`. */
  bias?: Float64Array;
  /** ∂L/∂x, batch × in, when the base weight was given. */
  x?: Matrix;
}

/**
 * Options for {@link loraBackward}.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import type { LoraBackwardOptions } from "@tunekit/lora";
 * const options: LoraBackwardOptions = { weight: fromArray([[1, 0], [0, 1]]), name: "q_proj" };
 * ```
 */
export interface LoraBackwardOptions extends LoraLayerOptions {
  /** The frozen base weight; when given, the input gradient ∂L/∂x is computed too. */
  weight?: Matrix;
}

function checkBatch(
  x: Matrix,
  gradOutput: Matrix,
  lora: LoraWeights,
  options: LoraLayerOptions,
): void {
  const name = options.name === undefined ? "LoRA layer" : `module ${options.name}`;
  if (x.cols !== lora.a.cols || gradOutput.cols !== lora.b.rows || x.rows !== gradOutput.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `${name}: x is ${x.rows}×${x.cols} and the output gradient ${gradOutput.rows}×${gradOutput.cols}, but the layer maps ${lora.a.cols} inputs to ${lora.b.rows} outputs for the same batch`,
    );
  }
}

function columnSums(m: Matrix, s: number): Float64Array {
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out[j] += s * m.data[i * m.cols + j];
  return out;
}

/**
 * Gradients of the pair for an upstream gradient G of s·(x·Aᵀ)·Bᵀ: with H = x·Aᵀ,
 * ∂B = s·Gᵀ·H, ∂H = s·G·B, ∂A = ∂Hᵀ·x.
 */
function pairGradients(
  x: Matrix,
  upstream: Matrix,
  lora: LoraWeights,
): { a: Matrix; b: Matrix; gradHidden: Matrix } {
  const hidden = matmul(x, lora.a, { transposeB: true });
  const b = matmul(upstream, hidden, { transposeA: true });
  scaleInPlace(b.data, lora.scaling);
  const gradHidden = matmul(upstream, lora.b);
  scaleInPlace(gradHidden.data, lora.scaling);
  return { a: matmul(gradHidden, x, { transposeA: true }), b, gradHidden };
}

/**
 * Backpropagates through the LoRA branch of a layer, y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ (+ s·b_B).
 * With H = x·Aᵀ and G = ∂L/∂y (each row one example, gradients summed over the batch):
 * ∂L/∂B = s·Gᵀ·H, ∂L/∂A = s·(G·B)ᵀ·x, ∂L/∂b_B = s·Σ rows of G, and
 * ∂L/∂x = G·(W + s·B·A) (in the out × in layout) when the base weight is given.
 * W itself is frozen and gets no gradient — the point of LoRA.
 *
 * @param x - the layer's inputs, batch × in.
 * @param gradOutput - ∂L/∂y, batch × out.
 * @param lora - the LoRA pair and scaling.
 * @param options - the base `weight` for ∂L/∂x, the module `name`; see {@link LoraBackwardOptions}.
 * @returns the gradients.
 * @throws TunekitError `shape_mismatch` naming the module when the shapes do not fit.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { loraBackward } from "@tunekit/lora";
 * const grads = loraBackward(fromArray([[1, 2]]), fromArray([[1, 0]]), {
 *   a: fromArray([[1, 1]]), b: fromArray([[2], [3]]), scaling: 1,
 * });
 * // grads.b = [[3], [0]], grads.a = [[2, 4]]
 * ```
 */
export function loraBackward(
  x: Matrix,
  gradOutput: Matrix,
  lora: LoraWeights,
  options: LoraBackwardOptions = {},
): LoraGradients {
  checkBatch(x, gradOutput, lora, options);
  const { a, b, gradHidden } = pairGradients(x, gradOutput, lora);
  const grads: LoraGradients = { a, b };
  if (lora.bias !== undefined) grads.bias = columnSums(gradOutput, lora.scaling);
  if (options.weight !== undefined) {
    checkBaseWeight(options.weight, lora, options);
    const gradX = matmul(gradOutput, options.weight, { transposeB: lora.fanInFanOut === true });
    addScaledProduct(gradX, 1, gradHidden, lora.a);
    grads.x = gradX;
  }
  return grads;
}

function scaleInPlace(data: MatrixData, s: number): void {
  for (let i = 0; i < data.length; i++) data[i] *= s;
}

/**
 * Gradients of a loss with respect to a DoRA layer's trained tensors and input.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { type DoraGradients, doraBackward } from "@tunekit/lora";
 * const grads: DoraGradients = doraBackward(fromArray([[1, 1]]), fromArray([[1, 0]]), fromArray([[3, 0], [0, 1]]),
 *   { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 }, new Float32Array([10, 2]));
 * ```
 */
export interface DoraGradients {
  /** ∂L/∂A, r × in. */
  a: Matrix;
  /** ∂L/∂B, out × r. */
  b: Matrix;
  /** ∂L/∂m, one value per output. */
  magnitude: Float64Array;
  /** ∂L/∂x, batch × in. */
  x: Matrix;
}

/**
 * Backpropagates through a DoRA layer as peft trains it: y = f⊙(x·Wᵀ + s·(x·Aᵀ)·Bᵀ) + b with
 * f = m / n per output and the norm n = ‖W + s·B·A‖ held constant (detached; DoRA §4.3).
 * With G = ∂L/∂y and F = G⊙f (each column scaled by its f): ∂L/∂B = s·Fᵀ·(x·Aᵀ),
 * ∂L/∂A = s·(F·B)ᵀ·x, ∂L/∂m_j = Σᵢ Gᵢⱼ·(x·Wᵀ + s·x·Aᵀ·Bᵀ)ᵢⱼ / n_j, ∂L/∂x = F·(W + s·B·A).
 *
 * @param x - the layer's inputs, batch × in.
 * @param gradOutput - ∂L/∂y, batch × out.
 * @param weight - the frozen base weight, out × in (in × out with `fanInFanOut`).
 * @param lora - the LoRA pair and scaling.
 * @param magnitude - `lora_magnitude_vector`.
 * @param options - the module `name` for errors.
 * @returns the gradients.
 * @throws TunekitError `shape_mismatch` naming the module when the shapes do not fit.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { doraBackward } from "@tunekit/lora";
 * const grads = doraBackward(fromArray([[1, 1]]), fromArray([[1, 0]]), fromArray([[3, 0], [0, 1]]),
 *   { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 }, new Float32Array([10, 2]));
 * grads.magnitude; // [1.4, 0]
 * ```
 */
export function doraBackward(
  x: Matrix,
  gradOutput: Matrix,
  weight: Matrix,
  lora: LoraWeights,
  magnitude: MatrixData,
  options: LoraLayerOptions = {},
): DoraGradients {
  checkBatch(x, gradOutput, lora, options);
  const norms = doraWeightNorm(weight, lora, options);
  if (magnitude.length !== norms.length) {
    throw new TunekitError(
      "shape_mismatch",
      `${options.name === undefined ? "DoRA layer" : `module ${options.name}`}: lora_magnitude_vector has ${magnitude.length} values but the layer has ${norms.length} outputs`,
    );
  }
  const { rows, cols } = gradOutput;
  const adapted = { rows: weight.rows, cols: weight.cols, data: weight.data.slice() };
  addDeltaInPlace(adapted, lora, 1);
  // V = x·(W + s·B·A)ᵀ, the direction output before the magnitude scale.
  const direction = matmul(x, adapted, { transposeB: !lora.fanInFanOut });
  const scaled: Matrix = { rows, cols, data: new Float64Array(rows * cols) };
  const gradMagnitude = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      const g = gradOutput.data[k];
      scaled.data[k] = (g * magnitude[j]) / norms[j];
      gradMagnitude[j] += (g * direction.data[k]) / norms[j];
    }
  }
  const { a, b } = pairGradients(x, scaled, lora);
  const gradX = matmul(scaled, adapted, { transposeB: lora.fanInFanOut === true });
  return { a, b, magnitude: gradMagnitude, x: gradX };
}
