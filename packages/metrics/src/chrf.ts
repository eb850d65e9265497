import { TunekitError } from "../../../internal/shared/src/index";
import { ensureLength, NgramTrie } from "./ngram-trie";
import { isPythonWhitespace, pythonSplit } from "./python-string";
import {
  combineReferenceCounts,
  formatSignature,
  type ReferenceCount,
  referenceCount,
} from "./sacrebleu-signature";
import { checkCorpus, checkReferences, checkText } from "./validate";

/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacrebleu 2.6.0 computes them
 * (`sacrebleu/metrics/chrf.py`): character n-gram (and, for chrF++, word n-gram) precision
 * and recall per order, averaged over the orders, combined into an F-beta score.
 */

/**
 * Options of the chrF functions. The defaults are sacrebleu 2.6.0's (chrF2).
 *
 * @example
 * ```ts
 * import { type ChrfOptions, corpusChrf } from "@tunekit/metrics";
 * const chrfPlusPlus: ChrfOptions = { wordOrder: 2 };
 * corpusChrf(["The cat sat."], ["The cat sat down."], chrfPlusPlus).name;  // "chrF2++"
 * ```
 */
export interface ChrfOptions {
  /** Highest character n-gram order. Default 6. */
  charOrder?: number;
  /** Highest word n-gram order: 0 for chrF (default), 2 for chrF++. */
  wordOrder?: number;
  /** Weight of recall against precision. Default 2. */
  beta?: number;
  /** Lowercase first (`case:lc` in the signature). Default `false`. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (`space:yes`). Default `false`. */
  whitespace?: boolean;
  /**
   * Average the per-order F scores with ε = 1e-16 for empty orders, as chrF++.py, NLTK and
   * Moses do, instead of sacrebleu's default of averaging precision and recall over the
   * orders that have n-grams on both sides (`eff:yes` in the signature). Default `false`.
   */
  epsSmoothing?: boolean;
}

/**
 * A chrF score, as sacrebleu's `CHRFScore`.
 *
 * @example
 * ```ts
 * import { type ChrfResult, sentenceChrf } from "@tunekit/metrics";
 * const result: ChrfResult = sentenceChrf("abc", "abd", { charOrder: 2 });
 * result.score;  // 58.33: precision and recall 7/12 on average
 * ```
 */
export interface ChrfResult {
  /** chrF on a 0–100 scale. */
  score: number;
  /** sacrebleu's name for the variant: `chrF2`, `chrF2++`, … */
  name: string;
  /** Character n-gram order used. */
  charOrder: number;
  /** Word n-gram order used (2 for chrF++). */
  wordOrder: number;
  /** Recall weight used. */
  beta: number;
  /** sacrebleu-style signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:…`. */
  signature: string;
}

/**
 * The sufficient statistics of chrF: for each character order 1…charOrder, then each word
 * order 1…wordOrder, the triple [prediction n-grams, reference n-grams, matches] (the
 * layout of sacrebleu's statistics). They add up over examples.
 *
 * @example
 * ```ts
 * import { type ChrfStatistics, chrfFromStatistics } from "@tunekit/metrics";
 * // Unigrams: 3 in the prediction, 3 in the reference, 2 matching; bigrams: 2, 2, 1.
 * const statistics: ChrfStatistics = { counts: [3, 3, 2, 2, 2, 1], nrefs: 1 };
 * chrfFromStatistics(statistics, { charOrder: 2 }).score;  // 58.33
 * ```
 */
export interface ChrfStatistics {
  /** Flat triples, 3 · (charOrder + wordOrder) numbers. */
  counts: number[];
  /** References per example, or `"var"` when examples differ. */
  nrefs: number | "var";
}

interface ResolvedOptions {
  charOrder: number;
  wordOrder: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

function resolveOptions(options: ChrfOptions): ResolvedOptions {
  const {
    charOrder = 6,
    wordOrder = 0,
    beta = 2,
    lowercase = false,
    whitespace = false,
    epsSmoothing = false,
  } = options;
  for (const [name, value] of [
    ["charOrder", charOrder],
    ["wordOrder", wordOrder],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new TunekitError("invalid_option", `${name} must be a whole number ≥ 0, got ${value}`);
    }
  }
  if (charOrder + wordOrder === 0) {
    throw new TunekitError("invalid_option", "charOrder and wordOrder cannot both be 0");
  }
  if (!Number.isFinite(beta) || beta < 0) {
    throw new TunekitError("invalid_option", `beta must be a number ≥ 0, got ${beta}`);
  }
  return { charOrder, wordOrder, beta, lowercase, whitespace, epsSmoothing };
}

const ASCII_NOT_SPACE = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_NOT_SPACE[c] = isPythonWhitespace(c) ? 0 : 1;

/** chrF++'s punctuation set: Python's `string.punctuation`. */
const PUNCTUATION = new Uint8Array(128);
for (const ch of "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") PUNCTUATION[ch.charCodeAt(0)] = 1;
const isPunctuation = (code: number) => code < 128 && PUNCTUATION[code] === 1;

/**
 * chrF++'s word split (sacrebleu's `_remove_punctuation`, after m-popovic/chrF): split on
 * whitespace; a word longer than one character loses one trailing punctuation character
 * as a separate word, or else one leading one. ("(hi)" becomes "(hi" and ")".)
 */
function chrfWords(text: string): string[] {
  const words: string[] = [];
  for (const word of pythonSplit(text)) {
    // Python's len() counts code points; one code point may be two UTF-16 units, but a
    // punctuation mark is ASCII, so only a one-unit word can be a lone punctuation mark.
    if (word.length === 1 || (word.length === 2 && word.codePointAt(0)! > 0xffff)) {
      words.push(word);
    } else if (isPunctuation(word.charCodeAt(word.length - 1))) {
      words.push(word.slice(0, -1), word[word.length - 1]);
    } else if (isPunctuation(word.charCodeAt(0))) {
      words.push(word[0], word.slice(1));
    } else {
      words.push(word);
    }
  }
  return words;
}

/** The side of an example's comparison: its characters and (for chrF++) its word ids. */
interface Side {
  chars: Int32Array<ArrayBuffer>;
  charLength: number;
  words: Int32Array<ArrayBuffer>;
  wordLength: number;
}

// Word n-grams hang off their own root so they never meet character n-grams in the trie.
const WORD_ROOT = -2;

/**
 * Counts chrF statistics one example at a time, on integer keys: characters as code
 * points, words as interned ids, n-grams as {@link NgramTrie} nodes. The reference's
 * n-gram counts are a budget the prediction's n-grams consume, which gives the clipped
 * matches without counting the prediction's n-grams (their number is just length − n + 1).
 */
class ChrfCounter {
  private readonly trie = new NgramTrie(2048);
  private budget = new Int32Array(2048);
  private readonly vocabulary = new Map<string, number>();
  private readonly orders: number;
  private readonly prediction: Side = emptySide();
  private readonly reference: Side = emptySide();
  private readonly candidate: Float64Array;
  /** The example's statistics (best reference), written by {@link count}. */
  readonly stats: Float64Array;

  constructor(private readonly options: ResolvedOptions) {
    this.orders = options.charOrder + options.wordOrder;
    this.stats = new Float64Array(3 * this.orders);
    this.candidate = new Float64Array(3 * this.orders);
  }

  private read(text: string, side: Side): void {
    if (this.options.lowercase) text = text.toLowerCase();
    side.chars = ensureLength(side.chars, text.length);
    const { chars } = side;
    let n = 0;
    const keepSpace = this.options.whitespace;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 128) {
        if (keepSpace || ASCII_NOT_SPACE[c] === 1) chars[n++] = c;
        continue;
      }
      if (!keepSpace && isPythonWhitespace(c)) continue;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      chars[n++] = c;
    }
    side.charLength = n;
    if (this.options.wordOrder === 0) return;
    const words = chrfWords(text);
    side.words = ensureLength(side.words, words.length);
    const { vocabulary } = this;
    for (let i = 0; i < words.length; i++) {
      let id = vocabulary.get(words[i]);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(words[i], id);
      }
      side.words[i] = id;
    }
    side.wordLength = words.length;
  }

  /** Puts the reference's n-grams into the trie, each node's count as its budget. */
  private addReference(): void {
    const { trie, reference } = this;
    const { charOrder, wordOrder } = this.options;
    const bound = 1 + reference.charLength * charOrder + reference.wordLength * wordOrder;
    trie.reset(bound);
    this.budget = ensureLength(this.budget, bound);
    this.budget.fill(0, 0, bound);
    trie.insertAllLinked(0, reference.chars, reference.charLength, charOrder, this.budget);
    trie.insertAllLinked(WORD_ROOT, reference.words, reference.wordLength, wordOrder, this.budget);
  }

  /** Statistics of the prediction against the reference in the trie, into `out`. */
  private compare(out: Float64Array): void {
    const { trie, budget, prediction, reference } = this;
    const { charOrder, wordOrder } = this.options;
    out.fill(0);
    trie.consumeAllLinked(0, prediction.chars, prediction.charLength, charOrder, budget, out, 2, 3);
    trie.consumeAllLinked(
      WORD_ROOT,
      prediction.words,
      prediction.wordLength,
      wordOrder,
      budget,
      out,
      3 * charOrder + 2,
      3,
    );
    for (let n = 0; n < this.orders; n++) {
      const words = n >= charOrder;
      const gram = (words ? n - charOrder : n) + 1;
      const hyp = Math.max(0, (words ? prediction.wordLength : prediction.charLength) - gram + 1);
      const ref = Math.max(0, (words ? reference.wordLength : reference.charLength) - gram + 1);
      // sacrebleu counts no prediction n-grams of an order the reference has none of.
      out[3 * n] = ref > 0 ? hyp : 0;
      out[3 * n + 1] = ref;
    }
  }

  /**
   * Computes one example's statistics into {@link stats}: those of the reference with the
   * best chrF, the first one on a tie (sacrebleu's `_compute_segment_statistics`).
   */
  count(prediction: string, references: readonly string[]): void {
    this.read(prediction, this.prediction);
    let best = -1;
    for (const text of references) {
      this.read(text, this.reference);
      this.addReference();
      this.compare(this.candidate);
      const f = chrfScoreOf(this.candidate, this.options);
      if (f > best) {
        best = f;
        this.stats.set(this.candidate);
      }
    }
  }
}

function emptySide(): Side {
  return {
    chars: new Int32Array(256),
    charLength: 0,
    words: new Int32Array(64),
    wordLength: 0,
  };
}

/**
 * sacrebleu's `CHRF._compute_f_score` on flat statistics, in the same order of floating
 * point operations.
 */
function chrfScoreOf(
  stats: ArrayLike<number>,
  options: Pick<ResolvedOptions, "beta" | "epsSmoothing">,
): number {
  const eps = 1e-16;
  const orders = stats.length / 3;
  const factor = options.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let averagePrecision = 0;
  let averageRecall = 0;
  for (let i = 0; i < orders; i++) {
    const hyp = stats[3 * i];
    const ref = stats[3 * i + 1];
    const match = stats[3 * i + 2];
    const precision = hyp > 0 ? match / hyp : eps;
    const recall = ref > 0 ? match / ref : eps;
    const denominator = factor * precision + recall;
    score += denominator > 0 ? ((1 + factor) * precision * recall) / denominator : eps;
    if (hyp > 0 && ref > 0) {
      averagePrecision += precision;
      averageRecall += recall;
      effectiveOrder += 1;
    }
  }
  if (options.epsSmoothing) return (100 * score) / orders;
  if (effectiveOrder === 0) {
    averagePrecision = 0;
    averageRecall = 0;
  } else {
    averagePrecision /= effectiveOrder;
    averageRecall /= effectiveOrder;
  }
  if (averagePrecision + averageRecall === 0) return 0;
  let f = (1 + factor) * averagePrecision * averageRecall;
  f /= factor * averagePrecision + averageRecall;
  return 100 * f;
}

function chrfName(options: ResolvedOptions): string {
  return `chrF${options.beta}${"+".repeat(options.wordOrder)}`;
}

function chrfSignature(options: ResolvedOptions, nrefs: ReferenceCount): string {
  return formatSignature(nrefs, [
    ["case", options.lowercase ? "lc" : "mixed"],
    ["eff", !options.epsSmoothing],
    ["nc", options.charOrder],
    ["nw", options.wordOrder],
    ["space", options.whitespace],
  ]);
}

/**
 * The chrF statistics of every example separately, in input order.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them (the statistics are
 *   those of the reference with the best chrF).
 * @param options - orders, beta, case, whitespace and smoothing (beta and smoothing choose
 *   the best reference).
 * @returns one {@link ChrfStatistics} per example.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { chrfExampleStatistics, chrfFromStatistics } from "@tunekit/metrics";
 * const perExample = chrfExampleStatistics(["the cat sat", "a dog"], ["the cat sat down", "a dog"]);
 * const sentenceScores = perExample.map((s) => chrfFromStatistics(s).score);
 * ```
 */
export function chrfExampleStatistics(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: ChrfOptions = {},
): ChrfStatistics[] {
  const checked = checkCorpus(predictions, references);
  const counter = new ChrfCounter(resolveOptions(options));
  return checked.predictions.map((prediction, i) => {
    counter.count(prediction, checked.references[i]);
    return { counts: Array.from(counter.stats), nrefs: checked.references[i].length };
  });
}

/**
 * The summed chrF statistics of a corpus; add parts with {@link addChrfStatistics} and
 * score with {@link chrfFromStatistics}.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - as {@link corpusChrf}.
 * @returns the corpus statistics.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { addChrfStatistics, chrfFromStatistics, chrfStatistics } from "@tunekit/metrics";
 * const part1 = chrfStatistics(["the cat sat"], ["the cat sat down"]);
 * const part2 = chrfStatistics(["a dog"], ["a dog barked"]);
 * const chrf = chrfFromStatistics(addChrfStatistics(part1, part2)).score;
 * ```
 */
export function chrfStatistics(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: ChrfOptions = {},
): ChrfStatistics {
  const checked = checkCorpus(predictions, references);
  const counter = new ChrfCounter(resolveOptions(options));
  const sums = new Float64Array(counter.stats.length);
  for (let i = 0; i < checked.predictions.length; i++) {
    counter.count(checked.predictions[i], checked.references[i]);
    for (let k = 0; k < sums.length; k++) sums[k] += counter.stats[k];
  }
  return { counts: Array.from(sums), nrefs: referenceCount(checked.references) };
}

/**
 * Adds the chrF statistics of two disjoint parts of a corpus.
 *
 * @param a - statistics of one part.
 * @param b - statistics of another part, counted with the same orders.
 * @returns the statistics of both parts together.
 * @throws TunekitError `invalid_input` when the two were counted with different orders.
 *
 * @example
 * ```ts
 * import { addChrfStatistics, chrfStatistics } from "@tunekit/metrics";
 * const total = addChrfStatistics(chrfStatistics(["ab"], ["ab"]), chrfStatistics(["c"], ["d"]));
 * total.counts.slice(0, 3);  // [3, 3, 2]: unigrams in prediction, reference, matches
 * ```
 */
export function addChrfStatistics(a: ChrfStatistics, b: ChrfStatistics): ChrfStatistics {
  if (a.counts.length !== b.counts.length) {
    throw new TunekitError(
      "invalid_input",
      `cannot add chrF statistics of ${a.counts.length / 3} and ${b.counts.length / 3} orders`,
    );
  }
  return {
    counts: a.counts.map((c, i) => c + b.counts[i]),
    nrefs: combineReferenceCounts(a.nrefs, b.nrefs),
  };
}

/**
 * Computes chrF from its statistics, as sacrebleu's `CHRF._compute_f_score`. By default
 * (sacrebleu's), precision P and recall R are averaged over the orders that have n-grams
 * in both prediction and reference, and chrF = 100 · (1 + β²)·P·R / (β²·P + R). With
 * `epsSmoothing` the per-order F scores are averaged instead, with ε = 1e-16 for empty
 * orders.
 *
 * @param statistics - corpus or example statistics.
 * @param options - the options the statistics were counted with (`charOrder` and
 *   `wordOrder` must match their length).
 * @returns the score, name and signature.
 * @throws TunekitError `invalid_input` when the statistics do not have charOrder +
 *   wordOrder triples, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { chrfFromStatistics } from "@tunekit/metrics";
 * const counts = Array.from({ length: 6 }, () => [5, 5, 5]).flat();
 * chrfFromStatistics({ counts, nrefs: 1 }).score;  // 100
 * ```
 */
export function chrfFromStatistics(
  statistics: ChrfStatistics,
  options: ChrfOptions = {},
): ChrfResult {
  const resolved = resolveOptions(options);
  const expected = 3 * (resolved.charOrder + resolved.wordOrder);
  if (statistics.counts.length !== expected) {
    throw new TunekitError(
      "invalid_input",
      `chrF statistics have ${statistics.counts.length} numbers but charOrder ${resolved.charOrder} and wordOrder ${resolved.wordOrder} need ${expected}; score with the options they were counted with`,
    );
  }
  return {
    score: chrfScoreOf(statistics.counts, resolved),
    name: chrfName(resolved),
    charOrder: resolved.charOrder,
    wordOrder: resolved.wordOrder,
    beta: resolved.beta,
    signature: chrfSignature(resolved, statistics.nrefs),
  };
}

/**
 * Corpus chrF (or chrF++ with `wordOrder: 2`), equal to sacrebleu 2.6.0's `corpus_chrf` /
 * `CHRF().corpus_score`: statistics summed over the corpus, then one score.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them (each example uses
 *   its reference with the best chrF).
 * @param options - char order 6, word order 0 (2 for chrF++), beta 2, case-sensitive,
 *   whitespace removed, no eps smoothing by default.
 * @returns the score, name (`chrF2`, `chrF2++`) and signature.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { corpusChrf } from "@tunekit/metrics";
 * const chrf = corpusChrf(["The cat sat on the mat."], ["The cat sat on a mat."]);
 * const chrfPlusPlus = corpusChrf(["The cat sat on the mat."], ["The cat sat on a mat."], {
 *   wordOrder: 2,
 * });
 * console.log(chrf.score, chrfPlusPlus.name);  // …, "chrF2++"
 * ```
 */
export function corpusChrf(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: ChrfOptions = {},
): ChrfResult {
  return chrfFromStatistics(chrfStatistics(predictions, references, options), options);
}

/**
 * chrF of one prediction, equal to sacrebleu 2.6.0's `sentence_chrf`.
 *
 * @param prediction - the predicted text.
 * @param references - a reference text or a list of them.
 * @param options - as {@link corpusChrf}.
 * @returns the score, name and signature.
 * @throws TunekitError `invalid_input` or `empty_references` for bad arguments,
 * `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { sentenceChrf } from "@tunekit/metrics";
 * sentenceChrf("It is cold outside", "It is cold outside").score;  // 100
 * ```
 */
export function sentenceChrf(
  prediction: string,
  references: string | readonly string[],
  options: ChrfOptions = {},
): ChrfResult {
  checkText(prediction, "prediction");
  const refs = checkReferences(references, "references");
  const resolved = resolveOptions(options);
  const counter = new ChrfCounter(resolved);
  counter.count(prediction, refs);
  return chrfFromStatistics({ counts: Array.from(counter.stats), nrefs: refs.length }, options);
}
