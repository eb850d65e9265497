import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { fromArray, type Matrix, toArray, zeros } from "./matrix";
import {
  add,
  addInPlace,
  addScaledProduct,
  allClose,
  cosineTopK,
  frobeniusNorm,
  matmul,
  maxAbsDiff,
  rowL2Norms,
  scale,
  sub,
  transpose,
} from "./ops";
import { randomNormal } from "./random";

/** Textbook triple loop in double precision, the reference for the blocked kernels. */
function naiveProduct(a: Matrix, b: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < b.cols; j++) {
      let sum = 0;
      for (let k = 0; k < a.cols; k++) sum += a.data[i * a.cols + k] * b.data[k * b.cols + j];
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

function naiveTranspose(a: Matrix): Matrix {
  const t = zeros(a.cols, a.rows, { dtype: a.data instanceof Float64Array ? "f64" : "f32" });
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}

function expectNear(got: Matrix, expected: number[][], tolerance: number): void {
  expect([got.rows, got.cols]).toEqual([expected.length, expected[0]?.length ?? got.cols]);
  let worst = 0;
  for (let i = 0; i < got.rows; i++) {
    for (let j = 0; j < got.cols; j++)
      worst = Math.max(worst, Math.abs(got.data[i * got.cols + j] - expected[i][j]));
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

function thrown(fn: () => unknown): TunekitError {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a throw");
}

describe("matmul", () => {
  it("multiplies small known matrices", () => {
    const a = fromArray([
      [1, 2],
      [3, 4],
    ]);
    expect(toArray(matmul(a, a))).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(toArray(matmul(a, a, { transposeA: true }))).toEqual([
      [10, 14],
      [14, 20],
    ]);
    expect(toArray(matmul(a, a, { transposeB: true }))).toEqual([
      [5, 11],
      [11, 25],
    ]);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [17, 9, 33],
    [64, 70, 65],
    [5, 200, 3],
    [130, 1, 129],
  ])("agrees with the triple loop on %i×%i · %i×…", (m, k, n) => {
    for (const dtype of ["f32", "f64"] as const) {
      const a = randomNormal(m, k, { seed: m + k, dtype });
      const b = randomNormal(k, n, { seed: k + n, dtype });
      const tol = dtype === "f32" ? 1e-4 * Math.sqrt(k) : 1e-12 * Math.sqrt(k);
      expectNear(matmul(a, b), naiveProduct(a, b), tol);
      expectNear(matmul(naiveTranspose(a), b, { transposeA: true }), naiveProduct(a, b), tol);
      expectNear(matmul(a, naiveTranspose(b), { transposeB: true }), naiveProduct(a, b), tol);
      expectNear(
        matmul(naiveTranspose(a), naiveTranspose(b), { transposeA: true, transposeB: true }),
        naiveProduct(a, b),
        tol,
      );
    }
  });

  it("keeps the first operand's storage type and handles empty inner dimensions", () => {
    const a = randomNormal(2, 3, { seed: 1, dtype: "f64" });
    const b = randomNormal(3, 2, { seed: 2 });
    expect(matmul(a, b).data).toBeInstanceOf(Float64Array);
    expect(matmul(b, a).data).toBeInstanceOf(Float32Array);
    expect(Array.from(matmul(zeros(2, 0), zeros(0, 3)).data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("names both shapes on a mismatch", () => {
    const error = thrown(() => matmul(zeros(2, 3), zeros(4, 5)));
    expect(error.code).toBe("shape_mismatch");
    expect(error.message).toContain("2×3");
    expect(error.message).toContain("4×5");
    expect(thrown(() => matmul(zeros(3, 2), zeros(3, 5), { transposeA: false })).message).toMatch(
      /3×2.*3×5/,
    );
  });
});

describe("addScaledProduct", () => {
  it("adds s·B·A in place and returns W", () => {
    for (const [m, r, n] of [
      [64, 8, 64],
      [33, 3, 19],
      [7, 70, 5],
      [1, 1, 1],
    ]) {
      const w = randomNormal(m, n, { seed: 1 });
      const before = toArray(w);
      const b = randomNormal(m, r, { seed: 2 });
      const a = randomNormal(r, n, { seed: 3 });
      const ba = naiveProduct(b, a);
      const expected = before.map((row, i) => row.map((x, j) => x + 2.5 * ba[i][j]));
      expect(addScaledProduct(w, 2.5, b, a)).toBe(w);
      expectNear(w, expected, 1e-4 * Math.sqrt(r));
    }
  });

  it("converts operands to W's storage type", () => {
    const w = zeros(2, 2, { dtype: "f64" });
    addScaledProduct(w, 1, fromArray([[0.1], [0.2]]), fromArray([[1, 2]], { dtype: "f64" }));
    expect(w.data[0]).toBe(Math.fround(0.1));
    expect(w.data[3]).toBe(2 * Math.fround(0.2));
  });

  it("names all three shapes on a mismatch", () => {
    const error = thrown(() => addScaledProduct(zeros(4, 4), 1, zeros(4, 2), zeros(3, 4)));
    expect(error.code).toBe("shape_mismatch");
    expect(error.message).toMatch(/4×4.*4×2.*3×4/);
  });
});

describe("elementwise ops", () => {
  const a = fromArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = fromArray([
    [0.5, -1, 2],
    [0, 1, -6],
  ]);

  it("transpose, add, sub, scale, addInPlace", () => {
    expect(toArray(transpose(a))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const big = randomNormal(70, 45, { seed: 8 });
    expect(transpose(big)).toEqual(naiveTranspose(big));
    expect(toArray(add(a, b))).toEqual([
      [1.5, 1, 5],
      [4, 6, 0],
    ]);
    expect(toArray(sub(a, b))).toEqual([
      [0.5, 3, 1],
      [4, 4, 12],
    ]);
    expect(toArray(scale(a, -2))).toEqual([
      [-2, -4, -6],
      [-8, -10, -12],
    ]);
    const t = fromArray([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    addInPlace(t, b, 2);
    expect(toArray(t)).toEqual([
      [2, -1, 5],
      [1, 3, -11],
    ]);
    expect(toArray(a)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]); // inputs untouched
    expect(thrown(() => add(a, transpose(a))).message).toMatch(/2×3.*3×2/);
  });

  it("norms without overflow", () => {
    expect(
      Array.from(
        rowL2Norms(
          fromArray([
            [3, 4],
            [0, 0],
          ]),
        ),
      ),
    ).toEqual([5, 0]);
    expect(frobeniusNorm(a)).toBeCloseTo(Math.sqrt(91), 12);
    const huge = fromArray([[3e200, 4e200]], { dtype: "f64" });
    expect(frobeniusNorm(huge)).toBeCloseTo(5e200, -188);
    const tiny = fromArray([[3e-200, 4e-200]], { dtype: "f64" });
    expect(rowL2Norms(tiny)[0] / 5e-200).toBeCloseTo(1, 12);
  });

  it("allClose follows |a − b| ≤ atol + rtol·|b|", () => {
    expect(
      allClose(fromArray([[1 + 1e-6]], { dtype: "f64" }), fromArray([[1]], { dtype: "f64" })),
    ).toBe(true);
    expect(
      allClose(fromArray([[1 + 2e-5]], { dtype: "f64" }), fromArray([[1]], { dtype: "f64" })),
    ).toBe(false);
    expect(allClose(fromArray([[1e-9]], { dtype: "f64" }), fromArray([[0]]))).toBe(true);
    expect(allClose(fromArray([[0.1]]), fromArray([[0.2]]), { atol: 0.1 })).toBe(true);
    expect(allClose(fromArray([[Number.NaN]]), fromArray([[Number.NaN]]))).toBe(false);
    expect(
      allClose(fromArray([[Number.POSITIVE_INFINITY]]), fromArray([[Number.POSITIVE_INFINITY]])),
    ).toBe(true);
    expect(thrown(() => allClose(zeros(1, 2), zeros(2, 1))).code).toBe("shape_mismatch");
  });

  it("maxAbsDiff", () => {
    expect(maxAbsDiff(a, b)).toBe(12);
    expect(maxAbsDiff(zeros(0, 3), zeros(0, 3))).toBe(0);
    expect(maxAbsDiff(fromArray([[Number.NaN]]), fromArray([[0]]))).toBeNaN();
  });
});

describe("cosineTopK", () => {
  const keys = fromArray([
    [1, 0],
    [0, 1],
    [1, 1],
    [2, 0],
    [0, 0],
  ]);

  it("ranks by cosine, best first, ties to the lower index", () => {
    const [row] = cosineTopK(fromArray([[3, 0]]), keys, 3);
    expect(row.map((m) => m.index)).toEqual([0, 3, 2]);
    expect(row[0].score).toBeCloseTo(1, 12);
    expect(row[1].score).toBeCloseTo(1, 12);
    expect(row[2].score).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it("scores zero rows 0 and caps k at the number of keys", () => {
    const result = cosineTopK(
      fromArray([
        [0, -1],
        [0, 0],
      ]),
      keys,
      10,
    );
    // [0, −1] is orthogonal to keys 0 and 3 and scores 0 with the zero key 4: a three-way
    // tie kept in index order, then [1, 1] (−1/√2) and [0, 1] (−1).
    expect(result[0].map((m) => m.index)).toEqual([0, 3, 4, 2, 1]);
    expect(result[0].slice(0, 3).map((m) => m.score)).toEqual([0, 0, 0]);
    expect(result[0][3].score).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(result[0][4].score).toBeCloseTo(-1, 12);
    expect(result[1].map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
    expect(cosineTopK(fromArray([[1, 0]]), keys, 0)).toEqual([[]]);
  });

  it("matches a brute-force sort on random data", () => {
    const q = randomNormal(4, 16, { seed: 1 });
    const v = randomNormal(300, 16, { seed: 2 });
    const got = cosineTopK(q, v, 7);
    for (let i = 0; i < 4; i++) {
      const scores = Array.from({ length: 300 }, (_, j) => {
        let dot = 0;
        let nq = 0;
        let nk = 0;
        for (let t = 0; t < 16; t++) {
          dot += q.data[i * 16 + t] * v.data[j * 16 + t];
          nq += q.data[i * 16 + t] ** 2;
          nk += v.data[j * 16 + t] ** 2;
        }
        return { index: j, score: dot / Math.sqrt(nq * nk) };
      });
      scores.sort((x, y) => y.score - x.score || x.index - y.index);
      expect(got[i].map((m) => m.index)).toEqual(scores.slice(0, 7).map((m) => m.index));
      for (const [p, m] of got[i].entries()) expect(m.score).toBeCloseTo(scores[p].score, 12);
    }
  });

  it("rejects mismatched widths and bad k", () => {
    expect(thrown(() => cosineTopK(zeros(1, 3), keys, 1)).message).toMatch(/1×3.*5×2/);
    expect(thrown(() => cosineTopK(zeros(1, 2), keys, -1)).code).toBe("invalid_argument");
  });
});
