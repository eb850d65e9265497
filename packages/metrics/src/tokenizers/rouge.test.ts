import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rougeTokenize } from "./rouge";

describe("rougeTokenize", () => {
  it("lowercases, splits on everything outside a-z0-9 and keeps the pieces", () => {
    expect(rougeTokenize("The cats' toys, 2 of them!")).toEqual([
      "the",
      "cats",
      "toys",
      "2",
      "of",
      "them",
    ]);
    expect(rougeTokenize("  \t\n ")).toEqual([]);
    expect(rougeTokenize("")).toEqual([]);
    expect(rougeTokenize("e-mail_address@x.org")).toEqual(["e", "mail", "address", "x", "org"]);
  });

  it("deletes every letter outside ASCII, as rouge-score does", () => {
    expect(rougeTokenize("Привет, мир")).toEqual([]);
    expect(rougeTokenize("我喜欢猫")).toEqual([]);
    expect(rougeTokenize("café naïve")).toEqual(["caf", "na", "ve"]);
  });

  it("lowercases the two non-ASCII letters whose lowercase is ASCII as Python does", () => {
    // Python: "İ".lower() == "i\u0307" (i + combining dot, which then separates) and
    // "\u212a".lower() == "k" (Kelvin sign).
    expect(rougeTokenize("İstanbul")).toEqual(["i", "stanbul"]);
    expect(rougeTokenize("\u212aelvin")).toEqual(["kelvin"]);
    // A ligature and fullwidth letters stay non-ASCII after lower(): separators.
    expect(rougeTokenize("ﬁne ＡＢＣ")).toEqual(["ne"]);
  });

  it("stems only tokens longer than three characters", () => {
    // "dies" (4 letters) → "die"; "was" (3) is left alone although Porter would give "wa".
    expect(rougeTokenize("was running dies", { stemmer: true })).toEqual(["was", "run", "die"]);
  });

  it("matches the definition (lower, [^a-z0-9]+ → space, split) on arbitrary text", () => {
    const reference = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, " ")
        .split(" ")
        .filter((t) => t.length > 0);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
        expect(rougeTokenize(text)).toEqual(reference(text));
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("Ab", "c9", " ", "\n", "İ", "\u212a", "é", "-", "ß", "😀"), {
          maxLength: 30,
        }),
        (parts) => {
          const text = parts.join("");
          expect(rougeTokenize(text)).toEqual(reference(text));
        },
      ),
    );
  });
});
