import { TunekitError } from "../../../internal/shared/src/index";
import { createLcsWorkspace, lcsLength, markUnionLcs } from "./lcs";
import { createRougeVocabulary } from "./rouge-vocabulary";
import { rougeTokenize, scanRougeTokens } from "./tokenizers/rouge";
import { unicodeTokenize } from "./tokenizers/unicode";
import { checkReferences, checkText } from "./validate";

/**
 * ROUGE-N for n = 1…9: clipped n-gram overlap.
 *
 * @example
 * ```ts
 * import { type RougeNType, rouge } from "@tunekit/metrics";
 * const orders: RougeNType[] = ["rouge1", "rouge2", "rouge3"];
 * rouge("a b c d", "a b c e", { types: orders }).rouge3.fmeasure; // 0.5
 * ```
 */
export type RougeNType =
  | "rouge1"
  | "rouge2"
  | "rouge3"
  | "rouge4"
  | "rouge5"
  | "rouge6"
  | "rouge7"
  | "rouge8"
  | "rouge9";

/**
 * A ROUGE variant: `rouge1`…`rouge9` (n-gram overlap), `rougeL` (longest common
 * subsequence of the whole texts) or `rougeLsum` (summary-level LCS over sentences).
 *
 * @example
 * ```ts
 * import { type RougeType, rouge } from "@tunekit/metrics";
 * const types: RougeType[] = ["rouge1", "rougeL", "rougeLsum"];
 * rouge("the cat", "the cat sat", { types });
 * ```
 */
export type RougeType = RougeNType | "rougeL" | "rougeLsum";

/**
 * The types computed when none are named: ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum.
 *
 * @example
 * ```ts
 * import { type DefaultRougeType, type RougeScores, rouge } from "@tunekit/metrics";
 * const scores: RougeScores<DefaultRougeType> = rouge("the cat", "the cat sat");
 * Object.keys(scores); // ["rouge1", "rouge2", "rougeL", "rougeLsum"]
 * ```
 */
export type DefaultRougeType = "rouge1" | "rouge2" | "rougeL" | "rougeLsum";

/**
 * Precision, recall and F1 of one ROUGE type, each in [0, 1].
 *
 * @example
 * ```ts
 * import { type RougeScore, rouge } from "@tunekit/metrics";
 * const score: RougeScore = rouge("the cat", "the cat sat").rouge1;
 * // { precision: 1, recall: 0.6666666666666666, fmeasure: 0.8 }
 * ```
 */
export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/**
 * Scores keyed by ROUGE type, e.g. `{ rouge1: {…}, rougeL: {…} }`.
 *
 * @example
 * ```ts
 * import { type RougeScores, rouge } from "@tunekit/metrics";
 * const scores: RougeScores<"rouge1" | "rougeL"> = rouge("a b", "b a", { types: ["rouge1", "rougeL"] });
 * scores.rougeL.fmeasure; // 0.5
 * ```
 */
export type RougeScores<T extends RougeType = RougeType> = { [K in T]: RougeScore };

/**
 * A tokenizer: text in, tokens out. Pass one as {@link RougeOptions.tokenizer} to score
 * with your own tokens (no stemming is applied to them).
 *
 * @example
 * ```ts
 * import { type WordTokenizer, rouge } from "@tunekit/metrics";
 * const characters: WordTokenizer = (text) => [...text.replace(/\s+/g, "")];
 * rouge("猫が好き", "猫が大好き", { types: ["rouge1"], tokenizer: characters }).rouge1.recall; // 0.8
 * ```
 */
export type WordTokenizer = (text: string) => string[];

/**
 * Options of {@link rouge}, {@link createRougeScorer} and {@link rougeCorpus}.
 *
 * @example
 * ```ts
 * import { type RougeOptions, rouge } from "@tunekit/metrics";
 * const options: RougeOptions<"rouge1" | "rougeLsum"> = {
 *   types: ["rouge1", "rougeLsum"],
 *   stemmer: true,
 * };
 * rouge("The cats sat.\nThey purred.", "The cat sat.", options);
 * ```
 */
export interface RougeOptions<T extends RougeType = DefaultRougeType> {
  /**
   * Which scores to compute, in the order the result lists them. Default
   * `["rouge1", "rouge2", "rougeL", "rougeLsum"]`.
   */
  types?: readonly T[];
  /**
   * Porter-stem tokens longer than three characters (NLTK's stemmer, as rouge-score's
   * `use_stemmer=True`). Applies to the two built-in tokenizers; a tokenizer function does
   * its own. Default `false`.
   */
  stemmer?: boolean;
  /**
   * `"default"`: rouge-score's tokenizer ({@link rougeTokenize}), the one parity is promised
   * for. `"unicode"`: {@link unicodeTokenize}, which keeps words in every script (not
   * rouge-score's; its scores are not comparable with rouge-score's). Or any function from
   * text to tokens (like rouge-score's `tokenizer=` argument). Default `"default"`.
   */
  tokenizer?: "default" | "unicode" | WordTokenizer;
  /**
   * How rougeLsum finds sentences. `"newline"`: each non-empty line is a sentence, as
   * rouge-score does (`split_summaries=False`). `"unicode"`: each line is further split at
   * Unicode sentence boundaries (UAX #29, `Intl.Segmenter`), for text with no newlines
   * between sentences. That split is NOT rouge-score's `split_summaries=True`, which uses
   * NLTK's Punkt model, so its rougeLsum can differ from rouge-score's. Default `"newline"`.
   */
  sentenceSplitter?: "newline" | "unicode";
}

/**
 * Scores one prediction against its references; reuse one for many pairs.
 *
 * @example
 * ```ts
 * import { createRougeScorer, type RougeScorer } from "@tunekit/metrics";
 * const scorer: RougeScorer<"rougeL"> = createRougeScorer({ types: ["rougeL"] });
 * scorer.score("a b c", ["a c", "b c"]).rougeL.fmeasure; // 0.8
 * ```
 */
export interface RougeScorer<T extends RougeType = DefaultRougeType> {
  /** The ROUGE types this scorer computes, in result order. */
  readonly types: readonly T[];
  /**
   * Scores `prediction` against `references` (note the order: prediction first).
   * With several references each type takes the reference with the highest F-measure; on a
   * tie the first one wins.
   */
  score(prediction: string, references: string | readonly string[]): RougeScores<T>;
}

const DEFAULT_TYPES: readonly DefaultRougeType[] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

/** A text as token ids: all its tokens, and its rougeLsum sentences. */
interface EncodedText {
  ids: Int32Array;
  length: number;
  /** The sentences' tokens, back to back: `ids` itself, or `sentenceBuffer`. */
  sentenceIds: Int32Array;
  sentenceBuffer: Int32Array;
  /** End offset in `sentenceIds` of each sentence that has at least one token. */
  sentenceEnds: Int32Array;
  sentenceCount: number;
}

function grow(buffer: Int32Array, size: number): Int32Array {
  if (buffer.length >= size) return buffer;
  let capacity = Math.max(16, buffer.length);
  while (capacity < size) capacity *= 2;
  const next = new Int32Array(capacity);
  next.set(buffer);
  return next;
}

function growBytes(buffer: Uint8Array, size: number): Uint8Array {
  return buffer.length >= size ? buffer : new Uint8Array(Math.max(size, buffer.length * 2));
}

function emptyEncoded(): EncodedText {
  const ids = new Int32Array(256);
  return {
    ids,
    length: 0,
    sentenceIds: ids,
    sentenceBuffer: new Int32Array(0),
    sentenceEnds: new Int32Array(16),
    sentenceCount: 0,
  };
}

/** The result slots of one type: n-gram order (0 for L and Lsum) and where it is written. */
interface ParsedTypes<T extends RougeType> {
  names: readonly T[];
  /** Per name: n for rougeN, 0 for rougeL, −1 for rougeLsum. */
  orders: Int32Array;
  /** `wantsOrder[n]`: some rougeN with this n was asked for. */
  wantsOrder: boolean[];
  maxOrder: number;
  wantsLcs: boolean;
  /** Whole-text tokens are needed (rougeN or rougeL). */
  wantsTokens: boolean;
  /** Sentence tokens are needed (rougeLsum). */
  wantsSentences: boolean;
}

function parseTypes<T extends RougeType>(types: readonly T[]): ParsedTypes<T> {
  if (!Array.isArray(types)) {
    throw new TunekitError("invalid_input", "types must be an array of ROUGE type names");
  }
  const names = [...new Set(types)];
  if (names.length === 0) {
    throw new TunekitError("invalid_input", "types is empty; name at least one ROUGE type");
  }
  const orders = new Int32Array(names.length);
  const wantsOrder: boolean[] = new Array(10).fill(false);
  let maxOrder = 0;
  let wantsLcs = false;
  let wantsSentences = false;
  names.forEach((name, k) => {
    if (name === "rougeL") {
      orders[k] = 0;
      wantsLcs = true;
    } else if (name === "rougeLsum") {
      orders[k] = -1;
      wantsSentences = true;
    } else if (typeof name === "string" && /^rouge[1-9]$/.test(name)) {
      orders[k] = Number(name.slice(5));
      wantsOrder[orders[k]] = true;
      maxOrder = Math.max(maxOrder, orders[k]);
    } else {
      throw new TunekitError(
        "invalid_rouge_type",
        `unknown ROUGE type ${JSON.stringify(name)}; use rouge1 … rouge9, rougeL or rougeLsum`,
      );
    }
  });
  const wantsTokens = wantsLcs || maxOrder > 0;
  return { names, orders, wantsOrder, maxOrder, wantsLcs, wantsTokens, wantsSentences };
}

/** Python's `2PR / (P + R)`, 0 when both are 0 (rouge-score's `scoring.fmeasure`). */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

let sentenceSegmenter: Intl.Segmenter | undefined;

function splitSentences(text: string, splitter: "newline" | "unicode"): string[] {
  // rouge-score: text.split("\n"), dropping empty strings (whitespace-only lines stay).
  const lines = text.split("\n").filter((line) => line.length > 0);
  if (splitter === "newline") return lines;
  sentenceSegmenter ??= new Intl.Segmenter("und", { granularity: "sentence" });
  const sentences: string[] = [];
  for (const line of lines) {
    for (const { segment } of sentenceSegmenter.segment(line)) sentences.push(segment);
  }
  return sentences;
}

/**
 * Creates a scorer that keeps its vocabulary (token → integer id, stems included) and its
 * scratch buffers between calls, which is what makes scoring a corpus fast. Its memory grows
 * with the number of distinct tokens it has seen; use one scorer per corpus.
 *
 * Scores equal rouge-score 0.1.2's `RougeScorer(rouge_types, use_stemmer).score(target,
 * prediction)` with the default tokenizer, and `score_multi` for several references — but the
 * arguments are in the other order: prediction first, then the reference(s).
 *
 * @param options - types, stemmer, tokenizer and sentence splitting; see {@link RougeOptions}.
 * @returns a {@link RougeScorer}.
 * @throws TunekitError `invalid_rouge_type` for an unknown type name, `invalid_input` for
 * bad options; the scorer's `score` throws `invalid_input` or `empty_references` on bad
 * texts.
 * @example
 * ```ts
 * import { createRougeScorer } from "@tunekit/metrics";
 * const scorer = createRougeScorer({ types: ["rouge1", "rougeL"], stemmer: true });
 * const scores = scorer.score("the cats are running", "the cat runs");
 * // Stemmed: the, cat, are, run against the, cat, run.
 * scores.rouge1; // { precision: 0.75, recall: 1, fmeasure: 0.8571428571428571 }
 * ```
 */
export function createRougeScorer<T extends RougeType = DefaultRougeType>(
  options: RougeOptions<T> = {},
): RougeScorer<T> {
  const {
    types: requestedTypes = DEFAULT_TYPES as unknown as readonly T[],
    stemmer = false,
    tokenizer = "default",
    sentenceSplitter = "newline",
  } = options;
  const types = parseTypes(requestedTypes);
  if (sentenceSplitter !== "newline" && sentenceSplitter !== "unicode") {
    throw new TunekitError(
      "invalid_input",
      `sentenceSplitter must be "newline" or "unicode", got ${JSON.stringify(sentenceSplitter)}`,
    );
  }
  let tokenize: WordTokenizer | undefined;
  if (tokenizer === "unicode") tokenize = (text) => unicodeTokenize(text, { stemmer });
  else if (typeof tokenizer === "function") tokenize = tokenizer;
  else if (tokenizer !== "default") {
    throw new TunekitError(
      "invalid_input",
      `tokenizer must be "default", "unicode" or a function, got ${JSON.stringify(tokenizer)}`,
    );
  } else if (sentenceSplitter === "unicode") {
    tokenize = (text) => rougeTokenize(text, { stemmer });
  }

  const vocabulary = createRougeVocabulary(stemmer);
  const lcsWorkspace = createLcsWorkspace();

  // Scratch buffers, grown on demand and reused for every pair.
  const predicted = emptyEncoded();
  const referenced: EncodedText[] = [];
  let localId: Int32Array = new Int32Array(256).fill(-1); // token id → dense id within the pair
  let refDense: Int32Array = new Int32Array(64);
  let predDense: Int32Array = new Int32Array(256);
  let refLevel: Int32Array = new Int32Array(64);
  let predLevel: Int32Array = new Int32Array(256);
  let counts: Int32Array = new Int32Array(64);
  let candidateCounts: Int32Array = new Int32Array(64);
  let marks: Uint8Array = new Uint8Array(64);
  const ngramIds = new Map<number, number>();
  const pairScores = new Float64Array(types.names.length * 3);
  const bestScores = new Float64Array(types.names.length * 3);

  function pushToken(target: EncodedText, id: number): void {
    if (target.length === target.ids.length) target.ids = grow(target.ids, target.length + 1);
    target.ids[target.length++] = id;
  }

  function endSentence(target: EncodedText, end: number): void {
    const start = target.sentenceCount === 0 ? 0 : target.sentenceEnds[target.sentenceCount - 1];
    if (end === start) return; // a sentence without tokens adds nothing to rougeLsum
    target.sentenceEnds = grow(target.sentenceEnds, target.sentenceCount + 1);
    target.sentenceEnds[target.sentenceCount++] = end;
  }

  // The sinks of the default tokenizer's scan, bound to the text being encoded.
  let encoding = predicted;
  const onToken = (chars: Uint16Array, length: number, hash: number): void =>
    pushToken(encoding, vocabulary.idOfChars(chars, length, hash));
  const onLineBreak = (): void => endSentence(encoding, encoding.length);

  function encode(text: string, target: EncodedText): void {
    target.length = 0;
    target.sentenceCount = 0;
    if (tokenize === undefined) {
      // One pass gives both views: the default tokenizer treats "\n" as a separator, so
      // the tokens of the lines, in order, are the tokens of the text.
      encoding = target;
      scanRougeTokens(text, onToken, onLineBreak);
      endSentence(target, target.length);
      target.sentenceIds = target.ids;
      return;
    }
    if (types.wantsTokens) {
      for (const token of tokenize(text)) pushToken(target, vocabulary.idOf(token));
    }
    if (!types.wantsSentences) return;
    let length = 0;
    for (const sentence of splitSentences(text, sentenceSplitter)) {
      for (const token of tokenize(sentence)) {
        target.sentenceBuffer = grow(target.sentenceBuffer, length + 1);
        target.sentenceBuffer[length++] = vocabulary.idOf(token);
      }
      endSentence(target, length);
    }
    target.sentenceIds = target.sentenceBuffer;
  }

  /**
   * Renumbers the reference's token ids 0…k−1 in order of first appearance into
   * `refDense`, and gives the prediction's tokens the same numbers in `predDense`, or −1
   * for tokens the reference lacks (they can never count). Returns k.
   */
  function densify(ref: Int32Array, nr: number, pred: Int32Array, np: number): number {
    if (localId.length < vocabulary.size) {
      // Every entry is back at −1 between calls, so a bigger array starts all −1.
      localId = new Int32Array(Math.max(vocabulary.size, localId.length * 2)).fill(-1);
    }
    refDense = grow(refDense, nr);
    predDense = grow(predDense, np);
    let distinct = 0;
    for (let i = 0; i < nr; i++) {
      const id = ref[i];
      let dense = localId[id];
      if (dense < 0) {
        dense = distinct++;
        localId[id] = dense;
      }
      refDense[i] = dense;
    }
    for (let i = 0; i < np; i++) predDense[i] = localId[pred[i]];
    for (let i = 0; i < nr; i++) localId[ref[i]] = -1;
    return distinct;
  }

  /** Clipped overlap of the ids in refLevel/predLevel (ids in [0, distinct) or −1). */
  function clippedOverlap(refCount: number, predCount: number, distinct: number): number {
    counts = grow(counts, distinct);
    counts.fill(0, 0, distinct);
    for (let i = 0; i < refCount; i++) counts[refLevel[i]]++;
    let overlap = 0;
    for (let i = 0; i < predCount; i++) {
      const id = predLevel[i];
      if (id >= 0 && counts[id] > 0) {
        overlap++;
        counts[id]--;
      }
    }
    return overlap;
  }

  function write(slot: number, precision: number, recall: number): void {
    pairScores[slot * 3] = precision;
    pairScores[slot * 3 + 1] = recall;
    pairScores[slot * 3 + 2] = fmeasure(precision, recall);
  }

  function writeOrder(n: number, precision: number, recall: number): void {
    for (let k = 0; k < types.orders.length; k++) {
      if (types.orders[k] === n) write(k, precision, recall);
    }
  }

  /**
   * rouge1…rouge9 and rougeL on the whole texts (rouge-score's `_score_ngrams` and
   * `_score_lcs`). N-grams are counted on dense integer keys, one level per order.
   */
  function scoreTokens(ref: EncodedText, pred: EncodedText): void {
    const nr = ref.length;
    const np = pred.length;
    const distinct = densify(ref.ids, nr, pred.ids, np);
    if (types.wantsLcs) {
      const lcs =
        nr === 0 || np === 0
          ? 0
          : lcsLength(lcsWorkspace, refDense, 0, nr, predDense, 0, np, distinct);
      // rouge-score returns 0/0/0 when either side has no tokens.
      writeOrder(0, np === 0 ? 0 : lcs / np, nr === 0 ? 0 : lcs / nr);
    }
    if (types.maxOrder === 0) return;
    refLevel = grow(refLevel, nr);
    predLevel = grow(predLevel, np);
    refLevel.set(refDense.subarray(0, nr));
    predLevel.set(predDense.subarray(0, np));
    let levelDistinct = distinct;
    for (let n = 1; n <= types.maxOrder; n++) {
      const refCount = Math.max(nr - n + 1, 0);
      const predCount = Math.max(np - n + 1, 0);
      if (n > 1) {
        // The id of the n-gram at i combines the id of the (n−1)-gram at i with the token
        // at i + n − 1, renumbered densely; a prediction n-gram the reference lacks gets
        // −1, and so does everything that extends it.
        ngramIds.clear();
        let next = 0;
        for (let i = 0; i < refCount; i++) {
          const key = refLevel[i] * distinct + refDense[i + n - 1];
          let id = ngramIds.get(key);
          if (id === undefined) {
            id = next++;
            ngramIds.set(key, id);
          }
          refLevel[i] = id;
        }
        for (let i = 0; i < predCount; i++) {
          const prefix = predLevel[i];
          const last = predDense[i + n - 1];
          predLevel[i] =
            prefix < 0 || last < 0 ? -1 : (ngramIds.get(prefix * distinct + last) ?? -1);
        }
        levelDistinct = next;
      }
      if (!types.wantsOrder[n]) continue;
      const overlap = clippedOverlap(refCount, predCount, levelDistinct);
      writeOrder(n, overlap / Math.max(predCount, 1), overlap / Math.max(refCount, 1));
    }
  }

  /**
   * rougeLsum: for each reference sentence, the union of its LCS positions against every
   * candidate sentence; a position counts as a hit only while both whole summaries still
   * have an unused copy of its token (rouge-score's `_summary_level_lcs`, Lin 2004 §3.2,
   * with ROUGE-1.5.5's clipping).
   */
  function scoreSummaryLcs(ref: EncodedText, pred: EncodedText): void {
    if (ref.sentenceCount === 0 || pred.sentenceCount === 0) {
      writeOrder(-1, 0, 0);
      return;
    }
    const m = ref.sentenceEnds[ref.sentenceCount - 1];
    const n = pred.sentenceEnds[pred.sentenceCount - 1];
    const distinct = densify(ref.sentenceIds, m, pred.sentenceIds, n);
    counts = grow(counts, distinct);
    candidateCounts = grow(candidateCounts, distinct);
    counts.fill(0, 0, distinct);
    candidateCounts.fill(0, 0, distinct);
    for (let i = 0; i < m; i++) counts[refDense[i]]++;
    for (let i = 0; i < n; i++) if (predDense[i] >= 0) candidateCounts[predDense[i]]++;

    let hits = 0;
    for (let r = 0, rStart = 0; r < ref.sentenceCount; r++) {
      const rEnd = ref.sentenceEnds[r];
      const length = rEnd - rStart;
      marks = growBytes(marks, length);
      marks.fill(0, 0, length);
      markUnionLcs(
        lcsWorkspace,
        refDense,
        rStart,
        rEnd,
        predDense,
        pred.sentenceEnds,
        pred.sentenceCount,
        distinct,
        marks,
      );
      for (let i = 0; i < length; i++) {
        if (marks[i] === 0) continue;
        const token = refDense[rStart + i];
        if (candidateCounts[token] > 0 && counts[token] > 0) {
          hits++;
          candidateCounts[token]--;
          counts[token]--;
        }
      }
      rStart = rEnd;
    }
    writeOrder(-1, hits / n, hits / m);
  }

  function score(prediction: string, references: string | readonly string[]): RougeScores<T> {
    checkText(prediction, "prediction");
    const refs = checkReferences(references, "references");
    encode(prediction, predicted);
    for (let r = 0; r < refs.length; r++) {
      referenced[r] ??= emptyEncoded();
      const reference = referenced[r];
      encode(refs[r], reference);
      if (types.wantsTokens) scoreTokens(reference, predicted);
      if (types.wantsSentences) scoreSummaryLcs(reference, predicted);
      for (let k = 0; k < types.names.length; k++) {
        // score_multi keeps, per type, the reference with the highest F; np.argmax picks
        // the first on ties.
        if (r === 0 || pairScores[k * 3 + 2] > bestScores[k * 3 + 2]) {
          bestScores[k * 3] = pairScores[k * 3];
          bestScores[k * 3 + 1] = pairScores[k * 3 + 1];
          bestScores[k * 3 + 2] = pairScores[k * 3 + 2];
        }
      }
    }
    const result = {} as RougeScores<T>;
    types.names.forEach((name, k) => {
      result[name] = {
        precision: bestScores[k * 3],
        recall: bestScores[k * 3 + 1],
        fmeasure: bestScores[k * 3 + 2],
      };
    });
    return result;
  }

  return { types: types.names, score };
}

/**
 * ROUGE scores of one prediction against one or more references, equal to rouge-score
 * 0.1.2 (`RougeScorer(rouge_types, use_stemmer).score(target, prediction)`, or
 * `score_multi` for a list of references) with the default tokenizer.
 *
 * Argument order is (prediction, reference) — the reverse of rouge-score's
 * `score(target, prediction)`. Empty texts do not throw: they score 0, as in rouge-score.
 * To score many pairs, {@link createRougeScorer} or {@link rougeCorpus} is faster.
 *
 * @param prediction - the generated text.
 * @param references - the reference text, or several (the best F per type is kept, the
 * first on ties).
 * @param options - types (default rouge1, rouge2, rougeL, rougeLsum), `stemmer` (default
 * false), `tokenizer`, `sentenceSplitter`; see {@link RougeOptions}.
 * @returns one {@link RougeScore} per requested type.
 * @throws TunekitError `invalid_input` when a text is not a string, `empty_references`
 * for an empty reference list, `invalid_rouge_type` for an unknown type.
 * @example
 * ```ts
 * import { rouge } from "@tunekit/metrics";
 * const scores = rouge("the quick brown dog jumps on the log", "the quick brown fox jumps over the lazy dog");
 * scores.rouge1; // { precision: 0.75, recall: 0.6666666666666666, fmeasure: 0.7058823529411765 }
 * scores.rougeL.fmeasure; // 0.5882352941176471
 * ```
 */
export function rouge<T extends RougeType = DefaultRougeType>(
  prediction: string,
  references: string | readonly string[],
  options: RougeOptions<T> = {},
): RougeScores<T> {
  return createRougeScorer(options).score(prediction, references);
}
