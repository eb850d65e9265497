import { TunekitError } from "../../../internal/shared/src/index";
import { recordText } from "./dedup";
import { hashSequence53, hashString } from "./hash";
import { type TextNormalization, wordsOf } from "./normalize-text";
import { type KeySource, splitKey } from "./split";

/**
 * Options of {@link ContaminationIndex} and {@link decontaminate}.
 *
 * @example
 * ```ts
 * import type { DecontaminationOptions } from "@tunekit/instruct";
 * const options: DecontaminationOptions = { n: 13 };
 * const alsoShort: DecontaminationOptions = { n: 8, shortEvalItems: "whole" };
 * ```
 */
export interface DecontaminationOptions {
  /** n-gram length in words. Default 13 (as in GPT-3, Brown et al. 2020, appendix C). */
  n?: number;
  /** Normalisation before cutting words; see {@link TextNormalization} and {@link wordsOf}. */
  normalization?: TextNormalization;
  /**
   * Evaluation items with fewer than `n` words have no n-gram. `"skip"` (default): they
   * cannot be detected and are counted in {@link ContaminationIndex.shortEvalItems};
   * `"whole"`: their whole word sequence is looked for instead.
   */
  shortEvalItems?: "skip" | "whole";
}

/**
 * What a training text shares with the evaluation set.
 *
 * @example
 * ```ts
 * import type { Overlap } from "@tunekit/instruct";
 * const overlap: Overlap = { evalIndices: [4], evalIds: ["test_4"], ngrams: 12, example: "a b c" };
 * ```
 */
export interface Overlap {
  /** Positions of the overlapping evaluation items (in order of first overlap). */
  evalIndices: number[];
  /** Their ids. */
  evalIds: unknown[];
  /** Number of the text's n-gram positions found in the evaluation set. */
  ngrams: number;
  /** The first overlapping n-gram, as normalised words joined by spaces. */
  example: string;
}

const WORD_SEED = 0x6e67;

function wordHashes(words: string[]): Uint32Array {
  const hashes = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) hashes[i] = hashString(words[i], WORD_SEED);
  return hashes;
}

/**
 * The n-grams of an evaluation set, for checking training texts against it. Words come
 * from {@link wordsOf} (NFKC, case folded, punctuation ignored); each n-gram is keyed by
 * a 53-bit hash of its words' hashes, so memory is one map entry per distinct n-gram.
 *
 * @example
 * ```ts
 * import { ContaminationIndex } from "@tunekit/instruct";
 * const index = new ContaminationIndex({ n: 3 });
 * index.addEval("The cat sat on the mat.", "eval-0");
 * index.check("Yesterday the CAT sat on a chair"); // { evalIds: ["eval-0"], ngrams: 2, … }
 * ```
 */
export class ContaminationIndex {
  /** The n-gram length. */
  readonly n: number;
  /** Evaluation items added. */
  evalItems = 0;
  /** Evaluation items shorter than n words (skipped, or matched whole). */
  shortEvalItems = 0;
  private readonly normalization: TextNormalization | undefined;
  private readonly whole: boolean;
  private readonly ngrams = new Map<number, number>();
  private readonly shortLengths = new Set<number>();
  private readonly ids: unknown[] = [];

  /**
   * @param options - see {@link DecontaminationOptions}.
   * @throws {@link TunekitError} `invalid_decontamination` for n below 1.
   */
  constructor(options: DecontaminationOptions = {}) {
    const { n = 13, normalization, shortEvalItems = "skip" } = options;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new TunekitError("invalid_decontamination", `n must be a whole number ≥ 1, got ${n}`);
    }
    this.n = n;
    this.normalization = normalization;
    this.whole = shortEvalItems === "whole";
  }

  /** Distinct n-grams held. */
  get size(): number {
    return this.ngrams.size;
  }

  /**
   * Adds an evaluation item.
   *
   * @param text - its text.
   * @param id - its id for reports. Default: its position.
   */
  addEval(text: string, id?: unknown): void {
    const item = this.evalItems++;
    this.ids.push(id === undefined ? item : id);
    const hashes = wordHashes(wordsOf(text, this.normalization));
    const n = this.n;
    if (hashes.length < n) {
      if (hashes.length === 0) return;
      this.shortEvalItems++;
      if (!this.whole) return;
      this.shortLengths.add(hashes.length);
      const key = hashSequence53(hashes);
      if (!this.ngrams.has(key)) this.ngrams.set(key, item);
      return;
    }
    for (let i = 0; i + n <= hashes.length; i++) {
      const key = hashSequence53(hashes, i, i + n);
      if (!this.ngrams.has(key)) this.ngrams.set(key, item);
    }
  }

  /**
   * Looks for the evaluation set's n-grams in a text.
   *
   * @param text - a training text.
   * @returns the {@link Overlap}, or `undefined` when there is none.
   */
  check(text: string): Overlap | undefined {
    const words = wordsOf(text, this.normalization);
    const hashes = wordHashes(words);
    const lengths = [this.n, ...this.shortLengths];
    let ngrams = 0;
    let example = "";
    const items: number[] = [];
    for (const n of lengths) {
      for (let i = 0; i + n <= hashes.length; i++) {
        const item = this.ngrams.get(hashSequence53(hashes, i, i + n));
        if (item === undefined) continue;
        ngrams++;
        if (example === "") example = words.slice(i, i + n).join(" ");
        if (!items.includes(item)) items.push(item);
      }
    }
    if (ngrams === 0) return undefined;
    return { evalIndices: items, evalIds: items.map((i) => this.ids[i]), ngrams, example };
  }
}

/**
 * A training record that overlaps the evaluation set.
 *
 * @example
 * ```ts
 * import type { ContaminatedRecord } from "@tunekit/instruct";
 * const hit: ContaminatedRecord = {
 *   index: 3, id: 3, evalIndices: [0], evalIds: ["q0"], ngrams: 2, example: "…",
 * };
 * ```
 */
export interface ContaminatedRecord extends Overlap {
  /** Position of the training record (0-based). */
  index: number;
  /** Its id. */
  id: unknown;
}

/**
 * The text of a record that decontamination compares: the named fields joined by line
 * breaks ({@link recordText}), or by default every top-level string value of the record
 * joined by line breaks (keys and non-string values are not compared).
 *
 * @param record - the record.
 * @param fields - the fields to use. Default: all top-level strings.
 * @returns the text.
 * @example
 * ```ts
 * import { overlapText } from "@tunekit/instruct";
 * overlapText({ id: 3, q: "2+2?", a: "4" }); // "2+2?\n4"
 * ```
 */
export function overlapText(record: Record<string, unknown>, fields?: readonly string[]): string {
  if (fields && fields.length > 0) return recordText(record, fields);
  return Object.values(record)
    .filter((value): value is string => typeof value === "string")
    .join("\n");
}

/**
 * Counts of a {@link decontaminate} run.
 *
 * @example
 * ```ts
 * import type { DecontaminationReport } from "@tunekit/instruct";
 * const report: DecontaminationReport = {
 *   total: 100, clean: 98, contaminated: 2, evalItems: 50, shortEvalItems: 0, ngrams: 4100, n: 13,
 * };
 * ```
 */
export interface DecontaminationReport {
  /** Training records checked. */
  total: number;
  /** Records without overlap. */
  clean: number;
  /** Records with overlap (removed). */
  contaminated: number;
  /** Evaluation items indexed. */
  evalItems: number;
  /** Evaluation items shorter than n words. */
  shortEvalItems: number;
  /** Distinct evaluation n-grams. */
  ngrams: number;
  /** The n-gram length. */
  n: number;
}

/**
 * Options of {@link decontaminate}.
 *
 * @example
 * ```ts
 * import type { DecontaminateOptions } from "@tunekit/instruct";
 * const options: DecontaminateOptions = { fields: ["dialogue"], evalFields: ["dialogue"], n: 13 };
 * ```
 */
export interface DecontaminateOptions extends DecontaminationOptions {
  /**
   * Training fields to check, joined by line breaks. Default: every top-level string
   * value of the record (keys and non-string values are not text to compare).
   */
  fields?: readonly string[];
  /** Evaluation fields to index. Default: same as `fields`. */
  evalFields?: readonly string[];
  /** Training record id source. Default: the index. */
  id?: KeySource<Record<string, unknown>>;
  /** Evaluation record id source. Default: the index. */
  evalId?: KeySource<Record<string, unknown>>;
}

/**
 * Removes training records that share an n-gram (default 13 words) with any evaluation
 * record, and reports, for each removed record, which evaluation items it overlaps.
 *
 * @param records - the training records.
 * @param evalRecords - the evaluation records.
 * @param options - see {@link DecontaminateOptions}.
 * @returns the clean records (input order), the contaminated ones, and counts.
 * @throws {@link TunekitError} `invalid_decontamination` for n below 1.
 * @example
 * ```ts
 * import { decontaminate } from "@tunekit/instruct";
 * const { clean, contaminated } = decontaminate(
 *   [{ text: "the cat sat on the mat today" }, { text: "dogs bark" }],
 *   [{ text: "A cat sat on the mat." }],
 *   { n: 4, fields: ["text"] },
 * );
 * console.log(clean.length, contaminated[0].example); // 1 "cat sat on the"
 * ```
 */
export function decontaminate<T extends Record<string, unknown>>(
  records: readonly T[],
  evalRecords: readonly Record<string, unknown>[],
  options: DecontaminateOptions = {},
): { clean: T[]; contaminated: ContaminatedRecord[]; report: DecontaminationReport } {
  const index = new ContaminationIndex(options);
  const evalFields = options.evalFields ?? options.fields;
  evalRecords.forEach((record, i) => {
    const id = options.evalId === undefined ? i : splitKey(record, i, options.evalId);
    index.addEval(overlapText(record, evalFields), id);
  });
  const clean: T[] = [];
  const contaminated: ContaminatedRecord[] = [];
  records.forEach((record, i) => {
    const overlap = index.check(overlapText(record, options.fields));
    if (!overlap) {
      clean.push(record);
      return;
    }
    const id = options.id === undefined ? i : splitKey(record, i, options.id);
    contaminated.push({ index: i, id, ...overlap });
  });
  return {
    clean,
    contaminated,
    report: {
      total: records.length,
      clean: clean.length,
      contaminated: contaminated.length,
      evalItems: index.evalItems,
      shortEvalItems: index.shortEvalItems,
      ngrams: index.size,
      n: index.n,
    },
  };
}
