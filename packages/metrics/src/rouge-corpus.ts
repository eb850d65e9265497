import { TunekitError } from "../../../internal/shared/src/index";
import {
  createRougeScorer,
  type DefaultRougeType,
  type RougeOptions,
  type RougeScore,
  type RougeScores,
  type RougeType,
} from "./rouge";
import { checkCorpus } from "./validate";

/**
 * What {@link rougeCorpus} returns.
 *
 * @example
 * ```ts
 * import { type RougeCorpusResult, rougeCorpus } from "@tunekit/metrics";
 * const result: RougeCorpusResult<"rouge1"> = rougeCorpus(["a b"], ["a c"], { types: ["rouge1"] });
 * result.perExample[0].rouge1.fmeasure; // 0.5
 * result.mean.rouge1.fmeasure;          // 0.5
 * ```
 */
export interface RougeCorpusResult<T extends RougeType = DefaultRougeType> {
  /** The scores of each example, in input order. */
  perExample: RougeScores<T>[];
  /** The mean of each type's precision, recall and F-measure over the examples. */
  mean: RougeScores<T>;
}

/**
 * The correctly rounded sum of `values` (the double nearest the exact sum), as Python's
 * `math.fsum`: exact partial sums are kept as a list of non-overlapping doubles (Shewchuk,
 * "Adaptive precision floating-point arithmetic", 1997) and added up at the end with a
 * round-half-even fix. Because the result is the rounding of the exact sum, it does not
 * depend on the order of the values.
 */
function correctlyRoundedSum(values: readonly number[]): number {
  const partials: number[] = [];
  for (let x of values) {
    let kept = 0;
    for (let p = 0; p < partials.length; p++) {
      let y = partials[p];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const high = x + y;
      const low = y - (high - x); // exact rounding error of x + y
      if (low !== 0) partials[kept++] = low;
      x = high;
    }
    partials.length = kept;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let high = partials[--n];
  let low = 0;
  while (n > 0) {
    const x = high;
    const y = partials[--n];
    high = x + y;
    low = y - (high - x);
    if (low !== 0) break;
  }
  // `high + low` is exact, but the rest of the partials can push a tie in `low` to the
  // other side; then round `high` the other way.
  if (n > 0 && ((low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0))) {
    const twice = low * 2;
    const candidate = high + twice;
    if (twice === candidate - high) high = candidate;
  }
  return high;
}

/**
 * The mean of per-example ROUGE scores: for each type, the correctly rounded sum of each
 * measure (as Python's `math.fsum`) divided by the number of examples. The sum does not
 * depend on order, so shuffling the examples, or scoring them in parallel chunks, gives the
 * same mean to the last bit.
 *
 * @param perExample - scores of each example, all with the same types.
 * @returns the mean of each type's precision, recall and F-measure.
 * @throws TunekitError `empty_corpus` for no examples, `invalid_input` when an example lacks
 * a type the first one has.
 * @example
 * ```ts
 * import { meanRougeScores, rouge } from "@tunekit/metrics";
 * const a = rouge("a b", "a b", { types: ["rouge1"] }); // F 1
 * const b = rouge("a b", "c d", { types: ["rouge1"] }); // F 0
 * meanRougeScores([a, b]).rouge1.fmeasure; // 0.5
 * ```
 */
export function meanRougeScores<T extends RougeType>(
  perExample: readonly RougeScores<T>[],
): RougeScores<T> {
  if (perExample.length === 0) {
    throw new TunekitError("empty_corpus", "cannot average ROUGE scores of zero examples");
  }
  const names = Object.keys(perExample[0]) as T[];
  const mean = {} as RougeScores<T>;
  for (const name of names) {
    const precision: number[] = [];
    const recall: number[] = [];
    const fmeasure: number[] = [];
    perExample.forEach((scores, i) => {
      const score: RougeScore | undefined = scores[name];
      if (score === undefined) {
        throw new TunekitError("invalid_input", `example ${i} has no ${name} score`);
      }
      precision.push(score.precision);
      recall.push(score.recall);
      fmeasure.push(score.fmeasure);
    });
    const n = perExample.length;
    mean[name] = {
      precision: correctlyRoundedSum(precision) / n,
      recall: correctlyRoundedSum(recall) / n,
      fmeasure: correctlyRoundedSum(fmeasure) / n,
    };
  }
  return mean;
}

/**
 * ROUGE over a corpus: the scores of every example (each equal to rouge-score 0.1.2's
 * `score(target, prediction)`, or `score_multi` when an example has several references)
 * and their mean (see {@link meanRougeScores}). One scorer serves the whole corpus, so each
 * distinct word is tokenized, stemmed and interned once.
 *
 * Arguments are (predictions, references) — the reverse of rouge-score's (target,
 * prediction).
 *
 * @param predictions - one generated text per example.
 * @param references - per example, the reference text or a non-empty array of references.
 * @param options - see {@link RougeOptions}.
 * @returns per-example scores in input order and their mean.
 * @throws TunekitError naming the first bad example: `invalid_input` (not a string, not an
 * array), `empty_references`, `length_mismatch`, `empty_corpus`; `invalid_rouge_type`.
 * @example
 * ```ts
 * import { rougeCorpus } from "@tunekit/metrics";
 * const { perExample, mean } = rougeCorpus(
 *   ["the cat sat", "a dog barked"],
 *   ["the cat sat down", ["the cat", "a dog barked"]],
 *   { types: ["rouge1", "rougeL"] },
 * );
 * perExample[0].rouge1.recall; // 0.75
 * perExample[1].rouge1.fmeasure; // 1 (the second reference fits best)
 * mean.rouge1.fmeasure;        // (6/7 + 1) / 2 = 0.9285714285714286
 * ```
 */
export function rougeCorpus<T extends RougeType = DefaultRougeType>(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: RougeOptions<T> = {},
): RougeCorpusResult<T> {
  const checked = checkCorpus(predictions, references);
  const scorer = createRougeScorer(options);
  const perExample: RougeScores<T>[] = new Array(checked.predictions.length);
  for (let i = 0; i < checked.predictions.length; i++) {
    perExample[i] = scorer.score(checked.predictions[i], checked.references[i]);
  }
  return { perExample, mean: meanRougeScores(perExample) };
}
