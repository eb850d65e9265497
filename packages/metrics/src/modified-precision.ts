import { TunekitError } from "../../../internal/shared/src/index";
import type { WordTokenizer } from "./rouge";
import { rougeTokenize } from "./tokenizers/rouge";
import { checkReferences, checkText } from "./validate";

/**
 * Options of {@link modifiedPrecision}.
 *
 * @example
 * ```ts
 * import { type ModifiedPrecisionOptions, modifiedPrecision } from "@tunekit/metrics";
 * const bigrams: ModifiedPrecisionOptions = { order: 2 };
 * modifiedPrecision("the the cat", "the cat", bigrams).modifiedPrecision; // 0.5
 * ```
 */
export interface ModifiedPrecisionOptions {
  /** The n-gram order: 1 for words, 2 for word pairs, … Default 1. */
  order?: number;
  /** How to split texts into words. Default: rouge-score's tokenizer ({@link rougeTokenize}). */
  tokenizer?: WordTokenizer;
}

/**
 * Plain and clipped n-gram precision of one prediction, side by side.
 *
 * @example
 * ```ts
 * import { type ModifiedPrecision, modifiedPrecision } from "@tunekit/metrics";
 * const p: ModifiedPrecision = modifiedPrecision("cold cold cold cold", "It is cold outside");
 * [p.matches, p.clippedMatches, p.total]; // [4, 1, 4]
 * ```
 */
export interface ModifiedPrecision {
  /** The n-gram order used. */
  order: number;
  /** Number of n-grams in the prediction. */
  total: number;
  /** Prediction n-grams found anywhere in a reference, every copy counted. */
  matches: number;
  /** Matches once each n-gram's count is clipped to its largest count in one reference. */
  clippedMatches: number;
  /** `matches / total`: plain precision, which rewards repeating a right word. */
  precision: number;
  /** `clippedMatches / total`: modified precision (Papineni et al. 2002, §2.1). */
  modifiedPrecision: number;
}

function ngrams(tokens: readonly string[], order: number): string[] {
  const out: string[] = [];
  // Tokens never contain "\u0000" in practice; it only separates the words of an n-gram key.
  for (let i = 0; i + order <= tokens.length; i++)
    out.push(tokens.slice(i, i + order).join("\u0000"));
  return out;
}

/**
 * Plain precision next to modified ("clipped") precision, the first idea of BLEU
 * (Papineni et al. 2002, §2.1) and the idea behind ROUGE-N's clipped overlap.
 *
 * Plain precision counts a prediction n-gram as right whenever it appears in a reference,
 * so "cold cold cold cold" against "It is cold outside" scores 4/4 = 1.0. Modified
 * precision lets each n-gram count at most as often as it occurs in a single reference
 * (the maximum over references), so the same prediction scores 1/4 = 0.25.
 *
 * Clipping does not see word order: "outside cold it is" still has modified unigram
 * precision 1.0. Only longer n-grams notice: its bigram precision is 1/3 (of "outside
 * cold", "cold it" and "it is", only "it is" is in the reference) and its trigram precision
 * is 0.
 *
 * With no n-grams in the prediction both precisions are 0.
 *
 * @param prediction - the generated text.
 * @param references - one reference or several.
 * @param options - `order` (default 1), `tokenizer` (default rouge-score's).
 * @returns counts and both precisions.
 * @throws TunekitError `invalid_input` for a non-string text or an order that is not a
 * positive whole number, `empty_references` for an empty list.
 * @example
 * ```ts
 * import { modifiedPrecision } from "@tunekit/metrics";
 * const p = modifiedPrecision("cold cold cold cold", "It is cold outside");
 * p.precision;         // 1
 * p.modifiedPrecision; // 0.25
 * modifiedPrecision("outside cold it is", "It is cold outside", { order: 2 }).modifiedPrecision; // 1/3
 * ```
 */
export function modifiedPrecision(
  prediction: string,
  references: string | readonly string[],
  options: ModifiedPrecisionOptions = {},
): ModifiedPrecision {
  const { order = 1, tokenizer = (text: string) => rougeTokenize(text) } = options;
  checkText(prediction, "prediction");
  const refs = checkReferences(references, "references");
  if (!Number.isSafeInteger(order) || order < 1) {
    throw new TunekitError("invalid_input", `order must be a positive whole number, got ${order}`);
  }
  const predicted = ngrams(tokenizer(prediction), order);
  // For each n-gram, its largest count in any one reference.
  const maxReferenceCount = new Map<string, number>();
  for (const reference of refs) {
    const counts = new Map<string, number>();
    for (const gram of ngrams(tokenizer(reference), order)) {
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    for (const [gram, count] of counts) {
      maxReferenceCount.set(gram, Math.max(maxReferenceCount.get(gram) ?? 0, count));
    }
  }
  const predictedCounts = new Map<string, number>();
  for (const gram of predicted) predictedCounts.set(gram, (predictedCounts.get(gram) ?? 0) + 1);
  let matches = 0;
  let clippedMatches = 0;
  for (const [gram, count] of predictedCounts) {
    const allowed = maxReferenceCount.get(gram) ?? 0;
    if (allowed > 0) matches += count;
    clippedMatches += Math.min(count, allowed);
  }
  const total = predicted.length;
  return {
    order,
    total,
    matches,
    clippedMatches,
    precision: total === 0 ? 0 : matches / total,
    modifiedPrecision: total === 0 ? 0 : clippedMatches / total,
  };
}
