import { TunekitError } from "@tunekit/tensor";
import {
  type OrderedJson,
  parseOrderedJson,
  toPythonJson,
} from "../../../internal/shared/src/index";

/**
 * The values peft accepts for the `bias` field.
 *
 * @example
 * ```ts
 * import type { LoraBiasMode } from "@tunekit/lora";
 * const bias: LoraBiasMode = "lora_only";
 * ```
 */
export type LoraBiasMode = "none" | "all" | "lora_only";

/**
 * A parsed `adapter_config.json` of a peft LoRA adapter. Field names are peft's own, so a
 * reader can look each one up in peft's `LoraConfig` documentation.
 *
 * `rank_pattern` and `alpha_pattern` are `Map`s because their order matters (the first
 * matching key wins) and a plain object would move integer-like keys to the front.
 * Every key this type does not name is kept, unchanged, in `extra`.
 *
 * @example
 * ```ts
 * import { type LoraConfig, parseLoraConfig } from "@tunekit/lora";
 * const config: LoraConfig = parseLoraConfig('{"peft_type": "LORA", "r": 8, "lora_alpha": 16, "rank_pattern": {"v_proj": 4}}');
 * config.rank_pattern.get("v_proj"); // 4
 * ```
 */
export interface LoraConfig {
  /** Always `"LORA"`. */
  peft_type: "LORA";
  /** The default rank. */
  r: number;
  /** The default alpha; scaling is `lora_alpha / r` (or `/ √r` with `use_rslora`). */
  lora_alpha: number;
  /** Module-name suffixes, a Python regex matched against the whole name, or `"all-linear"`. */
  target_modules: string[] | string | null;
  /** Modules never adapted: suffixes, or a Python regex matched against the whole name. */
  exclude_modules: string[] | string | null;
  /** Python regex → rank, tried in order against each module name's dotted suffixes. */
  rank_pattern: Map<string, number>;
  /** Python regex → alpha, tried in order like `rank_pattern`. */
  alpha_pattern: Map<string, number>;
  /** Rank-stabilised scaling `lora_alpha / √r` (Kalajdzievski 2023). */
  use_rslora: boolean;
  /** Weight-decomposed LoRA (Liu et al. 2024): a magnitude per output row. */
  use_dora: boolean;
  /** The base weights are stored in × out (GPT-2's `Conv1D`). */
  fan_in_fan_out: boolean;
  /** `lora_B` has a bias. */
  lora_bias: boolean;
  /** Which base biases were trained and saved with the adapter. */
  bias: LoraBiasMode;
  /** Dropout on the LoRA input during training (no effect on merging or inference). */
  lora_dropout: number;
  /** How A and B were initialised: `true`, `false`, `"gaussian"`, `"pissa"`, `"olora"`, … */
  init_lora_weights: boolean | string;
  /** Modules trained in full and stored whole in the adapter. */
  modules_to_save: string[] | null;
  /** Layer indices adapted, with `layers_pattern` naming the layer list. */
  layers_to_transform: number[] | number | null;
  /** The name(s) of the layer list `layers_to_transform` indexes (e.g. `"layers"`). */
  layers_pattern: string[] | string | null;
  /** The task, e.g. `"CAUSAL_LM"`. */
  task_type: string | null;
  /** The base model's hub name or path. */
  base_model_name_or_path: string | null;
  /** Saved adapters are in inference mode. */
  inference_mode: boolean;
  /** Every other key of the file, kept verbatim and written back on save. */
  extra: Record<string, unknown>;
}

/** Keys peft 0.21 writes that this package does not interpret, with peft's defaults. */
const PEFT_OTHER_DEFAULTS: Record<string, unknown> = {
  alora_invocation_tokens: null,
  arrow_config: null,
  auto_mapping: null,
  corda_config: null,
  ensure_weight_tying: false,
  eva_config: null,
  kasa_config: null,
  layer_replication: null,
  loftq_config: {},
  lora_ga_config: null,
  megatron_config: null,
  megatron_core: "megatron.core",
  monteclora_config: null,
  qalora_group_size: 16,
  revision: null,
  target_parameters: null,
  trainable_token_indices: null,
  use_bdlora: null,
  use_qalora: false,
  velora_config: null,
};

const MODELLED_KEYS = [
  "peft_type",
  "r",
  "lora_alpha",
  "target_modules",
  "exclude_modules",
  "rank_pattern",
  "alpha_pattern",
  "use_rslora",
  "use_dora",
  "fan_in_fan_out",
  "lora_bias",
  "bias",
  "lora_dropout",
  "init_lora_weights",
  "modules_to_save",
  "layers_to_transform",
  "layers_pattern",
  "task_type",
  "base_model_name_or_path",
  "inference_mode",
] as const;

type Source = Map<string, OrderedJson | unknown>;

function plain(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k] = plain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function describe(value: unknown): string {
  return value instanceof Map ? JSON.stringify(plain(value)) : JSON.stringify(value);
}

class ConfigReader {
  constructor(
    private readonly fields: Source,
    private readonly source: string,
  ) {}

  invalid(key: string, expected: string): never {
    throw new TunekitError(
      "config_invalid_value",
      `${this.source}: "${key}" must be ${expected}, got ${describe(this.fields.get(key))}; fix adapter_config.json`,
    );
  }

  required(key: string): unknown {
    if (!this.fields.has(key) || this.fields.get(key) === undefined) {
      throw new TunekitError(
        "config_missing_key",
        `${this.source}: required key "${key}" is missing; peft writes it in every adapter_config.json, so the file is damaged or hand-written — add it`,
      );
    }
    return this.fields.get(key);
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.fields.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") this.invalid(key, "true or false");
    return value;
  }

  number(key: string, fallback: number): number {
    const value = this.fields.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "number" || Number.isNaN(value)) this.invalid(key, "a number");
    return value;
  }

  stringOrNull(key: string): string | null {
    const value = this.fields.get(key);
    if (value === undefined || value === null) return null;
    if (typeof value !== "string") this.invalid(key, "a string or null");
    return value;
  }

  stringListOrString(key: string): string[] | string | null {
    const value = this.fields.get(key);
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return [...value];
    return this.invalid(key, "a string, a list of strings or null");
  }

  patterns(key: string, kind: "rank" | "alpha"): Map<string, number> {
    const value = this.fields.get(key);
    const out = new Map<string, number>();
    if (value === undefined || value === null) return out;
    const entries: [string, unknown][] =
      value instanceof Map
        ? [...value.entries()]
        : typeof value === "object" && !Array.isArray(value)
          ? Object.entries(value as Record<string, unknown>)
          : this.invalid(key, "an object mapping patterns to numbers");
    for (const [pattern, v] of entries) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TunekitError(
          "config_invalid_value",
          `${this.source}: ${key}[${JSON.stringify(pattern)}] must be a number, got ${describe(v)}`,
        );
      }
      if (kind === "rank") checkRank(v, `${this.source}: ${key}[${JSON.stringify(pattern)}]`);
      out.set(pattern, v);
    }
    return out;
  }
}

/**
 * Checks that `r` is a positive whole number, as peft's `update_layer` requires.
 *
 * @param r - the rank to check.
 * @param where - what the rank belongs to, for the message (a module or config key).
 * @throws TunekitError `invalid_rank` naming `where`.
 *
 * @example
 * ```ts
 * import { checkRank } from "@tunekit/lora";
 * checkRank(8, "model.q_proj"); // fine
 * // checkRank(0, "model.q_proj") throws: "model.q_proj: r must be a positive whole number, got 0; …"
 * ```
 */
export function checkRank(r: number, where: string): void {
  if (!Number.isInteger(r) || r <= 0) {
    throw new TunekitError(
      "invalid_rank",
      `${where}: r must be a positive whole number, got ${r}; a LoRA update needs at least rank 1`,
    );
  }
}

function readConfig(fields: Source, source: string): LoraConfig {
  const read = new ConfigReader(fields, source);
  const peftType = read.required("peft_type");
  if (peftType !== "LORA") {
    throw new TunekitError(
      "config_peft_type",
      `${source}: peft_type is ${describe(peftType)}, not "LORA"; this package reads LoRA adapters only`,
    );
  }
  const r = read.required("r");
  if (typeof r !== "number") read.invalid("r", "a positive whole number");
  checkRank(r as number, `${source}: "r"`);
  const alpha = read.required("lora_alpha");
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) read.invalid("lora_alpha", "a number");
  const bias = fields.get("bias") ?? "none";
  if (bias !== "none" && bias !== "all" && bias !== "lora_only") {
    read.invalid("bias", '"none", "all" or "lora_only"');
  }
  const init = fields.get("init_lora_weights") ?? true;
  if (typeof init !== "boolean" && typeof init !== "string") {
    read.invalid("init_lora_weights", "true, false or a method name");
  }
  const modulesToSave = read.stringListOrString("modules_to_save");
  const layers = fields.get("layers_to_transform") ?? null;
  if (
    layers !== null &&
    !Number.isInteger(layers) &&
    !(Array.isArray(layers) && layers.every((v) => Number.isInteger(v)))
  ) {
    read.invalid("layers_to_transform", "a whole number, a list of them or null");
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    if (!(MODELLED_KEYS as readonly string[]).includes(key)) extra[key] = plain(value);
  }
  return {
    peft_type: "LORA",
    r: r as number,
    lora_alpha: alpha as number,
    target_modules: read.stringListOrString("target_modules"),
    exclude_modules: read.stringListOrString("exclude_modules"),
    rank_pattern: read.patterns("rank_pattern", "rank"),
    alpha_pattern: read.patterns("alpha_pattern", "alpha"),
    use_rslora: read.boolean("use_rslora", false),
    use_dora: read.boolean("use_dora", false),
    fan_in_fan_out: read.boolean("fan_in_fan_out", false),
    lora_bias: read.boolean("lora_bias", false),
    bias: bias as LoraBiasMode,
    lora_dropout: read.number("lora_dropout", 0),
    init_lora_weights: init as boolean | string,
    modules_to_save: typeof modulesToSave === "string" ? [modulesToSave] : modulesToSave,
    layers_to_transform: layers as number[] | number | null,
    layers_pattern: read.stringListOrString("layers_pattern"),
    task_type: read.stringOrNull("task_type"),
    base_model_name_or_path: read.stringOrNull("base_model_name_or_path"),
    inference_mode: read.boolean("inference_mode", true),
    extra,
  };
}

/**
 * Options for {@link parseLoraConfig}.
 *
 * @example
 * ```ts
 * import { type ParseLoraConfigOptions, parseLoraConfig } from "@tunekit/lora";
 * const options: ParseLoraConfigOptions = { source: "./my-adapter/adapter_config.json" };
 * parseLoraConfig('{"peft_type": "LORA", "r": 8, "lora_alpha": 8}', options);
 * ```
 */
export interface ParseLoraConfigOptions {
  /** A name for error messages, such as the file path. Default `"adapter_config.json"`. */
  source?: string;
}

/**
 * Reads an `adapter_config.json` (its text, or an already-parsed object).
 *
 * Text is parsed preserving key order, so `rank_pattern` and `alpha_pattern` keep the
 * order of the file, which is the order peft tries them in. Keys this package does not
 * interpret are kept in `extra` and written back by {@link serializeLoraConfig}.
 *
 * @param input - the JSON text, or an object with the file's fields (a `Map` or plain object).
 * @param options - see {@link ParseLoraConfigOptions}.
 * @returns the config with peft's defaults for absent optional keys.
 * @throws TunekitError `json_syntax` for malformed JSON, `config_missing_key` when
 *   `peft_type`, `r` or `lora_alpha` is absent, `config_peft_type` for a non-LoRA adapter,
 *   `invalid_rank` when `r` or a `rank_pattern` value is not a positive whole number, and
 *   `config_invalid_value` for a field of the wrong type — each naming the key.
 * @example
 * ```ts
 * import { parseLoraConfig } from "@tunekit/lora";
 * const config = parseLoraConfig('{"peft_type": "LORA", "r": 8, "lora_alpha": 16, "target_modules": ["q_proj"]}');
 * config.r; // 8
 * ```
 */
export function parseLoraConfig(
  input: string | Record<string, unknown> | Map<string, unknown>,
  options: ParseLoraConfigOptions = {},
): LoraConfig {
  const source = options.source ?? "adapter_config.json";
  const parsed = typeof input === "string" ? parseOrderedJson(input, source) : input;
  let fields: Source;
  if (parsed instanceof Map) fields = parsed;
  else if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    fields = new Map(Object.entries(parsed));
  } else {
    throw new TunekitError(
      "config_invalid_value",
      `${source}: the config must be a JSON object, got ${describe(parsed)}`,
    );
  }
  return readConfig(fields, source);
}

/**
 * The fields {@link createLoraConfig} accepts; everything has peft's default.
 *
 * @example
 * ```ts
 * import { createLoraConfig, type LoraConfigInit } from "@tunekit/lora";
 * const init: LoraConfigInit = { r: 16, lora_alpha: 32, use_rslora: true, rank_pattern: [["v_proj", 8]] };
 * const config = createLoraConfig(init);
 * ```
 */
export type LoraConfigInit = Partial<
  Omit<LoraConfig, "peft_type" | "rank_pattern" | "alpha_pattern">
> & {
  /** Pattern → rank; a `Map` or an array of pairs keeps integer-like keys in order. */
  rank_pattern?: Map<string, number> | [string, number][] | Record<string, number>;
  /** Pattern → alpha, as `rank_pattern`. */
  alpha_pattern?: Map<string, number> | [string, number][] | Record<string, number>;
};

function toPatternMap(
  value: Map<string, number> | [string, number][] | Record<string, number> | undefined,
): Map<string, number> {
  if (value === undefined) return new Map();
  if (value instanceof Map) return new Map(value);
  if (Array.isArray(value)) return new Map(value);
  return new Map(Object.entries(value));
}

/**
 * Builds a config from the fields given, with peft 0.21's defaults for the rest
 * (`r = 8`, `lora_alpha = 8`, `init_lora_weights = true`, everything else off or empty).
 *
 * @param init - the fields to set.
 * @returns a validated config.
 * @throws TunekitError `invalid_rank` when `r` or a `rank_pattern` value is not a positive
 *   whole number, `config_invalid_value` for a field of the wrong type.
 * @example
 * ```ts
 * import { createLoraConfig } from "@tunekit/lora";
 * const config = createLoraConfig({ r: 16, lora_alpha: 32, target_modules: ["q_proj", "v_proj"] });
 * ```
 */
export function createLoraConfig(init: LoraConfigInit = {}): LoraConfig {
  const fields = new Map<string, unknown>([
    ["peft_type", "LORA"],
    ["r", 8],
    ["lora_alpha", 8],
  ]);
  for (const [key, value] of Object.entries(init)) {
    if (key === "extra") continue;
    if (key === "rank_pattern" || key === "alpha_pattern") {
      fields.set(key, toPatternMap(value as LoraConfigInit["rank_pattern"]));
    } else if (value !== undefined) {
      fields.set(key, value);
    }
  }
  for (const [key, value] of Object.entries(init.extra ?? {})) {
    if (!fields.has(key)) fields.set(key, value);
  }
  return readConfig(fields, "LoRA config");
}

/**
 * Writes a config as peft writes `adapter_config.json`: every field peft 0.21 knows (its
 * defaults where this config has no value), the kept unknown keys, sorted, two-space indent.
 * peft's `LoraConfig.from_pretrained` reads the result.
 *
 * @param config - the config to write.
 * @returns the JSON text.
 * @example
 * ```ts
 * import { createLoraConfig, serializeLoraConfig } from "@tunekit/lora";
 * const json = serializeLoraConfig(createLoraConfig({ r: 4, lora_alpha: 8, target_modules: ["q_proj"] }));
 * ```
 */
export function serializeLoraConfig(config: LoraConfig): string {
  const out: Record<string, unknown> = { ...PEFT_OTHER_DEFAULTS, ...config.extra };
  for (const key of MODELLED_KEYS) out[key] = config[key];
  return toPythonJson(out, { floatKeys: new Set(["lora_dropout"]) });
}

/**
 * Config features that change the LoRA math in ways this package does not implement
 * (peft variants such as KaSA, aLoRA, QALoRA, BD-LoRA, Arrow, MonteCLoRA, trainable
 * tokens, layer replication, parameter targeting). Merging or running an adapter that uses
 * one of them would give wrong numbers, so those operations refuse it.
 *
 * @param config - the config to check.
 * @returns the names of the offending keys (empty when the adapter is plain LoRA or DoRA).
 * @example
 * ```ts
 * import { createLoraConfig, unsupportedLoraFeatures } from "@tunekit/lora";
 * unsupportedLoraFeatures(createLoraConfig({ extra: { use_qalora: true } })); // ["use_qalora"]
 * ```
 */
export function unsupportedLoraFeatures(config: LoraConfig): string[] {
  const keys = [
    "alora_invocation_tokens",
    "arrow_config",
    "kasa_config",
    "layer_replication",
    "monteclora_config",
    "target_parameters",
    "trainable_token_indices",
    "use_bdlora",
    "use_qalora",
  ];
  return keys.filter((key) => {
    const value = config.extra[key];
    if (value === undefined || value === null || value === false) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return Object.keys(value).length > 0;
    return true;
  });
}

/**
 * Init methods that change the base weights when the adapter is created (PiSSA, OLoRA,
 * CorDA, LoRA-GA). An adapter saved with one of them still set belongs to the changed base
 * model, not the original one, so merging it into the original gives a different model.
 *
 * @param config - the config to check.
 * @returns a warning to show, or undefined when the init leaves the base untouched.
 * @example
 * ```ts
 * import { baseMutatingInitWarning, createLoraConfig } from "@tunekit/lora";
 * baseMutatingInitWarning(createLoraConfig({ init_lora_weights: "pissa" })); // a warning
 * ```
 */
export function baseMutatingInitWarning(config: LoraConfig): string | undefined {
  const init = config.init_lora_weights;
  if (typeof init !== "string") return undefined;
  const lower = init.toLowerCase();
  if (lower.startsWith("pissa") || lower === "olora" || lower === "corda" || lower === "lora_ga") {
    return `init_lora_weights is "${init}", which changes the base weights at creation; this adapter applies to that changed base, not the original (convert it with peft's path_initial_model_for_weight_conversion first)`;
  }
  return undefined;
}
