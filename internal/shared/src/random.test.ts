import { describe, expect, it } from "vitest";
import { createRng } from "./random";

// Reference values: xoshiro128** from the authors' C code (prng.di.unimi.it) with the
// state {1, 2, 3, 4} gives 11520, 0, 5927040, 70819200 for its first four outputs.
function xoshiroFromState(state: [number, number, number, number]) {
  let [s0, s1, s2, s3] = state;
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3 >>> 0, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return result;
  };
}

describe("createRng", () => {
  it("uses the xoshiro128** step (checked on the authors' state {1,2,3,4})", () => {
    const next = xoshiroFromState([1, 2, 3, 4]);
    expect([next(), next(), next(), next()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it("seeds through SplitMix64 (first output for seed 0 is 0xe220a8397b1dcdaf)", () => {
    // SplitMix64's published first output for state 0; its high word seeds s0.
    const rng = createRng(0);
    const lo = 0x7b1dcdaf;
    // s1 is that output's low word, so the first xoshiro128** output is rotl(lo * 5, 7) * 9.
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    expect(rng.uint32()).toBe(Math.imul(rotl(Math.imul(lo, 5) >>> 0, 7), 9) >>> 0);
  });

  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(sa);
  });

  it("draws floats in [0, 1) and ints in [0, n)", () => {
    const rng = createRng(7);
    for (let i = 0; i < 10000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it("draws normals with mean ≈ 0 and variance ≈ 1", () => {
    const rng = createRng(1);
    const n = 200000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.02);
  });

  it("shuffles to a permutation", () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = createRng(3).shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it("rejects seeds that are not safe integers", () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
  });
});
