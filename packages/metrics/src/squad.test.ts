import { describe, expect, it } from "vitest";
import { normalizeSquadAnswer, squad, squadV2 } from "./squad";

describe("normalizeSquadAnswer", () => {
  it("lowercases, drops punctuation, then articles, then extra whitespace", () => {
    // "The  Eiffel-Tower!" → "the  eiffel-tower!" → "the  eiffeltower" → "   eiffeltower".
    expect(normalizeSquadAnswer("The  Eiffel-Tower!")).toBe("eiffeltower");
    expect(normalizeSquadAnswer("an apple a day")).toBe("apple day");
    // Articles only as whole words, with Python's Unicode word boundaries: "théa" keeps its
    // "a" (é is a letter), "éthe" keeps "the".
    expect(normalizeSquadAnswer("théa the")).toBe("théa");
    expect(normalizeSquadAnswer("éthe")).toBe("éthe");
    // "_" is punctuation, so "the_end" becomes "theend" before articles are looked for.
    expect(normalizeSquadAnswer("the_end")).toBe("theend");
  });
});

describe("squad (v1.1)", () => {
  it("takes the best gold answer per question and averages in percent", () => {
    // Q1 "1976" vs ["1976"]: EM 1, F1 1.
    // Q2 "the big cat" → "big cat" vs "a cat" → "cat": EM 0; common {cat} = 1,
    //    P = 1/2, R = 1/1, F1 = 2·(1/2)·1 / (3/2) = 2/3.
    // Q3 "dog" vs ["cat", "Dog."]: "dog" = "dog" → EM 1, F1 1.
    const result = squad(["1976", "the big cat", "dog"], ["1976", "a cat", ["cat", "Dog."]]);
    expect(result.exactMatch).toBeCloseTo((100 * 2) / 3, 12);
    expect(result.f1).toBeCloseTo((100 * (1 + 2 / 3 + 1)) / 3, 12);
    expect(result.perExample.map((s) => s.exactMatch)).toEqual([1, 0, 1]);
  });

  it("counts repeated tokens as a bag", () => {
    // "cat cat dog" vs "cat dog dog": common = min(2,1) + min(1,2) = 2, P = R = 2/3, F1 = 2/3.
    expect(squad(["cat cat dog"], ["cat dog dog"]).f1).toBeCloseTo((100 * 2) / 3, 12);
  });

  it("gives F1 0 to empty answers (v1.1 has no special case)", () => {
    // Both normalise to "": EM 1, but no common token so F1 0.
    const result = squad(["the"], ["a"]);
    expect([result.exactMatch, result.f1]).toEqual([100, 0]);
  });
});

describe("squadV2", () => {
  it("scores abstentions on unanswerable questions and splits HasAns / NoAns", () => {
    // Q1 answerable, "1976" right: EM 1, F1 1. Q2 unanswerable, "" → "" against [""]:
    // EM 1, F1 1 (both token lists empty). Q3 unanswerable, "Paris": EM 0, F1 0.
    const result = squadV2(["1976", "", "Paris"], [["1976"], [], []]);
    expect(result.exactMatch).toBeCloseTo(200 / 3, 12);
    expect(result.f1).toBeCloseTo(200 / 3, 12);
    expect(result.total).toBe(3);
    expect(result.hasAnswer).toEqual({ exactMatch: 100, f1: 100, total: 1 });
    expect(result.noAnswer).toEqual({ exactMatch: 50, f1: 50, total: 2 });
    expect(result.bestF1).toBeUndefined();
  });

  it("treats answers that normalise to nothing as no answer, but counts them as HasAns", () => {
    // ["the"] normalises to "", so the gold list becomes [""]: an empty prediction is right.
    const result = squadV2([""], [["the"]]);
    expect(result.exactMatch).toBe(100);
    expect(result.hasAnswer?.total).toBe(1);
    expect(result.noAnswer).toBeUndefined();
  });

  it("applies the no-answer threshold and finds the best thresholds", () => {
    // Q1 answerable, right (F1 1), p = 0.9; Q2 unanswerable, predicted "x", p = 0.8;
    // Q3 answerable, half right (F1 2/3), p = 0.1.
    const predictions = ["1976", "x", "big cat"];
    const references = [["1976"], [], ["cat"]];
    const noAnswerProbabilities = [0.9, 0.8, 0.1];
    // Threshold 0.5: Q1 and Q2 count as abstentions → Q1 wrong (0), Q2 right (1), Q3 raw.
    const result = squadV2(predictions, references, {
      noAnswerProbabilities,
      noAnswerThreshold: 0.5,
    });
    expect(result.exactMatch).toBeCloseTo(100 / 3, 12); // 0 + 1 + 0
    expect(result.f1).toBeCloseTo((100 * (0 + 1 + 2 / 3)) / 3, 12);
    // Best threshold search over raw scores, sorted by p: start at 1 (the unanswerable
    // question abstains); Q3 (0.1): +F1 → 1 + 2/3, a new best at 0.1; Q2 (0.8): predicted
    // "x" → −1 → 2/3; Q1 (0.9): +1 → 5/3, equal to the best, which stays at 0.1.
    // For EM: 1; Q3 +0 → 1; Q2 −1 → 0; Q1 +1 → 1: never above the start: 1 at threshold 0.
    expect(result.bestF1).toBeCloseTo((100 * 5) / 3 / 3, 12);
    expect(result.bestF1Threshold).toBe(0.1);
    expect(result.bestExactMatch).toBeCloseTo(100 / 3, 12);
    expect(result.bestExactMatchThreshold).toBe(0);
  });

  it("names bad input", () => {
    expect(() => squadV2(["a"], [[1 as never]])).toThrow(/references\[0\]\[0\]/);
    expect(() => squadV2(["a"], [["a"]], { noAnswerProbabilities: [] })).toThrow(/1 questions/);
  });
});
