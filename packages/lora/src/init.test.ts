import { describe, expect, it } from "vitest";
import { initEmbeddingLoraWeights, initLoraWeights } from "./init";

function stats(data: ArrayLike<number>) {
  let sum = 0;
  let sq = 0;
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    sq += data[i] * data[i];
    max = Math.max(max, Math.abs(data[i]));
  }
  const mean = sum / data.length;
  return { mean, variance: sq / data.length - mean * mean, max };
}

describe("initLoraWeights", () => {
  it("peft's default: A ~ U(±1/√in) (kaiming_uniform a=√5), B = 0", () => {
    const { a, b } = initLoraWeights(512, 64, 8, { seed: 42 });
    expect([a.rows, a.cols, b.rows, b.cols]).toEqual([8, 64, 512, 8]);
    expect(b.data.every((v) => v === 0)).toBe(true);
    const s = stats(a.data);
    expect(s.max).toBeLessThanOrEqual(1 / 8); // bound = √(2/6)·√(3/64) = 1/8
    expect(s.max).toBeGreaterThan(0.12);
    expect(s.variance).toBeCloseTo(1 / 64 / 3, 3); // U(−b, b) has variance b²/3
  });

  it("is reproducible from the seed", () => {
    expect(initLoraWeights(16, 16, 4, { seed: 7 }).a.data).toEqual(
      initLoraWeights(16, 16, 4, { seed: 7 }).a.data,
    );
    expect(initLoraWeights(16, 16, 4, { seed: 7 }).a.data).not.toEqual(
      initLoraWeights(16, 16, 4, { seed: 8 }).a.data,
    );
  });

  it("gaussian: A ~ N(0, σ = 1/r), B = 0", () => {
    const { a, b } = initLoraWeights(8, 4096, 4, { init: "gaussian", seed: 1 });
    expect(stats(a.data).variance).toBeCloseTo(1 / 16, 2);
    expect(b.data.every((v) => v === 0)).toBe(true);
  });

  it("init false: both as a new nn.Linear, B within ±1/√r", () => {
    const { a, b, bias } = initLoraWeights(256, 64, 4, { init: false, seed: 3, loraBias: true });
    expect(stats(a.data).max).toBeLessThanOrEqual(1 / 8);
    const sb = stats(b.data);
    expect(sb.max).toBeLessThanOrEqual(0.5);
    expect(sb.max).toBeGreaterThan(0.45);
    expect(stats(bias!).max).toBeLessThanOrEqual(0.5);
  });

  it("rejects r = 0", () => {
    expect(() => initLoraWeights(4, 4, 0)).toThrow(/r must be a positive whole number/);
  });
});

describe("initEmbeddingLoraWeights", () => {
  it("A = 0 (r × vocabulary), B ~ N(0, 1) (width × r)", () => {
    const { a, b } = initEmbeddingLoraWeights(1000, 64, 8, { seed: 5 });
    expect([a.rows, a.cols, b.rows, b.cols]).toEqual([8, 1000, 64, 8]);
    expect(a.data.every((v) => v === 0)).toBe(true);
    expect(stats(b.data).variance).toBeCloseTo(1, 0);
  });
});
