import { TunekitError } from "../../../internal/shared/src/index";
import { checkCorpus } from "./validate";

/**
 * Options of {@link exactMatch}: HF evaluate's `exact_match` options, all off by default.
 *
 * @example
 * ```ts
 * import { type ExactMatchOptions, exactMatch } from "@tunekit/metrics";
 * const options: ExactMatchOptions = { ignoreCase: true, regexesToIgnore: [/^answer:\s+/i] };
 * exactMatch(["Answer: Paris"], ["paris"], options).exactMatch;  // 1
 * ```
 */
export interface ExactMatchOptions {
  /**
   * Patterns removed (every match) from predictions and references before anything else,
   * in order. A string is compiled as a JavaScript regular expression with the `g` flag; a
   * `RegExp` keeps its flags (`g` is added). Python-only syntax such as inline `(?s)` is
   * not available: use a `RegExp` with the `s` flag instead.
   */
  regexesToIgnore?: readonly (string | RegExp)[];
  /** Lowercase both sides. Default `false`. */
  ignoreCase?: boolean;
  /** Remove ASCII punctuation (Python's `string.punctuation`). Default `false`. */
  ignorePunctuation?: boolean;
  /** Remove the digits 0–9. Default `false`. */
  ignoreNumbers?: boolean;
}

/**
 * The result of {@link exactMatch}.
 *
 * @example
 * ```ts
 * import { type ExactMatchResult, exactMatch } from "@tunekit/metrics";
 * const result: ExactMatchResult = exactMatch(["a", "b"], ["a", "c"]);
 * result.matches;  // 1
 * result.total;    // 2
 * ```
 */
export interface ExactMatchResult {
  /** The share of exact matches, from 0 to 1 (HF evaluate's scale). */
  exactMatch: number;
  /** Number of examples that match. */
  matches: number;
  /** Number of examples. */
  total: number;
}

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const DIGITS = /[0-9]/g;

function compile(pattern: string | RegExp, index: number): RegExp {
  if (pattern instanceof RegExp) {
    return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  }
  if (typeof pattern !== "string") {
    throw new TunekitError(
      "invalid_option",
      `regexesToIgnore[${index}] must be a string or a RegExp, got ${typeof pattern}`,
    );
  }
  try {
    return new RegExp(pattern, "g");
  } catch (error) {
    throw new TunekitError(
      "invalid_option",
      `regexesToIgnore[${index}] ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Exact match rate, as HF evaluate's `exact_match`: after the optional normalisations (in
 * HF's order: remove `regexesToIgnore`, lowercase, remove punctuation, remove digits), the
 * share of predictions equal to their reference. An example with several references
 * matches when any of them does (HF evaluate takes one reference per example).
 *
 * @param predictions - one predicted text per example.
 * @param references - per example, a reference text or a list of them.
 * @param options - `regexesToIgnore`, `ignoreCase`, `ignorePunctuation`, `ignoreNumbers`.
 * @returns the rate (0–1) with the number of matches and examples.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 *   `empty_references` naming the first bad example; `invalid_option` for a bad pattern.
 *
 * @example
 * ```ts
 * import { exactMatch } from "@tunekit/metrics";
 * const refs = ["the cat", "theater", "YELLING", "agent007"];
 * const preds = ["cat?", "theater", "yelling", "agent"];
 * exactMatch(preds, refs).exactMatch;  // 0.25
 * exactMatch(preds, refs, {
 *   regexesToIgnore: ["the ", "yell", "YELL"], ignoreCase: true, ignorePunctuation: true,
 * }).exactMatch;                        // 0.75
 * ```
 */
export function exactMatch(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: ExactMatchOptions = {},
): ExactMatchResult {
  const checked = checkCorpus(predictions, references);
  const {
    regexesToIgnore = [],
    ignoreCase = false,
    ignorePunctuation = false,
    ignoreNumbers = false,
  } = options;
  const patterns = regexesToIgnore.map(compile);
  const normalize = (text: string): string => {
    for (const pattern of patterns) text = text.replace(pattern, "");
    if (ignoreCase) text = text.toLowerCase();
    if (ignorePunctuation) text = text.replace(PUNCTUATION, "");
    if (ignoreNumbers) text = text.replace(DIGITS, "");
    return text;
  };
  let matches = 0;
  checked.predictions.forEach((prediction, i) => {
    const normalized = normalize(prediction);
    if (checked.references[i].some((reference) => normalize(reference) === normalized)) {
      matches += 1;
    }
  });
  return {
    exactMatch: matches / checked.predictions.length,
    matches,
    total: checked.predictions.length,
  };
}
