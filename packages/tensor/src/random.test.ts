import { describe, expect, it } from "vitest";
import { createRng } from "../../../internal/shared/src/index";
import { kaimingUniform, randomNormal, randomUniform } from "./random";

describe("seeded random matrices", () => {
  it("draw elements row-major from the documented generator", () => {
    const rng = createRng(5);
    const expected = Array.from({ length: 6 }, () => Math.fround(2 + 3 * rng.normal()));
    expect(Array.from(randomNormal(2, 3, { seed: 5, mean: 2, std: 3 }).data)).toEqual(expected);
    const u = createRng(9);
    const uniform = Array.from({ length: 4 }, () => -1 + 3 * u.float());
    expect(
      Array.from(randomUniform(2, 2, { seed: 9, low: -1, high: 2, dtype: "f64" }).data),
    ).toEqual(uniform);
  });

  it("gives the same matrix for the same seed, another for another seed, and continues an rng", () => {
    expect(randomNormal(3, 3, { seed: 1 })).toEqual(randomNormal(3, 3, { seed: 1 }));
    expect(randomNormal(3, 3, { seed: 1 })).not.toEqual(randomNormal(3, 3, { seed: 2 }));
    const rng = createRng(4);
    const first = randomUniform(1, 2, { rng });
    const second = randomUniform(1, 2, { rng });
    expect(Array.from(first.data).concat(Array.from(second.data))).toEqual(
      Array.from(randomUniform(1, 4, { seed: 4 }).data),
    );
    expect(Array.from(randomNormal(1, 1).data)).toEqual(
      Array.from(randomNormal(1, 1, { seed: 0 }).data),
    );
  });

  it("kaimingUniform draws from ±gain·√(3/fan_in) with gain √(2/(1+a²))", () => {
    // torch.nn.init.kaiming_uniform_(w, a=√5) on a 16 × 100 weight: bound = 1/√100 = 0.1.
    const w = kaimingUniform(16, 100, { seed: 3, dtype: "f64" });
    const rng = createRng(3);
    const expected = Array.from({ length: 1600 }, () => -0.1 + 0.2 * rng.float());
    const got = Array.from(w.data);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 14);
    // a = 0 (ReLU): gain √2, bound √2·√(3/6) = 1 for fan_in 6.
    const relu = kaimingUniform(1000, 6, { seed: 1, a: 0 });
    const max = Math.max(...Array.from(relu.data, Math.abs));
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.99);
  });
});
