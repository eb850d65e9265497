/**
 * A seeded pseudo-random number generator whose output is the same on every platform.
 *
 * Algorithm (fixed; changing it is a breaking change):
 * - state: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 *   generators", 2018), four 32-bit words;
 * - seeding: the integer seed goes through SplitMix64 (Steele, Lea & Flood 2014) twice,
 *   and the two 64-bit outputs fill the four words (high word first);
 * - `float()`: 53 random bits from two draws, `(a >>> 5) · 2²⁶ + (b >>> 6)` over 2⁵³;
 * - `int(n)`: rejection sampling on one 32-bit draw (no modulo bias) for n ≤ 2³²;
 * - `normal()`: Box–Muller on two `float()` draws, both outputs used in turn.
 *
 * Uniform draws are bit-identical everywhere; normal draws also go through
 * `Math.log`, `Math.cos` and `Math.sin`, which agree across platforms in one JS engine.
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number;
  /** A uniform integer in [0, n); `n` must be a positive integer ≤ 2³². */
  int(n: number): number;
  /** A standard normal draw, N(0, 1). */
  normal(): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

const MASK64 = (1n << 64n) - 1n;

function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Creates the seeded generator described on {@link Rng}.
 *
 * @param seed - a safe integer (negative seeds are taken modulo 2⁶⁴).
 * @returns a generator; two generators with the same seed give the same sequence.
 * @throws RangeError when `seed` is not a safe integer.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  let sm = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [next, out] = splitMix64(sm);
    sm = next;
    words.push(Number(out >> 32n), Number(out & 0xffffffffn));
  }
  let [s0, s1, s2, s3] = words;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  const float = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
  let spare: number | undefined;

  const rng: Rng = {
    uint32,
    float,
    int(n) {
      if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
        throw new RangeError(`int(n) needs a whole number 1 ≤ n ≤ 2^32, got ${n}`);
      }
      // Largest multiple of n that fits in 2^32; draws at or above it are rejected.
      const limit = 4294967296 - (4294967296 % n);
      let x = uint32();
      while (x >= limit) x = uint32();
      return x % n;
    },
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const u1 = 1 - float(); // in (0, 1], so the log is finite
      const u2 = float();
      const radius = Math.sqrt(-2 * Math.log(u1));
      const angle = 2 * Math.PI * u2;
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const held = items[i];
        items[i] = items[j];
        items[j] = held;
      }
      return items;
    },
  };
  return rng;
}
