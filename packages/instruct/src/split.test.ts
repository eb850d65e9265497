import { describe, expect, it } from "vitest";
import { createRng } from "../../../internal/shared/src/index";
import { planSplit, splitDataset, splitKey } from "./split";

describe("planSplit", () => {
  it("cuts a seeded Fisher–Yates permutation into consecutive runs", () => {
    // The permutation is exactly what createRng(seed).shuffle makes of 0…n−1.
    const permutation = createRng(11).shuffle(Array.from({ length: 10 }, (_, i) => i));
    const plan = planSplit(10, {}, { seed: 11 });
    expect(plan.report.sizes).toEqual({ train: 8, validation: 1, test: 1 });
    expect([...plan.indices[0]].sort((a, b) => a - b)).toEqual(
      permutation.slice(0, 8).sort((a, b) => a - b),
    );
    expect(plan.indices[1]).toEqual([permutation[8]]);
    expect(plan.indices[2]).toEqual([permutation[9]]);
  });

  it("keeps input order inside a split by default, or shuffles on request", () => {
    const input = planSplit(200, {}, { seed: 5 });
    for (const list of input.indices) {
      expect(list).toEqual([...list].sort((a, b) => a - b));
    }
    const shuffled = planSplit(200, {}, { seed: 5, order: "shuffled" });
    expect([...shuffled.indices[0]].sort((a, b) => a - b)).toEqual(input.indices[0]);
    expect(shuffled.indices[0]).not.toEqual(input.indices[0]);
  });

  it("takes exact counts with one rest", () => {
    const plan = planSplit(50, {}, { counts: ["rest", 7, 3], seed: 1 });
    expect(plan.report.sizes).toEqual({ train: 40, validation: 7, test: 3 });
    expect(() => planSplit(50, {}, { counts: [40, 7, 2] })).toThrow(/sum to 49/);
    expect(() => planSplit(5, {}, { counts: ["rest", 4, 3] })).toThrow(/sum to 7/);
    expect(() => planSplit(5, {}, { counts: ["rest", "rest", 3] })).toThrow(/only one/);
  });

  it("validates ratios, names and labels", () => {
    expect(() => planSplit(10, {}, { ratios: [0.8, 0.1] })).toThrow(/2 ratios for 3/);
    expect(() => planSplit(10, {}, { ratios: [0.8, 0.1, 0.2] })).toThrow(/sum to 1/);
    expect(() => planSplit(10, {}, { names: ["a", "a"], ratios: [0.5, 0.5] })).toThrow(/repeat/);
    expect(() => planSplit(2, { strata: ["a"] })).toThrow(/1 strata labels for 2/);
    expect(() => planSplit(1, { strata: ["a"], groups: ["g"] })).toThrow(/cannot be combined/);
  });

  it("reports strata and groups", () => {
    const strata = [..."aaaabbbbbb"];
    const plan = planSplit(10, { strata }, { ratios: [0.5, 0.5], names: ["x", "y"], seed: 7 });
    expect(plan.report.strata).toEqual({ a: { x: 2, y: 2 }, b: { x: 3, y: 3 } });
    const grouped = planSplit(6, { groups: [..."aabbcc"] }, { ratios: [1 / 3, 1 / 3, 1 / 3] });
    expect(grouped.report.groups).toEqual({ train: 1, validation: 1, test: 1 });
    expect(grouped.report.sizes).toEqual({ train: 2, validation: 2, test: 2 });
  });
});

describe("splitDataset", () => {
  it("stratifies by a field and keeps every record", () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, topic: i % 3 ? "chat" : "qa" }));
    const { splits, report } = splitDataset(rows, { stratify: "topic", seed: 42 });
    expect(report.sizes).toEqual({ train: 80, validation: 10, test: 10 });
    // 34 qa: 27.2 / 3.4 / 3.4 ; 66 chat: 52.8 / 6.6 / 6.6
    expect(report.strata?.qa.train).toBeGreaterThanOrEqual(27);
    expect(report.strata?.qa.train).toBeLessThanOrEqual(28);
    const ids = Object.values(splits).flatMap((list) => list.map((r) => r.id));
    expect(ids.sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
  });

  it("names a record that lacks the field", () => {
    expect(() => splitDataset([{ a: 1 }, { b: 2 }], { group: "a" })).toThrow(
      /record 1 has no value for field "a"/,
    );
  });

  it("labels values that are not strings by their JSON", () => {
    expect(splitKey({ x: 3 }, 0, "x")).toBe("3");
    expect(splitKey({ x: [1, "a"] }, 0, "x")).toBe('[1,"a"]');
    expect(splitKey({ t: "Hi there" }, 0, (r: { t: string }) => r.t.length)).toBe("8");
  });
});
