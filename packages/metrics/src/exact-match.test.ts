import { describe, expect, it } from "vitest";
import { exactMatch } from "./exact-match";

// HF evaluate's exact_match examples, worked by hand.
const references = ["the cat", "theater", "YELLING", "agent007"];
const predictions = ["cat?", "theater", "yelling", "agent"];

describe("exactMatch", () => {
  it("compares the strings as they are: only 'theater' matches (1 of 4)", () => {
    expect(exactMatch(predictions, references)).toEqual({ exactMatch: 0.25, matches: 1, total: 4 });
  });

  it("applies regexes, then case, then punctuation, then digits, as HF does", () => {
    // Removing "the " and "yell" gives "cat?"/"cat", "theater"/"theater", "ing"/"YELLING",
    // "agent"/"agent007" (regexes come before lowercasing, so "YELLING" keeps its "YELL");
    // lowercasing and dropping punctuation leave cat = cat and theater = theater: 2 of 4.
    const options = {
      regexesToIgnore: ["the ", "yell"],
      ignoreCase: true,
      ignorePunctuation: true,
    };
    expect(exactMatch(predictions, references, options).exactMatch).toBe(0.5);
    // Also removing "YELL" turns "YELLING" into "ING" → "ing", equal to "ing": 3 of 4.
    options.regexesToIgnore.push("YELL");
    expect(exactMatch(predictions, references, options).exactMatch).toBe(0.75);
    // Removing digits turns "agent007" into "agent": 4 of 4.
    expect(
      exactMatch(predictions, references, { ...options, ignoreNumbers: true }).exactMatch,
    ).toBe(1);
  });

  it("removes only ASCII punctuation and digits", () => {
    // "«» " and "٣" (Arabic-Indic three) are not in Python's string.punctuation / digits.
    expect(exactMatch(["«a»"], ["a"], { ignorePunctuation: true }).matches).toBe(0);
    expect(exactMatch(["a٣"], ["a"], { ignoreNumbers: true }).matches).toBe(0);
    expect(exactMatch(["a-b.c!"], ["abc"], { ignorePunctuation: true }).matches).toBe(1);
  });

  it("accepts RegExp patterns with their flags, and any of several references", () => {
    expect(exactMatch(["Answer: 42"], ["42"], { regexesToIgnore: [/^answer:\s*/i] }).matches).toBe(
      1,
    );
    expect(exactMatch(["b"], [["a", "b"]]).matches).toBe(1);
  });

  it("names the bad example and rejects an invalid pattern", () => {
    expect(() => exactMatch(["a", 1 as never], ["a", "b"])).toThrow(/predictions\[1\]/);
    expect(() => exactMatch(["a"], ["a"], { regexesToIgnore: ["("] })).toThrow(
      /regexesToIgnore\[0\]/,
    );
  });
});
