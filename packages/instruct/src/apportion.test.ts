import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { controlledRounding, largestRemainder } from "./apportion";

describe("largestRemainder", () => {
  it("matches Hamilton apportionment worked by hand", () => {
    // quotas 5.6, 0.7, 0.7 → floors 5, 0, 0; the two seats left go to the two .7 remainders
    expect(largestRemainder(7, [0.8, 0.1, 0.1])).toEqual([5, 1, 1]);
    expect(largestRemainder(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    // 0.29 · 100 is 28.999… in binary; it still counts as exactly 29
    expect(largestRemainder(100, [0.29, 0.71])).toEqual([29, 71]);
    // ties go to the earlier part
    expect(largestRemainder(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(largestRemainder(0, [1, 2])).toEqual([0, 0]);
    // 25 seats, quotas 10.4, 8.8, 5.8: floors 10, 8, 5, the two .8 remainders get one more
    expect(largestRemainder(25, [104, 88, 58])).toEqual([10, 9, 6]);
  });

  it("rejects bad weights and totals", () => {
    expect(() => largestRemainder(5, [])).toThrow(/positive sum/);
    expect(() => largestRemainder(5, [0, 0])).toThrow(/positive sum/);
    expect(() => largestRemainder(5, [-1, 2])).toThrow(/non-negative/);
    expect(() => largestRemainder(1.5, [1])).toThrow(/whole number/);
  });

  it("gives parts that sum to the total, each the floor or ceiling of its quota", () => {
    fc.assert(
      fc.property(
        fc.nat(10000),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (total, raw) => {
          fc.pre(raw.some((w) => w > 0));
          const parts = largestRemainder(total, raw);
          const sum = raw.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            const quota = (total * raw[i]) / sum;
            expect(p).toBeGreaterThanOrEqual(Math.floor(quota + 1e-9));
            expect(p).toBeLessThanOrEqual(Math.ceil(quota - 1e-9));
          });
        },
      ),
    );
  });
});

describe("controlledRounding", () => {
  it("keeps rows, columns and every cell within one of its quota", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 5 }),
        (rows, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const total = rows.reduce((a, b) => a + b, 0);
          const targets = largestRemainder(total, weights);
          const cells = controlledRounding(rows, weights, targets);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          cells.forEach((row, s) => {
            expect(row.reduce((a, b) => a + b, 0)).toBe(rows[s]);
            row.forEach((cell, k) => {
              const quota = (rows[s] * weights[k]) / weightSum;
              expect(Math.abs(cell - quota)).toBeLessThan(1);
            });
          });
          targets.forEach((t, k) => {
            expect(cells.reduce((a, row) => a + row[k], 0)).toBe(t);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses targets that do not add up", () => {
    expect(() => controlledRounding([3, 3], [1], [5])).toThrow(/sum to 5 but the rows hold 6/);
  });

  it("rounds the documented example", () => {
    expect(controlledRounding([5, 5, 5], [0.8, 0.1, 0.1], [12, 2, 1])).toEqual([
      [4, 1, 0],
      [4, 1, 0],
      [4, 0, 1],
    ]);
  });
});
