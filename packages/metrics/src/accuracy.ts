import { TunekitError } from "../../../internal/shared/src/index";
import { describeValue } from "./validate";

/**
 * A class label: compared with `===`, so `1` and `"1"` are different labels.
 *
 * @example
 * ```ts
 * import { accuracy, type Label } from "@tunekit/metrics";
 * const predicted: Label[] = ["spam", "ham", 1, true];
 * accuracy(predicted, ["spam", "spam", 1, false]).accuracy;  // 0.5
 * ```
 */
export type Label = string | number | boolean;

/**
 * Options of {@link accuracy}; the defaults are scikit-learn's `accuracy_score`.
 *
 * @example
 * ```ts
 * import { type AccuracyOptions, accuracy } from "@tunekit/metrics";
 * const options: AccuracyOptions = { sampleWeight: [2, 1, 1] };
 * accuracy(["a", "b", "c"], ["a", "x", "c"], options).accuracy;  // 0.75
 * ```
 */
export interface AccuracyOptions {
  /**
   * Return the fraction of correct predictions (default `true`); `false` returns the
   * number of correct predictions (weighted, with `sampleWeight`).
   */
  normalize?: boolean;
  /** A non-negative weight per example. Default: every example weighs 1. */
  sampleWeight?: readonly number[];
}

/**
 * The result of {@link accuracy}.
 *
 * @example
 * ```ts
 * import { type AccuracyResult, accuracy } from "@tunekit/metrics";
 * const result: AccuracyResult = accuracy([1, 0, 1], [1, 1, 1]);
 * result.correct;  // 2
 * result.total;    // 3
 * ```
 */
export interface AccuracyResult {
  /** The fraction (or, with `normalize: false`, the weighted count) of correct predictions. */
  accuracy: number;
  /** Weighted number of correct predictions. */
  correct: number;
  /** Weighted number of examples. */
  total: number;
}

/**
 * Classification accuracy, as HF evaluate's `accuracy` (scikit-learn's `accuracy_score`):
 * the weighted share of examples whose prediction equals the reference label.
 *
 * @param predictions - one predicted label per example.
 * @param references - the true label of each example.
 * @param options - `normalize` (default `true`) and `sampleWeight` (default all 1).
 * @returns the accuracy with the weighted counts it was computed from.
 * @throws TunekitError `invalid_input` for a label that is not a string, number or boolean
 *   or a bad weight, naming the index; `length_mismatch`; `empty_corpus`.
 *
 * @example
 * ```ts
 * import { accuracy } from "@tunekit/metrics";
 * accuracy([0, 1, 1, 2, 1, 0], [0, 1, 2, 0, 1, 2]).accuracy;                       // 0.5
 * accuracy([0, 1, 1, 2, 1, 0], [0, 1, 2, 0, 1, 2], { normalize: false }).accuracy;  // 3
 * accuracy(["pos", "neg"], ["pos", "pos"]).accuracy;                              // 0.5
 * ```
 */
export function accuracy(
  predictions: readonly Label[],
  references: readonly Label[],
  options: AccuracyOptions = {},
): AccuracyResult {
  const { normalize = true, sampleWeight } = options;
  if (!Array.isArray(predictions) || !Array.isArray(references)) {
    throw new TunekitError("invalid_input", "predictions and references must be arrays of labels");
  }
  if (predictions.length !== references.length) {
    throw new TunekitError(
      "length_mismatch",
      `there are ${predictions.length} predictions but ${references.length} references; give one reference label per prediction`,
    );
  }
  if (predictions.length === 0) {
    throw new TunekitError("empty_corpus", "no examples; give at least one prediction");
  }
  if (sampleWeight !== undefined && sampleWeight.length !== predictions.length) {
    throw new TunekitError(
      "length_mismatch",
      `sampleWeight has ${sampleWeight.length} weights for ${predictions.length} examples`,
    );
  }
  let correct = 0;
  let total = 0;
  for (let i = 0; i < predictions.length; i++) {
    checkLabel(predictions[i], `predictions[${i}]`);
    checkLabel(references[i], `references[${i}]`);
    const weight = sampleWeight ? sampleWeight[i] : 1;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      throw new TunekitError(
        "invalid_input",
        `sampleWeight[${i}] must be a finite number ≥ 0, got ${describeValue(weight)} ${String(weight)}`,
      );
    }
    total += weight;
    if (predictions[i] === references[i]) correct += weight;
  }
  if (normalize && total === 0) {
    throw new TunekitError("invalid_input", "the sample weights sum to 0; accuracy is undefined");
  }
  return { accuracy: normalize ? correct / total : correct, correct, total };
}

function checkLabel(value: unknown, where: string): void {
  const type = typeof value;
  if (type !== "string" && type !== "number" && type !== "boolean") {
    throw new TunekitError(
      "invalid_input",
      `${where} must be a string, number or boolean label, got ${describeValue(value)}`,
    );
  }
}
