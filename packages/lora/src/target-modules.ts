import type { LoraConfig } from "./config";
import { pythonReFullMatch, pythonReMatch } from "./python-regex";

/**
 * What {@link isTargetModule} needs to know about the model for `all-linear`.
 *
 * @example
 * ```ts
 * import type { TargetModuleOptions } from "@tunekit/lora";
 * const options: TargetModuleOptions = { isLinear: (name) => !name.includes("embed"), outputEmbedding: "lm_head" };
 * ```
 */
export interface TargetModuleOptions {
  /**
   * Whether a module is a linear layer (`nn.Linear` or GPT-2's `Conv1D`); only consulted for
   * `target_modules: "all-linear"`. Default: every module is linear — pass the real answer
   * when the model has other 2-D weights (embeddings, norms stored as matrices).
   */
  isLinear?: (moduleName: string) => boolean;
  /**
   * The output-embedding module `all-linear` leaves out, as peft does for transformers
   * models. Default `"lm_head"`; null keeps every linear module.
   */
  outputEmbedding?: string | null;
}

function listed(names: readonly string[], moduleName: string): boolean {
  return names.includes(moduleName) || names.some((name) => moduleName.endsWith(`.${name}`));
}

/**
 * Whether peft would put a LoRA layer on `moduleName`, following `check_target_module_exists`
 * (peft/tuners/tuners_utils.py):
 * - `exclude_modules` first: a string is a Python regex that must match the whole name,
 *   a list matches a name equal to an entry or ending in `.entry`;
 * - a module named by `modules_to_save` (as a dotted segment) is never a target;
 * - `target_modules` as a string is a Python regex matched against the whole name
 *   (`re.fullmatch`), except `"all-linear"` (any case), which means every linear module but
 *   the output embedding; as a list, a name equal to an entry or ending in `.entry`;
 * - with a list, `layers_to_transform` keeps only the layers whose index follows
 *   `layers_pattern` (or, without it, the first numbered segment after a dot).
 *
 * @param config - the adapter config.
 * @param moduleName - the module's name in the base model (no `base_model.model.` prefix).
 * @param options - model knowledge for `all-linear`; see {@link TargetModuleOptions}.
 * @returns true when the module is adapted.
 * @throws TunekitError `python_regex*` when a pattern is not a valid Python regex or uses
 *   something JavaScript cannot express.
 * @example
 * ```ts
 * import { createLoraConfig, isTargetModule } from "@tunekit/lora";
 * const config = createLoraConfig({ target_modules: ["q_proj", "v_proj"] });
 * isTargetModule(config, "model.layers.0.self_attn.q_proj"); // true
 * isTargetModule(config, "model.layers.0.self_attn.k_proj"); // false
 * ```
 */
export function isTargetModule(
  config: LoraConfig,
  moduleName: string,
  options: TargetModuleOptions = {},
): boolean {
  const exclude = config.exclude_modules;
  if (exclude !== null) {
    if (typeof exclude === "string") {
      if (exclude !== "" && pythonReFullMatch(exclude, moduleName) !== null) return false;
    } else if (listed(exclude, moduleName)) {
      return false;
    }
  }
  for (const saved of config.modules_to_save ?? []) {
    if (pythonReMatch(`(^|.*\\.)${saved}($|\\..*)`, moduleName) !== null) return false;
  }
  const targets = config.target_modules;
  if (targets === null) return false;
  if (typeof targets === "string") {
    if (targets.toLowerCase() === "all-linear") {
      const isLinear = options.isLinear ?? (() => true);
      const output = options.outputEmbedding === undefined ? "lm_head" : options.outputEmbedding;
      return isLinear(moduleName) && moduleName !== output;
    }
    return pythonReFullMatch(targets, moduleName) !== null;
  }
  if (targets.includes(moduleName)) return true;
  if (!targets.some((name) => moduleName.endsWith(`.${name}`))) return false;
  return inTransformedLayer(config, moduleName);
}

function inTransformedLayer(config: LoraConfig, moduleName: string): boolean {
  const indexes = config.layers_to_transform;
  if (indexes === null || (Array.isArray(indexes) && indexes.length === 0)) return true;
  const patterns =
    config.layers_pattern === null
      ? []
      : typeof config.layers_pattern === "string"
        ? [config.layers_pattern]
        : config.layers_pattern;
  let match: RegExpExecArray | null = null;
  if (patterns.length === 0) {
    // Lazy ".*?" takes the first numbered segment, not a nested one such as an expert index.
    match = pythonReMatch(".*?\\.[^.]*\\.(\\d+)\\.", moduleName);
  } else {
    for (const pattern of patterns) {
      match = pythonReMatch(`.*?\\.${pattern}\\.(\\d+)\\.`, moduleName);
      if (match !== null) break;
    }
  }
  if (match === null) return false;
  const index = Number(match[1]);
  return typeof indexes === "number" ? index === indexes : indexes.includes(index);
}
