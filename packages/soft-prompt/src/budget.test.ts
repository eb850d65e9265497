import { describe, expect, it } from "vitest";
import { countParameters, promptBudget } from "./budget";

describe("promptBudget", () => {
  it("gives Lester et al.'s figure: 5 tokens at d = 4,096 is 20,480 parameters", () => {
    const budget = promptBudget({ numVirtualTokens: 5, tokenDim: 4096, modelParameters: 11e9 });
    expect(budget.trainableParameters).toBe(20480);
    expect(budget.bytes).toBe(81920);
    expect(budget.fractionOfModel).toBeCloseTo(20480 / 11e9, 18);
  });

  it("counts both submodules of an encoder–decoder prompt", () => {
    expect(
      promptBudget({ numVirtualTokens: 20, tokenDim: 512, numTransformerSubmodules: 2 })
        .trainableParameters,
    ).toBe(20480);
  });

  it("leaves the comparison out when the model size is unknown", () => {
    const budget = promptBudget({ numVirtualTokens: 8, tokenDim: 64 });
    expect(budget.modelParameters).toBeNull();
    expect(budget.fractionOfModel).toBeNull();
  });

  it("rejects sizes that are not whole numbers", () => {
    expect(() => promptBudget({ numVirtualTokens: 0, tokenDim: 64 })).toThrow(/numVirtualTokens/);
    expect(() => promptBudget({ numVirtualTokens: 2, tokenDim: 6.5 })).toThrow(/tokenDim/);
  });
});

describe("countParameters", () => {
  it("sums the products of the shapes", () => {
    expect(countParameters([{ shape: [128, 64] }, { shape: [64] }, { shape: [] }])).toBe(8257);
  });
});
