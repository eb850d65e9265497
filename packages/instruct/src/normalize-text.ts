/**
 * How text is normalised before it is hashed for dedup or decontamination.
 *
 * @example
 * ```ts
 * import type { TextNormalization } from "@tunekit/instruct";
 * const strict: TextNormalization = { caseFold: false, stripPunctuation: false };
 * ```
 */
export interface TextNormalization {
  /** Unicode normalisation form. Default `"NFKC"` (full-width, ligatures, ² → 2 …). */
  form?: "NFKC" | "NFC" | "none";
  /**
   * Fold case. Default `true`. Done as lower-, upper-, then lower-casing, which also
   * folds what plain lower-casing leaves apart (ß, ẞ and ss all become ss; a word-final
   * σ and ς agree), close to Unicode full case folding.
   */
  caseFold?: boolean;
  /** Turn every run of whitespace into one space and trim the ends. Default `true`. */
  collapseWhitespace?: boolean;
  /**
   * Delete punctuation and symbols (Unicode categories P and S) first, so `"Hi!"` and
   * `"Hi"` are the same text. Default `false` for exact dedup (keep the text as written);
   * word shingles and n-grams ignore punctuation regardless.
   */
  stripPunctuation?: boolean;
}

const WHITESPACE = /\s+/gu;
const PUNCTUATION = /[\p{P}\p{S}]+/gu;
// A word: a run of letters, marks and digits (apostrophes and hyphens split words).
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Normalises text for comparison: Unicode form, case fold, optional punctuation removal,
 * whitespace collapse — in that order. The defaults (NFKC, fold, collapse, keep
 * punctuation) make `"Ｈｅｌｌｏ  World"` and `"hello world"` equal.
 *
 * @param text - the text.
 * @param options - see {@link TextNormalization}.
 * @returns the normalised text.
 * @example
 * ```ts
 * import { normalizeText } from "@tunekit/instruct";
 * normalizeText("  Straße\tＡＢＣ "); // "strasse abc"
 * normalizeText("Hi, there!", { stripPunctuation: true }); // "hi there"
 * ```
 */
export function normalizeText(text: string, options: TextNormalization = {}): string {
  const {
    form = "NFKC",
    caseFold = true,
    collapseWhitespace = true,
    stripPunctuation = false,
  } = options;
  if (form !== "none") text = text.normalize(form);
  if (caseFold) text = text.toLowerCase().toUpperCase().toLowerCase();
  if (stripPunctuation) text = text.replace(PUNCTUATION, " ");
  if (collapseWhitespace) text = text.replace(WHITESPACE, " ").trim();
  return text;
}

/**
 * The words of a text after {@link normalizeText}: runs of letters, combining marks and
 * digits; everything else separates words. Text without spaces between words (Chinese,
 * Japanese, Thai) comes out as long runs — use character shingles for it.
 *
 * @param text - the text.
 * @param options - see {@link TextNormalization} (punctuation never forms words).
 * @returns the words, in order.
 * @example
 * ```ts
 * import { wordsOf } from "@tunekit/instruct";
 * wordsOf("#Person1#: I've been ill."); // ["person1", "i", "ve", "been", "ill"]
 * ```
 */
export function wordsOf(text: string, options: TextNormalization = {}): string[] {
  return normalizeText(text, { ...options, collapseWhitespace: false }).match(WORD) ?? [];
}
