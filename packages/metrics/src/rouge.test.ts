import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { createRougeScorer, rouge } from "./rouge";
import { rougeCorpus } from "./rouge-corpus";

function triple(score: { precision: number; recall: number; fmeasure: number }) {
  return [score.precision, score.recall, score.fmeasure];
}

function f1(p: number, r: number) {
  return (2 * p * r) / (p + r);
}

describe("rouge", () => {
  it("computes ROUGE-N, ROUGE-L and ROUGE-Lsum by their definitions", () => {
    // rouge-score's docstring example, worked by hand: prediction has 8 tokens, reference 9.
    // Unigram overlap: the ×2, quick, brown, jumps = 6 (dog is in both too → 6 with "the"
    // clipped to 2): the, quick, brown, dog, jumps, the → 6. Bigrams: "the quick",
    // "quick brown" = 2 of 7 / 8. LCS: the quick brown jumps the = 5.
    const s = rouge(
      "The quick brown dog jumps on the log.",
      "The quick brown fox jumps over the lazy dog",
      { types: ["rouge1", "rouge2", "rougeL", "rougeLsum"] },
    );
    expect(triple(s.rouge1)).toEqual([6 / 8, 6 / 9, f1(6 / 8, 6 / 9)]);
    expect(triple(s.rouge2)).toEqual([2 / 7, 2 / 8, f1(2 / 7, 2 / 8)]);
    expect(triple(s.rougeL)).toEqual([5 / 8, 5 / 9, f1(5 / 8, 5 / 9)]);
    expect(triple(s.rougeLsum)).toEqual(triple(s.rougeL)); // one line each
  });

  it("clips n-gram counts by the reference's counts", () => {
    const s = rouge("cold cold cold cold", "It is cold outside", { types: ["rouge1"] });
    expect(triple(s.rouge1)).toEqual([1 / 4, 1 / 4, 1 / 4]);
  });

  it("splits rougeLsum sentences at newlines and clips union-LCS hits by summary counts", () => {
    // Reference sentences "a b" / "c a"; candidate sentences "a c" / "b a". Reading the
    // LCS back (equal → diagonal; left only when strictly larger, else up):
    //   "a b" vs "a c" → {a}; "a b" vs "b a" → {a} (the tie goes up, so b is never read);
    //   "c a" vs "a c" → {c}; "c a" vs "b a" → {a}.
    // Union per reference sentence: {a}, then {c, a}; all three are hits while counts last
    // (a×2, b, c in both summaries) → 3 hits of 4 tokens each side.
    const s = rouge("a c\nb a", "a b\nc a", { types: ["rougeL", "rougeLsum"] });
    expect(triple(s.rougeLsum)).toEqual([3 / 4, 3 / 4, 3 / 4]);
    // Whole-text LCS of "a c b a" and "a b c a" is 3.
    expect(triple(s.rougeL)).toEqual([3 / 4, 3 / 4, 3 / 4]);
    // The clipping: candidate has only one "x" while the reference repeats it per sentence.
    const clipped = rouge("x y", "x\nx", { types: ["rougeLsum"] });
    expect(triple(clipped.rougeLsum)).toEqual([1 / 2, 1 / 2, 1 / 2]);
  });

  it("can split sentences inside lines for rougeLsum (not rouge-score's split)", () => {
    // One line each, so with newline sentences rougeLsum is the LCS of the two four-word
    // texts: 2 of 4.
    const prediction = "Cats sleep. Dogs bark.";
    const reference = "Dogs bark. Cats sleep.";
    const newline = rouge(prediction, reference, { types: ["rougeLsum"] });
    expect(newline.rougeLsum.fmeasure).toBe(0.5);
    // Split into sentences, each reference sentence is found whole: 4 of 4.
    const split = rouge(prediction, reference, {
      types: ["rougeLsum"],
      sentenceSplitter: "unicode",
    });
    expect(split.rougeLsum.fmeasure).toBe(1);
  });

  it("keeps, per type, the reference with the highest F, the first one on ties", () => {
    // "a b c d" vs "a b": P 2/4, R 1, F 2/3; vs "a b c d e f g h": P 1, R 1/2, F 2/3.
    const tie = ["a b", "a b c d e f g h"];
    const first = rouge("a b c d", tie, { types: ["rouge1"] });
    expect(triple(first.rouge1)).toEqual([0.5, 1, 2 / 3]);
    const reversed = rouge("a b c d", [...tie].reverse(), { types: ["rouge1"] });
    expect(triple(reversed.rouge1)).toEqual([1, 0.5, 2 / 3]);
    // Different types may pick different references: rouge1 prefers the anagram,
    // rouge2 and rougeL the one that keeps "a b" in order.
    const mixed = rouge("a b c d", ["d c b a", "a b x y"], {
      types: ["rouge1", "rouge2", "rougeL"],
    });
    expect(triple(mixed.rouge1)).toEqual([1, 1, 1]);
    expect(triple(mixed.rouge2)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(triple(mixed.rougeL)).toEqual([0.5, 0.5, 0.5]);
  });

  it("stems when asked", () => {
    const plain = rouge("the cats are running", "the cat runs", { types: ["rouge1"] });
    const stemmed = rouge("the cats are running", "the cat runs", {
      types: ["rouge1"],
      stemmer: true,
    });
    expect(triple(plain.rouge1)).toEqual([1 / 4, 1 / 3, f1(1 / 4, 1 / 3)]);
    // cats → cat, running → run, runs → run: the, cat, run match.
    expect(triple(stemmed.rouge1)).toEqual([3 / 4, 1, f1(3 / 4, 1)]);
  });

  it("scores higher orders rouge3…rouge9", () => {
    const s = rouge("a b c d e f g h i j", "a b c d e f g h i x", {
      types: ["rouge3", "rouge9"],
    });
    // 8 trigrams of 8 match except the last ("h i j"): 7/8. 9-grams: 2 each, 1 matches.
    expect(triple(s.rouge3)).toEqual([7 / 8, 7 / 8, 7 / 8]);
    expect(triple(s.rouge9)).toEqual([1 / 2, 1 / 2, 1 / 2]);
  });

  it("lists the requested types in order, once each", () => {
    const s = rouge("a", "a", { types: ["rougeL", "rouge1", "rougeL"] });
    expect(Object.keys(s)).toEqual(["rougeL", "rouge1"]);
    expect(Object.keys(rouge("a", "a"))).toEqual(["rouge1", "rouge2", "rougeL", "rougeLsum"]);
  });

  it("scores empty and token-less texts 0 without throwing", () => {
    for (const [prediction, reference] of [
      ["", ""],
      ["", "the cat"],
      ["the cat", ""],
      ["...", "!!!"],
      ["\n\n", "a\n"],
    ]) {
      const s = rouge(prediction, reference);
      for (const score of Object.values(s)) expect(triple(score)).toEqual([0, 0, 0]);
    }
  });

  it("accepts the unicode tokenizer and tokenizer functions", () => {
    expect(rouge("Привет мир", "привет", { types: ["rouge1"] }).rouge1.fmeasure).toBe(0);
    const unicode = rouge("Привет мир", "привет", { types: ["rouge1"], tokenizer: "unicode" });
    expect(triple(unicode.rouge1)).toEqual([1 / 2, 1, 2 / 3]);
    const chars = rouge("abc", "abd", {
      types: ["rouge1", "rougeLsum"],
      tokenizer: (text) => [...text],
    });
    expect(triple(chars.rouge1)).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect(triple(chars.rougeLsum)).toEqual([2 / 3, 2 / 3, 2 / 3]);
  });

  it("rejects bad input with a typed error naming the argument", () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const notString = error(() => rouge(42 as unknown as string, "a"));
    expect(TunekitError.isInstance(notString)).toBe(true);
    expect((notString as TunekitError).code).toBe("invalid_input");
    expect((notString as Error).message).toMatch(/prediction must be a string, got a number/);
    const badRef = error(() => rouge("a", ["b", null as unknown as string]));
    expect((badRef as Error).message).toMatch(/references\[1\] must be a string, got null/);
    expect((error(() => rouge("a", [])) as TunekitError).code).toBe("empty_references");
    const badType = error(() => rouge("a", "a", { types: ["rouge0" as "rouge1"] }));
    expect((badType as TunekitError).code).toBe("invalid_rouge_type");
  });
});

describe("rougeCorpus", () => {
  it("returns per-example scores in input order and their mean", () => {
    const { perExample, mean } = rougeCorpus(
      ["the cat sat", "a dog barked"],
      ["the cat sat down", ["the cat", "a dog barked"]],
      { types: ["rouge1"] },
    );
    expect(triple(perExample[0].rouge1)).toEqual([1, 3 / 4, f1(1, 3 / 4)]);
    expect(triple(perExample[1].rouge1)).toEqual([1, 1, 1]);
    expect(mean.rouge1.recall).toBe((3 / 4 + 1) / 2);
    expect(mean.rouge1.fmeasure).toBe((f1(1, 3 / 4) + 1) / 2);
  });

  it("names the bad example's index", () => {
    const codeAndMessage = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return `${(e as TunekitError).code}: ${(e as Error).message}`;
      }
      return "no error";
    };
    expect(codeAndMessage(() => rougeCorpus(["a", 3 as unknown as string], ["a", "b"]))).toMatch(
      /^invalid_input: predictions\[1\] must be a string/,
    );
    expect(codeAndMessage(() => rougeCorpus(["a", "b"], ["a", []]))).toMatch(
      /^empty_references: references\[1\] is an empty array/,
    );
    expect(codeAndMessage(() => rougeCorpus(["a", "b"], ["a"]))).toMatch(
      /^length_mismatch: there are 2 predictions but 1 references/,
    );
    expect(codeAndMessage(() => rougeCorpus([], []))).toMatch(/^empty_corpus/);
    expect(codeAndMessage(() => rougeCorpus("a" as unknown as string[], ["a"]))).toMatch(
      /^invalid_input: predictions must be an array/,
    );
  });

  it("gives the same scores as scoring each pair alone (the shared vocabulary is invisible)", () => {
    const predictions = ["the cats ran", "cats", "a b a b", "running late"];
    const references = ["cats running", "the cat", ["b a", "a b"], "late run"];
    const { perExample } = rougeCorpus(predictions, references, { stemmer: true });
    predictions.forEach((prediction, i) => {
      expect(perExample[i]).toEqual(
        createRougeScorer({ stemmer: true }).score(prediction, references[i]),
      );
    });
  });
});
