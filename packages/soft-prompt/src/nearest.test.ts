import { fromArray, TunekitError, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { fixtureBytes, fixtureText, PEFT, peftEmbeddings } from "../test/fixture-files";
import { readPromptTuningAdapter } from "./adapter";
import { softPromptFromTokenIds } from "./init";
import { nearestTokens } from "./nearest";
import { createSoftPrompt } from "./prompt";
import { loadTokenizer } from "./tokenizer";

interface Expected {
  index: number;
  neighbours: { id: number; cosine: number }[];
}

describe("nearestTokens", () => {
  it("ranks vocabulary rows by cosine like an independent float64 computation (PEFT fixture)", () => {
    const { prompt } = readPromptTuningAdapter({
      config: fixtureText(`${PEFT}/adapter/adapter_config.json`),
      weights: fixtureBytes(`${PEFT}/adapter/adapter_model.safetensors`),
    });
    const expected: Expected[] = JSON.parse(fixtureText("derived/peft-nearest-neighbours.json"));
    const got = nearestTokens(prompt, peftEmbeddings(), { topK: 5 });
    expect(got).toHaveLength(8);
    got.forEach((row, i) => {
      expect(row.index).toBe(expected[i].index);
      expect(row.neighbours.map((n) => n.id)).toEqual(expected[i].neighbours.map((n) => n.id));
      row.neighbours.forEach((n, j) => {
        expect(n.cosine).toBeCloseTo(expected[i].neighbours[j].cosine, 6);
        expect(n.token).toBeNull();
      });
    });
  });

  it("finds each token of a TEXT-initialised prompt first, decoded through the vocabulary", () => {
    const tokenizer = loadTokenizer(fixtureText("word-level/tokenizer.json"));
    // One-hot rows (plus a shared offset on column 0 so rows 0 and 1 are not orthogonal).
    const embeddings = fromArray(
      Array.from({ length: 16 }, (_, i) =>
        Array.from({ length: 16 }, (_, c) => (c === i ? 1 : 0) + (c === 0 ? 0.5 : 0)),
      ),
    );
    const prompt = softPromptFromTokenIds(embeddings, [3, 5]);
    const [first, second] = nearestTokens(prompt, embeddings, { topK: 2, tokenizer });
    expect(first.neighbours[0]).toMatchObject({ id: 3, token: "summarize" });
    expect(first.neighbours[0].cosine).toBeCloseTo(1, 12);
    // Runner-up: row 0 ("<unk>", 1.5 on column 0): cosine 0.5·1.5 / (√1.25 · 1.5) ≈ 0.447,
    // ahead of every other row's 0.25 / 1.25 = 0.2.
    expect(first.neighbours[1]).toMatchObject({ id: 0, token: "<unk>" });
    expect(first.neighbours[1].cosine).toBeCloseTo(0.5 / Math.sqrt(1.25), 6);
    expect(second.neighbours[0]).toMatchObject({ id: 5, token: "dialogue" });
  });

  it("breaks ties toward the lower id and caps topK at the vocabulary size", () => {
    const embeddings = fromArray([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const [row] = nearestTokens(createSoftPrompt(fromArray([[2, 0]])), embeddings, { topK: 10 });
    expect(row.neighbours.map((n) => n.id)).toEqual([0, 1, 2]);
  });

  it("rejects a width mismatch and a bad topK", () => {
    const prompt = createSoftPrompt(zeros(1, 3));
    try {
      nearestTokens(prompt, zeros(4, 2));
      expect.unreachable();
    } catch (error) {
      expect(TunekitError.isInstance(error) && error.code).toBe("token_dim_mismatch");
    }
    expect(() => nearestTokens(prompt, zeros(4, 3), { topK: 0 })).toThrow(/topK/);
  });
});
