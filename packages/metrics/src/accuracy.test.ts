import { describe, expect, it } from "vitest";
import { accuracy } from "./accuracy";

// Labels from HF evaluate's accuracy examples: predictions [0, 1, 1, 2, 1, 0] against
// references [0, 1, 2, 0, 1, 2] are right at positions 0, 1 and 4.
const predictions = [0, 1, 1, 2, 1, 0];
const references = [0, 1, 2, 0, 1, 2];

describe("accuracy", () => {
  it("is the share of correct labels: 3 of 6", () => {
    expect(accuracy(predictions, references)).toEqual({ accuracy: 0.5, correct: 3, total: 6 });
  });

  it("counts instead with normalize: false", () => {
    expect(accuracy(predictions, references, { normalize: false }).accuracy).toBe(3);
  });

  it("weights examples: (0.5 + 2 + 9) / (0.5 + 2 + 0.7 + 0.5 + 9 + 0.4) = 11.5 / 13.1", () => {
    const sampleWeight = [0.5, 2, 0.7, 0.5, 9, 0.4];
    const result = accuracy(predictions, references, { sampleWeight });
    expect(result.accuracy).toBeCloseTo(11.5 / 13.1, 15);
    expect(accuracy(predictions, references, { sampleWeight, normalize: false }).accuracy).toBe(
      11.5,
    );
  });

  it("compares labels strictly: 1 is not '1'", () => {
    expect(accuracy([1, "yes", true], ["1", "yes", true]).correct).toBe(2);
  });

  it("names the bad example or weight", () => {
    expect(() => accuracy([1, null as never], [1, 2])).toThrow(/predictions\[1\]/);
    expect(() => accuracy([1], [1, 2])).toThrow(/1 predictions but 2 references/);
    expect(() => accuracy([], [])).toThrow(/no examples/);
    expect(() => accuracy([1, 2], [1, 2], { sampleWeight: [1, -1] })).toThrow(/sampleWeight\[1\]/);
    expect(() => accuracy([1], [1], { sampleWeight: [0] })).toThrow(/sum to 0/);
  });
});
