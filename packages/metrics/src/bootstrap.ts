import { createRng, TunekitError } from "../../../internal/shared/src/index";
import type { RougeScore } from "./rouge";

/**
 * Options of {@link BootstrapAggregator}.
 *
 * @example
 * ```ts
 * import { BootstrapAggregator, type BootstrapOptions } from "@tunekit/metrics";
 * const options: BootstrapOptions = { confidenceInterval: 0.9, nSamples: 2000, seed: 1 };
 * const aggregator = new BootstrapAggregator(options);
 * ```
 */
export interface BootstrapOptions {
  /** Width of the interval, in [0, 1]: 0.95 gives the 2.5th and 97.5th percentiles. Default 0.95. */
  confidenceInterval?: number;
  /** Number of bootstrap resamples. Default 1000. */
  nSamples?: number;
  /** Seed of the resampling PRNG (`createRng`); the same seed gives the same intervals. Default 0. */
  seed?: number;
}

/**
 * A bootstrap confidence interval of one score type: three {@link RougeScore}s.
 *
 * @example
 * ```ts
 * import { type AggregateScore, BootstrapAggregator, rouge } from "@tunekit/metrics";
 * const aggregator = new BootstrapAggregator();
 * aggregator.addScores(rouge("a b", "a b c"));
 * const interval: AggregateScore = aggregator.aggregate().rouge1;
 * interval.low.recall; // 0.6666666666666666 (one example: low = mid = high)
 * ```
 */
export interface AggregateScore {
  /** The lower percentile, (1 − confidence) / 2, of the resampled means. */
  low: RougeScore;
  /** The median of the resampled means. */
  mid: RougeScore;
  /** The upper percentile, (1 + confidence) / 2, of the resampled means. */
  high: RougeScore;
}

/** Percentile `q` (0–100) of sorted values, linear between closest ranks (numpy's default). */
function percentile(sorted: Float64Array, q: number): number {
  const position = ((sorted.length - 1) * q) / 100;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

/**
 * Confidence intervals for corpus scores by bootstrap resampling, as rouge-score's
 * `scoring.BootstrapAggregator`, but with a seeded PRNG so that the intervals are
 * reproducible (rouge-score draws from numpy's global, unseeded generator).
 *
 * The procedure, fixed so that results do not change between versions:
 * 1. a generator is created with `createRng(seed)` at each call to `aggregate()`;
 * 2. for each score type, in the order types were first added, `nSamples` times: draw N
 *    example indices uniformly with replacement (`rng.int(N)`, N = number of examples),
 *    and take the mean precision, recall and F-measure of the drawn examples (summed left
 *    to right, divided by N);
 * 3. for each measure, the percentiles (1 − c)/2, 1/2 and (1 + c)/2 of those `nSamples`
 *    means, linear between closest ranks (numpy's default `percentile`), are low, mid and
 *    high.
 *
 * This is rouge-score's procedure (each type resampled separately); only the random
 * numbers differ, so low/mid/high agree with rouge-score's to within resampling noise,
 * not to the digit.
 *
 * @example
 * ```ts
 * import { BootstrapAggregator, rouge } from "@tunekit/metrics";
 * const aggregator = new BootstrapAggregator({ nSamples: 1000, seed: 42 });
 * aggregator.addScores(rouge("the cat sat", "the cat sat down"));
 * aggregator.addScores(rouge("a dog", "the dog barked"));
 * const intervals = aggregator.aggregate();
 * intervals.rouge1.mid.fmeasure; // 0.6285714285714286: the median of 1000 resampled means
 * ```
 */
export class BootstrapAggregator {
  private readonly confidenceInterval: number;
  private readonly nSamples: number;
  private readonly seed: number;
  private readonly scores = new Map<string, RougeScore[]>();

  /**
   * @param options - `confidenceInterval` (default 0.95), `nSamples` (default 1000),
   * `seed` (default 0).
   * @throws TunekitError `invalid_input` when the confidence is outside [0, 1], the sample
   * count is not a positive whole number or the seed is not a safe integer.
   */
  constructor(options: BootstrapOptions = {}) {
    const { confidenceInterval = 0.95, nSamples = 1000, seed = 0 } = options;
    if (!(confidenceInterval >= 0 && confidenceInterval <= 1)) {
      throw new TunekitError(
        "invalid_input",
        `confidenceInterval must be in [0, 1], got ${confidenceInterval}`,
      );
    }
    if (!Number.isSafeInteger(nSamples) || nSamples <= 0) {
      throw new TunekitError(
        "invalid_input",
        `nSamples must be a positive whole number, got ${nSamples}`,
      );
    }
    if (!Number.isSafeInteger(seed)) {
      throw new TunekitError("invalid_input", `seed must be a safe integer, got ${seed}`);
    }
    this.confidenceInterval = confidenceInterval;
    this.nSamples = nSamples;
    this.seed = seed;
  }

  /**
   * Adds the scores of one example.
   *
   * @param scores - scores keyed by type, e.g. one result of `rouge()`.
   * @returns nothing.
   * @example
   * ```ts
   * import { BootstrapAggregator, rouge } from "@tunekit/metrics";
   * const aggregator = new BootstrapAggregator();
   * aggregator.addScores(rouge("a b c", "a b d"));
   * ```
   */
  addScores(scores: Readonly<Record<string, RougeScore>>): void {
    for (const [type, score] of Object.entries(scores)) {
      let list = this.scores.get(type);
      if (list === undefined) {
        list = [];
        this.scores.set(type, list);
      }
      list.push(score);
    }
  }

  /**
   * Resamples the examples added so far and returns low/mid/high for every type, by the
   * procedure described on the class. Calling it twice gives the same result.
   *
   * @returns one {@link AggregateScore} per type, in the order types were first added; an
   * empty object when nothing was added.
   * @example
   * ```ts
   * import { BootstrapAggregator, rougeCorpus } from "@tunekit/metrics";
   * const { perExample } = rougeCorpus(["a b", "a c", "b c"], ["a b", "a b", "a b"]);
   * const aggregator = new BootstrapAggregator({ seed: 7 });
   * for (const scores of perExample) aggregator.addScores(scores);
   * const { low, high } = aggregator.aggregate().rouge1;
   * ```
   */
  aggregate(): Record<string, AggregateScore> {
    const rng = createRng(this.seed);
    const delta = (1 - this.confidenceInterval) / 2;
    const quantiles = [100 * delta, 50, 100 * (1 - delta)];
    const result: Record<string, AggregateScore> = {};
    for (const [type, scores] of this.scores) {
      const n = scores.length;
      const precision = new Float64Array(n);
      const recall = new Float64Array(n);
      const fmeasure = new Float64Array(n);
      scores.forEach((score, i) => {
        precision[i] = score.precision;
        recall[i] = score.recall;
        fmeasure[i] = score.fmeasure;
      });
      const means = [
        new Float64Array(this.nSamples),
        new Float64Array(this.nSamples),
        new Float64Array(this.nSamples),
      ];
      for (let s = 0; s < this.nSamples; s++) {
        let p = 0;
        let r = 0;
        let f = 0;
        for (let k = 0; k < n; k++) {
          const i = rng.int(n);
          p += precision[i];
          r += recall[i];
          f += fmeasure[i];
        }
        means[0][s] = p / n;
        means[1][s] = r / n;
        means[2][s] = f / n;
      }
      for (const m of means) m.sort();
      const [low, mid, high] = quantiles.map((q) => ({
        precision: percentile(means[0], q),
        recall: percentile(means[1], q),
        fmeasure: percentile(means[2], q),
      }));
      result[type] = { low, mid, high };
    }
    return result;
  }
}
