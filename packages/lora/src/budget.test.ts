import { describe, expect, it } from "vitest";
import { formatLoraBudget, loraBudget } from "./budget";

describe("loraBudget", () => {
  it("gives the worked example: 512 × 64 at r = 8 trains 4,608 of 32,768 (−86%)", () => {
    const budget = loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }]);
    expect(budget.modules[0]).toMatchObject({
      frozen: 32768,
      loraA: 512,
      loraB: 4096,
      trainable: 4608,
    });
    expect(budget.reductionPercent).toBeCloseTo(85.9375, 10);
    expect([budget.frozenBytes, budget.trainableBytes]).toEqual([131072, 18432]);
    expect(formatLoraBudget(budget)).toBe(
      [
        "module   shape  r  frozen    A      B  trainable  change",
        "layer   512×64  8  32,768  512  4,096      4,608    −86%",
        "F32: 131,072 bytes frozen, 18,432 bytes trained",
      ].join("\n"),
    );
  });

  it("totals several modules and counts DoRA magnitudes and B's bias", () => {
    const budget = loraBudget(
      [
        { name: "q", outFeatures: 64, inFeatures: 64, r: 8, dora: true },
        { name: "v", outFeatures: 64, inFeatures: 64, r: 8, loraBias: true },
      ],
      { dtype: "BF16" },
    );
    expect(budget.trainable).toBe(2 * (8 * 64 + 64 * 8 + 64));
    expect(budget.frozen).toBe(2 * 4096);
    expect(budget.trainableBytes).toBe(budget.trainable * 2);
  });

  it("rejects a zero rank naming the module", () => {
    expect(() => loraBudget([{ name: "q", outFeatures: 4, inFeatures: 4, r: 0 }])).toThrow(
      /module q: r/,
    );
  });
});
