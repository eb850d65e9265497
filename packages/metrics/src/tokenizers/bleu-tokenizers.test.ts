import { describe, expect, it } from "vitest";
import { edgeCasesFixture } from "../../test/sacrebleu-fixtures";
import { TOKEN_HASH_SEED, tokenHashStep } from "../token-vocabulary";
import { tokenize13a } from "./13a";
import { BLEU_TOKENIZER_NAMES, bleuTokenize, bleuTokenSpans } from "./bleu-tokenizers";
import { tokenizeChar } from "./char";
import { tokenizeIntl } from "./intl";
import { tokenizeZh } from "./zh";
import { isZhTokenizerChar } from "./zh-ranges";

describe("sacrebleu 2.6.0 tokenizers", () => {
  const fixture = edgeCasesFixture();

  it("tokenize every purpose-built text exactly as sacrebleu's", () => {
    for (const name of BLEU_TOKENIZER_NAMES) {
      expect(
        fixture.texts.map((t) => bleuTokenize(t, name)),
        name,
      ).toEqual(fixture.tokenized[name]);
    }
  });

  it("tokenize 3,000 random strings of special characters as sacrebleu's 13a, zh and intl", () => {
    const mismatches = fixture.random_tokenized.filter(
      ([text, t13a, zh, intl]) =>
        tokenize13a(text) !== t13a || tokenizeZh(text) !== zh || tokenizeIntl(text) !== intl,
    );
    expect(mismatches).toEqual([]);
  });

  it("lowercase as Python's str.lower() on every text (final sigma, İ, Kelvin sign, ǅ)", () => {
    expect(fixture.texts.map((t) => t.toLowerCase())).toEqual(fixture.lowercased);
  });

  it("give BLEU the tokens of the tokenized line split on Python whitespace", () => {
    for (const name of BLEU_TOKENIZER_NAMES) {
      fixture.texts.forEach((text, i) => {
        const { text: source, spans } = bleuTokenSpans(text, name);
        const tokens = Array.from({ length: spans.count }, (_, t) =>
          source.slice(spans.starts[t], spans.ends[t]),
        );
        // Python's split(): the expected output split on its whitespace characters.
        const expected = fixture.tokenized[name][i]
          // biome-ignore lint/suspicious/noControlCharactersInRegex: Python counts U+001C–U+001F as whitespace
          .split(/[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/)
          .filter((w) => w !== "");
        expect(tokens, `${name} ${JSON.stringify(text)}`).toEqual(expected);
      });
    }
  });

  it("hash every token span as the fold of its UTF-16 units", () => {
    const texts = [...fixture.texts, ...fixture.random_tokenized.map(([text]) => text)];
    for (const name of BLEU_TOKENIZER_NAMES) {
      for (const text of texts) {
        const { text: source, spans } = bleuTokenSpans(text, name);
        for (let t = 0; t < spans.count; t++) {
          let hash = TOKEN_HASH_SEED;
          for (let i = spans.starts[t]; i < spans.ends[t]; i++) {
            hash = tokenHashStep(hash, source.charCodeAt(i));
          }
          expect(spans.hashes[t], `${name} ${JSON.stringify(text)} token ${t}`).toBe(hash);
        }
      }
    }
  });

  it("13a keeps numbers whole and splits symbols, as mteval-v13a", () => {
    // Hand-derived from the rules: "$" and "%" are symbols; "3.50" and "1,000" have digits
    // on both sides of the separator; the final "." follows a digit but precedes the
    // padding space, so rule 3 splits it.
    expect(tokenize13a("It costs $3.50, or 1,000%.")).toBe("It costs $ 3.50 , or 1,000 % .");
    expect(tokenize13a("Don't stop.")).toBe("Don't stop .");
    expect(tokenize13a("5-6 a-b")).toBe("5 - 6 a-b");
  });

  it("zh splits its ranges, including U+2001–U+2A6D from a four-digit \\u escape", () => {
    // sacrebleu writes u'\u20000'–u'\u2a6d6', which Python reads as "\u2000"+"0" and
    // "\u2a6d"+"6": a single character is inside from U+2001 to U+2A6D.
    expect(isZhTokenizerChar(0x2000)).toBe(false);
    expect(isZhTokenizerChar(0x2001)).toBe(true);
    expect(isZhTokenizerChar(0x2026)).toBe(true); // …
    expect(isZhTokenizerChar(0x2a6d)).toBe(true);
    expect(isZhTokenizerChar(0x2a6e)).toBe(false);
    expect(isZhTokenizerChar(0x20000)).toBe(false); // CJK Extension B itself is not
    expect(isZhTokenizerChar(0x4e2d)).toBe(true); // 中
    expect(tokenizeZh("wait…what")).toBe("wait … what");
    expect(tokenizeZh("我喜欢BLEU。")).toBe("我 喜 欢 BLEU 。");
  });

  it("char splits by code point, so an astral character is one token", () => {
    expect(tokenizeChar("a😀b")).toBe("a 😀 b");
  });

  it("rejects an unknown tokenizer name with the valid ones", () => {
    expect(() => bleuTokenize("x", "spm" as never)).toThrow(/13a, intl, char, zh, none/);
  });
});
