import {
  addScaledProduct,
  frobeniusNorm,
  type Matrix,
  sub,
  svd,
  TunekitError,
  transpose,
  truncatedSvd,
} from "@tunekit/tensor";
import {
  createLoraModule,
  type LoraAdapter,
  type LoraModule,
  type LoraModuleKind,
} from "./adapter";
import { checkRank, createLoraConfig, type LoraConfigInit } from "./config";
import { exactModulePattern } from "./patterns";

/**
 * How the singular values are shared between B and A.
 *
 * @example
 * ```ts
 * import type { ExtractSplit } from "@tunekit/lora";
 * const split: ExtractSplit = "balanced";
 * ```
 */
export type ExtractSplit = "peft" | "balanced";

/**
 * Options for {@link extractLoraFromDelta} and {@link extractLora}.
 *
 * @example
 * ```ts
 * import type { ExtractLoraOptions } from "@tunekit/lora";
 * const options: ExtractLoraOptions = { rank: 32, energy: 0.9 };
 * ```
 */
export interface ExtractLoraOptions {
  /**
   * The rank to keep. With `energy`, the largest rank allowed. Default: `min(out, in)` when
   * `energy` is given; otherwise required.
   */
  rank?: number;
  /**
   * Keep the smallest rank whose singular values hold at least this fraction of ΔW's
   * energy (Σ kept σᵢ² / Σ σᵢ²), in (0, 1]. Needs the full SVD. Default: not used.
   */
  energy?: number;
  /**
   * `"peft"` (default): B = U·S and A = Vᵀ, the split peft's `add_weighted_adapter` uses
   * for its SVD methods; `"balanced"`: B = U·√S and A = √S·Vᵀ, factors of equal scale
   * (better conditioned if the pair is trained further). ΔW = B·A either way.
   */
  split?: ExtractSplit;
  /** The SVD routine for a fixed rank (see `truncatedSvd`). Default `"auto"`. */
  svdMethod?: "exact" | "randomized" | "auto";
}

/**
 * A low-rank pair fitted to a weight difference, and how well it fits.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { type ExtractedLora, extractLoraFromDelta } from "@tunekit/lora";
 * const pair: ExtractedLora = extractLoraFromDelta(fromArray([[2, 0], [0, 1]]), { rank: 1 });
 * pair.relativeError; // 1/√5
 * ```
 */
export interface ExtractedLora {
  /** A: rank × in. */
  a: Matrix<Float32Array>;
  /** B: out × rank. */
  b: Matrix<Float32Array>;
  /** The rank kept. */
  rank: number;
  /** The singular values kept, largest first. */
  singularValues: Float64Array;
  /** ‖ΔW − B·A‖_F. */
  error: number;
  /** error / ‖ΔW‖_F (0 when ΔW = 0). */
  relativeError: number;
  /** ‖ΔW‖_F. */
  deltaNorm: number;
}

function toF32(m: Matrix): Matrix<Float32Array> {
  return {
    rows: m.rows,
    cols: m.cols,
    data: m.data instanceof Float32Array ? m.data : Float32Array.from(m.data),
  };
}

function chooseRank(s: Float64Array, options: ExtractLoraOptions, maxRank: number): number {
  let rank = Math.min(options.rank ?? maxRank, maxRank);
  if (options.energy !== undefined) {
    let total = 0;
    for (const v of s) total += v * v;
    let kept = 0;
    let k = 0;
    while (k < s.length && kept < options.energy * total * (1 - 1e-12)) {
      kept += s[k] * s[k];
      k++;
    }
    rank = Math.min(rank, Math.max(k, 1));
  }
  return rank;
}

/**
 * Fits a rank-k pair to a weight difference by truncated SVD: ΔW ≈ B·A with
 * ΔW = U·S·Vᵀ and k singular triplets kept — the best rank-k approximation in the Frobenius
 * norm (Eckart–Young), so at full rank B·A reproduces ΔW.
 *
 * @param delta - ΔW, out × in.
 * @param options - `rank` or `energy`, the `split`; see {@link ExtractLoraOptions}.
 * @returns A, B, the kept singular values and the reconstruction error.
 * @throws TunekitError `invalid_rank` when the rank is not a positive whole number,
 *   `invalid_option` when `energy` is not in (0, 1] or neither `rank` nor `energy` is given.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { extractLoraFromDelta } from "@tunekit/lora";
 * const pair = extractLoraFromDelta(fromArray([[2, 0], [0, 1]]), { rank: 1 });
 * pair.error; // 1
 * ```
 */
export function extractLoraFromDelta(delta: Matrix, options: ExtractLoraOptions): ExtractedLora {
  if (options.rank === undefined && options.energy === undefined) {
    throw new TunekitError(
      "invalid_option",
      "extraction needs a rank, an energy threshold, or both",
    );
  }
  if (options.rank !== undefined) checkRank(options.rank, "extraction rank");
  if (options.energy !== undefined && !(options.energy > 0 && options.energy <= 1)) {
    throw new TunekitError("invalid_option", `energy must be in (0, 1], got ${options.energy}`);
  }
  const maxRank = Math.min(delta.rows, delta.cols);
  const decomposition =
    options.energy !== undefined
      ? svd(delta)
      : truncatedSvd(delta, Math.min(options.rank as number, maxRank), {
          method: options.svdMethod ?? "auto",
        });
  const rank = chooseRank(decomposition.s, options, Math.min(maxRank, decomposition.s.length));
  const { u, v, s } = decomposition;
  const balanced = options.split === "balanced";
  const b = new Float32Array(delta.rows * rank);
  const a = new Float32Array(rank * delta.cols);
  for (let k = 0; k < rank; k++) {
    const left = balanced ? Math.sqrt(s[k]) : s[k];
    const right = balanced ? Math.sqrt(s[k]) : 1;
    for (let i = 0; i < delta.rows; i++) b[i * rank + k] = u.data[i * u.cols + k] * left;
    for (let j = 0; j < delta.cols; j++) a[k * delta.cols + j] = v.data[j * v.cols + k] * right;
  }
  const pair = {
    a: { rows: rank, cols: delta.cols, data: a },
    b: { rows: delta.rows, cols: rank, data: b },
  };
  const residual: Matrix = {
    rows: delta.rows,
    cols: delta.cols,
    data: Float64Array.from(delta.data),
  };
  addScaledProduct(residual, -1, pair.b, pair.a);
  const error = frobeniusNorm(residual);
  const deltaNorm = frobeniusNorm(delta);
  return {
    ...pair,
    rank,
    singularValues: s.slice(0, rank),
    error,
    relativeError: deltaNorm === 0 ? 0 : error / deltaNorm,
    deltaNorm,
  };
}

/**
 * Extracts a LoRA pair from a base and a fine-tuned weight: ΔW = tuned − base, then
 * {@link extractLoraFromDelta}.
 *
 * @param base - the base weight, out × in.
 * @param tuned - the fine-tuned weight, same shape.
 * @param options - see {@link ExtractLoraOptions}.
 * @returns the fitted pair and its error.
 * @throws TunekitError `shape_mismatch` when the shapes differ; as {@link extractLoraFromDelta}.
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * import { extractLora } from "@tunekit/lora";
 * const pair = extractLora(fromArray([[1, 0], [0, 1]]), fromArray([[2, 1], [2, 2]]), { rank: 1 });
 * ```
 */
export function extractLora(
  base: Matrix,
  tuned: Matrix,
  options: ExtractLoraOptions,
): ExtractedLora {
  return extractLoraFromDelta(sub(tuned, base), options);
}

/**
 * One module to extract, for {@link extractAdapter}.
 *
 * @example
 * ```ts
 * import { randomNormal } from "@tunekit/tensor";
 * import type { ExtractionInput } from "@tunekit/lora";
 * const input: ExtractionInput = { name: "model.layers.0.self_attn.q_proj", base: randomNormal(8, 8, { seed: 1 }), tuned: randomNormal(8, 8, { seed: 2 }) };
 * ```
 */
export interface ExtractionInput {
  /** The module's name in the base model (its weight key without `.weight`). */
  name: string;
  /** The base weight (out × in; vocabulary × width for embeddings). */
  base: Matrix;
  /** The fine-tuned weight, same shape. */
  tuned: Matrix;
  /** `"embedding"` stores the pair as `lora_embedding_A/B`. Default `"linear"`. */
  kind?: LoraModuleKind;
}

/**
 * How one module was extracted.
 *
 * @example
 * ```ts
 * import { type ExtractedModuleReport, extractAdapter } from "@tunekit/lora";
 * import { randomNormal } from "@tunekit/tensor";
 * const [line]: ExtractedModuleReport[] = extractAdapter(
 *   [{ name: "q", base: randomNormal(8, 8, { seed: 1 }), tuned: randomNormal(8, 8, { seed: 2 }) }], { rank: 2 }).report;
 * line.energyKept; // between 0 and 1
 * ```
 */
export interface ExtractedModuleReport {
  /** The module's name. */
  module: string;
  /** Its weight's shape. */
  shape: [number, number];
  /** The rank kept (0 when the weight did not change and the module was left out). */
  rank: number;
  /** ‖ΔW − B·A‖_F. */
  error: number;
  /** error / ‖ΔW‖_F. */
  relativeError: number;
  /** Fraction of ΔW's energy kept: Σ kept σᵢ² / ‖ΔW‖²_F. */
  energyKept: number;
}

/**
 * Options for {@link extractAdapter}.
 *
 * @example
 * ```ts
 * import type { ExtractAdapterOptions } from "@tunekit/lora";
 * const options: ExtractAdapterOptions = { rank: 16, config: { task_type: "CAUSAL_LM", base_model_name_or_path: "my/base" } };
 * ```
 */
export interface ExtractAdapterOptions extends ExtractLoraOptions {
  /** Other config fields to set (`task_type`, `base_model_name_or_path`, …). */
  config?: Omit<
    LoraConfigInit,
    "r" | "lora_alpha" | "rank_pattern" | "alpha_pattern" | "target_modules"
  >;
}

/**
 * An extracted adapter and its per-module report.
 *
 * @example
 * ```ts
 * import { type ExtractedAdapter, extractAdapter } from "@tunekit/lora";
 * import { randomNormal } from "@tunekit/tensor";
 * const result: ExtractedAdapter = extractAdapter(
 *   [{ name: "q", base: randomNormal(8, 8, { seed: 1 }), tuned: randomNormal(8, 8, { seed: 2 }) }], { rank: 2 });
 * result.adapter.config.r; // 2
 * ```
 */
export interface ExtractedAdapter {
  /** The adapter: scaling 1 for every module (lora_alpha = r, per module via the patterns). */
  adapter: LoraAdapter;
  /** One entry per input module, in input order. */
  report: ExtractedModuleReport[];
}

/** One module's extraction: its report line and, when its weight changed, the pair. */
export interface ModuleExtraction {
  report: ExtractedModuleReport;
  fitted?: { input: ExtractionInput; pair: ExtractedLora };
}

/** Extracts one module (the step {@link extractAdapter} repeats; streaming callers use it directly). */
export function extractModule(
  input: ExtractionInput,
  options: ExtractLoraOptions,
): ModuleExtraction {
  const { base, tuned, name } = input;
  if (base.rows !== tuned.rows || base.cols !== tuned.cols) {
    throw new TunekitError(
      "shape_mismatch",
      `module ${name}: the base weight is ${base.rows}×${base.cols} but the tuned one is ${tuned.rows}×${tuned.cols}`,
    );
  }
  let delta = sub(tuned, base);
  if (input.kind === "embedding") delta = transpose(delta);
  const norm = frobeniusNorm(delta);
  const shape: [number, number] = [base.rows, base.cols];
  if (norm === 0) {
    return { report: { module: name, shape, rank: 0, error: 0, relativeError: 0, energyKept: 1 } };
  }
  const pair = extractLoraFromDelta(delta, options);
  let kept = 0;
  for (const s of pair.singularValues) kept += s * s;
  return {
    report: {
      module: name,
      shape,
      rank: pair.rank,
      error: pair.error,
      relativeError: pair.relativeError,
      energyKept: Math.min(1, kept / (norm * norm)),
    },
    // Keep only what the adapter needs, not the two full weights.
    fitted: { input: { name, kind: input.kind, base: EMPTY, tuned: EMPTY }, pair },
  };
}

const EMPTY: Matrix = { rows: 0, cols: 0, data: new Float32Array(0) };

/** Assembles the adapter from per-module extractions (see {@link extractAdapter}). */
export function assembleExtractedAdapter(
  extractions: readonly ModuleExtraction[],
  options: ExtractAdapterOptions,
): ExtractedAdapter {
  const report = extractions.map((e) => e.report);
  const fitted = extractions.flatMap((e) => (e.fitted === undefined ? [] : [e.fitted]));
  if (fitted.length === 0) {
    throw new TunekitError(
      "extract_nothing",
      "no weight differs between the base and the tuned checkpoint, so there is nothing to extract",
    );
  }
  const counts = new Map<number, number>();
  for (const { pair } of fitted) counts.set(pair.rank, (counts.get(pair.rank) ?? 0) + 1);
  let r = fitted[0].pair.rank;
  for (const [rank, count] of counts) {
    if (count > (counts.get(r) as number) || (count === counts.get(r) && rank > r)) r = rank;
  }
  const rankPattern = new Map<string, number>();
  for (const { input, pair } of fitted) {
    if (pair.rank !== r) rankPattern.set(exactModulePattern(input.name), pair.rank);
  }
  const config = createLoraConfig({
    ...options.config,
    r,
    lora_alpha: r,
    target_modules: fitted.map(({ input }) => input.name),
    rank_pattern: rankPattern,
    alpha_pattern: new Map(rankPattern),
  });
  const modules: LoraModule[] = fitted.map(({ input, pair }) =>
    createLoraModule(config, input.name, {
      a: toF32(pair.a),
      b: toF32(pair.b),
      kind: input.kind ?? "linear",
    }),
  );
  return { adapter: { config, modules, extraTensors: new Map() }, report };
}

/**
 * Builds a peft adapter that approximates fine-tuned weights: each module's ΔW is split by
 * {@link extractLoraFromDelta} (embeddings: ΔWᵀ, as peft stores them). Every module gets
 * scaling 1 (lora_alpha equal to its rank), so ΔW ≈ B·A. The config's `r` is the most common
 * rank; modules with another rank (from an `energy` threshold) get exact-name entries in
 * `rank_pattern` and `alpha_pattern`. Modules whose weight did not change are left out.
 *
 * @param inputs - the modules, base and tuned weights.
 * @param options - see {@link ExtractAdapterOptions}.
 * @returns the adapter and a report with the reconstruction error of each module.
 * @throws TunekitError `shape_mismatch` naming the module when base and tuned shapes differ;
 *   `extract_nothing` when no weight changed; as {@link extractLoraFromDelta}.
 * @example
 * ```ts
 * import { randomNormal } from "@tunekit/tensor";
 * import { extractAdapter } from "@tunekit/lora";
 * const base = randomNormal(64, 64, { seed: 1 });
 * const tuned = randomNormal(64, 64, { seed: 2 });
 * const { adapter, report } = extractAdapter([{ name: "model.layers.0.self_attn.q_proj", base, tuned }], { rank: 8 });
 * ```
 */
export function extractAdapter(
  inputs: Iterable<ExtractionInput>,
  options: ExtractAdapterOptions,
): ExtractedAdapter {
  const extractions: ModuleExtraction[] = [];
  for (const input of inputs) extractions.push(extractModule(input, options));
  return assembleExtractedAdapter(extractions, options);
}
