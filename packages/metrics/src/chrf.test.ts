import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { chrfFromStatistics, chrfStatistics, corpusChrf, sentenceChrf } from "./chrf";

describe("chrF", () => {
  it("averages character n-gram precision and recall over the orders (hand computed)", () => {
    // "abc" vs "abd" with char order 2: unigrams 2 of 3 match (P = R = 2/3), bigrams "ab" of
    // {ab, bc} / {ab, bd} (P = R = 1/2). Averages P = R = 7/12, and
    // F2 = (1 + 4)·P·R / (4·P + R) = 7/12 → 58.33.
    const result = sentenceChrf("abc", "abd", { charOrder: 2 });
    expect(result.score).toBeCloseTo((100 * 7) / 12, 12);
    expect(chrfStatistics(["abc"], ["abd"], { charOrder: 2 }).counts).toEqual([3, 3, 2, 2, 2, 1]);
  });

  it("ignores whitespace unless asked to keep it", () => {
    expect(sentenceChrf("a b\tc", "abc").score).toBe(100);
    expect(sentenceChrf("a b c", "abc", { whitespace: true }).score).toBeLessThan(100);
  });

  it("counts no prediction n-grams for an order the reference has none of (sacrebleu)", () => {
    // The reference "ab" has no 3-grams: the prediction's 3-grams count as 0, not 2.
    const { counts } = chrfStatistics(["abcd"], ["ab"], { charOrder: 3 });
    expect(counts.slice(6, 9)).toEqual([0, 0, 0]);
  });

  it("splits one punctuation mark off a word for chrF++ word n-grams", () => {
    // "(hi)" becomes "(hi" and ")" (a trailing mark goes first), while "(hi" alone becomes
    // "(" and "hi": so "(hi)" against "(hi )" has words [(hi, )] and [(, hi, )], one match.
    const { counts } = chrfStatistics(["(hi)"], ["(hi )"], { charOrder: 1, wordOrder: 1 });
    expect(counts.slice(3, 6)).toEqual([2, 3, 1]);
  });

  it("uses the reference with the best chrF, the first on a tie", () => {
    const best = sentenceChrf("the cat", ["a dog", "the cat", "the cat"]);
    expect(best.score).toBeCloseTo(100, 12);
    expect(best.signature).toMatch(/^nrefs:3\|case:mixed\|eff:yes\|nc:6\|nw:0\|space:no\|/);
  });

  it("names chrF2 and chrF2++ and marks eps smoothing as eff:no", () => {
    expect(corpusChrf(["a"], ["a"]).name).toBe("chrF2");
    expect(corpusChrf(["a"], ["a"], { wordOrder: 2 }).name).toBe("chrF2++");
    expect(corpusChrf(["a"], ["a"], { epsSmoothing: true }).signature).toContain("|eff:no|");
  });

  it("scores empty texts 0 without dividing by zero", () => {
    expect(sentenceChrf("", "abc").score).toBe(0);
    expect(sentenceChrf("abc", "").score).toBe(0);
    expect(corpusChrf([""], [""]).score).toBe(0);
    expect(corpusChrf([""], [""], { epsSmoothing: true }).score).toBeCloseTo(0, 12);
  });

  it("rejects bad input and options, naming the example", () => {
    expect(() => corpusChrf(["a", "b"], ["a", 5 as never])).toThrow(/references\[1\]/);
    expect(() => corpusChrf(["a"], ["a"], { charOrder: 0, wordOrder: 0 })).toThrow(TunekitError);
    expect(() => chrfFromStatistics({ counts: [1, 1, 1], nrefs: 1 })).toThrow(/charOrder 6/);
  });
});
