import { TunekitError } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { fixtureText } from "../test/fixture-files";
import { loadTokenizer } from "./tokenizer";

describe("loadTokenizer", () => {
  const text = fixtureText("word-level/tokenizer.json");

  it("loads a tokenizer.json given as text or as an object, adding the BOS", () => {
    expect(loadTokenizer(text).encode("classify this review")).toEqual([1, 6, 9, 10]);
    expect(loadTokenizer(JSON.parse(text)).encode("positive negative")).toEqual([1, 14, 15]);
  });

  it("maps ids back to vocabulary strings", () => {
    const tokenizer = loadTokenizer(text);
    expect(tokenizer.idToToken(3)).toBe("summarize");
    expect(tokenizer.idToToken(1)).toBe("<s>");
    expect(tokenizer.idToToken(99)).toBeUndefined();
  });

  it("reports malformed files with tokenizer_invalid", () => {
    for (const bad of ["{", "[]", "{}"]) {
      try {
        loadTokenizer(bad, { source: "bad/tokenizer.json" });
        expect.unreachable();
      } catch (error) {
        expect(TunekitError.isInstance(error) && error.code).toBe("tokenizer_invalid");
        expect((error as Error).message).toContain("bad/tokenizer.json");
      }
    }
  });

  it("reports a word with no id and no unknown token", () => {
    const json = JSON.parse(text);
    delete json.model.unk_token;
    expect(() => loadTokenizer(json).encode("klingon")).toThrow(/no id for token "klingon"/);
  });
});
