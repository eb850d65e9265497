import {
  addInPlace,
  addScaledProduct,
  type Matrix,
  type MatrixData,
  matmul,
  TunekitError,
  transpose,
  zeros,
} from "@tunekit/tensor";

/**
 * One LoRA pair and how it applies to a linear layer: ΔW = s·B·A, with A (r × in) and
 * B (out × r) in torch's `nn.Linear` layout.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import type { LoraWeights } from "@tunekit/lora";
 * const lora: LoraWeights = { a: fromArray([[1, 2]]), b: fromArray([[1], [0]]), scaling: 16 / 8 };
 * ```
 */
export interface LoraWeights {
  /** `lora_A.weight`, r × in. */
  a: Matrix;
  /** `lora_B.weight`, out × r. */
  b: Matrix;
  /** s: `lora_alpha / r` or `lora_alpha / √r` (see `loraScaling`). */
  scaling: number;
  /** `lora_B.bias` (with `lora_bias`), one value per output. */
  bias?: MatrixData;
  /**
   * The base weight is stored in × out (GPT-2's `Conv1D`), so ΔW is applied transposed.
   * A and B keep their usual shapes. Default false.
   */
  fanInFanOut?: boolean;
}

/**
 * Options shared by the layer functions.
 *
 * @example
 * ```ts
 * import type { LoraLayerOptions } from "@tunekit/lora";
 * const options: LoraLayerOptions = { name: "model.layers.0.self_attn.q_proj" };
 * ```
 */
export interface LoraLayerOptions {
  /** The module's name, used in error messages. Default `"LoRA layer"`. */
  name?: string;
}

function label(options: LoraLayerOptions | undefined): string {
  return options?.name === undefined ? "LoRA layer" : `module ${options.name}`;
}

/** In and out features implied by A and B, after checking they chain. */
export function loraFeatures(
  lora: LoraWeights,
  options?: LoraLayerOptions,
): { inFeatures: number; outFeatures: number; r: number } {
  const { a, b } = lora;
  if (a.rows !== b.cols) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: lora_A is ${a.rows}×${a.cols} (r × in) and lora_B is ${b.rows}×${b.cols} (out × r); their ranks ${a.rows} and ${b.cols} differ`,
    );
  }
  if (lora.bias !== undefined && lora.bias.length !== b.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: lora_B.bias has ${lora.bias.length} values but lora_B has ${b.rows} outputs`,
    );
  }
  return { inFeatures: a.cols, outFeatures: b.rows, r: a.rows };
}

/** Checks `weight` is out × in (or in × out with `fanInFanOut`) for this LoRA pair. */
export function checkBaseWeight(
  weight: Matrix,
  lora: LoraWeights,
  options?: LoraLayerOptions,
): void {
  const { inFeatures, outFeatures } = loraFeatures(lora, options);
  const [rows, cols] = lora.fanInFanOut ? [inFeatures, outFeatures] : [outFeatures, inFeatures];
  if (weight.rows !== rows || weight.cols !== cols) {
    const layout = lora.fanInFanOut ? "in × out (fan_in_fan_out)" : "out × in";
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: the base weight is ${weight.rows}×${weight.cols} but lora_A (${lora.a.rows}×${lora.a.cols}) and lora_B (${lora.b.rows}×${lora.b.cols}) need ${rows}×${cols} (${layout}); the adapter was made for a different model`,
    );
  }
}

/**
 * In place `target += sign · ΔW` in the base weight's layout (transposed for
 * `fanInFanOut`). The one place the layout rule lives.
 */
export function addDeltaInPlace(target: Matrix, lora: LoraWeights, sign: 1 | -1): void {
  if (lora.fanInFanOut) {
    // (s·B·A)ᵀ = s·Aᵀ·Bᵀ; the transposes are of the small factors only.
    addScaledProduct(target, sign * lora.scaling, transpose(lora.a), transpose(lora.b));
  } else {
    addScaledProduct(target, sign * lora.scaling, lora.b, lora.a);
  }
}

/**
 * The weight update ΔW = s·B·A, as peft's `Linear.get_delta_weight`: out × in, or its
 * transpose (in × out) with `fanInFanOut`, so it always has the base weight's shape.
 *
 * @param lora - the LoRA pair and scaling.
 * @param options - see {@link LoraLayerOptions}.
 * @returns a new matrix with A's storage type.
 * @throws TunekitError `shape_mismatch` naming the module when A and B do not chain.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { deltaWeight } from "@tunekit/lora";
 * const dw = deltaWeight({ a: fromArray([[1, 2]]), b: fromArray([[1], [3]]), scaling: 2 });
 * // [[2, 4], [6, 12]]
 * ```
 */
export function deltaWeight(lora: LoraWeights, options?: LoraLayerOptions): Matrix {
  const { inFeatures, outFeatures } = loraFeatures(lora, options);
  const dtype = lora.a.data instanceof Float64Array ? "f64" : "f32";
  const delta = lora.fanInFanOut
    ? zeros(inFeatures, outFeatures, { dtype })
    : zeros(outFeatures, inFeatures, { dtype });
  addDeltaInPlace(delta, lora, 1);
  return delta;
}

/**
 * Options for {@link loraForward}.
 *
 * @example
 * ```ts
 * import type { LoraForwardOptions } from "@tunekit/lora";
 * const options: LoraForwardOptions = { bias: new Float32Array([0.1, -0.2]), name: "c_attn" };
 * ```
 */
export interface LoraForwardOptions extends LoraLayerOptions {
  /** The base layer's bias (one value per output), added to every row. Default none. */
  bias?: MatrixData;
}

function addRowVector(y: Matrix, v: MatrixData, s = 1): void {
  const { rows, cols, data } = y;
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) data[offset + j] += s * v[j];
  }
}

/** Checks the shapes of a forward pass: weight, input width and base bias. */
export function checkForwardInputs(
  x: Matrix,
  weight: Matrix,
  lora: LoraWeights,
  options: LoraForwardOptions,
): void {
  checkBaseWeight(weight, lora, options);
  if (x.cols !== lora.a.cols) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: the input has ${x.cols} features per row but the layer takes ${lora.a.cols}`,
    );
  }
  if (options.bias !== undefined && options.bias.length !== lora.b.rows) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: the base bias has ${options.bias.length} values but the layer has ${lora.b.rows} outputs`,
    );
  }
}

/**
 * The adapted layer's output for a batch, as peft's `lora.Linear.forward` computes it
 * unmerged: `y = x·Wᵀ + b + s·((x·Aᵀ)·Bᵀ + b_B)`, each row of `x` one input. With
 * `fanInFanOut` the base term is `x·W`.
 *
 * @param x - inputs, batch × in (flatten batch and sequence dimensions into rows).
 * @param weight - the frozen base weight, out × in (in × out with `fanInFanOut`).
 * @param lora - the LoRA pair and scaling.
 * @param options - the base `bias`, the module `name`; see {@link LoraForwardOptions}.
 * @returns y, batch × out, with `x`'s storage type.
 * @throws TunekitError `shape_mismatch` naming the module when the shapes do not fit.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { loraForward } from "@tunekit/lora";
 * const y = loraForward(fromArray([[1, 1]]), fromArray([[1, 0], [0, 1]]), {
 *   a: fromArray([[1, 0]]), b: fromArray([[0], [1]]), scaling: 0.5,
 * }); // [[1, 1.5]]
 * ```
 */
export function loraForward(
  x: Matrix,
  weight: Matrix,
  lora: LoraWeights,
  options: LoraForwardOptions = {},
): Matrix {
  checkForwardInputs(x, weight, lora, options);
  const y = matmul(x, weight, { transposeB: !lora.fanInFanOut });
  if (options.bias !== undefined) addRowVector(y, options.bias);
  const hidden = matmul(x, lora.a, { transposeB: true });
  const update = matmul(hidden, lora.b, { transposeB: true });
  if (lora.bias !== undefined) addRowVector(update, lora.bias);
  addInPlace(y, update, lora.scaling);
  return y;
}

/**
 * Options for {@link mergeLora} and {@link unmergeLora}.
 *
 * @example
 * ```ts
 * import type { MergeLoraOptions } from "@tunekit/lora";
 * const options: MergeLoraOptions = { safeMerge: true, bias: new Float32Array(4096) };
 * ```
 */
export interface MergeLoraOptions extends LoraLayerOptions {
  /**
   * peft's `safe_merge`: compute the merge on a copy and throw, leaving `weight` untouched,
   * if any merged value is NaN or infinite. Default false.
   */
  safeMerge?: boolean;
  /**
   * The base layer's bias, updated in place with `s·b_B` when the adapter has `lora_bias`.
   * Required in that case (peft refuses to merge `lora_bias` into a layer without bias).
   */
  bias?: MatrixData;
}

/** Throws `merge_not_finite` when a merged value is NaN or infinite. */
export function checkFinite(values: MatrixData, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new TunekitError(
        "merge_not_finite",
        `${what}: the merged weights contain NaN or infinite values (first at element ${i}); the adapter seems to be broken, so the weight was left unchanged`,
      );
    }
  }
}

function applyBias(lora: LoraWeights, options: MergeLoraOptions, sign: 1 | -1): void {
  if (lora.bias === undefined) return;
  const bias = options.bias;
  if (bias === undefined) {
    throw new TunekitError(
      "merge_bias_missing",
      `${label(options)}: the adapter has lora_bias but the base layer has no bias to merge it into; pass the base bias`,
    );
  }
  if (bias.length !== lora.bias.length) {
    throw new TunekitError(
      "shape_mismatch",
      `${label(options)}: the base bias has ${bias.length} values but lora_B.bias has ${lora.bias.length}`,
    );
  }
  const merged = bias.slice();
  for (let i = 0; i < merged.length; i++) merged[i] += sign * lora.scaling * lora.bias[i];
  if (options.safeMerge) checkFinite(merged, `${label(options)} (bias)`);
  bias.set(merged);
}

/**
 * Merges a LoRA pair into its base weight in place: W += s·B·A (transposed with
 * `fanInFanOut`), and b += s·b_B with `lora_bias` — peft's `Linear.merge`. The layer then
 * computes the same outputs without the adapter.
 *
 * @param weight - the base weight; modified in place.
 * @param lora - the LoRA pair and scaling.
 * @param options - `safeMerge`, the base `bias`, the module `name`; see {@link MergeLoraOptions}.
 * @returns `weight`.
 * @throws TunekitError `shape_mismatch` naming the module when the shapes do not fit,
 *   `merge_not_finite` with `safeMerge` when the result has NaN/Inf, `merge_bias_missing`
 *   when `lora_bias` has nowhere to go.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { mergeLora } from "@tunekit/lora";
 * const w = fromArray([[1, 0], [0, 1]]);
 * mergeLora(w, { a: fromArray([[1, 1]]), b: fromArray([[1], [0]]), scaling: 2 });
 * // w = [[3, 2], [0, 1]]
 * ```
 */
export function mergeLora(
  weight: Matrix,
  lora: LoraWeights,
  options: MergeLoraOptions = {},
): Matrix {
  checkBaseWeight(weight, lora, options);
  if (options.safeMerge) {
    const copy: Matrix = { rows: weight.rows, cols: weight.cols, data: weight.data.slice() };
    addDeltaInPlace(copy, lora, 1);
    checkFinite(copy.data, label(options));
    applyBias(lora, options, 1);
    weight.data.set(copy.data);
    return weight;
  }
  addDeltaInPlace(weight, lora, 1);
  applyBias(lora, options, 1);
  return weight;
}

/**
 * Undoes {@link mergeLora} in place: W −= s·B·A (and b −= s·b_B), peft's `Linear.unmerge`.
 * The result equals the original weight up to floating-point rounding.
 *
 * @param weight - the merged weight; modified in place.
 * @param lora - the same LoRA pair and scaling that were merged.
 * @param options - the base `bias`, the module `name`; see {@link MergeLoraOptions}.
 * @returns `weight`.
 * @throws TunekitError `shape_mismatch` naming the module when the shapes do not fit.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { mergeLora, unmergeLora } from "@tunekit/lora";
 * const w = fromArray([[1, 0], [0, 1]]);
 * const lora = { a: fromArray([[1, 1]]), b: fromArray([[1], [0]]), scaling: 2 };
 * unmergeLora(mergeLora(w, lora), lora); // back to the identity
 * ```
 */
export function unmergeLora(
  weight: Matrix,
  lora: LoraWeights,
  options: MergeLoraOptions = {},
): Matrix {
  checkBaseWeight(weight, lora, options);
  addDeltaInPlace(weight, lora, -1);
  applyBias(lora, { ...options, safeMerge: false }, -1);
  return weight;
}
