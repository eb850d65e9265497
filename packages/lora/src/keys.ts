/**
 * The prefix peft puts before module names in adapter files (`PeftModel.base_model.model`).
 *
 * @example
 * ```ts
 * import { PEFT_KEY_PREFIX } from "@tunekit/lora";
 * `${PEFT_KEY_PREFIX}model.layers.0.self_attn.q_proj.lora_A.weight`;
 * ```
 */
export const PEFT_KEY_PREFIX = "base_model.model.";

/**
 * What one LoRA tensor of an adapter file holds.
 *
 * @example
 * ```ts
 * import type { AdapterTensorRole } from "@tunekit/lora";
 * const role: AdapterTensorRole = "lora_magnitude_vector";
 * ```
 */
export type AdapterTensorRole =
  | "lora_A"
  | "lora_B"
  | "lora_B_bias"
  | "lora_magnitude_vector"
  | "lora_embedding_A"
  | "lora_embedding_B";

const SUFFIXES: [string, AdapterTensorRole][] = [
  [".lora_A.weight", "lora_A"],
  [".lora_B.weight", "lora_B"],
  [".lora_B.bias", "lora_B_bias"],
  [".lora_magnitude_vector", "lora_magnitude_vector"],
  [".lora_embedding_A", "lora_embedding_A"],
  [".lora_embedding_B", "lora_embedding_B"],
];

/**
 * A LoRA tensor key split into the module it adapts and its role.
 *
 * @example
 * ```ts
 * import { type AdapterKey, parseAdapterKey } from "@tunekit/lora";
 * const key: AdapterKey | null = parseAdapterKey("base_model.model.lm_head.lora_B.weight");
 * key?.module; // "lm_head"
 * ```
 */
export interface AdapterKey {
  /** The module's name in the base model, e.g. `model.layers.0.self_attn.q_proj`. */
  module: string;
  /** Which LoRA tensor this is. */
  role: AdapterTensorRole;
}

/**
 * Splits a key of `adapter_model.safetensors` into module and role: peft saves
 * `base_model.model.<module>.lora_A.weight`, `.lora_B.weight`, `.lora_B.bias` (with
 * `lora_bias`), `.lora_magnitude_vector` (DoRA), and `.lora_embedding_A` / `.lora_embedding_B`
 * for embedding layers. Keys without the `base_model.model.` prefix (as the transformers
 * integration writes them) are accepted too.
 *
 * @param key - a tensor name from the adapter file.
 * @returns the module and role, or null for a tensor that is not a LoRA weight.
 * @example
 * ```ts
 * import { parseAdapterKey } from "@tunekit/lora";
 * parseAdapterKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
 * // { module: "model.layers.0.self_attn.q_proj", role: "lora_A" }
 * ```
 */
export function parseAdapterKey(key: string): AdapterKey | null {
  const name = key.startsWith(PEFT_KEY_PREFIX) ? key.slice(PEFT_KEY_PREFIX.length) : key;
  for (const [suffix, role] of SUFFIXES) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      return { module: name.slice(0, -suffix.length), role };
    }
  }
  return null;
}

/**
 * The key peft saves a LoRA tensor under (the inverse of {@link parseAdapterKey}).
 *
 * @param module - the module's name in the base model.
 * @param role - which tensor.
 * @returns e.g. `base_model.model.<module>.lora_B.weight`.
 * @example
 * ```ts
 * import { adapterKey } from "@tunekit/lora";
 * adapterKey("model.layers.0.self_attn.q_proj", "lora_B"); // "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"
 * ```
 */
export function adapterKey(module: string, role: AdapterTensorRole): string {
  const suffix = SUFFIXES.find(([, r]) => r === role)?.[0] as string;
  return `${PEFT_KEY_PREFIX}${module}${suffix}`;
}

/**
 * The base checkpoint key of a module's weight: `<module>.weight`.
 *
 * @param module - the module's name in the base model.
 * @returns the weight's key in the base safetensors file.
 * @example
 * ```ts
 * import { baseWeightKey } from "@tunekit/lora";
 * baseWeightKey("model.layers.0.self_attn.q_proj"); // "model.layers.0.self_attn.q_proj.weight"
 * ```
 */
export function baseWeightKey(module: string): string {
  return `${module}.weight`;
}

/**
 * The base checkpoint key an extra (non-LoRA) adapter tensor replaces, if any: peft stores
 * trained biases (`bias: "all"` / `"lora_only"`) as `base_model.model.<module>.base_layer.bias`
 * or `<module>.bias`, and `modules_to_save` copies as `base_model.model.<module>.<param>`;
 * loading the adapter overwrites those base parameters.
 *
 * @param key - a non-LoRA tensor name from the adapter file.
 * @returns the base key it stands for (`.base_layer.` removed, prefix removed).
 * @example
 * ```ts
 * import { baseKeyOfExtraTensor } from "@tunekit/lora";
 * baseKeyOfExtraTensor("base_model.model.model.layers.0.mlp.up_proj.base_layer.bias"); // "model.layers.0.mlp.up_proj.bias"
 * ```
 */
export function baseKeyOfExtraTensor(key: string): string {
  const name = key.startsWith(PEFT_KEY_PREFIX) ? key.slice(PEFT_KEY_PREFIX.length) : key;
  return name.replace(/\.base_layer\./g, ".");
}
