import { TunekitError } from "../../../internal/shared/src/index";
import { hashString53 } from "./hash";
import {
  estimateJaccard,
  type LshBands,
  lshBands,
  MinHasher,
  MinHashLsh,
  type MinHashOptions,
} from "./minhash";
import { normalizeText, type TextNormalization } from "./normalize-text";
import { type KeySource, splitKey } from "./split";

/**
 * The LSH banding dedup uses by default. LSH only proposes candidates, and every
 * candidate is then checked against the threshold with its estimated similarity, so a
 * false positive costs one signature comparison while a false negative is a duplicate
 * kept: the banding is chosen with false negatives weighted 0.95 and false positives
 * 0.05 ({@link lshBands}). For 0.8 and 128 functions that is 16 bands of 8 rows: pairs at
 * similarity 0.85 become candidates with probability 0.994, at 0.9 with 0.9999.
 */
function defaultBands(threshold: number, numPerm: number): LshBands {
  if (threshold >= 1) return { bands: 1, rows: numPerm };
  return lshBands(threshold, numPerm, { falsePositive: 0.05, falseNegative: 0.95 });
}

/**
 * Options of {@link Deduplicator} and {@link dedupRecords}.
 *
 * @example
 * ```ts
 * import type { DedupOptions } from "@tunekit/instruct";
 * const exactOnly: DedupOptions = {};
 * const near: DedupOptions = { near: true, threshold: 0.8, minhash: { numPerm: 128, size: 5 } };
 * ```
 */
export interface DedupOptions {
  /**
   * Normalisation for exact matching (hash of the normalised text). Default: NFKC, case
   * folded, whitespace collapsed, punctuation kept ({@link TextNormalization}).
   */
  normalization?: TextNormalization;
  /** Also remove near-duplicates (MinHash + LSH). Default `false`. */
  near?: boolean;
  /** Estimated Jaccard similarity at or above which a text is a near-duplicate. Default 0.8. */
  threshold?: number;
  /** MinHash settings. Default 128 functions, seed 1, word 5-grams. */
  minhash?: MinHashOptions;
  /**
   * LSH banding. Default: {@link lshBands}(threshold, numPerm) with false negatives
   * weighted 0.95 (candidates are verified, so recall matters): 16 bands × 8 rows for
   * 0.8 and 128 functions.
   */
  bands?: LshBands;
}

/**
 * A removed record and the kept record it duplicates.
 *
 * @example
 * ```ts
 * import type { DuplicateMatch } from "@tunekit/instruct";
 * const match: DuplicateMatch = {
 *   index: 7, id: "dev_7", keptIndex: 2, keptId: "dev_2", kind: "near", similarity: 0.86,
 * };
 * ```
 */
export interface DuplicateMatch {
  /** Position of the removed record in the input (0-based). */
  index: number;
  /** Its id (what the caller passed; the index by default). */
  id: unknown;
  /** Position of the kept twin. */
  keptIndex: number;
  /** Id of the kept twin. */
  keptId: unknown;
  /** `exact` (same normalised text) or `near` (MinHash similarity ≥ threshold). */
  kind: "exact" | "near";
  /** 1 for exact; the estimated Jaccard similarity for near. */
  similarity: number;
}

/**
 * Counts and settings of a dedup run.
 *
 * @example
 * ```ts
 * import type { DedupReport } from "@tunekit/instruct";
 * const report: DedupReport = { total: 10, kept: 8, removed: 2, exact: 1, near: 1 };
 * ```
 */
export interface DedupReport {
  /** Records seen. */
  total: number;
  /** Records kept. */
  kept: number;
  /** Records removed (exact + near). */
  removed: number;
  /** Removed as exact duplicates. */
  exact: number;
  /** Removed as near-duplicates. */
  near: number;
  /** Near-duplicate settings, when `near` was on. */
  settings?: { threshold: number; numPerm: number; bands: number; rows: number };
}

/**
 * Streaming deduplication with a keep-first policy: texts are offered in order; the
 * first of each set of duplicates is kept and every later one is reported with its kept
 * twin. Near-duplicate queries look only at kept texts, so a removed text never causes
 * another removal, and running the kept texts through again removes nothing.
 *
 * - **exact**: a 53-bit MurmurHash3 of the normalised text (see
 *   {@link DedupOptions.normalization}); two different texts collide with probability
 *   about n²/2⁵⁴ for n texts (≈ 10⁻⁴ for ten million).
 * - **near** (`near: true`): MinHash signatures of word 5-grams (128 functions) in an
 *   LSH index (16 bands × 8 rows for the default threshold); a candidate counts when its
 *   estimated Jaccard similarity is ≥ `threshold` (default 0.8). The twin is the most
 *   similar kept text (the earliest on ties).
 *
 * @example
 * ```ts
 * import { Deduplicator } from "@tunekit/instruct";
 * const dedup = new Deduplicator();
 * dedup.add("Hello  world", "a"); // undefined: kept
 * dedup.add("hello world", "b"); // { kind: "exact", keptId: "a", … }
 * ```
 */
export class Deduplicator {
  private readonly normalization: TextNormalization | undefined;
  private readonly exact = new Map<number, number>();
  private readonly hasher: MinHasher | undefined;
  private readonly lsh: MinHashLsh | undefined;
  private readonly threshold: number;
  private signatures = new Uint32Array(0);
  private readonly keptIndex: number[] = [];
  private readonly keptId: unknown[] = [];
  private readonly counts = { total: 0, exact: 0, near: 0 };

  /**
   * @param options - see {@link DedupOptions}.
   * @throws {@link TunekitError} `invalid_dedup` for a threshold outside (0, 1].
   */
  constructor(options: DedupOptions = {}) {
    const { near = false, threshold = 0.8, normalization, minhash } = options;
    if (!(threshold > 0 && threshold <= 1)) {
      throw new TunekitError("invalid_dedup", `threshold must be in (0, 1], got ${threshold}`);
    }
    this.normalization = normalization;
    this.threshold = threshold;
    if (near) {
      this.hasher = new MinHasher(minhash);
      const numPerm = this.hasher.numPerm;
      this.lsh = new MinHashLsh(options.bands ?? defaultBands(threshold, numPerm));
    }
  }

  /**
   * Offers the next text.
   *
   * @param text - the text to compare.
   * @param id - the caller's id for it (reported in matches). Default: its position.
   * @returns `undefined` when the text is kept, else the {@link DuplicateMatch}.
   */
  add(text: string, id?: unknown): DuplicateMatch | undefined {
    const index = this.counts.total++;
    const ownId = id === undefined ? index : id;
    const key = hashString53(normalizeText(text, this.normalization));
    const twin = this.exact.get(key);
    if (twin !== undefined) {
      this.counts.exact++;
      return this.match(index, ownId, twin, "exact", 1);
    }
    let signature: Uint32Array | undefined;
    if (this.hasher && this.lsh) {
      signature = this.hasher.signature(text);
      let best = -1;
      let bestSimilarity = -1;
      const m = this.hasher.numPerm;
      for (const candidate of this.lsh.query(signature)) {
        const similarity = estimateJaccard(
          signature,
          this.signatures.subarray(candidate * m, (candidate + 1) * m),
        );
        if (similarity > bestSimilarity) {
          best = candidate;
          bestSimilarity = similarity;
        }
      }
      if (best !== -1 && bestSimilarity >= this.threshold) {
        this.counts.near++;
        return this.match(index, ownId, best, "near", bestSimilarity);
      }
    }
    const ordinal = this.keptIndex.length;
    this.keptIndex.push(index);
    this.keptId.push(ownId);
    this.exact.set(key, ordinal);
    if (signature && this.lsh) {
      const m = signature.length;
      if ((ordinal + 1) * m > this.signatures.length) {
        const grown = new Uint32Array(Math.max(1024 * m, this.signatures.length * 2));
        grown.set(this.signatures);
        this.signatures = grown;
      }
      this.signatures.set(signature, ordinal * m);
      this.lsh.insert(ordinal, signature);
    }
    return undefined;
  }

  private match(
    index: number,
    id: unknown,
    ordinal: number,
    kind: "exact" | "near",
    similarity: number,
  ): DuplicateMatch {
    return {
      index,
      id,
      keptIndex: this.keptIndex[ordinal],
      keptId: this.keptId[ordinal],
      kind,
      similarity,
    };
  }

  /**
   * The counts so far.
   *
   * @returns a {@link DedupReport}.
   */
  report(): DedupReport {
    const { total, exact, near } = this.counts;
    const report: DedupReport = {
      total,
      kept: total - exact - near,
      removed: exact + near,
      exact,
      near,
    };
    if (this.hasher && this.lsh) {
      report.settings = {
        threshold: this.threshold,
        numPerm: this.hasher.numPerm,
        bands: this.lsh.bands.bands,
        rows: this.lsh.bands.rows,
      };
    }
    return report;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The text of a record that dedup and decontamination compare: the named fields joined
 * by a line break (strings as they are, other values as JSON, missing ones empty), or —
 * with no fields — the whole record as JSON with sorted keys, so key order never matters.
 *
 * @param record - the record.
 * @param fields - the fields to compare. Default: the whole record.
 * @returns the text.
 * @example
 * ```ts
 * import { recordText } from "@tunekit/instruct";
 * recordText({ instruction: "Add", input: "2+2" }, ["instruction", "input"]); // "Add\n2+2"
 * recordText({ b: 1, a: 2 }); // '{"a":2,"b":1}'
 * ```
 */
export function recordText(record: Record<string, unknown>, fields?: readonly string[]): string {
  if (!fields || fields.length === 0) return canonicalJson(record);
  return fields
    .map((field) => {
      const value = record[field];
      if (value === undefined || value === null) return "";
      return typeof value === "string" ? value : JSON.stringify(value);
    })
    .join("\n");
}

/**
 * Options of {@link dedupRecords}: {@link DedupOptions} plus what to compare.
 *
 * @example
 * ```ts
 * import type { DedupRecordsOptions } from "@tunekit/instruct";
 * const options: DedupRecordsOptions = { fields: ["dialogue"], id: "fname", near: true };
 * ```
 */
export interface DedupRecordsOptions extends DedupOptions {
  /** Fields whose text is compared ({@link recordText}). Default: the whole record. */
  fields?: readonly string[];
  /** Where a record's id comes from, for the report. Default: its index. */
  id?: KeySource<Record<string, unknown>>;
}

/**
 * Removes exact (and, with `near`, near-) duplicate records, keeping the first of each;
 * see {@link Deduplicator} for the method and defaults.
 *
 * @param records - the records, in priority order (earlier ones are kept).
 * @param options - see {@link DedupRecordsOptions}.
 * @returns the kept records (input order), the removed ones with their twins, and counts.
 * @throws {@link TunekitError} `invalid_dedup` for a bad threshold.
 * @example
 * ```ts
 * import { dedupRecords } from "@tunekit/instruct";
 * const { kept, removed } = dedupRecords(
 *   [{ q: "What is 2+2?" }, { q: "what is 2+2?" }, { q: "Name a colour." }],
 *   { fields: ["q"] },
 * );
 * console.log(kept.length, removed[0].keptIndex); // 2 0
 * ```
 */
export function dedupRecords<T extends Record<string, unknown>>(
  records: readonly T[],
  options: DedupRecordsOptions = {},
): { kept: T[]; removed: DuplicateMatch[]; report: DedupReport } {
  const dedup = new Deduplicator(options);
  const kept: T[] = [];
  const removed: DuplicateMatch[] = [];
  records.forEach((record, i) => {
    const id = options.id === undefined ? i : splitKey(record, i, options.id);
    const match = dedup.add(recordText(record, options.fields), id);
    if (match) removed.push(match);
    else kept.push(record);
  });
  return { kept, removed, report: dedup.report() };
}
