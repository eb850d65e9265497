import { createRng, TunekitError } from "../../../internal/shared/src/index";
import { hashSequence, hashSequence53, hashString } from "./hash";
import { normalizeText, type TextNormalization, wordsOf } from "./normalize-text";

/**
 * How a text is cut into shingles (the set whose Jaccard similarity MinHash estimates).
 *
 * @example
 * ```ts
 * import type { ShingleOptions } from "@tunekit/instruct";
 * const words: ShingleOptions = { shingle: "word", size: 5 };
 * const chars: ShingleOptions = { shingle: "char", size: 5 }; // for text without spaces
 * ```
 */
export interface ShingleOptions {
  /**
   * `"word"` (default): runs of `size` consecutive words ({@link wordsOf}: NFKC, case
   * folded, punctuation ignored). `"char"`: runs of `size` characters (code points) of the
   * normalised text, better for languages written without spaces.
   */
  shingle?: "word" | "char";
  /**
   * Shingle length. Default 5 (5 words, or 5 characters). A text shorter than this has
   * one shingle, the whole text, so short texts still compare.
   */
  size?: number;
  /** Text normalisation before shingling; see {@link TextNormalization}. */
  normalization?: TextNormalization;
}

/**
 * Options of {@link MinHasher}.
 *
 * @example
 * ```ts
 * import type { MinHashOptions } from "@tunekit/instruct";
 * const options: MinHashOptions = { numPerm: 128, seed: 1, shingle: "word", size: 5 };
 * ```
 */
export interface MinHashOptions extends ShingleOptions {
  /** Number of hash functions (signature length). Default 128. */
  numPerm?: number;
  /** Seed of the hash functions. Default 1. Signatures are comparable only under equal options. */
  seed?: number;
}

const WORD_SEED = 0x5eed;

/**
 * The 32-bit hashes of a text's shingles (with repeats; MinHash ignores them).
 *
 * @param text - the text.
 * @param options - see {@link ShingleOptions}.
 * @returns one hash per shingle position (empty for a text with no words or characters).
 * @throws {@link TunekitError} `invalid_minhash` for a shingle size below 1.
 * @example
 * ```ts
 * import { shingleHashes } from "@tunekit/instruct";
 * shingleHashes("the cat sat on the mat", { size: 3 }).length; // 4 word trigrams
 * ```
 */
export function shingleHashes(text: string, options: ShingleOptions = {}): Uint32Array {
  const { shingle = "word", size = 5, normalization } = options;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new TunekitError(
      "invalid_minhash",
      `shingle size must be a whole number ≥ 1, got ${size}`,
    );
  }
  let units: Uint32Array;
  if (shingle === "word") {
    const words = wordsOf(text, normalization);
    units = new Uint32Array(words.length);
    for (let i = 0; i < words.length; i++) units[i] = hashString(words[i], WORD_SEED);
  } else {
    const normalized = normalizeText(text, normalization);
    units = new Uint32Array(normalized.length);
    let n = 0;
    for (const ch of normalized) units[n++] = ch.codePointAt(0)!;
    units = units.subarray(0, n);
  }
  if (units.length === 0) return new Uint32Array(0);
  const count = Math.max(1, units.length - size + 1);
  const out = new Uint32Array(count);
  const width = Math.min(size, units.length);
  for (let i = 0; i < count; i++) out[i] = hashSequence(units, i, i + width);
  return out;
}

/**
 * Computes MinHash signatures (Broder 1997, "On the resemblance and containment of
 * documents"): for each of `numPerm` seeded hash functions hᵢ, the minimum of hᵢ over the
 * text's shingles. The share of positions where two signatures agree estimates the
 * Jaccard similarity of the shingle sets, with standard error √(J(1−J)/numPerm).
 *
 * The hash functions are hᵢ(x) = fmix32(x ⊕ sᵢ), MurmurHash3's finaliser (a bijection
 * of 32-bit integers) after xor with a 32-bit key sᵢ drawn from {@link createRng}(seed):
 * each is a pseudo-random permutation of the 32-bit shingle hashes.
 *
 * @example
 * ```ts
 * import { MinHasher, estimateJaccard } from "@tunekit/instruct";
 * const hasher = new MinHasher({ numPerm: 128 });
 * const a = hasher.signature("the quick brown fox jumps over the lazy dog today");
 * const b = hasher.signature("the quick brown fox jumps over the lazy cat today");
 * estimateJaccard(a, b); // ≈ 0.5: 4 of the 8 distinct word 5-grams are shared
 * ```
 */
export class MinHasher {
  /** The signature length. */
  readonly numPerm: number;
  private readonly keys: Uint32Array;
  private readonly shingles: ShingleOptions;

  /**
   * @param options - see {@link MinHashOptions}; defaults 128 functions, seed 1, word 5-grams.
   * @throws {@link TunekitError} `invalid_minhash` for a bad `numPerm`.
   */
  constructor(options: MinHashOptions = {}) {
    const { numPerm = 128, seed = 1, ...shingles } = options;
    if (!Number.isSafeInteger(numPerm) || numPerm < 1) {
      throw new TunekitError(
        "invalid_minhash",
        `numPerm must be a whole number ≥ 1, got ${numPerm}`,
      );
    }
    this.numPerm = numPerm;
    this.shingles = shingles;
    const rng = createRng(seed);
    this.keys = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) this.keys[i] = rng.uint32();
  }

  /**
   * The signature of a text.
   *
   * @param text - the text.
   * @returns `numPerm` values (all 0xFFFFFFFF for a text with no shingles).
   */
  signature(text: string): Uint32Array {
    return this.signatureOf(shingleHashes(text, this.shingles));
  }

  /**
   * The signature of precomputed shingle hashes.
   *
   * @param shingles - 32-bit shingle hashes ({@link shingleHashes}).
   * @returns `numPerm` values.
   */
  signatureOf(shingles: Uint32Array): Uint32Array {
    const keys = this.keys;
    const m = keys.length;
    const signature = new Uint32Array(m).fill(0xffffffff);
    for (let s = 0; s < shingles.length; s++) {
      const x = shingles[s];
      for (let i = 0; i < m; i++) {
        // fmix32(x ^ key), inlined: this loop is the cost of near-duplicate detection.
        let h = x ^ keys[i];
        h ^= h >>> 16;
        h = Math.imul(h, 0x85ebca6b);
        h ^= h >>> 13;
        h = Math.imul(h, 0xc2b2ae35);
        h ^= h >>> 16;
        h >>>= 0;
        if (h < signature[i]) signature[i] = h;
      }
    }
    return signature;
  }
}

/**
 * The MinHash estimate of Jaccard similarity: the share of equal signature positions.
 *
 * @param a - a signature.
 * @param b - a signature of the same length from the same {@link MinHasher} settings.
 * @returns a value in [0, 1].
 * @throws {@link TunekitError} `invalid_minhash` when the lengths differ.
 * @example
 * ```ts
 * import { MinHasher, estimateJaccard } from "@tunekit/instruct";
 * const h = new MinHasher();
 * estimateJaccard(h.signature("a b c d e f"), h.signature("a b c d e f")); // 1
 * ```
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) {
    throw new TunekitError(
      "invalid_minhash",
      `signatures differ in length (${a.length} vs ${b.length}); make them with the same numPerm`,
    );
  }
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return a.length === 0 ? 0 : equal / a.length;
}

/**
 * Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sets (1 when both are empty).
 *
 * @param a - a set's members.
 * @param b - another set's members.
 * @returns a value in [0, 1].
 * @example
 * ```ts
 * import { jaccard } from "@tunekit/instruct";
 * jaccard([1, 2, 3], [2, 3, 4]); // 0.5
 * ```
 */
export function jaccard<T>(a: Iterable<T>, b: Iterable<T>): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 1;
  let common = 0;
  for (const x of left) if (right.has(x)) common++;
  return common / (left.size + right.size - common);
}

/**
 * LSH banding: `bands` bands of `rows` signature values each; two texts become
 * candidates when all rows of at least one band agree, which happens with probability
 * 1 − (1 − Jʳ)ᵇ (Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", §3.4).
 *
 * @example
 * ```ts
 * import type { LshBands } from "@tunekit/instruct";
 * const bands: LshBands = { bands: 9, rows: 13 };
 * ```
 */
export interface LshBands {
  /** Number of bands b. */
  bands: number;
  /** Rows per band r (b · r ≤ numPerm). */
  rows: number;
}

// The search costs a few milliseconds; dedup runs often ask for the same settings.
const bandsCache = new Map<string, LshBands>();

function integrate(f: (s: number) => number, from: number, to: number): number {
  // Simpson's rule; the integrands are smooth polynomials in s.
  const steps = 200;
  const h = (to - from) / steps;
  let sum = f(from) + f(to);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}

/**
 * Chooses LSH bands for a similarity threshold: the (b, r) with b · r ≤ numPerm that
 * minimises the weighted areas of false positives (∫₀ᵗ P(s) ds) and false negatives
 * (∫ₜ¹ 1 − P(s) ds) under the candidate probability P(s) = 1 − (1 − sʳ)ᵇ — the same
 * criterion as the datasketch library's MinHashLSH. For threshold 0.8 and 128
 * functions this gives 9 bands of 13 rows.
 *
 * @param threshold - the Jaccard similarity that should count as a duplicate, in (0, 1).
 * @param numPerm - the signature length. Default 128.
 * @param weights - `falsePositive` and `falseNegative` weights. Default ½ each.
 * @returns the bands and rows.
 * @throws {@link TunekitError} `invalid_minhash` for a threshold outside (0, 1).
 * @example
 * ```ts
 * import { lshBands } from "@tunekit/instruct";
 * lshBands(0.8, 128); // { bands: 9, rows: 13 }
 * ```
 */
export function lshBands(
  threshold: number,
  numPerm = 128,
  weights: { falsePositive?: number; falseNegative?: number } = {},
): LshBands {
  if (!(threshold > 0 && threshold < 1)) {
    throw new TunekitError(
      "invalid_minhash",
      `threshold must be between 0 and 1, got ${threshold}`,
    );
  }
  const { falsePositive = 0.5, falseNegative = 0.5 } = weights;
  const cacheKey = `${threshold}/${numPerm}/${falsePositive}/${falseNegative}`;
  const cached = bandsCache.get(cacheKey);
  if (cached) return { ...cached };
  let best: LshBands = { bands: 1, rows: numPerm };
  let bestError = Number.POSITIVE_INFINITY;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r * b <= numPerm; r++) {
      const candidate = (s: number) => 1 - (1 - s ** r) ** b;
      const error =
        falsePositive * integrate(candidate, 0, threshold) +
        falseNegative * integrate((s) => 1 - candidate(s), threshold, 1);
      if (error < bestError) {
        bestError = error;
        best = { bands: b, rows: r };
      }
    }
  }
  bandsCache.set(cacheKey, best);
  return { ...best };
}

/**
 * A locality-sensitive hashing index over MinHash signatures: each band of a signature
 * is hashed to a bucket; a query returns the keys that share at least one bucket.
 *
 * @example
 * ```ts
 * import { MinHashLsh, MinHasher } from "@tunekit/instruct";
 * const hasher = new MinHasher();
 * const index = new MinHashLsh({ bands: 9, rows: 13 });
 * index.insert(0, hasher.signature("one two three four five six seven"));
 * index.query(hasher.signature("one two three four five six seven")); // [0]
 * ```
 */
export class MinHashLsh {
  /** The banding in use. */
  readonly bands: LshBands;
  private readonly buckets: Map<number, number[]>[];

  /**
   * @param bands - bands and rows ({@link lshBands} chooses them for a threshold).
   * @throws {@link TunekitError} `invalid_minhash` for fewer than one band or row.
   */
  constructor(bands: LshBands) {
    if (!(bands.bands >= 1 && bands.rows >= 1)) {
      throw new TunekitError("invalid_minhash", "LSH needs at least one band of one row");
    }
    this.bands = bands;
    this.buckets = Array.from({ length: bands.bands }, () => new Map<number, number[]>());
  }

  private check(signature: Uint32Array): void {
    if (signature.length < this.bands.bands * this.bands.rows) {
      throw new TunekitError(
        "invalid_minhash",
        `a signature of ${signature.length} values is too short for ${this.bands.bands} bands × ${this.bands.rows} rows`,
      );
    }
  }

  /**
   * Adds a signature under a key.
   *
   * @param key - the caller's key (an index, say).
   * @param signature - its MinHash signature.
   * @throws {@link TunekitError} `invalid_minhash` when the signature is too short.
   */
  insert(key: number, signature: Uint32Array): void {
    this.check(signature);
    const { bands, rows } = this.bands;
    for (let b = 0; b < bands; b++) {
      const bucketKey = hashSequence53(signature, b * rows, (b + 1) * rows);
      const bucket = this.buckets[b].get(bucketKey);
      if (bucket) bucket.push(key);
      else this.buckets[b].set(bucketKey, [key]);
    }
  }

  /**
   * The keys sharing at least one band bucket with `signature`, each once, ascending.
   *
   * @param signature - a MinHash signature.
   * @returns the candidate keys.
   * @throws {@link TunekitError} `invalid_minhash` when the signature is too short.
   */
  query(signature: Uint32Array): number[] {
    this.check(signature);
    const { bands, rows } = this.bands;
    const found = new Set<number>();
    for (let b = 0; b < bands; b++) {
      const bucket = this.buckets[b].get(hashSequence53(signature, b * rows, (b + 1) * rows));
      if (bucket) for (const key of bucket) found.add(key);
    }
    return [...found].sort((x, y) => x - y);
  }
}
