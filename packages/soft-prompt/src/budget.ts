import { TunekitError } from "@tunekit/tensor";

/**
 * What one soft prompt costs, next to the frozen model it steers.
 *
 * @example
 * ```ts
 * import { promptBudget, type PromptBudget } from "@tunekit/soft-prompt";
 * const budget: PromptBudget = promptBudget({ numVirtualTokens: 8, tokenDim: 64, modelParameters: 86336 });
 * console.log(budget.fractionOfModel); // 0.00593…
 * ```
 */
export interface PromptBudget {
  /** Virtual tokens per submodule. */
  numVirtualTokens: number;
  /** Transformer submodules (1 or 2). */
  numTransformerSubmodules: number;
  /** Hidden size. */
  tokenDim: number;
  /** Trainable values: `numVirtualTokens × numTransformerSubmodules × tokenDim`. */
  trainableParameters: number;
  /** Bytes of the prompt stored as f32 (the adapter file adds a small header). */
  bytes: number;
  /** Parameters of the frozen model, when known; else `null`. */
  modelParameters: number | null;
  /** `trainableParameters / modelParameters`, when the model size is known; else `null`. */
  fractionOfModel: number | null;
}

/**
 * Input of {@link promptBudget}.
 *
 * @example
 * ```ts
 * import { promptBudget, type PromptBudgetInput } from "@tunekit/soft-prompt";
 * const input: PromptBudgetInput = { numVirtualTokens: 20, tokenDim: 512, numTransformerSubmodules: 2 };
 * console.log(promptBudget(input).trainableParameters); // 20480
 * ```
 */
export interface PromptBudgetInput {
  /** Virtual tokens per submodule. */
  numVirtualTokens: number;
  /** Hidden size of the model. */
  tokenDim: number;
  /** 1 (decoder-only) or 2 (encoder–decoder). Default 1. */
  numTransformerSubmodules?: number;
  /** Parameters of the frozen model, to compare against. Optional. */
  modelParameters?: number;
}

function wholeNumber(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TunekitError(
      "invalid_option",
      `${name} must be a whole number ≥ ${min}, got ${value}`,
    );
  }
  return value;
}

/**
 * The parameter budget of prompt tuning: a soft prompt trains only its
 * `numVirtualTokens × numTransformerSubmodules × tokenDim` values while the model stays
 * frozen, so one model can serve many tasks with one small prompt each. Lester et al.
 * (2021) put it as: 5 tokens at d = 4,096 is 20,480 parameters.
 *
 * @param input - see {@link PromptBudgetInput}.
 * @returns see {@link PromptBudget}.
 * @throws TunekitError `invalid_option` for sizes that are not whole numbers ≥ 1 (or a
 * model size below 0).
 * @example
 * ```ts
 * import { promptBudget } from "@tunekit/soft-prompt";
 * const budget = promptBudget({ numVirtualTokens: 5, tokenDim: 4096, modelParameters: 11e9 });
 * console.log(budget.trainableParameters); // 20480
 * ```
 */
export function promptBudget(input: PromptBudgetInput): PromptBudget {
  const numVirtualTokens = wholeNumber(input.numVirtualTokens, "numVirtualTokens", 1);
  const tokenDim = wholeNumber(input.tokenDim, "tokenDim", 1);
  const numTransformerSubmodules = wholeNumber(
    input.numTransformerSubmodules ?? 1,
    "numTransformerSubmodules",
    1,
  );
  const modelParameters =
    input.modelParameters === undefined
      ? null
      : wholeNumber(input.modelParameters, "modelParameters", 0);
  const trainableParameters = numVirtualTokens * numTransformerSubmodules * tokenDim;
  return {
    numVirtualTokens,
    numTransformerSubmodules,
    tokenDim,
    trainableParameters,
    bytes: trainableParameters * 4,
    modelParameters,
    fractionOfModel:
      modelParameters === null || modelParameters === 0
        ? null
        : trainableParameters / modelParameters,
  };
}

/**
 * Counts the parameters of a model from its tensor shapes, such as the `tensors` of a
 * safetensors header: the sum over tensors of the product of each shape.
 *
 * @param tensors - anything with a `shape`.
 * @returns the number of values.
 * @example
 * ```ts
 * import { countParameters } from "@tunekit/soft-prompt";
 * console.log(countParameters([{ shape: [128, 64] }, { shape: [64] }])); // 8256
 * ```
 */
export function countParameters(tensors: Iterable<{ readonly shape: readonly number[] }>): number {
  let total = 0;
  for (const { shape } of tensors) total += shape.reduce((product, size) => product * size, 1);
  return total;
}
