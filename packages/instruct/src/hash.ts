// MurmurHash3 x86_32 (Austin Appleby, SMHasher, public domain): the constants, block
// mixing and finaliser below are that algorithm's; it is fast in JavaScript because every
// step is a 32-bit multiply, rotate or xor.
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers with full avalanche
 * (every input bit flips each output bit with probability about ½).
 *
 * @param h - a 32-bit integer.
 * @returns the mixed value as an unsigned 32-bit integer.
 * @example
 * ```ts
 * import { fmix32 } from "@tunekit/instruct";
 * fmix32(0); // 0
 * fmix32(1); // 1364076727
 * ```
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = rotl32(k, 15);
  k = Math.imul(k, C2);
  h ^= k;
  h = rotl32(h, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * MurmurHash3 x86_32 of a byte string — the standard algorithm, so values agree with
 * other implementations (e.g. Python's `mmh3.hash(data, seed, signed=False)`).
 *
 * @param bytes - the data.
 * @param seed - a 32-bit seed. Default 0.
 * @param length - how many bytes of `bytes` to hash. Default all.
 * @returns the hash as an unsigned 32-bit integer.
 * @example
 * ```ts
 * import { murmur3 } from "@tunekit/instruct";
 * murmur3(new TextEncoder().encode("Hello, world!"), 0x9747b28c); // 0x24884cba
 * ```
 */
export function murmur3(bytes: Uint8Array, seed = 0, length = bytes.length): number {
  let h = seed | 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks];
    if (tail > 1) k ^= bytes[blocks + 1] << 8;
    if (tail > 2) k ^= bytes[blocks + 2] << 16;
    k = Math.imul(k, C1);
    k = rotl32(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix32(h ^ length);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/**
 * MurmurHash3 x86_32 of a string's UTF-8 bytes (no allocation per call: the bytes go
 * into a reused buffer).
 *
 * @param text - the string.
 * @param seed - a 32-bit seed. Default 0.
 * @returns the hash as an unsigned 32-bit integer.
 * @example
 * ```ts
 * import { hashString } from "@tunekit/instruct";
 * hashString("The quick brown fox jumps over the lazy dog", 0x9747b28c); // 0x2fa826cd
 * ```
 */
export function hashString(text: string, seed = 0): number {
  // A UTF-16 unit becomes at most 3 UTF-8 bytes.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return murmur3(scratch, seed, written);
}

/**
 * Hashes a sequence of 32-bit values (word hashes, say) with MurmurHash3's block step,
 * one value per block, and its finaliser: the hash of an n-gram from its words' hashes.
 *
 * @param values - the 32-bit values.
 * @param start - index of the first value. Default 0.
 * @param end - index after the last value. Default `values.length`.
 * @param seed - a 32-bit seed. Default 0.
 * @returns the hash as an unsigned 32-bit integer.
 * @example
 * ```ts
 * import { hashSequence, hashString } from "@tunekit/instruct";
 * const words = Uint32Array.from(["the", "cat", "sat"], (w) => hashString(w));
 * hashSequence(words, 0, 2); // the hash of the bigram "the cat"
 * ```
 */
export function hashSequence(
  values: ArrayLike<number>,
  start = 0,
  end = values.length,
  seed = 0,
): number {
  let h = seed | 0;
  for (let i = start; i < end; i++) h = mixBlock(h, values[i]);
  return fmix32(h ^ ((end - start) * 4));
}

/**
 * A 53-bit hash of a sequence of 32-bit values, from two seeded {@link hashSequence}
 * passes: exact as a JavaScript number, so it can key a `Map` directly. Two different
 * sequences collide with probability about 2⁻⁵³ per pair.
 *
 * @param values - the 32-bit values.
 * @param start - index of the first value. Default 0.
 * @param end - index after the last value. Default `values.length`.
 * @returns an integer in [0, 2⁵³).
 * @example
 * ```ts
 * import { hashSequence53, hashString } from "@tunekit/instruct";
 * const key = hashSequence53(Uint32Array.of(hashString("a"), hashString("b")));
 * Number.isSafeInteger(key); // true
 * ```
 */
export function hashSequence53(values: ArrayLike<number>, start = 0, end = values.length): number {
  const high = hashSequence(values, start, end, 0x2545f491) & 0x1fffff;
  return high * 4294967296 + hashSequence(values, start, end, 0x9e3779b9);
}

/**
 * A 53-bit hash of a string (two seeded {@link hashString} passes), exact as a number.
 *
 * @param text - the string.
 * @returns an integer in [0, 2⁵³).
 * @example
 * ```ts
 * import { hashString53 } from "@tunekit/instruct";
 * hashString53("hello") === hashString53("hello"); // true
 * ```
 */
export function hashString53(text: string): number {
  return (hashString(text, 0x2545f491) & 0x1fffff) * 4294967296 + hashString(text, 0x9e3779b9);
}
