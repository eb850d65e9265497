import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TokenizerConfig } from "./chat-template";
import {
  IGNORE_INDEX,
  loadTokenizer,
  padExamples,
  type TextTokenizer,
  tokenizePromptCompletion,
  tokenizeText,
} from "./tokenize";

const fixtures = new URL("../test/fixtures/", import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, fixtures), "utf8"));
const jsonl = <T>(path: string): T[] =>
  readFileSync(new URL(path, fixtures), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

const load = (name: string, withConfig = true): TextTokenizer =>
  loadTokenizer(
    json(`tokenizers/${name}/tokenizer.json`),
    withConfig ? (json(`tokenizers/${name}/tokenizer_config.json`) as TokenizerConfig) : {},
  );
const t5 = load("flan-t5");
const zephyr = load("zephyr-7b-beta");

interface TokenizeCase {
  text: string;
  input_ids: number[];
  input_ids_no_special: number[];
  decoded: string;
  decoded_skip_special: string;
}
interface MaskingCase {
  case_id: string;
  prompt: string;
  completion: string;
  input_ids: number[];
  attention_mask: number[];
  labels: number[];
}

describe("loadTokenizer", () => {
  it("finds the special tokens and what the post-processor adds", () => {
    expect([t5.eosId, t5.bosId, t5.padId]).toEqual([1, undefined, 0]);
    expect([t5.prefixIds, t5.suffixIds]).toEqual([[], [1]]);
    expect([zephyr.eosId, zephyr.bosId, zephyr.padId]).toEqual([2, 1, 2]);
    expect([zephyr.prefixIds, zephyr.suffixIds]).toEqual([[1], []]);
  });

  it("infers EOS without a config: the token T5's post-processor appends, or a conventional name", () => {
    expect(load("flan-t5", false).eosId).toBe(1);
    expect(load("zephyr-7b-beta", false).eosId).toBe(2);
    expect(load("zephyr-7b-beta", false).bosId).toBe(1);
  });

  it("rejects what is not a tokenizer and unknown special tokens", () => {
    expect(() => loadTokenizer({ foo: 1 })).toThrow(/not a usable tokenizer.json/);
    expect(() =>
      loadTokenizer(json("tokenizers/flan-t5/tokenizer.json"), { eos_token: "<nope>" }),
    ).toThrow(/EOS token "<nope>" is not in the tokenizer's vocabulary/);
  });
});

describe("FLAN-T5 against tokenizers 0.23 (expected/tokenize.jsonl)", () => {
  const cases = jsonl<TokenizeCase>("expected/tokenize.jsonl");
  it("has the 32 reference texts", () => expect(cases).toHaveLength(32));
  for (const [i, c] of cases.entries()) {
    it(`text ${i}: ${JSON.stringify(c.text).slice(0, 40)}`, () => {
      expect(t5.encode(c.text)).toEqual(c.input_ids);
      expect(t5.encode(c.text, { addSpecialTokens: false })).toEqual(c.input_ids_no_special);
      expect(tokenizeText(t5, c.text).example).toEqual({
        input_ids: c.input_ids,
        attention_mask: c.input_ids.map(() => 1),
        labels: c.input_ids,
      });
      expect(t5.decode(c.input_ids)).toBe(c.decoded);
      expect(t5.decode(c.input_ids, { skipSpecialTokens: true })).toBe(c.decoded_skip_special);
    });
  }
});

describe("masking convention against the reference (expected/masking_convention.jsonl)", () => {
  for (const c of jsonl<MaskingCase>("expected/masking_convention.jsonl")) {
    it(c.case_id, () => {
      const { example, truncated, trainedTokens } = tokenizePromptCompletion(
        t5,
        c.prompt,
        c.completion,
      );
      expect(example).toEqual({
        input_ids: c.input_ids,
        attention_mask: c.attention_mask,
        labels: c.labels,
      });
      expect(truncated).toBe(false);
      expect(trainedTokens).toBe(c.labels.filter((l) => l !== IGNORE_INDEX).length);
    });
  }

  it("trains on the prompt too with trainOnInputs", () => {
    const c = jsonl<MaskingCase>("expected/masking_convention.jsonl")[2];
    const { example } = tokenizePromptCompletion(t5, c.prompt, c.completion, {
      trainOnInputs: true,
    });
    expect(example.input_ids).toEqual(c.input_ids);
    expect(example.labels).toEqual(c.input_ids);
  });

  it("truncates to maxLength and says so", () => {
    const c = jsonl<MaskingCase>("expected/masking_convention.jsonl")[0];
    const { example, truncated } = tokenizePromptCompletion(t5, c.prompt, c.completion, {
      maxLength: 120,
    });
    expect(truncated).toBe(true);
    expect(example.input_ids).toEqual(c.input_ids.slice(0, 120));
    expect(example.labels).toEqual(c.labels.slice(0, 120));
    expect(example.attention_mask).toHaveLength(120);
    expect(() => tokenizePromptCompletion(t5, "a", "b", { maxLength: 0 })).toThrow(/maxLength/);
  });
});

// Mistral-7B-v0.1 (Zephyr's tokenizer) ids from imoneoi/mistral-tokenizer's test cases,
// which were checked against the reference SentencePiece model.
const mistralCases: [string, number[]][] = [
  ["grabbed", [1, 13300]],
  [" grabbed", [1, 28705, 13300]],
  ["           grabbed", [1, 17422, 13300]],
  ["\n", [1, 28705, 13]],
  [" \n", [1, 259, 13]],
  ["\ttabs\t\t\t\tout here", [1, 28705, 12, 24856, 12, 12, 12, 12, 406, 1236]],
  ["ax\n####\nboo", [1, 6056, 13, 2000, 13, 1798, 28709]],
  ["镇", [1, 28705, 29780]],
  ["🦙", [1, 28705, 243, 162, 169, 156]],
  ["🦙Ꙋ", [1, 28705, 243, 162, 169, 156, 237, 156, 141]],
  ["Hello world!", [1, 22557, 1526, 28808]],
];

describe("Zephyr (Mistral SentencePiece BPE with byte fallback)", () => {
  for (const [text, ids] of mistralCases) {
    it(`encodes ${JSON.stringify(text)}`, () => {
      expect(zephyr.encode(text)).toEqual(ids);
      expect(zephyr.encode(text, { addSpecialTokens: false })).toEqual(ids.slice(1));
    });
  }

  it("keeps <s> in front of the prompt, adds </s> once, masks the prompt", () => {
    const { example } = tokenizePromptCompletion(zephyr, "grabbed", " grabbed");
    expect(example.input_ids).toEqual([1, 13300, 28705, 13300, 2]);
    expect(example.labels).toEqual([IGNORE_INDEX, IGNORE_INDEX, 28705, 13300, 2]);
    const withEos = tokenizePromptCompletion(zephyr, "grabbed", " grabbed</s>").example;
    expect(withEos.input_ids.filter((id) => id === 2)).toHaveLength(1);
    expect(withEos.input_ids.at(-1)).toBe(2);
    expect(tokenizePromptCompletion(zephyr, "grabbed", "").example.input_ids).toEqual([
      1, 13300, 2,
    ]);
  });

  it("gives HF's ids for text that starts with <s>, and drops the doubled BOS on request", () => {
    const raw = zephyr.encode("<s>grabbed");
    expect(raw.slice(0, 2)).toEqual([1, 1]);
    const exact = tokenizeText(zephyr, "<s>grabbed");
    expect(exact.doubleBos).toBe(true);
    expect(exact.example.input_ids).toEqual(raw);
    const deduped = tokenizeText(zephyr, "<s>grabbed", { dedupeBos: true });
    expect(deduped.doubleBos).toBe(true);
    expect(deduped.example.input_ids).toEqual(raw.slice(1));
    const pair = tokenizePromptCompletion(zephyr, "<s><|user|>\nHi</s>\n<|assistant|>\n", "Hello", {
      dedupeBos: true,
    });
    expect(pair.doubleBos).toBe(true);
    expect(pair.example.input_ids.slice(0, 2)).not.toEqual([1, 1]);
    expect(tokenizeText(zephyr, "grabbed").doubleBos).toBe(false);
    expect(tokenizeText(t5, "<s>x").doubleBos).toBe(false);
  });
});

describe("padExamples", () => {
  it("pads ids with the pad id, the mask with 0 and labels with -100", () => {
    const a = tokenizePromptCompletion(zephyr, "grabbed", " grabbed").example;
    const b = tokenizePromptCompletion(zephyr, "grabbed", "").example;
    const [pa, pb] = padExamples([a, b], { padId: zephyr.padId!, multipleOf: 4 });
    expect(pa.input_ids).toHaveLength(8);
    expect(pb).toEqual({
      input_ids: [1, 13300, 2, 2, 2, 2, 2, 2],
      attention_mask: [1, 1, 1, 0, 0, 0, 0, 0],
      labels: [
        IGNORE_INDEX,
        IGNORE_INDEX,
        2,
        IGNORE_INDEX,
        IGNORE_INDEX,
        IGNORE_INDEX,
        IGNORE_INDEX,
        IGNORE_INDEX,
      ],
    });
    const [left] = padExamples([b], { padId: 0, length: 5, side: "left" });
    expect(left.input_ids).toEqual([0, 0, 1, 13300, 2]);
    expect(left.attention_mask).toEqual([0, 0, 1, 1, 1]);
    expect(() => padExamples([a], { padId: 0, length: 2 })).toThrow(/more than the padding length/);
  });
});
