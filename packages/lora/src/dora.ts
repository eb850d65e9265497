import {
  type Matrix,
  type MatrixData,
  matmul,
  rowL2Norms,
  TunekitError,
  transpose,
} from "@tunekit/tensor";
import {
  addDeltaInPlace,
  checkBaseWeight,
  checkFinite,
  checkForwardInputs,
  type LoraForwardOptions,
  type LoraLayerOptions,
  type LoraWeights,
  type MergeLoraOptions,
} from "./layer";

// DoRA: Liu et al. 2024, "DoRA: Weight-Decomposed Low-Rank Adaptation", eq. 5; the layout
// and precision follow peft's lora/dora.py (DoraLinearLayer) and lora/variants.py.

function label(options: LoraLayerOptions | undefined): string {
  return options?.name === undefined ? "DoRA layer" : `module ${options.name}`;
}

/** W + ΔW in the base weight's layout (a new matrix). */
function adaptedWeight(weight: Matrix, lora: LoraWeights): Matrix {
  const combined: Matrix = { rows: weight.rows, cols: weight.cols, data: weight.data.slice() };
  addDeltaInPlace(combined, lora, 1);
  return combined;
}

/**
 * Rounds as torch does in the weight's precision: float32 weights get float32 norms and
 * factors (`torch.linalg.norm(...).to(weight.dtype)`), float64 weights keep float64.
 */
function roundingOf(weight: Matrix): (x: number) => number {
  return weight.data instanceof Float32Array ? Math.fround : (x) => x;
}

/** Row norms per output feature, in the weight's precision. */
function outputNorms(combined: Matrix, fanInFanOut: boolean | undefined): Float64Array {
  const round = roundingOf(combined);
  const norms = rowL2Norms(fanInFanOut ? transpose(combined) : combined);
  for (let i = 0; i < norms.length; i++) norms[i] = round(norms[i]);
  return norms;
}

function checkMagnitude(
  magnitude: MatrixData,
  lora: LoraWeights,
  options?: LoraLayerOptions,
): void {
  if (magnitude.length !== lora.b.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: lora_magnitude_vector has ${magnitude.length} values but the layer has ${lora.b.rows} outputs`,
    );
  }
}

/**
 * The DoRA weight norm ‖W + s·B·A‖ of each output row (column of the stored weight with
 * `fanInFanOut`), as peft's `DoraLinearLayer.get_weight_norm`: an L2 norm per output
 * feature, rounded to float32. peft treats it as a constant in the backward pass
 * (DoRA §4.3), so it carries no gradient.
 *
 * @param weight - the frozen base weight, out × in (in × out with `fanInFanOut`).
 * @param lora - the LoRA pair and scaling.
 * @param options - the module `name` for errors.
 * @returns one norm per output feature.
 * @throws TunekitError `shape_mismatch` naming the module.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { doraWeightNorm } from "@tunekit/lora";
 * doraWeightNorm(fromArray([[3, 0], [0, 1]]), { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 });
 * // [5, 1]
 * ```
 */
export function doraWeightNorm(
  weight: Matrix,
  lora: LoraWeights,
  options?: LoraLayerOptions,
): Float64Array {
  checkBaseWeight(weight, lora, options);
  return outputNorms(adaptedWeight(weight, lora), lora.fanInFanOut);
}

/**
 * The initial DoRA magnitude vector, as peft creates `lora_magnitude_vector` when the
 * adapter is added: m = ‖W + s·B·A‖ per output (just ‖W‖ when B starts at zero), float32.
 *
 * @param weight - the frozen base weight, out × in (in × out with `fanInFanOut`).
 * @param lora - the freshly initialised LoRA pair and scaling.
 * @param options - the module `name` for errors.
 * @returns the magnitude vector, one value per output.
 * @throws TunekitError `shape_mismatch` naming the module.
 * @example
 * ```ts
 * import { fromArray, zeros } from "@tunekit/tensor";
 * import { initDoraMagnitude } from "@tunekit/lora";
 * initDoraMagnitude(fromArray([[3, 4]]), { a: zeros(1, 2), b: zeros(1, 1), scaling: 1 }); // [5]
 * ```
 */
export function initDoraMagnitude(
  weight: Matrix,
  lora: LoraWeights,
  options?: LoraLayerOptions,
): Float32Array {
  return Float32Array.from(doraWeightNorm(weight, lora, options));
}

/**
 * Merges a DoRA layer in place, as peft's `DoraLinearVariant.merge_unsafe`/`merge_safe`:
 * W' = (m / ‖W + ΔW‖) · (W + ΔW), the factor applied per output feature.
 *
 * Keep the returned norms: {@link unmergeDora} needs them, because the merged weight's row
 * norms equal |m| and no longer tell what ‖W + ΔW‖ was (peft caches them the same way).
 *
 * @param weight - the base weight; modified in place.
 * @param lora - the LoRA pair and scaling.
 * @param magnitude - `lora_magnitude_vector`, one value per output.
 * @param options - `safeMerge`, the module `name`; see {@link MergeLoraOptions}.
 * @returns the weight norms ‖W + ΔW‖ used by the merge.
 * @throws TunekitError `shape_mismatch` naming the module, `merge_not_finite` with
 *   `safeMerge` when the result has NaN/Inf (the weight is then unchanged).
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { mergeDora } from "@tunekit/lora";
 * const w = fromArray([[3, 0], [0, 1]]);
 * const lora = { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 };
 * mergeDora(w, lora, new Float32Array([10, 2])); // w = [[6, 8], [0, 2]]
 * ```
 */
export function mergeDora(
  weight: Matrix,
  lora: LoraWeights,
  magnitude: MatrixData,
  options: MergeLoraOptions = {},
): Float64Array {
  checkBaseWeight(weight, lora, options);
  checkMagnitude(magnitude, lora, options);
  if (lora.bias !== undefined) {
    throw new TunekitError(
      "dora_lora_bias",
      `${label(options)}: DoRA does not support lora_bias (peft rejects the combination)`,
    );
  }
  const combined = adaptedWeight(weight, lora);
  const norms = outputNorms(combined, lora.fanInFanOut);
  const factor = new Float64Array(norms.length);
  const round = roundingOf(weight);
  for (let j = 0; j < norms.length; j++) factor[j] = round(magnitude[j] / norms[j]);
  const { rows, cols, data } = combined;
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    if (lora.fanInFanOut) {
      for (let j = 0; j < cols; j++) data[offset + j] *= factor[j];
    } else {
      const f = factor[i];
      for (let j = 0; j < cols; j++) data[offset + j] *= f;
    }
  }
  if (options.safeMerge) checkFinite(data, label(options));
  weight.data.set(data);
  return norms;
}

/**
 * Undoes {@link mergeDora} in place, as peft's `DoraLinearVariant.unmerge`:
 * W = W' / (m / n) − ΔW with the norms n the merge returned.
 *
 * @param weight - the merged weight; modified in place.
 * @param lora - the same LoRA pair and scaling.
 * @param magnitude - the same magnitude vector.
 * @param weightNorm - the norms {@link mergeDora} returned.
 * @param options - the module `name` for errors.
 * @returns `weight`.
 * @throws TunekitError `shape_mismatch` naming the module.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { mergeDora, unmergeDora } from "@tunekit/lora";
 * const w = fromArray([[3, 0], [0, 1]]);
 * const lora = { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 };
 * const m = new Float32Array([10, 2]);
 * unmergeDora(w, lora, m, mergeDora(w, lora, m)); // back to [[3, 0], [0, 1]]
 * ```
 */
export function unmergeDora(
  weight: Matrix,
  lora: LoraWeights,
  magnitude: MatrixData,
  weightNorm: MatrixData,
  options: LoraLayerOptions = {},
): Matrix {
  checkBaseWeight(weight, lora, options);
  checkMagnitude(magnitude, lora, options);
  if (weightNorm.length !== magnitude.length) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: weightNorm has ${weightNorm.length} values but the layer has ${magnitude.length} outputs`,
    );
  }
  const { rows, cols, data } = weight;
  const round = roundingOf(weight);
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) {
      const out = lora.fanInFanOut ? j : i;
      data[offset + j] /= round(magnitude[out] / weightNorm[out]);
    }
  }
  addDeltaInPlace(weight, lora, -1);
  return weight;
}

/**
 * The DoRA layer's output for a batch, as peft's `DoraLinearLayer.forward` adds it to the
 * base output: with f = m / ‖W + s·B·A‖ per output (the norm held constant),
 * `y = x·Wᵀ + b + (f − 1)⊙(x·Wᵀ) + f⊙s·(x·Aᵀ)·Bᵀ`, which equals `x·W'ᵀ + b` for the merged W'.
 *
 * @param x - inputs, batch × in.
 * @param weight - the frozen base weight, out × in (in × out with `fanInFanOut`).
 * @param lora - the LoRA pair and scaling (no `bias`: DoRA does not support `lora_bias`).
 * @param magnitude - `lora_magnitude_vector`, one value per output.
 * @param options - the base `bias`, the module `name`; see {@link LoraForwardOptions}.
 * @returns y, batch × out.
 * @throws TunekitError `shape_mismatch` naming the module.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { doraForward } from "@tunekit/lora";
 * const y = doraForward(fromArray([[1, 1]]), fromArray([[3, 0], [0, 1]]),
 *   { a: fromArray([[0, 1]]), b: fromArray([[4], [0]]), scaling: 1 }, new Float32Array([10, 2]));
 * // [[14, 2]]
 * ```
 */
export function doraForward(
  x: Matrix,
  weight: Matrix,
  lora: LoraWeights,
  magnitude: MatrixData,
  options: LoraForwardOptions = {},
): Matrix {
  checkForwardInputs(x, weight, lora, options);
  checkMagnitude(magnitude, lora, options);
  const norms = doraWeightNorm(weight, lora, options);
  const base = matmul(x, weight, { transposeB: !lora.fanInFanOut });
  const update = matmul(matmul(x, lora.a, { transposeB: true }), lora.b, { transposeB: true });
  const y: Matrix = { rows: base.rows, cols: base.cols, data: base.data.slice() };
  const { rows, cols } = y;
  const round = roundingOf(weight);
  for (let j = 0; j < cols; j++) {
    const f = round(magnitude[j] / norms[j]);
    const bias = options.bias === undefined ? 0 : options.bias[j];
    for (let i = 0; i < rows; i++) {
      const k = i * cols + j;
      // The order of peft's terms: result + ((f − 1)·base + f·lora·s), result = base + bias.
      y.data[k] =
        base.data[k] + bias + ((f - 1) * base.data[k] + f * update.data[k] * lora.scaling);
    }
  }
  return y;
}
