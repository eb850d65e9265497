import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { modifiedPrecision } from "./modified-precision";

describe("modifiedPrecision", () => {
  it("shows why precision is clipped: 'cold cold cold cold' is 1.0 plain, 0.25 modified", () => {
    expect(modifiedPrecision("cold cold cold cold", "It is cold outside")).toEqual({
      order: 1,
      total: 4,
      matches: 4,
      clippedMatches: 1,
      precision: 1,
      modifiedPrecision: 0.25,
    });
  });

  it("shows why word order needs longer n-grams: 'outside cold it is'", () => {
    const reference = "It is cold outside";
    // Every word is right: unigram precision 1.
    expect(modifiedPrecision("outside cold it is", reference).modifiedPrecision).toBe(1);
    // Bigrams "outside cold", "cold it", "it is": only "it is" is in the reference.
    const bigrams = modifiedPrecision("outside cold it is", reference, { order: 2 });
    expect([bigrams.clippedMatches, bigrams.total]).toEqual([1, 3]);
    expect(bigrams.modifiedPrecision).toBe(1 / 3);
    // Trigrams "outside cold it", "cold it is": none.
    expect(modifiedPrecision("outside cold it is", reference, { order: 3 }).modifiedPrecision).toBe(
      0,
    );
  });

  it("clips by the largest count in any single reference", () => {
    // "the" appears twice in the second reference, once in the first: 2 of 3 count.
    const p = modifiedPrecision("the the the", ["the cat", "the cat and the dog"]);
    expect([p.matches, p.clippedMatches, p.total]).toEqual([3, 2, 3]);
  });

  it("returns 0 for a prediction without n-grams and checks its input", () => {
    expect(modifiedPrecision("", "a b").modifiedPrecision).toBe(0);
    expect(modifiedPrecision("a", "a b", { order: 2 }).precision).toBe(0);
    expect(() => modifiedPrecision("a", "a", { order: 0 })).toThrow(TunekitError);
    expect(() => modifiedPrecision("a", [])).toThrow(/empty array/);
  });
});
