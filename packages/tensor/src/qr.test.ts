import { describe, expect, it } from "vitest";
import { maxDiff, multiply, nested, orthogonalityError } from "../test/linalg-helpers";
import { fromArray, zeros } from "./matrix";
import { qr } from "./qr";
import { randomNormal } from "./random";

describe("qr", () => {
  it("factors a small known matrix", () => {
    // Column 1 of [[3,1],[4,2],[0,5]] has norm 5; r01 = (3·1 + 4·2)/5 = 2.2;
    // r11 = ‖(1,2,5) − 2.2·(0.6,0.8,0)‖ = √(0.1024 + 0.0576 + 25) = √25.16.
    const { q, r } = qr(
      fromArray(
        [
          [3, 1],
          [4, 2],
          [0, 5],
        ],
        { dtype: "f64" },
      ),
    );
    expect([q.rows, q.cols, r.rows, r.cols]).toEqual([3, 2, 2, 2]);
    expect(r.data[0]).toBeCloseTo(5, 14);
    expect(r.data[1]).toBeCloseTo(2.2, 14);
    expect(r.data[2]).toBe(0);
    expect(r.data[3]).toBeCloseTo(Math.sqrt(25.16), 14);
    expect(Array.from(q.data.filter((_, i) => i % 2 === 0))).toEqual(
      [0.6, 0.8, 0].map((x) => expect.closeTo(x, 14)),
    );
  });

  it.each([
    [7, 4],
    [4, 7],
    [20, 20],
    [50, 3],
    [1, 5],
  ])("reconstructs a random %i×%i matrix with orthonormal Q and upper-triangular R", (m, n) => {
    const a = randomNormal(m, n, { seed: m * 31 + n, dtype: "f64" });
    const { q, r } = qr(a);
    const k = Math.min(m, n);
    expect([q.rows, q.cols, r.rows, r.cols]).toEqual([m, k, k, n]);
    expect(maxDiff(multiply(nested(q), nested(r)), nested(a))).toBeLessThan(1e-13);
    expect(orthogonalityError(q)).toBeLessThan(1e-14);
    for (let i = 0; i < k; i++) {
      expect(r.data[i * n + i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < i; j++) expect(r.data[i * n + j]).toBe(0);
    }
  });

  it("handles rank deficiency and zeros, and keeps f32 storage", () => {
    const a = fromArray(
      [
        [1, 2, 3],
        [2, 4, 6],
        [1, 2, 3],
        [0, 0, 0],
      ],
      { dtype: "f64" },
    );
    const { q, r } = qr(a);
    expect(orthogonalityError(q)).toBeLessThan(1e-14);
    expect(maxDiff(multiply(nested(q), nested(r)), nested(a))).toBeLessThan(1e-13);
    const z = qr(zeros(3, 2));
    expect(z.q.data).toBeInstanceOf(Float32Array);
    expect(orthogonalityError(z.q)).toBe(0);
    expect(Array.from(z.r.data)).toEqual([0, 0, 0, 0]);
  });
});
