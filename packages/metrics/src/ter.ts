import { TunekitError } from "../../../internal/shared/src/index";
import { pythonRstrip, pythonSplit } from "./python-string";
import { combineReferenceCounts, formatSignature } from "./sacrebleu-signature";
import { translationEditRate } from "./ter-edit-distance";
import { type TercomTokenizeOptions, tokenizeTercom } from "./tokenizers/tercom";
import { checkCorpus, checkReferences, checkText } from "./validate";

/**
 * TER (Snover et al., 2006) as sacrebleu 2.6.0 computes it (`sacrebleu/metrics/ter.py`):
 * edits (insertions, deletions, substitutions and block shifts of words) needed to turn
 * the prediction into the closest reference, divided by the average reference length.
 */

/**
 * Options of the TER functions; sacrebleu 2.6.0's defaults (case-insensitive).
 *
 * @example
 * ```ts
 * import { corpusTer, type TerOptions } from "@tunekit/metrics";
 * const options: TerOptions = { caseSensitive: true, noPunct: true };
 * corpusTer(["The cat, sat."], ["the cat sat"], options).numEdits;  // 1: "The" ≠ "the"
 * ```
 */
export interface TerOptions extends TercomTokenizeOptions {}

/**
 * A TER score, as sacrebleu's `TERScore`.
 *
 * @example
 * ```ts
 * import { sentenceTer, type TerResult } from "@tunekit/metrics";
 * const result: TerResult = sentenceTer("the big dog sat", "the dog sat down");
 * result.numEdits;  // 2: delete "big", insert "down"
 * result.score;     // 50
 * ```
 */
export interface TerResult {
  /** TER on a 0–100+ scale (100 · edits / reference words; lower is better, may exceed 100). */
  score: number;
  /** Total edits over the corpus (per example, against its best reference). */
  numEdits: number;
  /** Total reference length (per example, the average length of its references). */
  refLength: number;
  /** sacrebleu-style signature, e.g. `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:…`. */
  signature: string;
}

function checkOptions(options: TerOptions): void {
  for (const name of ["normalized", "noPunct", "asianSupport", "caseSensitive"] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") {
      throw new TunekitError(
        "invalid_option",
        `${name} must be true or false, got ${String(value)}`,
      );
    }
  }
}

/** Word ids of one segment, interned in a per-call vocabulary. */
function wordIds(text: string, options: TerOptions, vocabulary: Map<string, number>): Int32Array {
  const words = pythonSplit(tokenizeTercom(pythonRstrip(text), options));
  const ids = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    let id = vocabulary.get(words[i]);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(words[i], id);
    }
    ids[i] = id;
  }
  return ids;
}

/** One example's [best edits, average reference length] (sacrebleu's segment statistics). */
function exampleStatistics(
  prediction: string,
  references: readonly string[],
  options: TerOptions,
  vocabulary: Map<string, number>,
): [number, number] {
  const hypothesis = wordIds(prediction, options, vocabulary);
  let referenceLengths = 0;
  let bestEdits = Number.POSITIVE_INFINITY;
  for (const reference of references) {
    const { edits, referenceLength } = translationEditRate(
      hypothesis,
      wordIds(reference, options, vocabulary),
    );
    referenceLengths += referenceLength;
    if (edits < bestEdits) bestEdits = edits;
  }
  return [bestEdits, referenceLengths / references.length];
}

/**
 * The sufficient statistics of TER: edits and reference length, summed over examples
 * (per example: the fewest edits over its references and their average length).
 *
 * @example
 * ```ts
 * import { type TerStatistics, terFromStatistics } from "@tunekit/metrics";
 * const statistics: TerStatistics = { numEdits: 3, refLength: 12, nrefs: 1 };
 * terFromStatistics(statistics).score;  // 25
 * ```
 */
export interface TerStatistics {
  /** Total edits. */
  numEdits: number;
  /** Total (per-example average) reference length. */
  refLength: number;
  /** References per example, or `"var"` when examples differ. */
  nrefs: number | "var";
}

/**
 * The TER statistics of every example separately, in input order.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - Tercom tokenizer options, as {@link corpusTer}.
 * @returns one {@link TerStatistics} per example.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { terExampleStatistics, terFromStatistics } from "@tunekit/metrics";
 * const perExample = terExampleStatistics(["a b c", "x"], ["a c b", "x y"]);
 * perExample.map((s) => terFromStatistics(s).score);  // [33.33…, 50]
 * ```
 */
export function terExampleStatistics(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: TerOptions = {},
): TerStatistics[] {
  const checked = checkCorpus(predictions, references);
  checkOptions(options);
  const vocabulary = new Map<string, number>();
  return checked.predictions.map((prediction, i) => {
    const refs = checked.references[i];
    const [numEdits, refLength] = exampleStatistics(prediction, refs, options, vocabulary);
    return { numEdits, refLength, nrefs: refs.length };
  });
}

/**
 * Adds the TER statistics of two disjoint parts of a corpus. Reference lengths are sums of
 * averages, so with several references per example the total may differ from a one-pass
 * sum in the last bits.
 *
 * @param a - statistics of one part.
 * @param b - statistics of another part.
 * @returns the statistics of both parts together.
 *
 * @example
 * ```ts
 * import { addTerStatistics } from "@tunekit/metrics";
 * addTerStatistics({ numEdits: 1, refLength: 4, nrefs: 1 }, { numEdits: 2, refLength: 6, nrefs: 1 });
 * // { numEdits: 3, refLength: 10, nrefs: 1 }
 * ```
 */
export function addTerStatistics(a: TerStatistics, b: TerStatistics): TerStatistics {
  return {
    numEdits: a.numEdits + b.numEdits,
    refLength: a.refLength + b.refLength,
    nrefs: combineReferenceCounts(a.nrefs, b.nrefs),
  };
}

/**
 * Computes TER from its statistics, as sacrebleu's `TER._compute_score_from_stats`:
 * 100 · edits / reference length; with no reference words, 100 when there are edits and
 * 0 when there are none.
 *
 * @param statistics - corpus or example statistics.
 * @param options - the Tercom options the statistics were counted with (for the signature).
 * @returns the score, edits, reference length and signature.
 * @throws TunekitError `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { terFromStatistics } from "@tunekit/metrics";
 * terFromStatistics({ numEdits: 1, refLength: 4, nrefs: 1 }).score;  // 25
 * ```
 */
export function terFromStatistics(statistics: TerStatistics, options: TerOptions = {}): TerResult {
  checkOptions(options);
  const { numEdits, refLength } = statistics;
  let score = 0;
  if (refLength > 0) score = numEdits / refLength;
  else if (numEdits > 0) score = 1;
  return {
    score: 100 * score,
    numEdits,
    refLength,
    signature: formatSignature(statistics.nrefs, [
      ["case", options.caseSensitive ? "mixed" : "lc"],
      ["tok", "tercom"],
      ["norm", options.normalized ?? false],
      ["punct", !(options.noPunct ?? false)],
      ["asian", options.asianSupport ?? false],
    ]),
  };
}

/**
 * Corpus TER, equal to sacrebleu 2.6.0's `corpus_ter` / `TER().corpus_score`: the edits of
 * every example (against its reference needing the fewest) summed, divided by the summed
 * average reference lengths. Lowercases by default, like sacrebleu.
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - Tercom tokenizer options (see {@link TercomTokenizeOptions}); all `false`
 *   by default.
 * @returns the score (lower is better), total edits, total reference length and signature.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references` naming the first bad example, `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { corpusTer } from "@tunekit/metrics";
 * const ter = corpusTer(["the cat sat on the mat"], ["the cat is on the mat"]);
 * ter.score;     // 16.67: one substitution in six reference words
 * ter.numEdits;  // 1
 * ```
 */
export function corpusTer(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: TerOptions = {},
): TerResult {
  const perExample = terExampleStatistics(predictions, references, options);
  return terFromStatistics(perExample.reduce(addTerStatistics), options);
}

/**
 * TER of one prediction, equal to sacrebleu 2.6.0's `sentence_ter`.
 *
 * @param prediction - the predicted text.
 * @param references - a reference text or a list of them.
 * @param options - as {@link corpusTer}.
 * @returns the score, edits, reference length and signature.
 * @throws TunekitError `invalid_input` or `empty_references` for bad arguments,
 * `invalid_option` for a bad option.
 *
 * @example
 * ```ts
 * import { sentenceTer } from "@tunekit/metrics";
 * sentenceTer("outside it is cold", "it is cold outside").numEdits;  // 1: one shift
 * ```
 */
export function sentenceTer(
  prediction: string,
  references: string | readonly string[],
  options: TerOptions = {},
): TerResult {
  checkText(prediction, "prediction");
  const refs = checkReferences(references, "references");
  checkOptions(options);
  const [numEdits, refLength] = exampleStatistics(prediction, refs, options, new Map());
  return terFromStatistics({ numEdits, refLength, nrefs: refs.length }, options);
}
