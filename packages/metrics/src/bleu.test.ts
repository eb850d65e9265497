import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import {
  addBleuStatistics,
  bleuExampleStatistics,
  bleuFromStatistics,
  bleuStatistics,
  corpusBleu,
  sentenceBleu,
} from "./bleu";
import { SIGNATURE_VERSION } from "./sacrebleu-signature";

function thrown(f: () => unknown): TunekitError {
  try {
    f();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TunekitError");
}

describe("sentenceBleu on the seed's example (reference 'It is cold outside')", () => {
  it("clips repeated words: 'cold cold cold cold' has unigram precision 1/4, not 4/4", () => {
    // "cold" occurs 4 times in the prediction but once in the reference: 1 clipped match.
    const result = sentenceBleu("cold cold cold cold", "It is cold outside");
    expect(result.counts[0]).toBe(1);
    expect(result.totals[0]).toBe(4);
    expect(result.precisions[0]).toBe(25);
  });

  it("needs bigrams to tell 'outside cold it is' from the reference", () => {
    // Lowercased, every unigram matches (4/4); of the bigrams "outside cold", "cold it",
    // "it is" only "it is" is in the reference (1/3); no trigram or 4-gram matches, so exp
    // smoothing gives them 100/(2·2) and 100/(4·1). BP = 1 (4 tokens each).
    const result = sentenceBleu("outside cold it is", "It is cold outside", { lowercase: true });
    expect(result.counts).toEqual([4, 1, 0, 0]);
    expect(result.totals).toEqual([4, 3, 2, 1]);
    expect(result.precisions).toEqual([100, 100 / 3, 25, 25]);
    expect(result.score).toBeCloseTo((100 * (100 / 3) * 25 * 25) ** (1 / 4), 12);
    // Case-sensitive, "it" ≠ "It": 3 of 4 unigrams.
    expect(sentenceBleu("outside cold it is", "It is cold outside").counts[0]).toBe(3);
  });

  it("scores the reference itself 100", () => {
    // exp(mean of log 100) is 100 up to rounding, as in sacrebleu.
    expect(sentenceBleu("It is cold outside", "It is cold outside").score).toBeCloseTo(100, 12);
  });
});

describe("corpus and sentence BLEU details", () => {
  it("takes the closest reference length, the shorter on a tie", () => {
    // 4 prediction tokens; references of 5 and 3 tokens are both 1 away: 3 wins.
    expect(sentenceBleu("a b c d", ["a b c d e", "a b c"]).refLen).toBe(3);
    expect(sentenceBleu("a b c d", ["a b c d e", "a b"]).refLen).toBe(5);
  });

  it("clips each n-gram by its largest count in any one reference", () => {
    // "the" ×3 in the prediction, at most 2 in one reference (not 1 + 2 = 3 summed).
    const result = sentenceBleu("the the the", ["the cat", "the the dog"]);
    expect(result.counts[0]).toBe(2);
  });

  it("applies the brevity penalty exp(1 − r/c) to a short prediction", () => {
    const result = corpusBleu(["a b c d"], ["a b c d e f g h"]);
    expect(result.bp).toBeCloseTo(Math.exp(1 - 8 / 4), 15);
    expect(result.score).toBeCloseTo(100 * Math.exp(1 - 8 / 4), 12);
    expect(result.ratio).toBe(0.5);
  });

  it("scores empty texts as sacrebleu does, without dividing by zero", () => {
    const emptyPrediction = sentenceBleu("", "some reference");
    expect(emptyPrediction.score).toBe(0);
    expect(emptyPrediction.bp).toBe(0); // sys_len 0 < ref_len
    expect(emptyPrediction.totals).toEqual([0, 0, 0, 0]);
    const bothEmpty = corpusBleu([""], [""]);
    expect(bothEmpty.score).toBe(0);
    expect(bothEmpty.bp).toBe(1);
    expect(bothEmpty.ratio).toBe(0);
    expect(corpusBleu(["   "], ["\u3000"]).sysLen).toBe(0); // Python whitespace only
  });

  it("gives 0 without effective order when an order has no n-grams", () => {
    // Three tokens have no 4-gram: sacrebleu's corpus BLEU is 0, sentence BLEU is not.
    expect(corpusBleu(["a b c"], ["a b c"]).score).toBe(0);
    expect(sentenceBleu("a b c", "a b c").score).toBeCloseTo(100, 12);
    expect(corpusBleu(["a b c"], ["a b c"], { effectiveOrder: true }).score).toBeCloseTo(100, 12);
  });

  it("smooths with floor and add-k as Chen & Cherry's methods 1 and 2", () => {
    // counts [2, 1, 0, 0] over totals [3, 2, 1, 0]: with floor 0.1 the 3-gram order without
    // a match gets 100·0.1/1; the 4-gram order has no n-grams, so the score is 0 (no
    // effective order). add-k adds 1 to the counts and totals of orders 2 to 4.
    const floor = corpusBleu(["a b c"], ["a b d"], { smoothMethod: "floor" });
    expect(floor.precisions).toEqual([200 / 3, 50, 10, 0]);
    expect(floor.score).toBe(0);
    const addK = corpusBleu(["a b c"], ["a b d"], { smoothMethod: "add-k", smoothValue: 1 });
    expect(addK.counts).toEqual([2, 2, 1, 1]);
    expect(addK.totals).toEqual([3, 3, 2, 1]);
  });

  it("writes sacrebleu's signature fields, with the smoothing value as Python's .2f", () => {
    const v = `version:${SIGNATURE_VERSION}`;
    expect(corpusBleu(["a"], ["a"]).signature).toBe(
      `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|${v}`,
    );
    expect(sentenceBleu("a", ["a", "b"], { tokenize: "intl", lowercase: true }).signature).toBe(
      `nrefs:2|case:lc|eff:yes|tok:intl|smooth:exp|${v}`,
    );
    // 0.125 is a binary tie: Python rounds it to even ("0.12"), toFixed would give "0.13".
    expect(
      corpusBleu(["a"], ["a"], { smoothMethod: "floor", smoothValue: 0.125 }).signature,
    ).toContain("|smooth:floor[0.12]|");
    expect(corpusBleu(["a"], ["a"], { smoothMethod: "add-k" }).signature).toContain(
      "|smooth:add-k[1.00]|",
    );
    expect(corpusBleu(["a", "b"], [["a"], ["b", "c"]]).signature).toMatch(/^nrefs:var\|/);
  });

  it("adds statistics of parts to those of the whole", () => {
    const predictions = ["the cat sat", "a dog barked", "it is cold outside"];
    const references = ["the cat sat down", ["a dog", "the dog barked"], "It is cold outside"];
    const whole = bleuStatistics(predictions, references);
    const parts = addBleuStatistics(
      bleuStatistics(predictions.slice(0, 1), references.slice(0, 1)),
      bleuStatistics(predictions.slice(1), references.slice(1)),
    );
    expect(parts).toEqual({ ...whole, nrefs: "var" });
    expect(whole.nrefs).toBe("var");
    expect(bleuExampleStatistics(predictions, references).map((s) => s.nrefs)).toEqual([1, 2, 1]);
  });
});

describe("BLEU input errors", () => {
  it("names the example with a non-string prediction or reference", () => {
    const e = thrown(() => corpusBleu(["a", 3 as never], ["a", "b"]));
    expect(e.code).toBe("invalid_input");
    expect(e.message).toContain("predictions[1]");
    expect(thrown(() => corpusBleu(["a"], [["x", null as never]])).message).toContain(
      "references[0][1]",
    );
  });

  it("rejects different lengths, an empty corpus and an empty reference list", () => {
    expect(thrown(() => corpusBleu(["a", "b"], ["a"])).code).toBe("length_mismatch");
    expect(thrown(() => corpusBleu([], [])).code).toBe("empty_corpus");
    const e = thrown(() => corpusBleu(["a", "b", "c"], ["a", "b", []]));
    expect(e.code).toBe("empty_references");
    expect(e.message).toContain("references[2]");
    expect(thrown(() => sentenceBleu("a", [])).code).toBe("empty_references");
  });

  it("rejects unknown options with the valid choices", () => {
    expect(thrown(() => corpusBleu(["a"], ["a"], { tokenize: "spm" as never })).message).toMatch(
      /13a, intl, char, zh, none/,
    );
    expect(
      thrown(() => corpusBleu(["a"], ["a"], { smoothMethod: "lin" as never })).message,
    ).toMatch(/exp, floor, add-k, none/);
    expect(thrown(() => corpusBleu(["a"], ["a"], { maxNgramOrder: 0 })).code).toBe(
      "invalid_option",
    );
    const stats = bleuStatistics(["a"], ["a"], { maxNgramOrder: 2 });
    expect(thrown(() => bleuFromStatistics(stats)).code).toBe("invalid_input");
  });
});
