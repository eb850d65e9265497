import { readSafetensors, TunekitError, tensorFromMatrix, writeSafetensors } from "@tunekit/tensor";
import { toPythonJson } from "../../../internal/shared/src/index";
import type { PromptTuningInit } from "./init";
import { jsonObject } from "./json-object";
import { createSoftPrompt, type SoftPrompt } from "./prompt";

/**
 * File name of an adapter's configuration inside its folder.
 *
 * @example
 * ```ts
 * import { ADAPTER_CONFIG_NAME } from "@tunekit/soft-prompt";
 * console.log(ADAPTER_CONFIG_NAME); // "adapter_config.json"
 * ```
 */
export const ADAPTER_CONFIG_NAME = "adapter_config.json";
/**
 * File name of an adapter's weights inside its folder.
 *
 * @example
 * ```ts
 * import { ADAPTER_WEIGHTS_NAME } from "@tunekit/soft-prompt";
 * console.log(ADAPTER_WEIGHTS_NAME); // "adapter_model.safetensors"
 * ```
 */
export const ADAPTER_WEIGHTS_NAME = "adapter_model.safetensors";
/**
 * The one tensor a prompt-tuning adapter file holds.
 *
 * @example
 * ```ts
 * import { PROMPT_EMBEDDINGS_KEY } from "@tunekit/soft-prompt";
 * console.log(PROMPT_EMBEDDINGS_KEY); // "prompt_embeddings"
 * ```
 */
export const PROMPT_EMBEDDINGS_KEY = "prompt_embeddings";
/**
 * The PEFT version whose adapter format this package writes, by default, in `peft_version`.
 *
 * @example
 * ```ts
 * import { PEFT_FORMAT_VERSION } from "@tunekit/soft-prompt";
 * console.log(PEFT_FORMAT_VERSION); // "0.21.0"
 * ```
 */
export const PEFT_FORMAT_VERSION = "0.21.0";

/**
 * PEFT's `PromptTuningConfig`, as `adapter_config.json` stores it, with the field names
 * in camelCase. Unknown fields of a loaded file are kept in `extra` so a file survives
 * a load/save round trip.
 *
 * @example
 * ```ts
 * import { parsePromptTuningConfig, type PromptTuningConfig } from "@tunekit/soft-prompt";
 * const config: PromptTuningConfig = parsePromptTuningConfig(
 *   '{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 8, "token_dim": 64}',
 * );
 * console.log(config.promptTuningInit); // "RANDOM"
 * ```
 */
export interface PromptTuningConfig {
  /** Always `"PROMPT_TUNING"`. */
  peftType: "PROMPT_TUNING";
  /** `CAUSAL_LM`, `SEQ_2_SEQ_LM`, `SEQ_CLS`, … or `null`. */
  taskType: string | null;
  /** Virtual tokens per submodule. */
  numVirtualTokens: number;
  /** Hidden size of the model. */
  tokenDim: number;
  /** 1 or 2. */
  numTransformerSubmodules: number;
  /** Attention heads of the model (informational for prompt tuning), or `null`. */
  numAttentionHeads: number | null;
  /** Layers of the model (informational for prompt tuning), or `null`. */
  numLayers: number | null;
  /** How the prompt was initialised. */
  promptTuningInit: PromptTuningInit;
  /** The init text of a `TEXT` initialisation, else `null`. */
  promptTuningInitText: string | null;
  /** Tokenizer of a `TEXT` initialisation, else `null`. */
  tokenizerNameOrPath: string | null;
  /** Tokenizer loading options of a `TEXT` initialisation, else `null`. */
  tokenizerKwargs: Record<string, unknown> | null;
  /** The frozen model this prompt belongs to, or `null`. */
  baseModelNameOrPath: string | null;
  /** Revision of the base model, or `null`. */
  revision: string | null;
  /** PEFT writes `true` when saving. */
  inferenceMode: boolean;
  /** Extra fully-trained modules (unused by prompt tuning), or `null`. */
  modulesToSave: string[] | null;
  /** `auto_mapping` (custom model classes), or `null`. */
  autoMapping: Record<string, unknown> | null;
  /** PEFT version that wrote the file, or `null`. */
  peftVersion: string | null;
  /** Fields of the file this type does not name, kept as they were (snake_case keys). */
  extra: Record<string, unknown>;
}

/**
 * A loaded prompt-tuning adapter: its configuration and its soft prompt.
 *
 * @example
 * ```ts
 * import { promptTuningConfig, randomSoftPrompt, type PromptTuningAdapter } from "@tunekit/soft-prompt";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 });
 * const adapter: PromptTuningAdapter = { prompt, config: promptTuningConfig(prompt) };
 * ```
 */
export interface PromptTuningAdapter {
  /** The configuration. */
  config: PromptTuningConfig;
  /** The soft prompt (`prompt_embeddings`). */
  prompt: SoftPrompt;
}

/**
 * The two files of an adapter folder.
 *
 * @example
 * ```ts
 * import { promptTuningConfig, randomSoftPrompt, writePromptTuningAdapter } from "@tunekit/soft-prompt";
 * import type { PromptTuningAdapterFiles } from "@tunekit/soft-prompt";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 });
 * const files: PromptTuningAdapterFiles = writePromptTuningAdapter({ prompt, config: promptTuningConfig(prompt) });
 * console.log(files.config.includes('"peft_type": "PROMPT_TUNING"')); // true
 * ```
 */
export interface PromptTuningAdapterFiles {
  /** Text of `adapter_config.json`. */
  config: string;
  /** Bytes of `adapter_model.safetensors`. */
  weights: Uint8Array;
}

const fieldNames = {
  peftType: "peft_type",
  taskType: "task_type",
  numVirtualTokens: "num_virtual_tokens",
  tokenDim: "token_dim",
  numTransformerSubmodules: "num_transformer_submodules",
  numAttentionHeads: "num_attention_heads",
  numLayers: "num_layers",
  promptTuningInit: "prompt_tuning_init",
  promptTuningInitText: "prompt_tuning_init_text",
  tokenizerNameOrPath: "tokenizer_name_or_path",
  tokenizerKwargs: "tokenizer_kwargs",
  baseModelNameOrPath: "base_model_name_or_path",
  revision: "revision",
  inferenceMode: "inference_mode",
  modulesToSave: "modules_to_save",
  autoMapping: "auto_mapping",
  peftVersion: "peft_version",
} as const satisfies Record<Exclude<keyof PromptTuningConfig, "extra">, string>;

/**
 * A configuration for a soft prompt, with PEFT's defaults for everything the prompt
 * does not determine.
 *
 * @param prompt - the soft prompt (gives `num_virtual_tokens`, `token_dim`,
 * `num_transformer_submodules`).
 * @param fields - any fields to set; `taskType` defaults to `CAUSAL_LM` for one
 * submodule and `SEQ_2_SEQ_LM` for two, `promptTuningInit` to `RANDOM`,
 * `inferenceMode` to `true`, `peftVersion` to {@link PEFT_FORMAT_VERSION}, the rest to `null`.
 * @returns the configuration.
 * @example
 * ```ts
 * import { promptTuningConfig, randomSoftPrompt } from "@tunekit/soft-prompt";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 });
 * const config = promptTuningConfig(prompt, { baseModelNameOrPath: "my-org/tiny-llama" });
 * ```
 */
export function promptTuningConfig(
  prompt: SoftPrompt,
  fields: Partial<Omit<PromptTuningConfig, "peftType">> = {},
): PromptTuningConfig {
  return {
    peftType: "PROMPT_TUNING",
    taskType: prompt.numTransformerSubmodules === 2 ? "SEQ_2_SEQ_LM" : "CAUSAL_LM",
    numAttentionHeads: null,
    numLayers: null,
    promptTuningInit: "RANDOM",
    promptTuningInitText: null,
    tokenizerNameOrPath: null,
    tokenizerKwargs: null,
    baseModelNameOrPath: null,
    revision: null,
    inferenceMode: true,
    modulesToSave: null,
    autoMapping: null,
    peftVersion: PEFT_FORMAT_VERSION,
    extra: {},
    ...fields,
    numVirtualTokens: prompt.numVirtualTokens,
    tokenDim: prompt.tokenDim,
    numTransformerSubmodules: prompt.numTransformerSubmodules,
  };
}

function configError(source: string, message: string): TunekitError {
  return new TunekitError("adapter_config", `${source}: ${message}`);
}

function optionalInteger(raw: Record<string, unknown>, key: string, source: string): number | null {
  const value = raw[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw configError(
      source,
      `"${key}" must be a whole number ≥ 1 or null, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function optionalString(raw: Record<string, unknown>, key: string, source: string): string | null {
  const value = raw[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw configError(source, `"${key}" must be a string or null, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalObject(
  raw: Record<string, unknown>,
  key: string,
  source: string,
): Record<string, unknown> | null {
  const value = raw[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw configError(source, `"${key}" must be an object or null, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a PEFT `adapter_config.json` for prompt tuning. `prompt_tuning_init` may be
 * written as `"TEXT"` or `"PromptTuningInit.TEXT"`; a missing
 * `num_transformer_submodules` is filled as PEFT does (2 for `SEQ_2_SEQ_LM`, else 1).
 *
 * @param json - the file's text or its parsed object.
 * @param source - names the file in error messages. Default `"adapter_config.json"`.
 * @returns the configuration.
 * @throws TunekitError `adapter_config` when the JSON is malformed, the adapter is not
 * prompt tuning (a LoRA adapter, say), or a field has the wrong type.
 * @example
 * ```ts
 * import { parsePromptTuningConfig } from "@tunekit/soft-prompt";
 * const config = parsePromptTuningConfig(
 *   '{"peft_type": "PROMPT_TUNING", "task_type": "CAUSAL_LM", "num_virtual_tokens": 8, "token_dim": 64}',
 * );
 * console.log(config.numTransformerSubmodules); // 1
 * ```
 */
export function parsePromptTuningConfig(
  json: string | object,
  source = ADAPTER_CONFIG_NAME,
): PromptTuningConfig {
  const raw = jsonObject(json, "adapter_config", source);
  if (raw.peft_type !== "PROMPT_TUNING") {
    throw configError(
      source,
      `peft_type is ${JSON.stringify(raw.peft_type)}, not "PROMPT_TUNING"; this is not a prompt-tuning adapter${raw.peft_type === "LORA" ? " (load LoRA adapters with @tunekit/lora)" : ""}`,
    );
  }
  const numVirtualTokens = optionalInteger(raw, "num_virtual_tokens", source);
  const tokenDim = optionalInteger(raw, "token_dim", source);
  if (numVirtualTokens === null || tokenDim === null) {
    throw configError(source, "needs num_virtual_tokens and token_dim");
  }
  const taskType = optionalString(raw, "task_type", source);
  const numTransformerSubmodules =
    optionalInteger(raw, "num_transformer_submodules", source) ??
    (taskType === "SEQ_2_SEQ_LM" ? 2 : 1);
  const initRaw = optionalString(raw, "prompt_tuning_init", source) ?? "RANDOM";
  const init = initRaw.replace(/^PromptTuningInit\./, "");
  if (init !== "RANDOM" && init !== "TEXT" && init !== "SAMPLE_VOCAB") {
    throw configError(
      source,
      `prompt_tuning_init must be RANDOM, TEXT or SAMPLE_VOCAB, got "${initRaw}"`,
    );
  }
  const modulesToSave = raw.modules_to_save ?? null;
  if (
    modulesToSave !== null &&
    !(Array.isArray(modulesToSave) && modulesToSave.every((m) => typeof m === "string"))
  ) {
    throw configError(source, `"modules_to_save" must be a list of strings or null`);
  }
  const inferenceMode = raw.inference_mode ?? true;
  if (typeof inferenceMode !== "boolean") {
    throw configError(source, `"inference_mode" must be true or false`);
  }
  const known = new Set<string>(Object.values(fieldNames));
  const extra = Object.fromEntries(Object.entries(raw).filter(([key]) => !known.has(key)));
  return {
    peftType: "PROMPT_TUNING",
    taskType,
    numVirtualTokens,
    tokenDim,
    numTransformerSubmodules,
    numAttentionHeads: optionalInteger(raw, "num_attention_heads", source),
    numLayers: optionalInteger(raw, "num_layers", source),
    promptTuningInit: init,
    promptTuningInitText: optionalString(raw, "prompt_tuning_init_text", source),
    tokenizerNameOrPath: optionalString(raw, "tokenizer_name_or_path", source),
    tokenizerKwargs: optionalObject(raw, "tokenizer_kwargs", source),
    baseModelNameOrPath: optionalString(raw, "base_model_name_or_path", source),
    revision: optionalString(raw, "revision", source),
    inferenceMode,
    modulesToSave: modulesToSave as string[] | null,
    autoMapping: optionalObject(raw, "auto_mapping", source),
    peftVersion: optionalString(raw, "peft_version", source),
    extra,
  };
}

/**
 * Writes a configuration as PEFT writes `adapter_config.json`: snake_case keys, sorted,
 * two-space indent, non-ASCII characters escaped (Python's
 * `json.dumps(indent=2, sort_keys=True)`), no trailing newline.
 *
 * @param config - the configuration.
 * @returns the file's text.
 * @example
 * ```ts
 * import { formatPromptTuningConfig, promptTuningConfig, randomSoftPrompt } from "@tunekit/soft-prompt";
 * const text = formatPromptTuningConfig(
 *   promptTuningConfig(randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 })),
 * );
 * ```
 */
export function formatPromptTuningConfig(config: PromptTuningConfig): string {
  const out: Record<string, unknown> = { ...config.extra };
  for (const [field, key] of Object.entries(fieldNames)) {
    out[key] = config[field as keyof typeof fieldNames];
  }
  return toPythonJson(out);
}

/**
 * Reads a PEFT prompt-tuning adapter from its two files' contents. The weights may be
 * stored as F32, F64, F16 or BF16; the prompt is decoded to f32.
 *
 * @param files - the text of `adapter_config.json` (or its parsed object) and the bytes
 * of `adapter_model.safetensors`.
 * @param source - names the adapter (its folder, say) in error messages.
 * @returns the adapter.
 * @throws TunekitError `adapter_config` for a bad configuration; `adapter_weights` when
 * `prompt_embeddings` is missing or its shape disagrees with the configuration;
 * the safetensors reader's errors for a malformed file.
 * @example
 * ```ts
 * import { readPromptTuningAdapter } from "@tunekit/soft-prompt";
 * declare const configText: string; // adapter_config.json
 * declare const weights: Uint8Array; // adapter_model.safetensors
 * const { config, prompt } = readPromptTuningAdapter({ config: configText, weights });
 * ```
 */
export function readPromptTuningAdapter(
  files: { config: string | object; weights: Uint8Array },
  source = "adapter",
): PromptTuningAdapter {
  const config = parsePromptTuningConfig(files.config, `${source}/${ADAPTER_CONFIG_NAME}`);
  const weightsSource = `${source}/${ADAPTER_WEIGHTS_NAME}`;
  const file = readSafetensors(files.weights, { source: weightsSource });
  if (!file.has(PROMPT_EMBEDDINGS_KEY)) {
    throw new TunekitError(
      "adapter_weights",
      `${weightsSource} has no "${PROMPT_EMBEDDINGS_KEY}" tensor (it holds: ${file.names().join(", ") || "nothing"}); this is not a prompt-tuning adapter saved by PEFT`,
    );
  }
  const shape = file.info(PROMPT_EMBEDDINGS_KEY).shape;
  const rows = config.numVirtualTokens * config.numTransformerSubmodules;
  if (shape.length !== 2 || shape[0] !== rows || shape[1] !== config.tokenDim) {
    throw new TunekitError(
      "adapter_weights",
      `${weightsSource}: ${PROMPT_EMBEDDINGS_KEY} has shape [${shape.join(", ")}] but the config says num_virtual_tokens ${config.numVirtualTokens} × num_transformer_submodules ${config.numTransformerSubmodules} rows of token_dim ${config.tokenDim}, i.e. [${rows}, ${config.tokenDim}]`,
    );
  }
  const prompt = createSoftPrompt(file.matrix(PROMPT_EMBEDDINGS_KEY), {
    numTransformerSubmodules: config.numTransformerSubmodules,
  });
  return { config, prompt };
}

/**
 * Writes a prompt-tuning adapter as PEFT saves one: the configuration (with the prompt's
 * own sizes) and a safetensors file holding `prompt_embeddings` as F32 with
 * `{"format": "pt"}` metadata.
 *
 * @param adapter - the prompt and its configuration; the configuration's sizes are
 * taken from the prompt.
 * @returns the two files' contents.
 * @example
 * ```ts
 * import { promptTuningConfig, randomSoftPrompt, writePromptTuningAdapter } from "@tunekit/soft-prompt";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 });
 * const files = writePromptTuningAdapter({ prompt, config: promptTuningConfig(prompt) });
 * console.log(files.weights.length); // 2168
 * ```
 */
export function writePromptTuningAdapter(adapter: PromptTuningAdapter): PromptTuningAdapterFiles {
  const { prompt } = adapter;
  const config: PromptTuningConfig = {
    ...adapter.config,
    numVirtualTokens: prompt.numVirtualTokens,
    tokenDim: prompt.tokenDim,
    numTransformerSubmodules: prompt.numTransformerSubmodules,
  };
  return {
    config: formatPromptTuningConfig(config),
    weights: writeSafetensors({
      [PROMPT_EMBEDDINGS_KEY]: tensorFromMatrix(prompt.promptEmbeddings, "F32"),
    }),
  };
}
