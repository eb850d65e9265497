import { TunekitError } from "../../../internal/shared/src/index";
import { pythonRstrip, pythonSplit } from "./python-string";
import { formatSignature, type ReferenceCount, referenceCount } from "./sacrebleu-signature";
import { translationEditRate } from "./ter-edit-distance";
import { type TercomTokenizeOptions, tokenizeTercom } from "./tokenizers/tercom";
import { checkCorpus, checkReferences, checkText } from "./validate";

/**
 * TER (Snover et al., 2006) as sacrebleu 2.6.0 computes it (`sacrebleu/metrics/ter.py`):
 * edits (insertions, deletions, substitutions and block shifts of words) needed to turn
 * the prediction into the closest reference, divided by the average reference length.
 */

/** Options of the TER functions; sacrebleu 2.6.0's defaults (case-insensitive). */
export interface TerOptions extends TercomTokenizeOptions {}

/** A TER score, as sacrebleu's `TERScore`. */
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

function terResult(
  edits: number,
  refLength: number,
  options: TerOptions,
  nrefs: ReferenceCount,
): TerResult {
  // Empty references: 100 when there is anything to delete, else 0 (sacrebleu).
  let score = 0;
  if (refLength > 0) score = edits / refLength;
  else if (edits > 0) score = 1;
  return {
    score: 100 * score,
    numEdits: edits,
    refLength,
    signature: formatSignature(nrefs, [
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
  const checked = checkCorpus(predictions, references);
  checkOptions(options);
  const vocabulary = new Map<string, number>();
  let edits = 0;
  let refLength = 0;
  for (let i = 0; i < checked.predictions.length; i++) {
    const [e, r] = exampleStatistics(
      checked.predictions[i],
      checked.references[i],
      options,
      vocabulary,
    );
    edits += e;
    refLength += r;
  }
  return terResult(edits, refLength, options, referenceCount(checked.references));
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
  const [edits, refLength] = exampleStatistics(prediction, refs, options, new Map());
  return terResult(edits, refLength, options, refs.length);
}
