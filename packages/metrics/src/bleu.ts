import { TunekitError } from "../../../internal/shared/src/index";
import { ensureLength, NgramTrie } from "./ngram-trie";
import { pythonRstrip } from "./python-string";
import {
  combineReferenceCounts,
  formatFixed,
  formatSignature,
  type ReferenceCount,
  referenceCount,
} from "./sacrebleu-signature";
import { TokenVocabulary } from "./token-vocabulary";
import {
  type BleuTokenizerName,
  bleuTokenizer,
  bleuTokenSpans,
} from "./tokenizers/bleu-tokenizers";
import { checkCorpus, checkReferences, checkText } from "./validate";

/**
 * BLEU (Papineni et al., 2002) as sacrebleu 2.6.0 computes it (`sacrebleu/metrics/bleu.py`):
 * clipped n-gram counts against the per-n-gram maximum over an example's references, the
 * brevity penalty against the closest reference length (ties to the shorter), and the
 * smoothing methods of Chen & Cherry (2014).
 */

/**
 * How BLEU handles n-gram orders with no matches (Chen & Cherry, WMT 2014):
 * - `"exp"` (default): the k-th order with no match gets precision 1 / (2^k · total)
 *   (NIST's mteval-v13a smoothing, method 3);
 * - `"floor"`: an order with no match gets precision `smoothValue` / total (method 1,
 *   default 0.1);
 * - `"add-k"`: adds `smoothValue` to the matches and totals of orders 2 and up (method 2,
 *   default 1);
 * - `"none"`: no smoothing, so one order with no match makes the score 0.
 *
 * @example
 * ```ts
 * import { type BleuSmoothMethod, corpusBleu } from "@tunekit/metrics";
 * const method: BleuSmoothMethod = "floor";
 * corpusBleu(["a b c"], ["a b d"], { smoothMethod: method, smoothValue: 0.1 });
 * ```
 */
export type BleuSmoothMethod = "exp" | "floor" | "add-k" | "none";

/**
 * Every {@link BleuSmoothMethod}, default first.
 *
 * @example
 * ```ts
 * import { BLEU_SMOOTH_METHODS } from "@tunekit/metrics";
 * BLEU_SMOOTH_METHODS;  // ["exp", "floor", "add-k", "none"]
 * ```
 */
export const BLEU_SMOOTH_METHODS: readonly BleuSmoothMethod[] = ["exp", "floor", "add-k", "none"];

const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | undefined> = {
  exp: undefined,
  floor: 0.1,
  "add-k": 1,
  none: undefined,
};

/**
 * Options of the BLEU functions. The defaults are sacrebleu 2.6.0's.
 *
 * @example
 * ```ts
 * import { type BleuOptions, corpusBleu } from "@tunekit/metrics";
 * const options: BleuOptions = { tokenize: "intl", lowercase: true, smoothMethod: "add-k" };
 * corpusBleu(["Hello, world!"], ["hello world"], options).signature;
 * // "nrefs:1|case:lc|eff:no|tok:intl|smooth:add-k[1.00]|version:…"
 * ```
 */
export interface BleuOptions {
  /** Tokenizer applied to predictions and references. Default `"13a"`. */
  tokenize?: BleuTokenizerName;
  /** Lowercase before tokenizing (`case:lc` in the signature). Default `false`. */
  lowercase?: boolean;
  /** Smoothing method. Default `"exp"`. */
  smoothMethod?: BleuSmoothMethod;
  /** Value for `"floor"` (default 0.1) and `"add-k"` (default 1); ignored by the others. */
  smoothValue?: number;
  /** Highest n-gram order. Default 4. */
  maxNgramOrder?: number;
  /**
   * Average only over the orders that have n-grams to count, so a short segment is not
   * scored 0 for lacking 4-grams. Default `false` for corpus BLEU and `true` for
   * {@link sentenceBleu}, as in sacrebleu.
   */
  effectiveOrder?: boolean;
}

/**
 * A BLEU score with the statistics it was computed from, as sacrebleu's `BLEUScore`.
 *
 * @example
 * ```ts
 * import { type BleuResult, sentenceBleu } from "@tunekit/metrics";
 * const result: BleuResult = sentenceBleu("the cat sat", "the cat sat down");
 * result.counts;  // [3, 2, 1, 0]
 * result.bp;      // exp(1 - 4/3): the prediction is shorter than the reference
 * ```
 */
export interface BleuResult {
  /** BLEU on a 0–100 scale. */
  score: number;
  /** Clipped n-gram matches per order 1…N (after add-k smoothing, as sacrebleu reports). */
  counts: number[];
  /** Prediction n-grams per order 1…N (after add-k smoothing). */
  totals: number[];
  /** Modified n-gram precisions per order, in percent, after smoothing. */
  precisions: number[];
  /** Brevity penalty: 1 when the predictions are at least as long as the references. */
  bp: number;
  /** Total prediction length in tokens. */
  sysLen: number;
  /** Total reference length in tokens (per example, the closest reference length). */
  refLen: number;
  /** `sysLen / refLen`, 0 when `refLen` is 0. */
  ratio: number;
  /** sacrebleu-style signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:…`. */
  signature: string;
}

/**
 * The sufficient statistics of BLEU over a corpus (or part of one): sums of per-example
 * lengths and n-gram counts. Statistics of disjoint parts add up with
 * {@link addBleuStatistics}, so a corpus split across workers scores the same as a whole.
 *
 * @example
 * ```ts
 * import { type BleuStatistics, bleuFromStatistics } from "@tunekit/metrics";
 * const statistics: BleuStatistics = {
 *   sysLen: 4, refLen: 5, counts: [3, 1, 0, 0], totals: [4, 3, 2, 1], nrefs: 1,
 * };
 * bleuFromStatistics(statistics, { effectiveOrder: true }).score;
 * ```
 */
export interface BleuStatistics {
  /** Total prediction length in tokens. */
  sysLen: number;
  /** Total closest-reference length in tokens. */
  refLen: number;
  /** Clipped n-gram matches per order 1…N. */
  counts: number[];
  /** Prediction n-grams per order 1…N. */
  totals: number[];
  /** References per example, or `"var"` when examples differ (shown in the signature). */
  nrefs: number | "var";
}

interface ResolvedOptions {
  tokenize: BleuTokenizerName;
  lowercase: boolean;
  smoothMethod: BleuSmoothMethod;
  smoothValue: number | undefined;
  maxNgramOrder: number;
  effectiveOrder: boolean;
}

function resolveOptions(options: BleuOptions, effectiveOrderDefault: boolean): ResolvedOptions {
  const {
    tokenize = "13a",
    lowercase = false,
    smoothMethod = "exp",
    smoothValue,
    maxNgramOrder = 4,
    effectiveOrder = effectiveOrderDefault,
  } = options;
  bleuTokenizer(tokenize);
  if (!Object.hasOwn(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new TunekitError(
      "invalid_option",
      `unknown BLEU smoothMethod ${JSON.stringify(smoothMethod)}: use one of ${BLEU_SMOOTH_METHODS.join(", ")}`,
    );
  }
  if (smoothValue !== undefined && !Number.isFinite(smoothValue)) {
    throw new TunekitError(
      "invalid_option",
      `smoothValue must be a finite number, got ${smoothValue}`,
    );
  }
  if (!Number.isInteger(maxNgramOrder) || maxNgramOrder < 1) {
    throw new TunekitError(
      "invalid_option",
      `maxNgramOrder must be a whole number ≥ 1, got ${maxNgramOrder}`,
    );
  }
  return { tokenize, lowercase, smoothMethod, smoothValue, maxNgramOrder, effectiveOrder };
}

/**
 * Counts BLEU statistics one example at a time. Tokens are interned to integer ids once
 * per text, and an example's reference n-grams go into an {@link NgramTrie} with, per
 * node, the largest count in any one reference; the prediction's n-grams then consume
 * that budget, which yields Σ min(count in prediction, max count in a reference) without
 * ever counting the prediction's n-grams.
 */
class BleuCounter {
  private readonly trie = new NgramTrie(1024);
  private budget = new Int32Array(1024);
  private current = new Int32Array(1024);
  private ids = new Int32Array(256);
  private readonly vocabulary = new TokenVocabulary();
  private readonly order: number;
  /** Per-example statistics, written by {@link count}: [sysLen, refLen, counts…, totals…]. */
  readonly stats: Float64Array;

  constructor(private readonly options: ResolvedOptions) {
    this.order = options.maxNgramOrder;
    this.stats = new Float64Array(2 + 2 * this.order);
  }

  /**
   * Tokenizes `text` and writes its token ids to `this.ids`, returning the length. New
   * tokens are added to the vocabulary when `insert`; otherwise they get −1, which matches
   * nothing (a prediction token no reference has).
   */
  private tokenIds(text: string, insert: boolean): number {
    if (this.options.lowercase) text = text.toLowerCase();
    const { text: source, spans } = bleuTokenSpans(pythonRstrip(text), this.options.tokenize);
    const { starts, ends, hashes, count } = spans;
    this.ids = ensureLength(this.ids, count);
    const { ids, vocabulary } = this;
    for (let t = 0; t < count; t++) {
      ids[t] = vocabulary.id(source, starts[t], ends[t], hashes[t], insert);
    }
    return count;
  }

  /** Computes the statistics of one example into {@link stats}. */
  count(prediction: string, references: readonly string[]): void {
    const { trie, order, stats } = this;
    // A token is at least one character, so this bounds the nodes (a hint: a longer
    // lowercased text only makes the trie grow).
    let characters = 0;
    for (const reference of references) characters += reference.length;
    trie.reset(characters * order);
    const multiple = references.length > 1;
    const referenceLengths: number[] = [];
    for (const reference of references) {
      const length = this.tokenIds(reference, true);
      referenceLengths.push(length);
      // Zero the count arrays for the nodes this reference can create.
      const bound = trie.size + length * order + 1;
      this.budget = ensureLength(this.budget, bound);
      this.budget.fill(0, trie.size + 1, bound);
      if (!multiple) {
        trie.insertAllLinked(0, this.ids, length, order, this.budget);
        continue;
      }
      // Several references: count this one apart, then keep the larger count per n-gram.
      this.current = ensureLength(this.current, bound);
      this.current.fill(0, 0, bound);
      trie.insertAllLinked(0, this.ids, length, order, this.current);
      const { budget, current } = this;
      for (let node = 1; node <= trie.size; node++) {
        if (current[node] > budget[node]) budget[node] = current[node];
      }
    }

    const length = this.tokenIds(prediction, false);
    stats.fill(0);
    stats[0] = length;
    stats[1] = closestReferenceLength(length, referenceLengths);
    trie.consumeAllLinked(0, this.ids, length, order, this.budget, stats, 2, 1);
    for (let n = 0; n < order; n++) stats[2 + order + n] = Math.max(0, length - n);
  }
}

/**
 * sacrebleu's `_get_closest_ref_len`: the reference length closest to the prediction
 * length, the shorter one on a tie.
 */
function closestReferenceLength(hypothesisLength: number, referenceLengths: number[]): number {
  let closestDiff = -1;
  let closest = -1;
  for (const length of referenceLengths) {
    const diff = Math.abs(hypothesisLength - length);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closest = length;
    } else if (diff === closestDiff && length < closest) {
      closest = length;
    }
  }
  return closest;
}

function statisticsOf(counter: BleuCounter, order: number, nrefs: ReferenceCount): BleuStatistics {
  const { stats } = counter;
  return {
    sysLen: stats[0],
    refLen: stats[1],
    counts: Array.from(stats.subarray(2, 2 + order)),
    totals: Array.from(stats.subarray(2 + order, 2 + 2 * order)),
    nrefs,
  };
}

/**
 * The BLEU statistics of every example separately, in input order: what sentence BLEU
 * scores, and what corpus BLEU sums.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - tokenizer, case and n-gram order (smoothing does not affect statistics).
 * @returns one {@link BleuStatistics} per example.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { bleuExampleStatistics, bleuFromStatistics } from "@tunekit/metrics";
 * const perExample = bleuExampleStatistics(["the cat sat", "a dog"], ["the cat sat down", "a dog"]);
 * const sentenceScores = perExample.map((s) => bleuFromStatistics(s, { effectiveOrder: true }).score);
 * ```
 */
export function bleuExampleStatistics(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: BleuOptions = {},
): BleuStatistics[] {
  const checked = checkCorpus(predictions, references);
  const resolved = resolveOptions(options, false);
  const counter = new BleuCounter(resolved);
  return checked.predictions.map((prediction, i) => {
    counter.count(prediction, checked.references[i]);
    return statisticsOf(counter, resolved.maxNgramOrder, checked.references[i].length);
  });
}

/**
 * The summed BLEU statistics of a corpus, from which {@link bleuFromStatistics} computes
 * the score. Use it to score a corpus in parts (workers, streams) and add the parts with
 * {@link addBleuStatistics}.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - tokenizer, case and n-gram order (smoothing does not affect statistics).
 * @returns the corpus statistics.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { addBleuStatistics, bleuFromStatistics, bleuStatistics } from "@tunekit/metrics";
 * const part1 = bleuStatistics(["the cat sat"], ["the cat sat down"]);
 * const part2 = bleuStatistics(["a dog"], ["a dog barked"]);
 * const bleu = bleuFromStatistics(addBleuStatistics(part1, part2)).score;
 * ```
 */
export function bleuStatistics(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: BleuOptions = {},
): BleuStatistics {
  const checked = checkCorpus(predictions, references);
  const resolved = resolveOptions(options, false);
  const order = resolved.maxNgramOrder;
  const counter = new BleuCounter(resolved);
  const sums = new Float64Array(2 + 2 * order);
  for (let i = 0; i < checked.predictions.length; i++) {
    counter.count(checked.predictions[i], checked.references[i]);
    for (let k = 0; k < sums.length; k++) sums[k] += counter.stats[k];
  }
  return {
    sysLen: sums[0],
    refLen: sums[1],
    counts: Array.from(sums.subarray(2, 2 + order)),
    totals: Array.from(sums.subarray(2 + order)),
    nrefs: referenceCount(checked.references),
  };
}

/**
 * Adds the BLEU statistics of two disjoint parts of a corpus.
 *
 * @param a - statistics of one part.
 * @param b - statistics of another part, with the same n-gram order.
 * @returns the statistics of both parts together.
 * @throws TunekitError `invalid_input` when the two have different n-gram orders.
 *
 * @example
 * ```ts
 * import { addBleuStatistics, bleuStatistics } from "@tunekit/metrics";
 * const total = addBleuStatistics(bleuStatistics(["a b"], ["a b"]), bleuStatistics(["c"], ["d"]));
 * total.sysLen;  // 3
 * ```
 */
export function addBleuStatistics(a: BleuStatistics, b: BleuStatistics): BleuStatistics {
  if (a.counts.length !== b.counts.length || a.totals.length !== b.totals.length) {
    throw new TunekitError(
      "invalid_input",
      `cannot add BLEU statistics of n-gram order ${a.counts.length} and ${b.counts.length}`,
    );
  }
  return {
    sysLen: a.sysLen + b.sysLen,
    refLen: a.refLen + b.refLen,
    counts: a.counts.map((c, i) => c + b.counts[i]),
    totals: a.totals.map((t, i) => t + b.totals[i]),
    nrefs: combineReferenceCounts(a.nrefs, b.nrefs),
  };
}

/**
 * Computes BLEU from its sufficient statistics, as sacrebleu's `BLEU.compute_bleu`:
 * precision pₙ = 100 · matchesₙ / totalₙ (smoothed as {@link BleuSmoothMethod} says),
 * brevity penalty BP = exp(1 − refLen / sysLen) when sysLen < refLen (0 when sysLen is 0),
 * and BLEU = BP · exp(mean of log pₙ). An order with precision 0 contributes a log of
 * −9,999,999,999, which makes the score 0; no match at any order gives 0 directly.
 *
 * @param statistics - corpus or example statistics (from {@link bleuStatistics} or
 *   {@link bleuExampleStatistics}).
 * @param options - smoothing and effective order (default `false`); tokenizer and case only
 *   go into the signature and should be those the statistics were counted with.
 * @returns the score with its counts, precisions, brevity penalty and signature.
 * @throws TunekitError `invalid_input` when the statistics do not have `maxNgramOrder`
 *   orders, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { bleuFromStatistics } from "@tunekit/metrics";
 * const result = bleuFromStatistics({
 *   sysLen: 4, refLen: 4, counts: [4, 3, 2, 1], totals: [4, 3, 2, 1], nrefs: 1,
 * });
 * result.score;  // 100 (100.00000000000004: exp of a mean of logs)
 * ```
 */
export function bleuFromStatistics(
  statistics: BleuStatistics,
  options: BleuOptions = {},
): BleuResult {
  const resolved = resolveOptions(options, false);
  const order = resolved.maxNgramOrder;
  if (statistics.counts.length !== order || statistics.totals.length !== order) {
    throw new TunekitError(
      "invalid_input",
      `BLEU statistics have ${statistics.counts.length} orders but maxNgramOrder is ${order}; count and score with the same maxNgramOrder`,
    );
  }
  const { sysLen, refLen } = statistics;
  const { smoothMethod, effectiveOrder } = resolved;
  const smoothValue = resolved.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const counts = statistics.counts.slice();
  const totals = statistics.totals.slice();
  const precisions = new Array<number>(order).fill(0);
  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  const signature = bleuSignature(resolved, statistics.nrefs);
  const result = (score: number): BleuResult => ({
    score,
    counts,
    totals,
    precisions,
    bp,
    sysLen,
    refLen,
    ratio: refLen ? sysLen / refLen : 0,
    signature,
  });
  if (!counts.some((c) => c !== 0)) return result(0);

  let smoothMteval = 1;
  let usedOrder = order;
  for (let n = 0; n < order; n++) {
    if (smoothMethod === "add-k" && n > 0) {
      counts[n] += smoothValue;
      totals[n] += smoothValue;
    }
    if (totals[n] === 0) break;
    if (effectiveOrder) usedOrder = n + 1;
    if (counts[n] === 0) {
      if (smoothMethod === "exp") {
        smoothMteval *= 2;
        precisions[n] = 100 / (smoothMteval * totals[n]);
      } else if (smoothMethod === "floor") {
        precisions[n] = (100 * smoothValue) / totals[n];
      }
    } else {
      precisions[n] = (100 * counts[n]) / totals[n];
    }
  }
  let logSum = 0;
  for (let n = 0; n < usedOrder; n++) {
    logSum += precisions[n] === 0 ? -9999999999 : Math.log(precisions[n]);
  }
  return result(bp * Math.exp(logSum / usedOrder));
}

/** sacrebleu's `BLEUSignature`: case, effective order, tokenizer, smoothing (with value). */
function bleuSignature(options: ResolvedOptions, nrefs: ReferenceCount): string {
  let smooth: string = options.smoothMethod;
  const smoothDefault = SMOOTH_DEFAULTS[options.smoothMethod];
  if (smoothDefault !== undefined) {
    smooth += `[${formatFixed(options.smoothValue ?? smoothDefault, 2)}]`;
  }
  return formatSignature(nrefs, [
    ["case", options.lowercase ? "lc" : "mixed"],
    ["eff", options.effectiveOrder],
    ["tok", options.tokenize],
    ["smooth", smooth],
  ]);
}

/**
 * Corpus BLEU, equal to sacrebleu 2.6.0's `corpus_bleu` / `BLEU().corpus_score`: n-gram
 * statistics summed over all examples, then one score.
 *
 * References are given per example (`references[i]` is a string or a list of strings for
 * `predictions[i]`), not as sacrebleu's transposed reference streams; examples may have
 * different numbers of references (the signature then says `nrefs:var`).
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - tokenizer (default 13a), lowercase, smoothing (default exp), max order
 *   (default 4), effective order (default off).
 * @returns the score, counts, totals, precisions, brevity penalty, lengths and signature.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { corpusBleu } from "@tunekit/metrics";
 * const result = corpusBleu(
 *   ["The cat sat on the mat.", "It is cold outside."],
 *   ["The cat sat on a mat.", ["It is cold outside.", "Outside it is cold."]],
 * );
 * console.log(result.score.toFixed(2), result.signature);
 * ```
 */
export function corpusBleu(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: BleuOptions = {},
): BleuResult {
  return bleuFromStatistics(bleuStatistics(predictions, references, options), {
    ...options,
    effectiveOrder: options.effectiveOrder ?? false,
  });
}

/**
 * Sentence BLEU of one prediction, equal to sacrebleu 2.6.0's `sentence_bleu`: effective
 * order on and exp smoothing by default, so a short sentence without 4-gram matches still
 * gets a meaningful score.
 *
 * @param prediction - the predicted text.
 * @param references - a reference text or a list of them.
 * @param options - as {@link corpusBleu}, with `effectiveOrder` defaulting to `true`.
 * @returns the score with its statistics and signature (`eff:yes`).
 * @throws TunekitError `invalid_input` or `empty_references` for bad arguments,
 * `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { sentenceBleu } from "@tunekit/metrics";
 * sentenceBleu("It is cold outside", "It is cold outside").score;  // 100.00000000000004, as sacrebleu
 * sentenceBleu("cold cold cold cold", "It is cold outside").precisions[0];  // 25
 * ```
 */
export function sentenceBleu(
  prediction: string,
  references: string | readonly string[],
  options: BleuOptions = {},
): BleuResult {
  checkText(prediction, "prediction");
  const refs = checkReferences(references, "references");
  const resolved = resolveOptions(options, true);
  const counter = new BleuCounter(resolved);
  counter.count(prediction, refs);
  return bleuFromStatistics(statisticsOf(counter, resolved.maxNgramOrder, refs.length), {
    ...options,
    effectiveOrder: resolved.effectiveOrder,
  });
}
