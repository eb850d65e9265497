import { describe, expect, it } from "vitest";
import {
  maxDiff,
  multiply,
  nested,
  orthogonalityError,
  transposed,
  withSingularValues,
} from "../test/linalg-helpers";
import { jacobiModuleBytes } from "./jacobi-kernels";
import { fromArray, type Matrix, zeros } from "./matrix";
import { randomNormal } from "./random";
import { randomizedSvd, setJacobiSimd, svd, truncatedSvd } from "./svd";

function reconstruct(u: Matrix, s: Float64Array, v: Matrix): number[][] {
  const us = nested(u).map((row) => row.map((x, k) => x * s[k]));
  return multiply(us, transposed(nested(v)));
}

function frobenius(a: number[][]): number {
  return Math.sqrt(a.flat().reduce((sum, x) => sum + x * x, 0));
}

describe("svd (exact)", () => {
  it("finds the singular values of a diagonal matrix, sorted, with signs moved into U or V", () => {
    const { u, s, v } = svd(
      fromArray(
        [
          [3, 0, 0],
          [0, -1, 0],
          [0, 0, 2],
        ],
        { dtype: "f64" },
      ),
    );
    expect(Array.from(s)).toEqual([3, 2, 1]);
    expect(
      maxDiff(reconstruct(u, s, v), [
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 2],
      ]),
    ).toBeLessThan(1e-15);
  });

  it("finds the analytic singular values of [[3, 0], [4, 5]]: √45 and √5", () => {
    // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
    const { s } = svd(
      fromArray(
        [
          [3, 0],
          [4, 5],
        ],
        { dtype: "f64" },
      ),
    );
    expect(s[0]).toBeCloseTo(Math.sqrt(45), 14);
    expect(s[1]).toBeCloseTo(Math.sqrt(5), 14);
  });

  it("finds ‖x‖·‖y‖ and zeros for a rank-1 outer product x·yᵀ, with complete orthonormal bases", () => {
    const x = [1, 2, 2, 4]; // ‖x‖ = 5
    const y = [3, 0, 4]; // ‖y‖ = 5
    const a = fromArray(
      x.map((xi) => y.map((yj) => xi * yj)),
      { dtype: "f64" },
    );
    const { u, s, v } = svd(a);
    expect(s[0]).toBeCloseTo(25, 13);
    expect(Math.abs(s[1])).toBeLessThan(1e-14);
    expect(Math.abs(s[2])).toBeLessThan(1e-14);
    const u0 = nested(u).map((row) => row[0]);
    const sign = Math.sign(u0[0]);
    expect(u0.map((t) => t * sign)).toEqual(x.map((t) => expect.closeTo(t / 5, 14)));
    expect(orthogonalityError(u)).toBeLessThan(1e-14);
    expect(orthogonalityError(v)).toBeLessThan(1e-14);
  });

  it.each([
    [30, 20],
    [20, 30],
    [25, 25],
    [60, 5],
    [1, 8],
  ])("recovers prescribed singular values of a %i×%i matrix", (m, n) => {
    const k = Math.min(m, n);
    const sigma = Array.from({ length: k }, (_, i) => 10 * 0.7 ** i);
    const a = fromArray(withSingularValues(m, n, sigma, m + n), { dtype: "f64" });
    const { u, s, v } = svd(a);
    expect([u.rows, u.cols, v.rows, v.cols, s.length]).toEqual([m, k, n, k, k]);
    for (let i = 0; i < k; i++) expect(s[i] / sigma[i]).toBeCloseTo(1, 12);
    expect(maxDiff(reconstruct(u, s, v), nested(a))).toBeLessThan(1e-13);
    expect(orthogonalityError(u)).toBeLessThan(1e-13);
    expect(orthogonalityError(v)).toBeLessThan(1e-13);
  });

  it("handles a zero matrix, repeated singular values and f32 storage", () => {
    const z = svd(zeros(4, 3));
    expect(Array.from(z.s)).toEqual([0, 0, 0]);
    expect(orthogonalityError(z.u)).toBeLessThan(1e-7);
    expect(orthogonalityError(z.v)).toBeLessThan(1e-7);
    expect(z.u.data).toBeInstanceOf(Float32Array);
    const repeated = fromArray(withSingularValues(6, 6, [2, 2, 2, 1, 1, 0], 4), { dtype: "f64" });
    const r = svd(repeated);
    expect(Array.from(r.s)).toEqual([2, 2, 2, 1, 1, 0].map((x) => expect.closeTo(x, 13)));
    expect(orthogonalityError(r.u)).toBeLessThan(1e-13);
    expect(orthogonalityError(r.v)).toBeLessThan(1e-13);
    const f = randomNormal(40, 30, { seed: 5 });
    const rf = svd(f);
    expect(maxDiff(reconstruct(rf.u, rf.s, rf.v), nested(f))).toBeLessThan(1e-5);
  });
});

describe("Jacobi kernels", () => {
  it("give bit-identical SVDs in WebAssembly SIMD and in JavaScript", () => {
    expect(WebAssembly.validate(jacobiModuleBytes())).toBe(true);
    for (const [m, n] of [
      [37, 21],
      [9, 30],
      [64, 64],
    ]) {
      const a = randomNormal(m, n, { seed: m * n, dtype: "f64" });
      const simd = svd(a);
      setJacobiSimd(false);
      try {
        const js = svd(a);
        expect(Buffer.from(js.s.buffer).equals(Buffer.from(simd.s.buffer))).toBe(true);
        expect(Buffer.from(js.u.data.buffer).equals(Buffer.from(simd.u.data.buffer))).toBe(true);
        expect(Buffer.from(js.v.data.buffer).equals(Buffer.from(simd.v.data.buffer))).toBe(true);
        expect(maxDiff(reconstruct(js.u, js.s, js.v), nested(a))).toBeLessThan(1e-13);
      } finally {
        setJacobiSimd(true);
      }
    }
  });
});

describe("truncated SVD", () => {
  const sigma = Array.from({ length: 40 }, (_, i) => 5 / (1 + i) ** 2);
  const a = fromArray(withSingularValues(60, 40, sigma, 11), { dtype: "f64" });

  it.each([1, 5, 12, 39])("meets Eckart–Young at rank %i: ‖A − A_k‖_F = √(Σ_{i>k} σᵢ²)", (k) => {
    const { u, s, v } = truncatedSvd(a, k, { method: "exact" });
    const approx = reconstruct(u, s, v);
    const residual = nested(a).map((row, i) => row.map((x, j) => x - approx[i][j]));
    const tail = Math.sqrt(sigma.slice(k).reduce((sum, x) => sum + x * x, 0));
    expect(frobenius(residual)).toBeCloseTo(tail, 12);
  });

  it("randomized SVD recovers a low-rank matrix exactly and a decaying spectrum closely", () => {
    const low = fromArray(withSingularValues(80, 50, [9, 4, 1], 3), { dtype: "f64" });
    const r = randomizedSvd(low, 3, { seed: 1 });
    expect(Array.from(r.s)).toEqual([9, 4, 1].map((x) => expect.closeTo(x, 12)));
    expect(maxDiff(reconstruct(r.u, r.s, r.v), nested(low))).toBeLessThan(1e-12);
    expect(orthogonalityError(r.u)).toBeLessThan(1e-13);
    const fast = randomizedSvd(a, 5, { powerIterations: 3 });
    for (let i = 0; i < 5; i++) expect(fast.s[i] / sigma[i]).toBeCloseTo(1, 6);
    expect(randomizedSvd(a, 5, { seed: 3 })).toEqual(randomizedSvd(a, 5, { seed: 3 }));
    expect(truncatedSvd(a, 5, { method: "randomized" }).s).toEqual(randomizedSvd(a, 5).s);
  });

  it("keeps f32 storage, validates the rank, and allows rank 0", () => {
    const f = randomNormal(30, 20, { seed: 2 });
    const r = randomizedSvd(f, 4);
    expect(r.u.data).toBeInstanceOf(Float32Array);
    expect(r.v.data).toBeInstanceOf(Float32Array);
    expect([r.u.rows, r.u.cols, r.v.rows, r.v.cols]).toEqual([30, 4, 20, 4]);
    expect(truncatedSvd(f, 0).s.length).toBe(0);
    expect(() => truncatedSvd(f, 21)).toThrow(
      /rank must be a whole number from 0 to min\(rows, cols\) = 20/,
    );
    expect(() => randomizedSvd(f, 1.5)).toThrow(/30×20/);
  });
});
