import { TunekitError } from "@tunekit/tensor";

/**
 * Options for {@link loraScaling}.
 *
 * @example
 * ```ts
 * import { type LoraScalingOptions, loraScaling } from "@tunekit/lora";
 * const options: LoraScalingOptions = { useRslora: true };
 * loraScaling(16, 64, options); // 2
 * ```
 */
export interface LoraScalingOptions {
  /** Rank-stabilised LoRA: divide by √r instead of r. Default false. */
  useRslora?: boolean;
}

/**
 * The factor s in ΔW = s·B·A, as peft's `LoraLayer.update_layer` sets it:
 * `lora_alpha / r`, or `lora_alpha / √r` with rank-stabilised LoRA (Kalajdzievski 2023,
 * "A Rank Stabilization Scaling Factor for Fine-Tuning with LoRA", §3).
 *
 * @param alpha - `lora_alpha` (after `alpha_pattern`).
 * @param r - the rank (after `rank_pattern`).
 * @param options - see {@link LoraScalingOptions}.
 * @returns the scaling factor.
 * @throws TunekitError `invalid_rank` when r is not a positive whole number.
 * @example
 * ```ts
 * import { loraScaling } from "@tunekit/lora";
 * loraScaling(16, 8); // 2
 * loraScaling(16, 16, { useRslora: true }); // 4
 * ```
 */
export function loraScaling(alpha: number, r: number, options: LoraScalingOptions = {}): number {
  if (!Number.isInteger(r) || r <= 0) {
    throw new TunekitError("invalid_rank", `r must be a positive whole number, got ${r}`);
  }
  return options.useRslora ? alpha / Math.sqrt(r) : alpha / r;
}
