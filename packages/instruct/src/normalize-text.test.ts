import { describe, expect, it } from "vitest";
import { normalizeText, wordsOf } from "./normalize-text";

describe("normalizeText", () => {
  it("applies NFKC, case folding and whitespace collapse by default", () => {
    expect(normalizeText("  Ｈｅｌｌｏ\t\n World  ")).toBe("hello world");
    expect(normalizeText("ﬁle ²")).toBe("file 2");
    expect(normalizeText("Straße")).toBe(normalizeText("STRASSE"));
    expect(normalizeText("ẞ")).toBe("ss");
    expect(normalizeText("ΟΔΟΣ")).toBe(normalizeText("οδοσ"));
    expect(normalizeText("Hi, there!")).toBe("hi, there!");
  });

  it("strips punctuation and symbols on request, and can keep everything", () => {
    expect(normalizeText("Hi, there! $5 :)", { stripPunctuation: true })).toBe("hi there 5");
    const raw = "A  B";
    expect(normalizeText(raw, { form: "none", caseFold: false, collapseWhitespace: false })).toBe(
      raw,
    );
  });
});

describe("wordsOf", () => {
  it("splits on anything but letters, marks and digits", () => {
    expect(wordsOf("#Person1#: I ' Ve been ill.")).toEqual(["person1", "i", "ve", "been", "ill"]);
    expect(wordsOf("naïve café")).toEqual(["naïve", "café"]);
    expect(wordsOf("...")).toEqual([]);
  });
});
