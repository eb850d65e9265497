import { describe, expect, it } from "vitest";
import { readFixture } from "../test/read-fixtures";
import { porterStem } from "./porter";

interface VocabularyFixture {
  meta: { vocabulary: { words: number } };
  records: [word: string, stem: string][];
}

describe("porterStem", () => {
  it("equals NLTK 3.8 (NLTK_EXTENSIONS) on every word of NLTK's Porter test vocabulary", () => {
    const fixture = readFixture<VocabularyFixture>("porter/porter_nltk_vocabulary_stems.json");
    expect(fixture.records).toHaveLength(fixture.meta.vocabulary.words);
    const mismatches = fixture.records
      .filter(([word, stem]) => porterStem(word) !== stem)
      .map(([word, stem]) => `${word}: expected ${stem}, got ${porterStem(word)}`);
    expect(mismatches).toEqual([]);
  });

  it("uses NLTK's extensions where Martin Porter's variant differs", () => {
    // Expected values read off NLTK's rules: four-letter -ies/-ied keep "ie", step 1c needs
    // a consonant before y, the irregular table, and alli → al before step 2's rule list.
    expect(porterStem("dies")).toBe("die");
    expect(porterStem("died")).toBe("die");
    expect(porterStem("flies")).toBe("fli");
    expect(porterStem("spied")).toBe("spi");
    expect(porterStem("enjoy")).toBe("enjoy");
    expect(porterStem("skies")).toBe("sky");
    expect(porterStem("dying")).toBe("die");
    expect(porterStem("generously")).toBe("gener");
  });

  it("looks irregular forms up before lowercasing, as NLTK does", () => {
    // "Sky" is not in NLTK's table (the lookup uses the word as given), so it is stemmed:
    // "sky" → step 1c (y after the consonant k, stem longer than one letter) → "ski".
    expect(porterStem("sky")).toBe("sky");
    expect(porterStem("Sky")).toBe("ski");
  });

  it("lowercases and returns words of one or two characters unchanged otherwise", () => {
    expect(porterStem("RUNNING")).toBe("run");
    expect(porterStem("Is")).toBe("is");
    expect(porterStem("")).toBe("");
  });

  it("counts characters by code point, as Python does", () => {
    // In Python "a😀😀ed" is 5 characters: "ed" goes, "a😀😀" ends with a double
    // consonant (two equal non-vowels), so one is dropped. UTF-16 indexing would see two
    // different surrogates and keep both.
    expect(porterStem("a😀😀ed")).toBe("a😀");
    // Two code points, so the length rule returns it untouched (4 UTF-16 units).
    expect(porterStem("😀s")).toBe("😀s");
  });

  it("is a function of the word alone (the cache returns what a fresh stem would)", () => {
    const first = porterStem("connections");
    expect(porterStem("connections")).toBe(first);
    expect(first).toBe("connect");
  });
});
