import { describe, expect, it } from "vitest";
import { runDemo } from "../src/demo/run-demo";
import { runCliCapture } from "./run-cli";

describe("tunekit demo", () => {
  it("tells the whole story on the shipped data", async () => {
    const result = await runDemo();
    // Every dialogue is formatted and lands in exactly one split.
    expect(result.data.records).toBe(12);
    expect(Object.values(result.data.split.sizes).reduce((a, b) => a + b, 0)).toBe(12);
    expect(result.data.firstPrompt.startsWith("Summarize the following conversation.\n\n")).toBe(
      true,
    );
    expect(result.data.firstPrompt.endsWith("\n\nSummary: ")).toBe(true);
    // The teaching example: plain unigram precision 1.0, clipped 0.25; word order needs bigrams.
    expect(result.evaluation.clipping.cases[0]).toMatchObject({
      precision: 1,
      modifiedPrecision: 0.25,
    });
    expect(result.evaluation.clipping.cases[1].modifiedPrecision).toBe(1);
    expect(result.evaluation.clipping.cases[2].modifiedPrecision).toBeCloseTo(1 / 3, 12);
    // The worked LoRA example: 512 × 64 at r = 8 trains 4,608 of 32,768 parameters.
    expect(result.lora.budget).toMatchObject({ frozen: 32768, trainable: 4608 });
    expect(Math.round(result.lora.budget.reductionPercent)).toBe(86);
    // Merging changes exactly the adapted weights and computes what base + adapter does.
    const change = Object.fromEntries(
      result.lora.merge.changed.map((c) => [c.tensor, c.maxAbsChange]),
    );
    expect(change["model.embed_tokens.weight"]).toBe(0);
    expect(change["model.layers.0.self_attn.q_proj.weight"]).toBeGreaterThan(0);
    expect(result.lora.merge.forwardVsMerged).toBeLessThan(1e-5);
    // Six virtual tokens before three input tokens (BOS + 3 words), masked out of the loss.
    expect(result.softPrompt.inputsEmbedsShape).toEqual([10, 32]);
    expect(result.softPrompt.labels.slice(0, 6)).toEqual(Array(6).fill(-100));
    expect(result.softPrompt.attentionMask).toEqual(Array(10).fill(1));
    // TEXT init copies embedding rows, so each virtual token reads back as its init word.
    expect(result.softPrompt.nearest.map((n) => n.token)).toEqual([
      "<s>",
      "summarize",
      "the",
      "following",
      "conversation",
      "<s>",
    ]);
    expect(result.softPrompt.switching.map((s) => s.firstVirtualToken)).toEqual([
      "summarize",
      "translate",
    ]);
  });

  it("prints a readable report by default and JSON on request", async () => {
    const table = await runCliCapture(["demo"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("1. Instruction data");
    expect(table.stdout).toContain("−86%");
    const json = await runCliCapture(["demo", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).lora.budget.trainable).toBe(4608);
  });
});
