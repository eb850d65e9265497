import {
  type DType,
  decodeBF16,
  decodeF16,
  encodeBF16,
  encodeF16,
  type Matrix,
  type MatrixData,
  readSafetensors,
  type SafetensorsFile,
  type Tensor,
  type TensorInfo,
  TunekitError,
  tensorToFloat32,
  writeSafetensors,
} from "@tunekit/tensor";
import { type LoraAdapter, type LoraModule, moduleLoraWeights } from "./adapter";
import { baseMutatingInitWarning, unsupportedLoraFeatures } from "./config";
import { mergeDora } from "./dora";
import { baseKeyOfExtraTensor, baseWeightKey } from "./keys";
import { checkFinite, deltaWeight, type LoraWeights, mergeLora } from "./layer";

/**
 * What a merge needs to know about the base checkpoint: its tensor names and layouts.
 *
 * @example
 * ```ts
 * import type { BaseCheckpoint } from "@tunekit/lora";
 * import { readSafetensors } from "@tunekit/tensor";
 * declare const bytes: Uint8Array;
 * const base: BaseCheckpoint = readSafetensors(bytes);
 * ```
 */
export interface BaseCheckpoint {
  /** Tensor names. */
  names(): string[];
  /** Whether a tensor exists. */
  has(name: string): boolean;
  /** A tensor's dtype and shape. */
  info(name: string): TensorInfo;
}

/**
 * Options for {@link planAdapterMerge} and the merge functions.
 *
 * @example
 * ```ts
 * import type { MergeAdapterOptions } from "@tunekit/lora";
 * const options: MergeAdapterOptions = {
 *   safeMerge: true,
 *   baseKey: (module) => `transformer.${module}.weight`,
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * };
 * ```
 */
export interface MergeAdapterOptions {
  /**
   * peft's `safe_merge`: check every merged tensor for NaN/Inf and fail instead of writing
   * it (for half-precision bases, ΔW is also rounded to the base dtype before the add, as
   * peft's safe path does). Default false.
   */
  safeMerge?: boolean;
  /** The base key of a module's weight. Default `<module>.weight`. */
  baseKey?: (module: string) => string;
  /** Called after each base tensor is processed. */
  onProgress?: (progress: MergeProgress) => void;
}

/**
 * Progress of a merge, reported once per base tensor.
 *
 * @example
 * ```ts
 * import type { MergeProgress } from "@tunekit/lora";
 * const report = (p: MergeProgress) => console.log(`${((100 * p.bytesDone) / p.bytesTotal).toFixed(0)}% (${p.tensor})`);
 * ```
 */
export interface MergeProgress {
  /** Tensors processed so far. */
  done: number;
  /** Tensors in the base checkpoint. */
  total: number;
  /** The tensor just processed. */
  tensor: string;
  /** Bytes of tensor data processed so far. */
  bytesDone: number;
  /** Bytes of tensor data in total. */
  bytesTotal: number;
}

/**
 * How one module is merged.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type MergeTarget, planAdapterMerge } from "@tunekit/lora";
 * import type { SafetensorsFile } from "@tunekit/tensor";
 * declare const base: SafetensorsFile;
 * declare const adapter: LoraAdapter;
 * const targets: MergeTarget[] = [...planAdapterMerge(base, adapter).weights.values()];
 * ```
 */
export interface MergeTarget {
  /** The adapter module. */
  module: LoraModule;
  /** The base tensor it changes. */
  baseKey: string;
  /** Whether the base weight is stored in × out (decided from its shape, see {@link planAdapterMerge}). */
  fanInFanOut: boolean;
  /** The layer weights to apply. */
  weights: LoraWeights;
}

/**
 * Everything a merge will do, worked out and checked before any tensor is written.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type MergePlan, planAdapterMerge } from "@tunekit/lora";
 * import type { SafetensorsFile } from "@tunekit/tensor";
 * declare const base: SafetensorsFile;
 * declare const adapter: LoraAdapter;
 * const plan: MergePlan = planAdapterMerge(base, adapter);
 * plan.ignored; // adapter tensors the base has no place for
 * ```
 */
export interface MergePlan {
  /** Base weight key → the module merged into it. */
  weights: Map<string, MergeTarget>;
  /** Base bias key → the module whose `lora_B.bias` is added to it. */
  biases: Map<string, MergeTarget>;
  /** Base key → the adapter tensor that replaces it (trained biases, `modules_to_save`). */
  replacements: Map<string, { adapterKey: string; tensor: Tensor }>;
  /** Extra adapter tensors with no counterpart in the base (left out of the merge). */
  ignored: string[];
  /** Things a user should know (e.g. a PiSSA-style init). */
  warnings: string[];
}

const FLOAT: readonly DType[] = ["F32", "F16", "BF16", "F64"];

function nearestNames(base: BaseCheckpoint, key: string): string[] {
  const tail = key.split(".").slice(-3).join(".");
  return base
    .names()
    .filter((n) => n.endsWith(tail))
    .slice(0, 3);
}

/**
 * Works out and checks a merge: finds each module's base weight, decides its layout, and
 * checks shapes and dtypes, so nothing is written when something does not fit.
 *
 * The layout follows peft, which decides `fan_in_fan_out` from the layer's type (`nn.Linear`
 * is out × in, GPT-2's `Conv1D` in × out) whatever the config says: a base weight that fits
 * only one layout gets that one; a square one follows the config's `fan_in_fan_out`.
 * Embedding modules always use the embedding layout (vocabulary × width).
 *
 * @param base - the base checkpoint's tensor list (a read file or an open reader).
 * @param adapter - the adapter.
 * @param options - `baseKey`; see {@link MergeAdapterOptions}.
 * @returns the plan.
 * @throws TunekitError naming the module: `merge_module_missing` when its base weight is not
 *   in the checkpoint (with the closest names), `shape_mismatch` when shapes do not fit,
 *   `merge_dtype` for a non-float base weight, `merge_bias_missing` for `lora_bias` without a
 *   base bias, `unsupported_variant` for peft variants this package does not implement.
 * @example
 * ```ts
 * import { type LoraAdapter, planAdapterMerge } from "@tunekit/lora";
 * import type { SafetensorsFile } from "@tunekit/tensor";
 * declare const base: SafetensorsFile;
 * declare const adapter: LoraAdapter;
 * const plan = planAdapterMerge(base, adapter);
 * console.log([...plan.weights.keys()]);
 * ```
 */
export function planAdapterMerge(
  base: BaseCheckpoint,
  adapter: LoraAdapter,
  options: MergeAdapterOptions = {},
): MergePlan {
  const { config } = adapter;
  const unsupported = unsupportedLoraFeatures(config);
  if (unsupported.length > 0) {
    throw new TunekitError(
      "unsupported_variant",
      `the adapter uses ${unsupported.join(", ")}, which change the LoRA math in ways this package does not implement; merge it with peft`,
    );
  }
  const warnings: string[] = [];
  const initWarning = baseMutatingInitWarning(config);
  if (initWarning !== undefined) warnings.push(initWarning);
  const keyOf = options.baseKey ?? baseWeightKey;
  const weights = new Map<string, MergeTarget>();
  const biases = new Map<string, MergeTarget>();
  for (const module of adapter.modules) {
    const key = keyOf(module.name);
    if (!base.has(key)) {
      const near = nearestNames(base, key);
      throw new TunekitError(
        "merge_module_missing",
        `module ${module.name}: the base checkpoint has no tensor "${key}"${
          near.length > 0 ? ` (closest: ${near.map((n) => `"${n}"`).join(", ")})` : ""
        }; the adapter was made for a different model, or its module names need a prefix`,
      );
    }
    const info = base.info(key);
    if (!FLOAT.includes(info.dtype)) {
      throw new TunekitError(
        "merge_dtype",
        `module ${module.name}: base tensor "${key}" is ${info.dtype}; only F32, F16, BF16 and F64 weights can be merged`,
      );
    }
    if (info.shape.length !== 2) {
      throw new TunekitError(
        "shape_mismatch",
        `module ${module.name}: base tensor "${key}" has shape [${info.shape.join(", ")}]; only linear and embedding weights (2-D) can be merged`,
      );
    }
    const [rows, cols] = info.shape;
    const out = module.b.rows;
    const inFeatures = module.a.cols;
    const fitsLinear = rows === out && cols === inFeatures;
    const fitsTransposed = rows === inFeatures && cols === out;
    let fanInFanOut: boolean;
    if (module.kind === "embedding") fanInFanOut = true;
    else if (fitsLinear && fitsTransposed) fanInFanOut = config.fan_in_fan_out;
    else fanInFanOut = fitsTransposed;
    if (module.kind === "embedding" ? !fitsTransposed : !fitsLinear && !fitsTransposed) {
      const expected =
        module.kind === "embedding"
          ? `${inFeatures}×${out} (vocabulary × width)`
          : `${out}×${inFeatures} (out × in) or ${inFeatures}×${out} (in × out)`;
      throw new TunekitError(
        "shape_mismatch",
        `module ${module.name}: base tensor "${key}" is ${rows}×${cols} but the adapter's A (${module.a.rows}×${module.a.cols}) and B (${module.b.rows}×${module.b.cols}) need ${expected}; the adapter was made for a different model`,
      );
    }
    const target: MergeTarget = {
      module,
      baseKey: key,
      fanInFanOut,
      weights: moduleLoraWeights(module, config, fanInFanOut),
    };
    weights.set(key, target);
    if (module.bias !== undefined) {
      const biasKey = key.endsWith(".weight")
        ? `${key.slice(0, -".weight".length)}.bias`
        : `${key}.bias`;
      if (!base.has(biasKey)) {
        throw new TunekitError(
          "merge_bias_missing",
          `module ${module.name}: the adapter has lora_bias but the base has no "${biasKey}" to merge it into (peft refuses this merge too)`,
        );
      }
      const biasInfo = base.info(biasKey);
      if (
        biasInfo.shape.length !== 1 ||
        biasInfo.shape[0] !== out ||
        !FLOAT.includes(biasInfo.dtype)
      ) {
        throw new TunekitError(
          "shape_mismatch",
          `module ${module.name}: base bias "${biasKey}" is ${biasInfo.dtype} [${biasInfo.shape.join(", ")}] but lora_B.bias needs a float vector of ${out}`,
        );
      }
      biases.set(biasKey, target);
    }
  }
  const replacements = new Map<string, { adapterKey: string; tensor: Tensor }>();
  const ignored: string[] = [];
  for (const [adapterKey, tensor] of adapter.extraTensors) {
    const key = baseKeyOfExtraTensor(adapterKey);
    if (!base.has(key)) {
      ignored.push(adapterKey);
      continue;
    }
    const info = base.info(key);
    const sameShape =
      info.shape.length === tensor.shape.length &&
      info.shape.every((d, i) => d === tensor.shape[i]);
    if (!sameShape || !FLOAT.includes(info.dtype) || !FLOAT.includes(tensor.dtype)) {
      throw new TunekitError(
        "shape_mismatch",
        `adapter tensor "${adapterKey}" (${tensor.dtype} [${tensor.shape.join(", ")}]) would replace base tensor "${key}" (${info.dtype} [${info.shape.join(", ")}]) but they do not match`,
      );
    }
    if (weights.has(key)) {
      throw new TunekitError(
        "merge_conflict",
        `adapter tensor "${adapterKey}" replaces "${key}", which module ${weights.get(key)?.module.name} also adapts; peft does not allow a module to be both trained in full and adapted`,
      );
    }
    replacements.set(key, { adapterKey, tensor });
  }
  return { weights, biases, replacements, ignored, warnings };
}

function decode(tensor: Tensor, reuse: boolean): MatrixData {
  if (tensor.dtype === "F64")
    return reuse ? (tensor.data as Float64Array) : (tensor.data as Float64Array).slice();
  const values = tensorToFloat32(tensor);
  return values === tensor.data && !reuse ? values.slice() : values;
}

function encode(values: MatrixData, dtype: DType): Tensor["data"] {
  switch (dtype) {
    case "F16":
      return encodeF16(values);
    case "BF16":
      return encodeBF16(values);
    case "F64":
      return values instanceof Float64Array ? values : Float64Array.from(values);
    default:
      return values instanceof Float32Array ? values : Float32Array.from(values);
  }
}

/** Rounds float32 values to a half type and back (peft's `delta.to(orig_dtype)`). */
function roundTo(values: Float32Array, dtype: DType): Float32Array {
  if (dtype === "F16") return decodeF16(encodeF16(values));
  if (dtype === "BF16") return decodeBF16(encodeBF16(values));
  return values;
}

/**
 * Options for {@link mergeBaseTensor}.
 *
 * @example
 * ```ts
 * import type { MergeTensorOptions } from "@tunekit/lora";
 * const options: MergeTensorOptions = { reuseInput: true };
 * ```
 */
export interface MergeTensorOptions extends MergeAdapterOptions {
  /**
   * The tensor's data is a private buffer the merge may overwrite (as a file reader's
   * tensors are), which saves a copy of every adapted weight. Default false: the input is
   * never modified (it may be a view of a whole file held in memory).
   */
  reuseInput?: boolean;
}

/**
 * One base tensor after the merge: the adapted weight, the bias with `lora_B.bias` added,
 * the adapter's replacement, or the tensor itself (same object, bit for bit) when the
 * adapter does not touch it. The result keeps the base tensor's dtype (half-precision
 * results are rounded to nearest even once, from float32, as torch's in-place add does).
 *
 * @param key - the base tensor's name.
 * @param tensor - the base tensor.
 * @param plan - from {@link planAdapterMerge}.
 * @param options - `safeMerge`, `reuseInput`; see {@link MergeTensorOptions}.
 * @returns the tensor to write under `key`.
 * @throws TunekitError `merge_not_finite` with `safeMerge`; `shape_mismatch` naming the module.
 * @example
 * ```ts
 * import { type LoraAdapter, mergeBaseTensor, planAdapterMerge } from "@tunekit/lora";
 * import type { SafetensorsFile } from "@tunekit/tensor";
 * declare const base: SafetensorsFile;
 * declare const adapter: LoraAdapter;
 * const plan = planAdapterMerge(base, adapter);
 * const merged = base.names().map((name) => mergeBaseTensor(name, base.tensor(name), plan));
 * ```
 */
export function mergeBaseTensor(
  key: string,
  tensor: Tensor,
  plan: MergePlan,
  options: MergeTensorOptions = {},
): Tensor {
  const replacement = plan.replacements.get(key);
  // A replacement is a fresh buffer of our own, so it may always be overwritten.
  const reuse = options.reuseInput === true || replacement !== undefined;
  let current = tensor;
  if (replacement !== undefined) {
    current = {
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      data: encode(decode(replacement.tensor, false), tensor.dtype),
    };
  }
  const biasTarget = plan.biases.get(key);
  if (biasTarget !== undefined) {
    const values = decode(current, reuse);
    const loraBias = biasTarget.module.bias as Float32Array;
    const s = biasTarget.module.scaling;
    for (let i = 0; i < values.length; i++) values[i] += Math.fround(loraBias[i] * s);
    if (options.safeMerge) checkFinite(values, `module ${biasTarget.module.name} (bias)`);
    return { dtype: tensor.dtype, shape: [...tensor.shape], data: encode(values, tensor.dtype) };
  }
  const target = plan.weights.get(key);
  if (target === undefined) return current;
  const [rows, cols] = tensor.shape;
  const weight: Matrix = { rows, cols, data: decode(current, reuse) };
  const name = target.module.name;
  const weights = { ...target.weights, bias: undefined };
  if (target.module.magnitude !== undefined) {
    mergeDora(weight, weights, target.module.magnitude, { name, safeMerge: options.safeMerge });
  } else if (options.safeMerge && (tensor.dtype === "F16" || tensor.dtype === "BF16")) {
    // peft's safe path adds ΔW already rounded to the weight's dtype.
    const delta = roundTo(deltaWeight(weights, { name }).data as Float32Array, tensor.dtype);
    const data = weight.data;
    for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] + delta[i]);
    checkFinite(data, `module ${name}`);
  } else {
    mergeLora(weight, weights, { name, safeMerge: options.safeMerge });
  }
  return { dtype: tensor.dtype, shape: [...tensor.shape], data: encode(weight.data, tensor.dtype) };
}

/**
 * What a merge did.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type MergeReport, mergeAdapter } from "@tunekit/lora";
 * declare const base: Uint8Array;
 * declare const adapter: LoraAdapter;
 * const report: MergeReport = mergeAdapter(base, adapter).report;
 * report.merged.length;
 * ```
 */
export interface MergeReport {
  /** One entry per merged module. */
  merged: { module: string; baseKey: string; fanInFanOut: boolean; dora: boolean }[];
  /** Base biases that received `lora_B.bias`. */
  biases: string[];
  /** Base tensors replaced by adapter tensors (trained biases, `modules_to_save`). */
  replaced: string[];
  /** Adapter tensors with no counterpart in the base. */
  ignored: string[];
  /** Things a user should know. */
  warnings: string[];
}

/**
 * The report of a plan (what {@link mergeAdapter} and the file merge return).
 *
 * @param plan - from {@link planAdapterMerge}.
 * @returns the report.
 * @example
 * ```ts
 * import { type MergePlan, mergeReport } from "@tunekit/lora";
 * declare const plan: MergePlan;
 * mergeReport(plan).merged.length;
 * ```
 */
export function mergeReport(plan: MergePlan): MergeReport {
  return {
    merged: [...plan.weights.values()].map((t) => ({
      module: t.module.name,
      baseKey: t.baseKey,
      fanInFanOut: t.fanInFanOut,
      dora: t.module.magnitude !== undefined,
    })),
    biases: [...plan.biases.keys()],
    replaced: [...plan.replacements.keys()],
    ignored: [...plan.ignored],
    warnings: [...plan.warnings],
  };
}

/**
 * The merged checkpoint and what was done.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type MergeResult, mergeAdapter } from "@tunekit/lora";
 * declare const base: Uint8Array;
 * declare const adapter: LoraAdapter;
 * const { bytes, report }: MergeResult = mergeAdapter(base, adapter);
 * ```
 */
export interface MergeResult {
  /** The merged safetensors file. */
  bytes: Uint8Array;
  /** What the merge did. */
  report: MergeReport;
}

/**
 * Merges an adapter into a base checkpoint held in memory, as peft's `merge_and_unload`
 * followed by `save_pretrained`: every adapted weight becomes W + s·B·A (DoRA: its
 * normalised form), untouched tensors are copied bit for bit, and the base's metadata is
 * kept. For checkpoints larger than memory use `mergeAdapterFile` from `@tunekit/lora/node`,
 * which streams tensor by tensor.
 *
 * @param base - the base safetensors bytes or read file.
 * @param adapter - the adapter.
 * @param options - see {@link MergeAdapterOptions}.
 * @returns the merged file's bytes and a report.
 * @throws TunekitError as {@link planAdapterMerge} and {@link mergeBaseTensor}.
 * @example
 * ```ts
 * import { loadAdapter, mergeAdapter } from "@tunekit/lora";
 * declare const baseBytes: Uint8Array;
 * declare const configText: string;
 * declare const adapterBytes: Uint8Array;
 * const { bytes, report } = mergeAdapter(baseBytes, loadAdapter(configText, adapterBytes));
 * ```
 */
export function mergeAdapter(
  base: Uint8Array | SafetensorsFile,
  adapter: LoraAdapter,
  options: MergeAdapterOptions = {},
): MergeResult {
  const file = base instanceof Uint8Array ? readSafetensors(base, { source: "base" }) : base;
  const plan = planAdapterMerge(file, adapter, options);
  const names = file.names();
  const bytesTotal = names.reduce((s, n) => s + sizeOf(file.info(n)), 0);
  const out = new Map<string, Tensor>();
  let bytesDone = 0;
  names.forEach((name, i) => {
    out.set(name, mergeBaseTensor(name, file.tensor(name), plan, options));
    bytesDone += sizeOf(file.info(name));
    options.onProgress?.({ done: i + 1, total: names.length, tensor: name, bytesDone, bytesTotal });
  });
  const metadata = Object.keys(file.metadata).length > 0 ? file.metadata : null;
  return { bytes: writeSafetensors(out, { metadata }), report: mergeReport(plan) };
}

/** Bytes of a tensor's data. */
export function sizeOf(info: TensorInfo): number {
  return info.dataOffsets[1] - info.dataOffsets[0];
}
