import { TunekitError } from "../../../internal/shared/src/index";
import { pythonSplit } from "./python-string";
import { checkCorpus, checkText, describeValue } from "./validate";

/**
 * SQuAD exact match and F1 as the official evaluation scripts compute them (v1.1
 * `evaluate-v1.1.py` and v2.0 `evaluate-v2.0.py`, which HF evaluate's `squad` and
 * `squad_v2` wrap): answers are normalised, then compared whole (EM) and as bags of tokens
 * (F1), taking the best over an example's gold answers.
 */

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's \b on str patterns: a boundary between a word character (any letter or number,
// or "_") and anything else.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * Normalises an answer as the SQuAD scripts' `normalize_answer`: lowercase, remove ASCII
 * punctuation, replace the articles "a", "an" and "the" (as whole words) with a space, and
 * collapse whitespace.
 *
 * @param text - an answer.
 * @returns the normalised answer.
 *
 * @example
 * ```ts
 * import { normalizeSquadAnswer } from "@tunekit/metrics";
 * normalizeSquadAnswer("The  Eiffel-Tower!");  // "eiffeltower"
 * normalizeSquadAnswer("an apple a day");      // "apple day"
 * ```
 */
export function normalizeSquadAnswer(text: string): string {
  const lowered = text.toLowerCase().replace(PUNCTUATION, "").replace(ARTICLES, " ");
  return pythonSplit(lowered).join(" ");
}

/** Σ min(count in a, count in b) over tokens: the size of the bags' intersection. */
function commonTokens(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const token of b) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of a) {
    const left = counts.get(token);
    if (left) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  return common;
}

function tokenF1(prediction: readonly string[], gold: readonly string[]): number {
  const same = commonTokens(prediction, gold);
  if (same === 0) return 0;
  const precision = same / prediction.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Exact match and F1 of one SQuAD example.
 *
 * @example
 * ```ts
 * import { type SquadExampleScore, squad } from "@tunekit/metrics";
 * const [first]: SquadExampleScore[] = squad(["big cat"], ["a cat"]).perExample;
 * first.exactMatch;  // 0
 * first.f1;          // 0.6667: one common token, P = 1/2, R = 1
 * ```
 */
export interface SquadExampleScore {
  /** 1 when the normalised prediction equals a normalised gold answer, else 0. */
  exactMatch: number;
  /** The best token F1 over the gold answers, from 0 to 1. */
  f1: number;
}

/**
 * The result of {@link squad}: percentages, as the official script reports them.
 *
 * @example
 * ```ts
 * import { type SquadResult, squad } from "@tunekit/metrics";
 * const result: SquadResult = squad(["1976", "big cat"], ["1976", "a cat"]);
 * result.exactMatch;  // 50
 * result.f1;          // 83.33
 * ```
 */
export interface SquadResult {
  /** Exact match, 0–100 (the script's `exact_match`). */
  exactMatch: number;
  /** Token F1, 0–100 (the script's `f1`). */
  f1: number;
  /** Number of examples. */
  total: number;
  /** Each example's scores, in input order. */
  perExample: SquadExampleScore[];
}

/**
 * SQuAD v1.1 exact match and F1, equal to the official `evaluate-v1.1.py` (and HF
 * evaluate's `squad`): per example the best over its gold answers, then the mean, in
 * percent. F1 compares the normalised answers as bags of whitespace tokens
 * (F1 = 2PR/(P + R)); no common token gives 0.
 *
 * @param predictions - one predicted answer per question.
 * @param references - per question, its gold answer or answers.
 * @returns exact match and F1 in percent, the count, and per-example scores.
 * @throws TunekitError `invalid_input`, `length_mismatch`, `empty_corpus` or
 *   `empty_references` naming the first bad example.
 *
 * @example
 * ```ts
 * import { squad } from "@tunekit/metrics";
 * const result = squad(["1976", "the Eiffel tower"], [["1976"], ["Eiffel Tower", "the tower"]]);
 * result.exactMatch;  // 100
 * result.f1;          // 100
 * ```
 */
export function squad(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
): SquadResult {
  const checked = checkCorpus(predictions, references);
  const perExample = checked.predictions.map((prediction, i): SquadExampleScore => {
    const normalized = normalizeSquadAnswer(prediction);
    const tokens = pythonSplit(normalized);
    let exactMatch = 0;
    let f1 = 0;
    for (const gold of checked.references[i]) {
      const goldNormalized = normalizeSquadAnswer(gold);
      if (goldNormalized === normalized) exactMatch = 1;
      f1 = Math.max(f1, tokenF1(tokens, pythonSplit(goldNormalized)));
    }
    return { exactMatch, f1 };
  });
  return { ...percentages(perExample), perExample };
}

/**
 * Options of {@link squadV2}.
 *
 * @example
 * ```ts
 * import { type SquadV2Options, squadV2 } from "@tunekit/metrics";
 * const options: SquadV2Options = { noAnswerProbabilities: [0.1, 0.9], noAnswerThreshold: 0.5 };
 * // The second prediction counts as "no answer" (0.9 > 0.5), which is right: 100.
 * squadV2(["1976", "Paris"], [["1976"], []], options).exactMatch;
 * ```
 */
export interface SquadV2Options {
  /**
   * The model's probability that each question has no answer. With it, a prediction
   * whose probability exceeds `noAnswerThreshold` counts as "no answer", and the result
   * includes the best thresholds. Default: 0 for every question.
   */
  noAnswerProbabilities?: readonly number[];
  /** Probability above which the prediction counts as "no answer". Default 1. */
  noAnswerThreshold?: number;
}

/**
 * Exact match, F1 and count of a group of SQuAD v2 questions.
 *
 * @example
 * ```ts
 * import { type SquadScores, squadV2 } from "@tunekit/metrics";
 * const answered: SquadScores | undefined = squadV2(["1976", ""], [["1976"], []]).hasAnswer;
 * answered?.total;  // 1
 * ```
 */
export interface SquadScores {
  /** Exact match, 0–100. */
  exactMatch: number;
  /** F1, 0–100. */
  f1: number;
  /** Number of questions. */
  total: number;
}

/**
 * The result of {@link squadV2}, in the official script's percentages.
 *
 * @example
 * ```ts
 * import { type SquadV2Result, squadV2 } from "@tunekit/metrics";
 * const result: SquadV2Result = squadV2(["1976", ""], [["1976"], []]);
 * result.exactMatch;          // 100
 * result.noAnswer?.total;     // 1
 * ```
 */
export interface SquadV2Result extends SquadScores {
  /** The questions with gold answers (`HasAns_*`), when there are any. */
  hasAnswer?: SquadScores;
  /** The questions without (`NoAns_*`), when there are any. */
  noAnswer?: SquadScores;
  /** With `noAnswerProbabilities`: the best exact match over thresholds (`best_exact`). */
  bestExactMatch?: number;
  /** Its threshold (`best_exact_thresh`). */
  bestExactMatchThreshold?: number;
  /** With `noAnswerProbabilities`: the best F1 over thresholds (`best_f1`). */
  bestF1?: number;
  /** Its threshold (`best_f1_thresh`). */
  bestF1Threshold?: number;
  /** Each question's raw scores (before the no-answer threshold), in input order. */
  perExample: SquadExampleScore[];
}

/**
 * SQuAD v2.0 exact match and F1, equal to the official `evaluate-v2.0.py` (and HF
 * evaluate's `squad_v2`). A question whose reference list is empty (or whose answers all
 * normalise to nothing) is unanswerable: only an empty prediction is right, for both EM
 * and F1. Answered questions score as in v1.1. With no-answer probabilities, predictions
 * above the threshold count as abstentions, and the best thresholds are searched as the
 * script does.
 *
 * @param predictions - one predicted answer per question (`""` to abstain).
 * @param references - per question, its gold answers (`[]` when unanswerable).
 * @param options - `noAnswerProbabilities` (default all 0) and `noAnswerThreshold`
 *   (default 1).
 * @returns overall, answerable and unanswerable EM/F1 in percent, and best thresholds
 *   when probabilities are given.
 * @throws TunekitError `invalid_input` naming the bad example or probability,
 *   `length_mismatch`, `empty_corpus`.
 *
 * @example
 * ```ts
 * import { squadV2 } from "@tunekit/metrics";
 * const result = squadV2(["1976", "", "Paris"], [["1976"], [], []]);
 * result.exactMatch;           // 66.67: the abstention is right, "Paris" is not
 * result.hasAnswer?.total;     // 1
 * result.noAnswer?.exactMatch; // 50
 * ```
 */
export function squadV2(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
  options: SquadV2Options = {},
): SquadV2Result {
  const { noAnswerProbabilities, noAnswerThreshold = 1 } = options;
  const golds = checkV2Input(predictions, references);
  const n = predictions.length;
  if (noAnswerProbabilities !== undefined && noAnswerProbabilities.length !== n) {
    throw new TunekitError(
      "length_mismatch",
      `noAnswerProbabilities has ${noAnswerProbabilities.length} values for ${n} questions`,
    );
  }
  noAnswerProbabilities?.forEach((p, i) => {
    if (typeof p !== "number" || Number.isNaN(p)) {
      throw new TunekitError(
        "invalid_input",
        `noAnswerProbabilities[${i}] must be a number, got ${describeValue(p)}`,
      );
    }
  });
  const probabilities = noAnswerProbabilities ?? new Array<number>(n).fill(0);
  // The script's qid_to_has_ans: a question "has an answer" when its answer list is not
  // empty, even if every answer normalises to nothing.
  const hasAnswer = golds.map((answers) => answers.length > 0);

  const raw = predictions.map((prediction, i): SquadExampleScore => {
    let answers = golds[i].filter((a) => normalizeSquadAnswer(a) !== "");
    if (answers.length === 0) answers = [""];
    const normalized = normalizeSquadAnswer(prediction);
    const tokens = pythonSplit(normalized);
    let exactMatch = 0;
    let f1 = 0;
    for (const answer of answers) {
      const goldNormalized = normalizeSquadAnswer(answer);
      if (goldNormalized === normalized) exactMatch = 1;
      const goldTokens = pythonSplit(goldNormalized);
      // An empty side (no answer) scores 1 only against another empty side.
      const score =
        goldTokens.length === 0 || tokens.length === 0
          ? Number(goldTokens.length === tokens.length)
          : tokenF1(tokens, goldTokens);
      f1 = Math.max(f1, score);
    }
    return { exactMatch, f1 };
  });

  // Above the threshold the prediction counts as "no answer".
  const thresholded = raw.map((score, i) =>
    probabilities[i] > noAnswerThreshold
      ? { exactMatch: Number(!hasAnswer[i]), f1: Number(!hasAnswer[i]) }
      : score,
  );
  const result: SquadV2Result = { ...percentages(thresholded), perExample: raw };
  const answered = thresholded.filter((_, i) => hasAnswer[i]);
  const unanswered = thresholded.filter((_, i) => !hasAnswer[i]);
  if (answered.length > 0) result.hasAnswer = percentages(answered);
  if (unanswered.length > 0) result.noAnswer = percentages(unanswered);
  if (noAnswerProbabilities !== undefined) {
    const exact = bestThreshold(raw, "exactMatch", predictions, probabilities, hasAnswer);
    const f1 = bestThreshold(raw, "f1", predictions, probabilities, hasAnswer);
    result.bestExactMatch = exact.score;
    result.bestExactMatchThreshold = exact.threshold;
    result.bestF1 = f1.score;
    result.bestF1Threshold = f1.threshold;
  }
  return result;
}

/**
 * The script's `find_best_thresh`: abstain on every question up to some probability, and
 * keep the cut that scores best (the first one on a tie).
 */
function bestThreshold(
  scores: readonly SquadExampleScore[],
  key: keyof SquadExampleScore,
  predictions: readonly string[],
  probabilities: readonly number[],
  hasAnswer: readonly boolean[],
): { score: number; threshold: number } {
  let current = hasAnswer.filter((has) => !has).length;
  let best = current;
  let threshold = 0;
  // A stable sort by probability, as Python's sorted().
  const order = probabilities.map((_, i) => i).sort((a, b) => probabilities[a] - probabilities[b]);
  for (const i of order) {
    if (hasAnswer[i]) current += scores[i][key];
    else if (predictions[i] !== "") current -= 1;
    if (current > best) {
      best = current;
      threshold = probabilities[i];
    }
  }
  return { score: (100 * best) / scores.length, threshold };
}

function percentages(scores: readonly SquadExampleScore[]): SquadScores {
  let exact = 0;
  let f1 = 0;
  for (const score of scores) {
    exact += score.exactMatch;
    f1 += score.f1;
  }
  return {
    exactMatch: (100 * exact) / scores.length,
    f1: (100 * f1) / scores.length,
    total: scores.length,
  };
}

/** Like the corpus check, except that an empty reference list (no answer) is allowed. */
function checkV2Input(
  predictions: readonly string[],
  references: readonly (string | readonly string[])[],
): (readonly string[])[] {
  if (!Array.isArray(predictions) || !Array.isArray(references)) {
    // Reuse the corpus check for its messages about non-arrays.
    checkCorpus(predictions, references);
  }
  if (predictions.length !== references.length) {
    throw new TunekitError(
      "length_mismatch",
      `there are ${predictions.length} predictions but ${references.length} references; give one reference entry per question`,
    );
  }
  if (predictions.length === 0) {
    throw new TunekitError("empty_corpus", "the corpus is empty; give at least one question");
  }
  return predictions.map((prediction, i) => {
    checkText(prediction, `predictions[${i}]`);
    const refs = references[i];
    if (typeof refs === "string") return [refs];
    if (!Array.isArray(refs)) {
      throw new TunekitError(
        "invalid_input",
        `references[${i}] must be a string or an array of strings (empty for no answer), got ${describeValue(refs)}`,
      );
    }
    for (let k = 0; k < refs.length; k++) checkText(refs[k], `references[${i}][${k}]`);
    return refs;
  });
}
