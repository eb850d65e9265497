import { describe, expect, it } from "vitest";
import { ContaminationIndex, decontaminate, overlapText } from "./decontaminate";

const thirteen = "one two three four five six seven eight nine ten eleven twelve thirteen";

describe("ContaminationIndex", () => {
  it("finds a shared 13-gram whatever the case, punctuation and spacing", () => {
    const index = new ContaminationIndex();
    index.addEval(`Intro. ${thirteen}. Outro`, "e0");
    index.addEval("completely different evaluation text that shares nothing at all with it", "e1");
    const overlap = index.check(
      `Before: ONE, two three four five six seven eight nine ten eleven twelve thirteen!`,
    );
    expect(overlap).toEqual({ evalIndices: [0], evalIds: ["e0"], ngrams: 1, example: thirteen });
    // twelve shared words are not enough
    expect(
      index.check("one two three four five six seven eight nine ten eleven twelve"),
    ).toBeUndefined();
  });

  it("counts every overlapping position and lists every overlapping item once", () => {
    const index = new ContaminationIndex({ n: 3 });
    index.addEval("a b c d", "x");
    index.addEval("c d e", "y");
    expect(index.check("a b c d e")).toEqual({
      evalIndices: [0, 1],
      evalIds: ["x", "y"],
      ngrams: 3,
      example: "a b c",
    });
    expect(index.size).toBe(3); // "a b c", "b c d", "c d e"
  });

  it("skips evaluation items shorter than n by default and counts them, or matches them whole", () => {
    const skip = new ContaminationIndex({ n: 5 });
    skip.addEval("short answer here", "s");
    expect(skip.shortEvalItems).toBe(1);
    expect(skip.check("the short answer here is")).toBeUndefined();
    const whole = new ContaminationIndex({ n: 5, shortEvalItems: "whole" });
    whole.addEval("short answer here", "s");
    expect(whole.check("the SHORT answer, here is")?.evalIds).toEqual(["s"]);
    expect(() => new ContaminationIndex({ n: 0 })).toThrow(/n must be/);
  });
});

describe("decontaminate", () => {
  it("removes overlapping records and reports which evaluation items they touch", () => {
    const { clean, contaminated, report } = decontaminate(
      [{ text: "the cat sat on the mat today" }, { text: "dogs bark" }],
      [{ text: "A cat sat on the mat." }],
      { n: 4, fields: ["text"] },
    );
    expect(clean).toEqual([{ text: "dogs bark" }]);
    expect(contaminated).toEqual([
      { index: 0, id: 0, evalIndices: [0], evalIds: [0], ngrams: 2, example: "cat sat on the" },
    ]);
    expect(report).toEqual({
      total: 2,
      clean: 1,
      contaminated: 1,
      evalItems: 1,
      shortEvalItems: 0,
      ngrams: 3,
      n: 4,
    });
  });

  it("compares all string values by default", () => {
    expect(overlapText({ id: 3, q: "2+2?", a: "4", tags: ["x"] })).toBe("2+2?\n4");
    expect(overlapText({ q: "x", a: "y" }, ["a"])).toBe("y");
  });
});
