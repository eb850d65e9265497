import {
  type DType,
  type Matrix,
  readSafetensors,
  type SafetensorsFile,
  type Tensor,
  TunekitError,
  tensorFromMatrix,
  tensorToFloat32,
  writeSafetensors,
} from "@tunekit/tensor";
import { type LoraConfig, parseLoraConfig, serializeLoraConfig } from "./config";
import { type AdapterTensorRole, adapterKey, parseAdapterKey } from "./keys";
import type { LoraWeights } from "./layer";
import { resolveModuleSettings } from "./patterns";

/**
 * The float storage types adapter tensors may have.
 *
 * @example
 * ```ts
 * import type { AdapterDType } from "@tunekit/lora";
 * const dtype: AdapterDType = "BF16";
 * ```
 */
export type AdapterDType = "F32" | "F16" | "BF16" | "F64";

/**
 * The layer type a LoRA module adapts.
 *
 * @example
 * ```ts
 * import type { LoraModuleKind } from "@tunekit/lora";
 * const kind: LoraModuleKind = "embedding";
 * ```
 */
export type LoraModuleKind = "linear" | "embedding";

/**
 * One adapted module of an adapter, its tensors decoded to float32.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type LoraModule } from "@tunekit/lora";
 * declare const adapter: LoraAdapter;
 * const q: LoraModule | undefined = adapter.modules.find((m) => m.name.endsWith("q_proj"));
 * ```
 */
export interface LoraModule {
  /** The module's name in the base model, e.g. `model.layers.0.self_attn.q_proj`. */
  name: string;
  /** `"linear"` (`lora_A`/`lora_B`) or `"embedding"` (`lora_embedding_A`/`lora_embedding_B`). */
  kind: LoraModuleKind;
  /** `lora_A.weight` (r × in), or `lora_embedding_A` (r × vocabulary). */
  a: Matrix<Float32Array>;
  /** `lora_B.weight` (out × r), or `lora_embedding_B` (width × r). */
  b: Matrix<Float32Array>;
  /** `lora_B.bias`, with `lora_bias`. */
  bias?: Float32Array;
  /** `lora_magnitude_vector`, with DoRA: one value per output. */
  magnitude?: Float32Array;
  /** The module's rank (A's rows). */
  r: number;
  /** The module's alpha after `alpha_pattern`. */
  alpha: number;
  /** The module's scaling after `use_rslora`. */
  scaling: number;
  /** How A and B were stored in the file; saving uses it again. */
  dtype: AdapterDType;
}

/**
 * A LoRA adapter: its config and its modules.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, loadAdapter } from "@tunekit/lora";
 * declare const configText: string;
 * declare const weights: Uint8Array;
 * const adapter: LoraAdapter = loadAdapter(configText, weights);
 * adapter.config.r; // e.g. 8
 * ```
 */
export interface LoraAdapter {
  /** The parsed `adapter_config.json`. */
  config: LoraConfig;
  /** The adapted modules, in the file's order. */
  modules: LoraModule[];
  /**
   * Tensors of the file that are not LoRA weights (trained biases, `modules_to_save`
   * copies, anything else), kept as they are and written back on save.
   */
  extraTensors: Map<string, Tensor>;
}

const FLOAT_DTYPES: readonly DType[] = ["F32", "F16", "BF16", "F64"];

/**
 * Options for {@link loadAdapter}.
 *
 * @example
 * ```ts
 * import { type LoadAdapterOptions, loadAdapter } from "@tunekit/lora";
 * declare const configText: string;
 * declare const weights: Uint8Array;
 * const options: LoadAdapterOptions = { source: "./my-adapter" };
 * loadAdapter(configText, weights, options);
 * ```
 */
export interface LoadAdapterOptions {
  /** A name for the adapter in error messages (its folder). Default `"adapter"`. */
  source?: string;
}

interface Collected {
  tensors: Partial<Record<AdapterTensorRole, { key: string; tensor: Tensor }>>;
}

function copyFloat32(tensor: Tensor): Float32Array {
  const values = tensorToFloat32(tensor);
  // F32 tensors may be views of the file's bytes; never let callers write through them.
  return values === tensor.data ? values.slice() : values;
}

/**
 * Reads an adapter from its config and its `adapter_model.safetensors`, checking each module
 * the way peft's loader would fail: A and B present with matching ranks, the rank the config
 * gives the module (after `rank_pattern`), magnitudes and biases one per output, float
 * tensors only. F16, BF16 and F64 tensors are decoded to float32 — what peft does by default
 * (`autocast_adapter_dtype=True`), so merges match peft's.
 *
 * @param config - the config text, or a parsed {@link LoraConfig}.
 * @param weights - the safetensors bytes, or an already-read file.
 * @param options - see {@link LoadAdapterOptions}.
 * @returns the adapter.
 * @throws TunekitError naming the module and tensor: `adapter_dtype` for a non-float tensor,
 *   `adapter_incomplete` when A or B (or DoRA's magnitude) is missing, `shape_mismatch` for
 *   inconsistent shapes, `adapter_rank_mismatch` when a module's rank differs from the config's;
 *   the config and safetensors codes for broken files.
 * @example
 * ```ts
 * import { loadAdapter } from "@tunekit/lora";
 * declare const configText: string;
 * declare const safetensorsBytes: Uint8Array;
 * const adapter = loadAdapter(configText, safetensorsBytes);
 * for (const m of adapter.modules) console.log(m.name, m.r, m.scaling);
 * ```
 */
export function loadAdapter(
  config: string | LoraConfig,
  weights: Uint8Array | SafetensorsFile,
  options: LoadAdapterOptions = {},
): LoraAdapter {
  const source = options.source ?? "adapter";
  const parsed =
    typeof config === "string"
      ? parseLoraConfig(config, { source: `${source}/adapter_config.json` })
      : config;
  const file =
    weights instanceof Uint8Array
      ? readSafetensors(weights, { source: `${source}/adapter_model.safetensors` })
      : weights;
  const byModule = new Map<string, Collected>();
  const extraTensors = new Map<string, Tensor>();
  for (const key of file.names()) {
    const parsedKey = parseAdapterKey(key);
    const tensor = file.tensor(key);
    if (parsedKey === null) {
      extraTensors.set(key, {
        dtype: tensor.dtype,
        shape: [...tensor.shape],
        data: tensor.data.slice(),
      });
      continue;
    }
    if (!FLOAT_DTYPES.includes(tensor.dtype)) {
      throw new TunekitError(
        "adapter_dtype",
        `${source}: module ${parsedKey.module}: tensor ${key} is ${tensor.dtype}; LoRA weights must be F32, F16, BF16 or F64`,
      );
    }
    let entry = byModule.get(parsedKey.module);
    if (entry === undefined) {
      entry = { tensors: {} };
      byModule.set(parsedKey.module, entry);
    }
    entry.tensors[parsedKey.role] = { key, tensor };
  }
  const modules: LoraModule[] = [];
  for (const [name, entry] of byModule) {
    modules.push(buildModule(name, entry, parsed, source));
  }
  return { config: parsed, modules, extraTensors };
}

function matrixOf(
  found: { key: string; tensor: Tensor },
  module: string,
  source: string,
): Matrix<Float32Array> {
  const { shape } = found.tensor;
  if (shape.length !== 2) {
    throw new TunekitError(
      "shape_mismatch",
      `${source}: module ${module}: ${found.key} has shape [${shape.join(", ")}]; LoRA A and B must be 2-D`,
    );
  }
  return { rows: shape[0], cols: shape[1], data: copyFloat32(found.tensor) };
}

function vectorOf(
  found: { key: string; tensor: Tensor },
  length: number,
  module: string,
  source: string,
): Float32Array {
  const { shape } = found.tensor;
  if (shape.length !== 1 || shape[0] !== length) {
    throw new TunekitError(
      "shape_mismatch",
      `${source}: module ${module}: ${found.key} has shape [${shape.join(", ")}] but the module has ${length} outputs`,
    );
  }
  return copyFloat32(found.tensor);
}

function buildModule(
  name: string,
  entry: Collected,
  config: LoraConfig,
  source: string,
): LoraModule {
  const t = entry.tensors;
  const linear = t.lora_A !== undefined || t.lora_B !== undefined;
  const embedding = t.lora_embedding_A !== undefined || t.lora_embedding_B !== undefined;
  if (linear && embedding) {
    throw new TunekitError(
      "adapter_incomplete",
      `${source}: module ${name} has both lora_A/lora_B and lora_embedding_A/lora_embedding_B tensors`,
    );
  }
  const [aRole, bRole] = embedding
    ? (["lora_embedding_A", "lora_embedding_B"] as const)
    : (["lora_A", "lora_B"] as const);
  const aFound = t[aRole];
  const bFound = t[bRole];
  if (aFound === undefined || bFound === undefined) {
    const missing = aFound === undefined ? adapterKey(name, aRole) : adapterKey(name, bRole);
    throw new TunekitError(
      "adapter_incomplete",
      `${source}: module ${name} has no ${missing}; every adapted module needs both A and B`,
    );
  }
  const a = matrixOf(aFound, name, source);
  const b = matrixOf(bFound, name, source);
  if (a.rows !== b.cols) {
    throw new TunekitError(
      "shape_mismatch",
      `${source}: module ${name}: ${aFound.key} is ${a.rows}×${a.cols} (r × in) but ${bFound.key} is ${b.rows}×${b.cols} (out × r); the ranks differ`,
    );
  }
  const settings = resolveModuleSettings(config, name);
  if (settings.r !== a.rows) {
    const why =
      settings.rankPatternKey === undefined
        ? `r = ${config.r}`
        : `rank_pattern[${JSON.stringify(settings.rankPatternKey)}] = ${settings.r}`;
    throw new TunekitError(
      "adapter_rank_mismatch",
      `${source}: module ${name}: the tensors have rank ${a.rows} but the config gives ${why}; peft would refuse to load this adapter`,
    );
  }
  const module: LoraModule = {
    name,
    kind: embedding ? "embedding" : "linear",
    a,
    b,
    r: settings.r,
    alpha: settings.alpha,
    scaling: settings.scaling,
    dtype: aFound.tensor.dtype as AdapterDType,
  };
  if (t.lora_B_bias !== undefined) {
    if (!config.lora_bias) {
      throw new TunekitError(
        "adapter_unexpected_tensor",
        `${source}: module ${name} has ${t.lora_B_bias.key} but the config has lora_bias false; set lora_bias to true or drop the tensor`,
      );
    }
    module.bias = vectorOf(t.lora_B_bias, b.rows, name, source);
  }
  if (config.use_dora) {
    if (t.lora_magnitude_vector === undefined) {
      throw new TunekitError(
        "adapter_incomplete",
        `${source}: module ${name} has no ${adapterKey(name, "lora_magnitude_vector")} but the config has use_dora`,
      );
    }
    module.magnitude = vectorOf(t.lora_magnitude_vector, b.rows, name, source);
  } else if (t.lora_magnitude_vector !== undefined) {
    throw new TunekitError(
      "adapter_unexpected_tensor",
      `${source}: module ${name} has a DoRA magnitude vector but the config has use_dora false; set use_dora to true or drop the tensor`,
    );
  }
  return module;
}

/**
 * A module's tensors as {@link LoraWeights} for the layer functions (`mergeLora`,
 * `loraForward`, `mergeDora`, …). Embedding modules use the transposed layout, since their
 * update is s·(B·A)ᵀ; linear modules follow `fan_in_fan_out` unless `fanInFanOut` says
 * otherwise (the merge decides it from the base weight's shape, as peft decides it from the
 * layer type).
 *
 * @param module - the module.
 * @param config - the adapter's config.
 * @param fanInFanOut - override for linear modules. Default `config.fan_in_fan_out`.
 * @returns the weights, sharing the module's arrays.
 * @example
 * ```ts
 * import { type LoraAdapter, mergeLora, moduleLoraWeights } from "@tunekit/lora";
 * import type { Matrix } from "@tunekit/tensor";
 * declare const adapter: LoraAdapter;
 * declare const weight: Matrix;
 * mergeLora(weight, moduleLoraWeights(adapter.modules[0], adapter.config));
 * ```
 */
export function moduleLoraWeights(
  module: LoraModule,
  config: LoraConfig,
  fanInFanOut: boolean = config.fan_in_fan_out,
): LoraWeights {
  const weights: LoraWeights = {
    a: module.a,
    b: module.b,
    scaling: module.scaling,
    fanInFanOut: module.kind === "embedding" ? true : fanInFanOut,
  };
  if (module.bias !== undefined) weights.bias = module.bias;
  return weights;
}

/**
 * Options for {@link adapterTensors} and {@link serializeAdapter}.
 *
 * @example
 * ```ts
 * import type { SaveAdapterOptions } from "@tunekit/lora";
 * const options: SaveAdapterOptions = { dtype: "F16" };
 * ```
 */
export interface SaveAdapterOptions {
  /** Store every LoRA tensor as this type. Default: each module's own `dtype`. */
  dtype?: AdapterDType;
}

/**
 * The adapter's tensors under the keys peft saves them with
 * (`base_model.model.<module>.lora_A.weight`, …), plus the kept extra tensors.
 *
 * @param adapter - the adapter.
 * @param options - see {@link SaveAdapterOptions}.
 * @returns name → tensor.
 * @example
 * ```ts
 * import { adapterTensors, type LoraAdapter } from "@tunekit/lora";
 * declare const adapter: LoraAdapter;
 * const tensors = adapterTensors(adapter, { dtype: "BF16" });
 * ```
 */
export function adapterTensors(
  adapter: LoraAdapter,
  options: SaveAdapterOptions = {},
): Map<string, Tensor> {
  const out = new Map<string, Tensor>(adapter.extraTensors);
  for (const m of adapter.modules) {
    const dtype = options.dtype ?? m.dtype;
    const [aRole, bRole] =
      m.kind === "embedding"
        ? (["lora_embedding_A", "lora_embedding_B"] as const)
        : (["lora_A", "lora_B"] as const);
    out.set(adapterKey(m.name, aRole), tensorFromMatrix(m.a, dtype));
    out.set(adapterKey(m.name, bRole), tensorFromMatrix(m.b, dtype));
    const vector = (values: Float32Array): Tensor => {
      const t = tensorFromMatrix({ rows: 1, cols: values.length, data: values }, dtype);
      return { ...t, shape: [values.length] };
    };
    if (m.bias !== undefined) out.set(adapterKey(m.name, "lora_B_bias"), vector(m.bias));
    if (m.magnitude !== undefined)
      out.set(adapterKey(m.name, "lora_magnitude_vector"), vector(m.magnitude));
  }
  return out;
}

/**
 * The two files of a saved adapter.
 *
 * @example
 * ```ts
 * import { type LoraAdapter, type SerializedAdapter, serializeAdapter } from "@tunekit/lora";
 * declare const adapter: LoraAdapter;
 * const files: SerializedAdapter = serializeAdapter(adapter);
 * files.config.startsWith("{"); // true
 * ```
 */
export interface SerializedAdapter {
  /** The text of `adapter_config.json`. */
  config: string;
  /** The bytes of `adapter_model.safetensors`. */
  weights: Uint8Array;
}

/**
 * Writes an adapter as the two files peft's `PeftModel.from_pretrained` loads:
 * `adapter_config.json` (peft's field set, sorted, indented) and
 * `adapter_model.safetensors` (peft's key names, `{"format": "pt"}` metadata).
 *
 * @param adapter - the adapter.
 * @param options - see {@link SaveAdapterOptions}.
 * @returns the config text and the safetensors bytes.
 * @example
 * ```ts
 * import { type LoraAdapter, serializeAdapter } from "@tunekit/lora";
 * declare const adapter: LoraAdapter;
 * const { config, weights } = serializeAdapter(adapter);
 * ```
 */
export function serializeAdapter(
  adapter: LoraAdapter,
  options: SaveAdapterOptions = {},
): SerializedAdapter {
  return {
    config: serializeLoraConfig(adapter.config),
    weights: writeSafetensors(adapterTensors(adapter, options), { metadata: { format: "pt" } }),
  };
}

/**
 * Builds a module from matrices, filling rank, alpha and scaling from the config (after
 * `rank_pattern`, `alpha_pattern` and `use_rslora`).
 *
 * @param config - the config the module belongs to.
 * @param name - the module's name in the base model.
 * @param tensors - A, B and optionally `bias`, `magnitude`, `kind` (default `"linear"`) and
 *   `dtype` (how to store it; default `"F32"`).
 * @returns the module.
 * @throws TunekitError `adapter_rank_mismatch` when A's rows differ from the config's rank for
 *   this module; `shape_mismatch` when A and B do not chain.
 * @example
 * ```ts
 * import { createLoraConfig, createLoraModule, initLoraWeights } from "@tunekit/lora";
 * const config = createLoraConfig({ r: 8, lora_alpha: 16, target_modules: ["q_proj"] });
 * const { a, b } = initLoraWeights(64, 64, 8, { seed: 1 });
 * const module = createLoraModule(config, "model.layers.0.self_attn.q_proj", { a, b });
 * ```
 */
export function createLoraModule(
  config: LoraConfig,
  name: string,
  tensors: {
    a: Matrix;
    b: Matrix;
    bias?: ArrayLike<number>;
    magnitude?: ArrayLike<number>;
    kind?: LoraModuleKind;
    dtype?: AdapterDType;
  },
): LoraModule {
  const toF32 = (m: Matrix): Matrix<Float32Array> => ({
    rows: m.rows,
    cols: m.cols,
    data: m.data instanceof Float32Array ? m.data : Float32Array.from(m.data),
  });
  if (tensors.a.rows !== tensors.b.cols) {
    throw new TunekitError(
      "shape_mismatch",
      `module ${name}: A is ${tensors.a.rows}×${tensors.a.cols} (r × in) but B is ${tensors.b.rows}×${tensors.b.cols} (out × r); the ranks differ`,
    );
  }
  const settings = resolveModuleSettings(config, name);
  if (settings.r !== tensors.a.rows) {
    throw new TunekitError(
      "adapter_rank_mismatch",
      `module ${name}: A has rank ${tensors.a.rows} but the config gives r = ${settings.r}; set r or a rank_pattern entry for it`,
    );
  }
  const module: LoraModule = {
    name,
    kind: tensors.kind ?? "linear",
    a: toF32(tensors.a),
    b: toF32(tensors.b),
    r: settings.r,
    alpha: settings.alpha,
    scaling: settings.scaling,
    dtype: tensors.dtype ?? "F32",
  };
  if (tensors.bias !== undefined) module.bias = Float32Array.from(tensors.bias);
  if (tensors.magnitude !== undefined) module.magnitude = Float32Array.from(tensors.magnitude);
  return module;
}
