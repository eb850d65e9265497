import { TunekitError } from "../../../internal/shared/src/index";

/**
 * Input checks shared by the metrics. Each throws a {@link TunekitError} whose message
 * names the argument and, in a corpus, the example index, so a bad record in a large file
 * can be found.
 *
 * Codes: `invalid_input` (a value of the wrong type), `empty_references` (an example with
 * an empty list of references), `length_mismatch` (predictions and references of
 * different lengths), `empty_corpus` (no examples).
 */

/**
 * Names the type of a value for an error message ("null", "a number", "an array of length 2").
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}

/**
 * Checks that `value` is a string.
 *
 * @param value - the value to check.
 * @param where - how to name it in the error, e.g. `"predictions[3]"`.
 * @returns `value`, typed as a string.
 * @throws TunekitError `invalid_input` when it is not a string.
 * @internal
 */
export function checkText(value: unknown, where: string): string {
  if (typeof value !== "string") {
    throw new TunekitError(
      "invalid_input",
      `${where} must be a string, got ${describeValue(value)}; convert or drop that example`,
    );
  }
  return value;
}

/**
 * Checks one example's references: a string, or a non-empty array of strings.
 *
 * @param value - the references of one example.
 * @param where - how to name it in errors, e.g. `"references[3]"`.
 * @returns the references as an array (a single string becomes a one-element array).
 * @throws TunekitError `invalid_input` or `empty_references`.
 * @internal
 */
export function checkReferences(value: unknown, where: string): readonly string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) {
    throw new TunekitError(
      "invalid_input",
      `${where} must be a string or an array of strings, got ${describeValue(value)}`,
    );
  }
  if (value.length === 0) {
    throw new TunekitError(
      "empty_references",
      `${where} is an empty array; give at least one reference for every example`,
    );
  }
  for (let i = 0; i < value.length; i++) checkText(value[i], `${where}[${i}]`);
  return value as readonly string[];
}

/**
 * Checks a corpus: two arrays of equal, non-zero length, string predictions, and
 * references that are strings or non-empty arrays of strings.
 *
 * @param predictions - one prediction per example.
 * @param references - one reference (or list of references) per example.
 * @returns the references of every example as arrays.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 * `empty_references`, naming the first bad index.
 * @internal
 */
export function checkCorpus(
  predictions: unknown,
  references: unknown,
): { predictions: readonly string[]; references: (readonly string[])[] } {
  if (!Array.isArray(predictions)) {
    throw new TunekitError(
      "invalid_input",
      `predictions must be an array of strings, got ${describeValue(predictions)}`,
    );
  }
  if (!Array.isArray(references)) {
    throw new TunekitError(
      "invalid_input",
      `references must be an array (a string or an array of strings per example), got ${describeValue(references)}`,
    );
  }
  if (predictions.length !== references.length) {
    throw new TunekitError(
      "length_mismatch",
      `there are ${predictions.length} predictions but ${references.length} references; give exactly one reference entry (a string or an array of strings) per prediction`,
    );
  }
  if (predictions.length === 0) {
    throw new TunekitError("empty_corpus", "the corpus is empty; give at least one example");
  }
  const checked: (readonly string[])[] = new Array(references.length);
  for (let i = 0; i < predictions.length; i++) {
    checkText(predictions[i], `predictions[${i}]`);
    checked[i] = checkReferences(references[i], `references[${i}]`);
  }
  return { predictions: predictions as readonly string[], references: checked };
}
