import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planSplit } from "./split";

const ratios = fc
  .array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 4 })
  .filter((w) => w.some((x) => x > 0))
  .map((w) => {
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / sum);
  });
const names = (k: number) => Array.from({ length: k }, (_, i) => `s${i}`);

describe("split properties", () => {
  it("a split is a partition of the records", () => {
    fc.assert(
      fc.property(fc.nat(300), ratios, fc.integer(), (n, r, seed) => {
        const plan = planSplit(n, {}, { ratios: r, names: names(r.length), seed });
        const all = plan.indices.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
        plan.indices.forEach((list, k) => {
          for (const i of list) expect(plan.assignment[i]).toBe(k);
        });
      }),
    );
  });

  it("the same seed gives the same split", () => {
    fc.assert(
      fc.property(fc.nat(300), ratios, fc.integer(), (n, r, seed) => {
        const options = { ratios: r, names: names(r.length), seed };
        expect(planSplit(n, {}, options).assignment).toEqual(planSplit(n, {}, options).assignment);
      }),
    );
  });

  it("grouped splits never put one group in two splits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 200 }),
        ratios,
        fc.integer(),
        (groupOf, r, seed) => {
          const groups = groupOf.map((g) => `g${g}`);
          const plan = planSplit(
            groups.length,
            { groups },
            { ratios: r, names: names(r.length), seed },
          );
          const home = new Map<string, number>();
          groups.forEach((g, i) => {
            const k = plan.assignment[i];
            if (home.has(g)) expect(home.get(g)).toBe(k);
            home.set(g, k);
          });
          expect(plan.indices.flat().length).toBe(groups.length);
        },
      ),
    );
  });

  it("stratified splits keep each stratum within ±1 of its share and hit the sizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 300 }),
        ratios,
        fc.integer(),
        (strata, r, seed) => {
          const plan = planSplit(
            strata.length,
            { strata },
            { ratios: r, names: names(r.length), seed },
          );
          const counts = new Map<string, number>();
          for (const s of strata) counts.set(s, (counts.get(s) ?? 0) + 1);
          for (const [label, perSplit] of Object.entries(plan.report.strata ?? {})) {
            const size = counts.get(label)!;
            Object.values(perSplit).forEach((got, k) => {
              expect(Math.abs(got - size * r[k])).toBeLessThan(1);
            });
          }
          expect(plan.report.sizes).toEqual(plan.report.targets);
          // assignment agrees with the per-stratum report
          strata.forEach((s, i) => {
            expect(plan.report.strata![s][`s${plan.assignment[i]}`]).toBeGreaterThan(0);
          });
        },
      ),
    );
  });
});
