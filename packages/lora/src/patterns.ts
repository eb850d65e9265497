import { checkRank, type LoraConfig } from "./config";
import { pythonReMatch } from "./python-regex";
import { loraScaling } from "./scaling";

/**
 * The first key of `patterns` that matches `moduleName`, as peft's `get_pattern_key`
 * (peft/utils/other.py) finds it: each key K, in insertion order, is tried as the Python
 * regex `(.*\.)?(K)$` with `re.match` — so K must match a whole dotted suffix of the name
 * (`q_proj` matches `model.layers.0.self_attn.q_proj`; `proj` does not).
 *
 * @param patterns - the pattern keys, in the config's order.
 * @param moduleName - the module's name in the base model, e.g. `model.layers.0.self_attn.q_proj`
 *   (no `base_model.model.` prefix).
 * @returns the matching key, or undefined.
 * @throws TunekitError `python_regex` / `python_regex_unsupported` when a key is not a valid
 *   Python regex or uses something JavaScript cannot express.
 * @example
 * ```ts
 * import { findPatternKey } from "@tunekit/lora";
 * findPatternKey(["v_proj", "layers\\.0\\..*"], "model.layers.0.self_attn.q_proj"); // "layers\\.0\\..*"
 * ```
 */
export function findPatternKey(patterns: Iterable<string>, moduleName: string): string | undefined {
  for (const key of patterns) {
    if (pythonReMatch(`(.*\\.)?(${key})$`, moduleName) !== null) return key;
  }
  return undefined;
}

/**
 * The rank, alpha and scaling one module gets from a config.
 *
 * @example
 * ```ts
 * import { createLoraConfig, type ModuleLoraSettings, resolveModuleSettings } from "@tunekit/lora";
 * const settings: ModuleLoraSettings = resolveModuleSettings(createLoraConfig({ r: 8, lora_alpha: 16 }), "q_proj");
 * settings.scaling; // 2
 * ```
 */
export interface ModuleLoraSettings {
  /** The module's rank: its `rank_pattern` value, else `r`. */
  r: number;
  /** The module's alpha: its `alpha_pattern` value, else `lora_alpha`. */
  alpha: number;
  /** `alpha / r`, or `alpha / √r` with `use_rslora`. */
  scaling: number;
  /** The `rank_pattern` key that matched, if any. */
  rankPatternKey?: string;
  /** The `alpha_pattern` key that matched, if any. */
  alphaPatternKey?: string;
}

/**
 * Resolves one module's rank, alpha and scaling as peft's `LoraModel._create_and_replace`
 * does: `rank_pattern` and `alpha_pattern` are searched independently (first match in
 * order, see {@link findPatternKey}), falling back to `r` and `lora_alpha`.
 *
 * @param config - the adapter config.
 * @param moduleName - the module's name in the base model (no `base_model.model.` prefix).
 * @returns the module's settings.
 * @throws TunekitError `invalid_rank` naming the module when its rank is not positive;
 *   `python_regex*` for a bad pattern.
 * @example
 * ```ts
 * import { createLoraConfig, resolveModuleSettings } from "@tunekit/lora";
 * const config = createLoraConfig({ r: 8, lora_alpha: 16, use_rslora: true, rank_pattern: { v_proj: 4 } });
 * resolveModuleSettings(config, "model.layers.0.self_attn.v_proj"); // { r: 4, alpha: 16, scaling: 8, … }
 * ```
 */
export function resolveModuleSettings(config: LoraConfig, moduleName: string): ModuleLoraSettings {
  const rankPatternKey = findPatternKey(config.rank_pattern.keys(), moduleName);
  const alphaPatternKey = findPatternKey(config.alpha_pattern.keys(), moduleName);
  const r =
    rankPatternKey === undefined ? config.r : (config.rank_pattern.get(rankPatternKey) as number);
  const alpha =
    alphaPatternKey === undefined
      ? config.lora_alpha
      : (config.alpha_pattern.get(alphaPatternKey) as number);
  checkRank(r, `module ${moduleName}`);
  const settings: ModuleLoraSettings = {
    r,
    alpha,
    scaling: loraScaling(alpha, r, { useRslora: config.use_rslora }),
  };
  if (rankPatternKey !== undefined) settings.rankPatternKey = rankPatternKey;
  if (alphaPatternKey !== undefined) settings.alphaPatternKey = alphaPatternKey;
  return settings;
}

/**
 * Escapes a module name so that, as a `rank_pattern` / `alpha_pattern` key, it matches that
 * module only: dots and other regex characters are escaped and the key is anchored with
 * `^`, so the optional `(.*\.)?` prefix peft puts in front cannot match anything.
 *
 * @param moduleName - a module name such as `model.layers.0.self_attn.q_proj`.
 * @returns a Python regex such as `^model\.layers\.0\.self_attn\.q_proj`.
 * @example
 * ```ts
 * import { exactModulePattern } from "@tunekit/lora";
 * exactModulePattern("model.layers.0.q_proj"); // "^model\\.layers\\.0\\.q_proj"
 * ```
 */
export function exactModulePattern(moduleName: string): string {
  return `^${moduleName.replace(/[.^$*+?()[\]{}|\\-]/g, "\\$&")}`;
}
