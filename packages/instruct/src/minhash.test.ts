import { describe, expect, it } from "vitest";
import { createRng } from "../../../internal/shared/src/index";
import {
  estimateJaccard,
  jaccard,
  lshBands,
  MinHasher,
  MinHashLsh,
  shingleHashes,
} from "./minhash";

/** Two sets of random 32-bit values with exactly `common` shared and `only` private each. */
function pair(rng: ReturnType<typeof createRng>, common: number, onlyA: number, onlyB: number) {
  const values = new Set<number>();
  while (values.size < common + onlyA + onlyB) values.add(rng.uint32());
  const all = [...values];
  const a = Uint32Array.from(all.slice(0, common + onlyA));
  const b = Uint32Array.from([...all.slice(0, common), ...all.slice(common + onlyA)]);
  return { a, b, exact: common / (common + onlyA + onlyB) };
}

describe("MinHash", () => {
  // The estimate is a mean of numPerm indicator variables with mean J, so its standard
  // error is √(J(1−J)/numPerm); 4.5 standard errors bound any single pair here.
  it("estimates Jaccard within 4.5 standard errors on constructed pairs", () => {
    const rng = createRng(2024);
    const hasher = new MinHasher({ numPerm: 128 });
    for (const [common, onlyA, onlyB] of [
      [100, 0, 0],
      [90, 5, 5],
      [80, 10, 10],
      [60, 20, 20],
      [50, 25, 25],
      [20, 40, 40],
      [5, 50, 45],
      [0, 60, 40],
      [300, 30, 70],
    ]) {
      for (let trial = 0; trial < 20; trial++) {
        const { a, b, exact } = pair(rng, common, onlyA, onlyB);
        expect(jaccard(a, b)).toBeCloseTo(exact, 12);
        const estimate = estimateJaccard(hasher.signatureOf(a), hasher.signatureOf(b));
        const se = Math.sqrt((exact * (1 - exact)) / 128);
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(4.5 * se + 1e-12);
      }
    }
  });

  it("is unbiased: the mean over 400 pairs is within 4 standard errors of the mean", () => {
    const rng = createRng(7);
    const hasher = new MinHasher({ numPerm: 64, seed: 3 });
    let sum = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const { a, b } = pair(rng, 40, 30, 30); // J = 0.4
      sum += estimateJaccard(hasher.signatureOf(a), hasher.signatureOf(b));
    }
    const se = Math.sqrt((0.4 * 0.6) / 64 / trials);
    expect(Math.abs(sum / trials - 0.4)).toBeLessThan(4 * se);
  });

  it("gives the same signature for the same text and settings, another for another seed", () => {
    const text = "#Person1#: Hello, how are you doing today? #Person2#: Fine, thanks.";
    expect(new MinHasher().signature(text)).toEqual(new MinHasher().signature(text));
    expect(new MinHasher({ seed: 2 }).signature(text)).not.toEqual(new MinHasher().signature(text));
    expect(() => estimateJaccard(new Uint32Array(3), new Uint32Array(4))).toThrow(
      /differ in length/,
    );
  });

  it("shingles words or characters; short texts are one shingle", () => {
    expect(shingleHashes("a b c d e f g", { size: 5 }).length).toBe(3);
    expect(shingleHashes("a b", { size: 5 }).length).toBe(1);
    expect(shingleHashes("...", { size: 5 }).length).toBe(0);
    expect(shingleHashes("The Cat!", { size: 2 })).toEqual(shingleHashes("the cat", { size: 2 }));
    expect(shingleHashes("猫が座った", { shingle: "char", size: 2 }).length).toBe(4);
    expect(() => shingleHashes("x", { size: 0 })).toThrow(/≥ 1/);
  });
});

describe("LSH", () => {
  it("chooses bands by the weighted false-positive/false-negative areas", () => {
    // For s = 0.8 the 9 × 13 S-curve 1 − (1 − s^13)^9 crosses ½ near 0.85; check the
    // choice is a local optimum of the criterion against its neighbours.
    const { bands, rows } = lshBands(0.8, 128);
    expect(bands * rows).toBeLessThanOrEqual(128);
    expect({ bands, rows }).toEqual({ bands: 9, rows: 13 });
    expect(lshBands(0.5, 128)).toEqual({ bands: 25, rows: 5 });
    expect(() => lshBands(1)).toThrow(/between 0 and 1/);
  });

  it("finds identical signatures and rarely pairs unrelated ones", () => {
    const hasher = new MinHasher();
    const index = new MinHashLsh({ bands: 9, rows: 13 });
    const rng = createRng(5);
    const texts = Array.from({ length: 200 }, () =>
      Array.from({ length: 30 }, () => `w${rng.int(5000)}`).join(" "),
    );
    texts.forEach((t, i) => {
      index.insert(i, hasher.signature(t));
    });
    let unrelated = 0;
    texts.forEach((t, i) => {
      const found = index.query(hasher.signature(t));
      expect(found).toContain(i);
      unrelated += found.length - 1;
    });
    expect(unrelated).toBe(0);
    expect(() => index.insert(0, new Uint32Array(10))).toThrow(/too short/);
  });
});
