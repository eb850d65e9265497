import {
  createRng,
  kaimingUniform,
  type Matrix,
  type MatrixDType,
  type Rng,
  randomNormal,
  randomUniform,
  zeros,
} from "@tunekit/tensor";
import { checkRank } from "./config";

/**
 * Options for {@link initLoraWeights} and {@link initEmbeddingLoraWeights}.
 *
 * @example
 * ```ts
 * import { type InitLoraOptions, initLoraWeights } from "@tunekit/lora";
 * const options: InitLoraOptions = { init: "gaussian", seed: 7 };
 * const { a, b } = initLoraWeights(64, 64, 8, options);
 * ```
 */
export interface InitLoraOptions {
  /**
   * peft's `init_lora_weights`: `true` (default) for Kaiming-uniform A and zero B, so the
   * adapter starts as a no-op; `"gaussian"` for A ~ N(0, σ = 1/r) and zero B; `false` for
   * torch's default `nn.Linear` init of both A and B (a non-zero start, for testing).
   */
  init?: boolean | "gaussian";
  /** Seed of the generator. Default 0. Ignored when `rng` is given. */
  seed?: number;
  /** A generator to draw from (A first, then B). */
  rng?: Rng;
  /** Storage type. Default `"f32"`. */
  dtype?: MatrixDType;
  /** Also create `lora_B.bias` (zero, or torch's default with `init: false`). Default false. */
  loraBias?: boolean;
}

/**
 * A freshly initialised LoRA pair.
 *
 * @example
 * ```ts
 * import { type InitialLoraWeights, initLoraWeights } from "@tunekit/lora";
 * const pair: InitialLoraWeights = initLoraWeights(64, 32, 4, { seed: 1, loraBias: true });
 * pair.bias?.length; // 64
 * ```
 */
export interface InitialLoraWeights {
  /** A: r × in (`lora_embedding_A`: r × vocabulary for embeddings). */
  a: Matrix;
  /** B: out × r (`lora_embedding_B`: width × r for embeddings). */
  b: Matrix;
  /** `lora_B.bias`, when asked for. */
  bias?: Float32Array;
}

/**
 * Initialises a LoRA pair for a linear layer as peft's `LoraLayer.reset_lora_parameters`:
 * - `init: true` — A by `kaiming_uniform_(a=√5)` over fan_in = in (U(−b, b) with
 *   b = √(6 / ((1 + 5)·in)) = 1/√in), B = 0 (Hu et al. 2021, §4.1: ΔW starts at zero);
 * - `init: "gaussian"` — A ~ N(0, 1/r²) (standard deviation 1/r, as peft), B = 0;
 * - `init: false` — both as a new `nn.Linear`: Kaiming-uniform(a=√5) with fan_in = in for A
 *   and fan_in = r for B, bias U(−1/√r, 1/√r).
 *
 * The draws come from this package's seeded generator, so the numbers are reproducible
 * but differ from torch's.
 *
 * @param outFeatures - the layer's out features.
 * @param inFeatures - the layer's in features.
 * @param r - the rank.
 * @param options - see {@link InitLoraOptions}.
 * @returns A (r × in) and B (out × r).
 * @throws TunekitError `invalid_rank` when r is not a positive whole number.
 * @example
 * ```ts
 * import { initLoraWeights } from "@tunekit/lora";
 * const { a, b } = initLoraWeights(512, 64, 8, { seed: 42 });
 * // a: 8×64 in ±1/8, b: 512×8 zeros
 * ```
 */
export function initLoraWeights(
  outFeatures: number,
  inFeatures: number,
  r: number,
  options: InitLoraOptions = {},
): InitialLoraWeights {
  checkRank(r, "initLoraWeights");
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const { dtype, init = true } = options;
  let a: Matrix;
  let b: Matrix;
  let bias: Float32Array | undefined;
  if (init === false) {
    a = kaimingUniform(r, inFeatures, { rng, a: Math.sqrt(5), dtype });
    b = kaimingUniform(outFeatures, r, { rng, a: Math.sqrt(5), dtype });
    if (options.loraBias) {
      const bound = 1 / Math.sqrt(r);
      bias = Float32Array.from(
        randomUniform(1, outFeatures, { rng, low: -bound, high: bound }).data,
      );
    }
  } else {
    a =
      init === "gaussian"
        ? randomNormal(r, inFeatures, { rng, std: 1 / r, dtype })
        : kaimingUniform(r, inFeatures, { rng, a: Math.sqrt(5), dtype });
    b = zeros(outFeatures, r, { dtype });
    if (options.loraBias) bias = new Float32Array(outFeatures);
  }
  return bias === undefined ? { a, b } : { a, b, bias };
}

/**
 * Initialises a LoRA pair for an embedding layer as peft's `lora.Embedding`:
 * `lora_embedding_A` (r × vocabulary) = 0 and `lora_embedding_B` (width × r) ~ N(0, 1) for
 * `init: true` or `"gaussian"`; both N(0, 1) for `init: false`. ΔW = s·(B·A)ᵀ.
 *
 * @param numEmbeddings - the vocabulary size.
 * @param embeddingDim - the embedding width.
 * @param r - the rank.
 * @param options - see {@link InitLoraOptions} (`loraBias` does not apply).
 * @returns `lora_embedding_A` as `a` and `lora_embedding_B` as `b`.
 * @throws TunekitError `invalid_rank` when r is not a positive whole number.
 * @example
 * ```ts
 * import { initEmbeddingLoraWeights } from "@tunekit/lora";
 * const { a, b } = initEmbeddingLoraWeights(32000, 4096, 8, { seed: 1 }); // a: 8×32000 zeros
 * ```
 */
export function initEmbeddingLoraWeights(
  numEmbeddings: number,
  embeddingDim: number,
  r: number,
  options: InitLoraOptions = {},
): InitialLoraWeights {
  checkRank(r, "initEmbeddingLoraWeights");
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const { dtype, init = true } = options;
  const a =
    init === false
      ? randomNormal(r, numEmbeddings, { rng, dtype })
      : zeros(r, numEmbeddings, { dtype });
  const b = randomNormal(embeddingDim, r, { rng, dtype });
  return { a, b };
}
