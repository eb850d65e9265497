import { describe, expect, it } from "vitest";
import { corpusTer, sentenceTer } from "./ter";

describe("TER", () => {
  it("counts a block shift as one edit", () => {
    // "outside" moves from the front to the end: one shift, then the words all match.
    const result = sentenceTer("outside it is cold", "it is cold outside");
    expect(result.numEdits).toBe(1);
    expect(result.score).toBe(25);
  });

  it("counts substitutions, insertions and deletions against the reference length", () => {
    expect(sentenceTer("the cat sat on the mat", "the cat is on the mat").numEdits).toBe(1);
    // One deletion ("big") and one insertion ("down") over 4 reference words.
    const result = sentenceTer("the big dog sat", "the dog sat down");
    expect(result.numEdits).toBe(2);
    expect(result.score).toBe(50);
  });

  it("lowercases unless case-sensitive", () => {
    expect(sentenceTer("The Cat", "the cat").numEdits).toBe(0);
    expect(sentenceTer("The Cat", "the cat", { caseSensitive: true }).numEdits).toBe(2);
  });

  it("takes the fewest edits over the references and the mean reference length", () => {
    const result = sentenceTer("a b c", ["a b c d e", "a x c"]);
    expect(result.numEdits).toBe(1);
    expect(result.refLength).toBe(4);
    expect(result.score).toBe(25);
  });

  it("scores empty references as sacrebleu: 100 with words to delete, else 0", () => {
    expect(sentenceTer("some words", "").score).toBe(100);
    expect(sentenceTer("", "").score).toBe(0);
    expect(corpusTer(["", "a b"], ["x y", ""]).numEdits).toBe(4);
  });

  it("writes sacrebleu's TER signature", () => {
    expect(corpusTer(["a"], ["a"]).signature).toMatch(
      /^nrefs:1\|case:lc\|tok:tercom\|norm:no\|punct:yes\|asian:no\|version:/,
    );
    expect(
      corpusTer(["a"], ["a"], { normalized: true, noPunct: true, caseSensitive: true }).signature,
    ).toMatch(/^nrefs:1\|case:mixed\|tok:tercom\|norm:yes\|punct:no\|asian:no\|/);
  });

  it("names a bad example and a bad option", () => {
    expect(() => corpusTer(["a"], [[]])).toThrow(/references\[0\]/);
    expect(() => corpusTer(["a"], ["a"], { normalized: "yes" as never })).toThrow(/normalized/);
  });
});
