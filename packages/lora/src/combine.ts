import { addScaledProduct, type Matrix, TunekitError, truncatedSvd, zeros } from "@tunekit/tensor";
import { createLoraModule, type LoraAdapter, type LoraModule } from "./adapter";
import type { LoraConfig } from "./config";

// The combinations follow peft 0.21's LoraModel.add_weighted_adapter (peft/tuners/lora/model.py)
// for its three basic methods; ties/dare/magnitude-prune are not implemented.

/**
 * How {@link combineAdapters} merges adapters.
 *
 * @example
 * ```ts
 * import type { CombinationMethod } from "@tunekit/lora";
 * const method: CombinationMethod = "cat";
 * ```
 */
export type CombinationMethod = "cat" | "linear" | "svd";

/**
 * Options for {@link combineAdapters}.
 *
 * @example
 * ```ts
 * import type { CombineAdaptersOptions } from "@tunekit/lora";
 * const options: CombineAdaptersOptions = { method: "svd", weights: [0.7, 0.3], svdRank: 16 };
 * ```
 */
export interface CombineAdaptersOptions {
  /** `"cat"`, `"linear"` or `"svd"`; see {@link combineAdapters}. */
  method: CombinationMethod;
  /** One weight per adapter, any sign. Default: 1 for each. */
  weights?: readonly number[];
  /** `svd` only: the rank of the result. Default: the largest rank among the adapters. */
  svdRank?: number;
  /**
   * `svd` only. peft computes Σ wᵢ·sᵢ·ΔWᵢ where ΔWᵢ already contains sᵢ, so each update is
   * scaled twice (`"peft"`, the default, for identical results); `"single"` combines
   * Σ wᵢ·ΔWᵢ, each update scaled once.
   */
  svdScaling?: "peft" | "single";
  /**
   * The combined config's `use_rslora`. peft copies it from the first adapter, which makes
   * the combined adapter's scaling √R instead of 1 when that adapter used rsLoRA (the
   * weights assume 1). Default: the first adapter's value, as peft; pass false to get the
   * combination the weights mean.
   */
  useRslora?: boolean;
}

/**
 * The combined adapter and notes about it.
 *
 * @example
 * ```ts
 * import { type CombinedAdapter, combineAdapters, type LoraAdapter } from "@tunekit/lora";
 * declare const a: LoraAdapter;
 * declare const b: LoraAdapter;
 * const { adapter, warnings }: CombinedAdapter = combineAdapters([a, b], { method: "cat" });
 * ```
 */
export interface CombinedAdapter {
  /** The new adapter (scaling 1 unless `use_rslora` was inherited). */
  adapter: LoraAdapter;
  /** Things a user should know about the result. */
  warnings: string[];
}

function largestRank(config: LoraConfig): number {
  return Math.max(config.r, ...config.rank_pattern.values());
}

function combinedTargets(adapters: readonly LoraAdapter[]): string[] | string | null {
  const targets = adapters.map((a) => a.config.target_modules);
  const kinds = new Set(
    targets.map((t) => (typeof t === "string" ? "string" : Array.isArray(t) ? "list" : "none")),
  );
  if (kinds.size > 1 || kinds.has("none")) {
    throw new TunekitError(
      "combine_incompatible",
      "all adapters must give target_modules the same way (all lists or all regex strings), as peft requires",
    );
  }
  if (kinds.has("string")) return targets.map((t) => `(${t as string})`).join("|");
  const union: string[] = [];
  for (const list of targets as string[][])
    for (const name of list) if (!union.includes(name)) union.push(name);
  return union;
}

function sameShape(modules: LoraModule[], name: string): void {
  const [first] = modules;
  for (const m of modules) {
    if (m.kind !== first.kind || m.a.cols !== first.a.cols || m.b.rows !== first.b.rows) {
      throw new TunekitError(
        "shape_mismatch",
        `module ${name}: the adapters disagree on its shape (${first.b.rows}×${first.a.cols} vs ${m.b.rows}×${m.a.cols}); they were made for different models`,
      );
    }
  }
}

/**
 * Combines LoRA adapters into one, as peft's `add_weighted_adapter`. The result's config
 * is the first adapter's with `r = lora_alpha = R` (so its scaling is 1), the union of the
 * target modules, and empty `rank_pattern`/`alpha_pattern`; each source's scaling sᵢ is
 * folded into the new A and B.
 *
 * - `cat`: A = [w₁s₁A₁; w₂s₂A₂; …] stacked by rows, B = [B₁ B₂ …] side by side, R = Σ rᵢ
 *   (rᵢ the largest rank in adapter i's config; modules with a smaller rank are zero-padded).
 *   Exact: B·A = Σ wᵢ·ΔWᵢ.
 * - `linear`: A = Σ sign(wᵢsᵢ)·√|wᵢsᵢ|·Aᵢ, B = Σ √|wᵢsᵢ|·Bᵢ, R = the common rank (all
 *   adapters must have the same one). This is NOT Σ wᵢ·ΔWᵢ: B·A = Σᵢ Σⱼ cᵢcⱼBⱼAᵢ contains
 *   the cross terms BⱼAᵢ (i ≠ j), which are meaningful only if the adapters share A or B
 *   (e.g. one adapter, or adapters trained from the same init). Use `cat` or `svd` for a
 *   faithful weighted sum.
 * - `svd`: M = Σ wᵢ·sᵢ·ΔWᵢ (ΔWᵢ = sᵢBᵢAᵢ, so each source is scaled twice — peft's
 *   behaviour; see `svdScaling`), then the best rank-R approximation M ≈ U·S·Vᵀ with
 *   B = U·S, A = Vᵀ; R = `svdRank` or the largest source rank. Singular vectors are unique
 *   only up to sign, so A and B may differ from peft's by the sign of a component; B·A does not.
 *
 * A single adapter is always combined with `linear`, as in peft. DoRA and `lora_bias`
 * adapters are refused (peft silently drops their extra tensors).
 *
 * @param adapters - the adapters, in order (the first one's config is the template).
 * @param options - see {@link CombineAdaptersOptions}.
 * @returns the combined adapter and warnings.
 * @throws TunekitError `combine_incompatible` for mismatched weights, ranks (linear),
 *   target-module types, DoRA or `lora_bias`; `shape_mismatch` naming a module the adapters
 *   give different shapes; `invalid_rank` for a bad `svdRank`.
 * @example
 * ```ts
 * import { combineAdapters, type LoraAdapter } from "@tunekit/lora";
 * declare const a: LoraAdapter;
 * declare const b: LoraAdapter;
 * const { adapter } = combineAdapters([a, b], { method: "cat", weights: [0.7, 0.3] });
 * ```
 */
export function combineAdapters(
  adapters: readonly LoraAdapter[],
  options: CombineAdaptersOptions,
): CombinedAdapter {
  if (adapters.length === 0) {
    throw new TunekitError("combine_incompatible", "combineAdapters needs at least one adapter");
  }
  const weights = options.weights ?? adapters.map(() => 1);
  if (weights.length !== adapters.length || weights.some((w) => !Number.isFinite(w))) {
    throw new TunekitError(
      "combine_incompatible",
      `${adapters.length} adapters need ${adapters.length} finite weights, got [${weights.join(", ")}]`,
    );
  }
  adapters.forEach((adapter, i) => {
    if (adapter.config.use_dora || adapter.config.lora_bias) {
      throw new TunekitError(
        "combine_incompatible",
        `adapter ${i + 1} uses ${adapter.config.use_dora ? "DoRA" : "lora_bias"}, which peft's add_weighted_adapter does not combine correctly; merge it into the base instead`,
      );
    }
  });
  const method: CombinationMethod = adapters.length === 1 ? "linear" : options.method;
  const ranks = adapters.map((a) => largestRank(a.config));
  let newRank: number;
  if (method === "linear") {
    if (new Set(ranks).size !== 1) {
      throw new TunekitError(
        "combine_incompatible",
        `linear combination needs adapters of one rank, got ranks ${ranks.join(", ")}; use cat or svd`,
      );
    }
    newRank = ranks[0];
  } else if (method === "cat") {
    newRank = ranks.reduce((s, r) => s + r, 0);
  } else {
    newRank = options.svdRank ?? Math.max(...ranks);
    if (!Number.isInteger(newRank) || newRank <= 0) {
      throw new TunekitError(
        "invalid_rank",
        `svdRank must be a positive whole number, got ${newRank}`,
      );
    }
  }
  const first = adapters[0].config;
  const useRslora = options.useRslora ?? first.use_rslora;
  const config: LoraConfig = {
    ...first,
    r: newRank,
    lora_alpha: newRank,
    target_modules: combinedTargets(adapters),
    rank_pattern: new Map(),
    alpha_pattern: new Map(),
    use_rslora: useRslora,
    extra: { ...first.extra },
  };
  const warnings: string[] = [];
  if (useRslora) {
    warnings.push(
      `use_rslora is true in the combined config (inherited from the first adapter, as peft does), so it applies scaling ${newRank}/√${newRank} = ${Math.sqrt(newRank).toFixed(4)} instead of 1; pass useRslora: false for the weighted combination itself`,
    );
  }
  const names: string[] = [];
  const byName = new Map<string, { module: LoraModule; weight: number }[]>();
  adapters.forEach((adapter, i) => {
    for (const module of adapter.modules) {
      let list = byName.get(module.name);
      if (list === undefined) {
        list = [];
        byName.set(module.name, list);
        names.push(module.name);
      }
      list.push({ module, weight: weights[i] });
    }
  });
  const modules: LoraModule[] = [];
  for (const name of names) {
    const sources = byName.get(name) as { module: LoraModule; weight: number }[];
    sameShape(
      sources.map((s) => s.module),
      name,
    );
    const { a, b } =
      method === "cat"
        ? catPair(sources, newRank)
        : method === "linear"
          ? linearPair(sources, newRank, name)
          : svdPair(sources, newRank, name, options.svdScaling ?? "peft");
    modules.push(
      createLoraModule(config, name, { a, b, kind: sources[0].module.kind, dtype: "F32" }),
    );
  }
  return { adapter: { config, modules, extraTensors: new Map() }, warnings };
}

type Source = { module: LoraModule; weight: number };

function catPair(sources: Source[], rank: number): { a: Matrix; b: Matrix } {
  const { a: a0, b: b0 } = sources[0].module;
  const inFeatures = a0.cols;
  const outFeatures = b0.rows;
  const a = zeros(rank, inFeatures);
  const b = zeros(outFeatures, rank);
  let row = 0;
  for (const { module, weight } of sources) {
    // torch evaluates A·w·s left to right in float32.
    const w = Math.fround(weight);
    const s = Math.fround(module.scaling);
    for (let k = 0; k < module.r; k++) {
      for (let j = 0; j < inFeatures; j++) {
        a.data[(row + k) * inFeatures + j] = Math.fround(
          Math.fround(module.a.data[k * inFeatures + j] * w) * s,
        );
      }
      for (let i = 0; i < outFeatures; i++)
        b.data[i * rank + row + k] = module.b.data[i * module.r + k];
    }
    row += module.r;
  }
  return { a, b };
}

function linearPair(sources: Source[], rank: number, name: string): { a: Matrix; b: Matrix } {
  const { a: a0, b: b0 } = sources[0].module;
  for (const { module } of sources) {
    if (module.r !== rank) {
      throw new TunekitError(
        "combine_incompatible",
        `module ${name} has rank ${module.r} in one adapter but the combination has rank ${rank}; linear combination needs one rank everywhere`,
      );
    }
  }
  const a = new Float64Array(a0.rows * a0.cols);
  const b = new Float64Array(b0.rows * b0.cols);
  for (const { module, weight } of sources) {
    const c = weight * module.scaling;
    // The sign goes on A only; on both it would cancel.
    const wa = Math.fround(Math.sign(c || 1) * Math.sqrt(Math.abs(c)));
    const wb = Math.fround(Math.sqrt(Math.abs(c)));
    for (let i = 0; i < a.length; i++) a[i] += Math.fround(module.a.data[i] * wa);
    for (let i = 0; i < b.length; i++) b[i] += Math.fround(module.b.data[i] * wb);
  }
  return {
    a: { rows: a0.rows, cols: a0.cols, data: Float32Array.from(a) },
    b: { rows: b0.rows, cols: b0.cols, data: Float32Array.from(b) },
  };
}

function svdPair(
  sources: Source[],
  rank: number,
  name: string,
  scaling: "peft" | "single",
): { a: Matrix; b: Matrix } {
  const { a: a0, b: b0 } = sources[0].module;
  const inFeatures = a0.cols;
  const outFeatures = b0.rows;
  if (rank > Math.min(inFeatures, outFeatures)) {
    throw new TunekitError(
      "invalid_rank",
      `module ${name}: svd rank ${rank} exceeds min(out, in) = ${Math.min(inFeatures, outFeatures)}; choose a smaller svdRank`,
    );
  }
  // In LoRA orientation (B·A, out × in) for every kind, as peft transposes fan_in_fan_out
  // and embedding deltas back before its SVD.
  const total = zeros(outFeatures, inFeatures, { dtype: "f64" });
  for (const { module, weight } of sources) {
    const factor =
      scaling === "peft" ? weight * module.scaling * module.scaling : weight * module.scaling;
    addScaledProduct(total, factor, module.b, module.a);
  }
  const { u, s, v } = truncatedSvd(total, rank, { method: "exact" });
  const k = s.length;
  const b = new Float32Array(outFeatures * rank);
  const a = new Float32Array(rank * inFeatures);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < outFeatures; i++) b[i * rank + c] = u.data[i * u.cols + c] * s[c];
    for (let j = 0; j < inFeatures; j++) a[c * inFeatures + j] = v.data[j * v.cols + c];
  }
  return {
    a: { rows: rank, cols: inFeatures, data: a },
    b: { rows: outFeatures, cols: rank, data: b },
  };
}
