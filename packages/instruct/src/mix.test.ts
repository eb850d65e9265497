import { describe, expect, it } from "vitest";
import { mixingRates, mixTasks, planMix } from "./mix";

describe("mixingRates", () => {
  it("is capped examples-proportional at T = 1", () => {
    const rates = mixingRates([100, 1000, 100000], { cap: 3000 });
    expect(rates[0]).toBeCloseTo(100 / 4100, 12);
    expect(rates[1]).toBeCloseTo(1000 / 4100, 12);
    expect(rates[2]).toBeCloseTo(3000 / 4100, 12);
  });

  it("raises capped sizes to 1/T and renormalises", () => {
    const rates = mixingRates([100, 1000, 100000], { cap: 3000, temperature: 2 });
    const powered = [10, Math.sqrt(1000), Math.sqrt(3000)];
    const sum = powered.reduce((a, b) => a + b, 0);
    rates.forEach((r, i) => {
      expect(r).toBeCloseTo(powered[i] / sum, 12);
    });
    // very high temperature → nearly equal; no overflow at tiny T
    for (const r of mixingRates([1, 10, 100], { temperature: 1e6 }))
      expect(r).toBeCloseTo(1 / 3, 4);
    expect(mixingRates([1, 10, 100], { temperature: 0.001 })).toEqual([0, 0, 1]);
  });

  it("defaults to FLAN's cap of 3,000 and validates", () => {
    expect(mixingRates([3000, 6000])).toEqual([0.5, 0.5]);
    expect(mixingRates([0, 0])).toEqual([0, 0]);
    expect(() => mixingRates([1], { temperature: 0 })).toThrow(/temperature/);
    expect(() => mixingRates([1], { cap: 0 })).toThrow(/cap/);
    expect(() => mixingRates([-1])).toThrow(/sizes/);
    expect(mixingRates([10, 20], { cap: Number.POSITIVE_INFINITY })[1]).toBeCloseTo(2 / 3, 12);
  });
});

describe("planMix", () => {
  const tasks = [
    { name: "nli", size: 400000 },
    { name: "qa", size: 1200 },
    { name: "summ", size: 9000 },
  ];

  it("gives each task min(size, cap) at T = 1 by default", () => {
    const { report, task, example } = planMix(tasks, { cap: 3000, seed: 1 });
    expect(report.tasks.map((t) => t.count)).toEqual([3000, 1200, 3000]);
    expect(report.total).toBe(7200);
    expect(task.length).toBe(7200);
    // qa contributes each of its examples exactly once
    const qa = [...example.filter((_, i) => task[i] === 1)].sort((a, b) => a - b);
    expect(qa).toEqual(Array.from({ length: 1200 }, (_, i) => i));
  });

  it("repeats whole passes when a task is asked for more than it has", () => {
    const { report, task, example } = planMix(
      [
        { name: "tiny", size: 3 },
        { name: "big", size: 9 },
      ],
      {
        total: 20,
        cap: 100,
        seed: 2,
      },
    );
    expect(report.tasks.map((t) => t.count)).toEqual([5, 15]);
    const tiny = example.filter((_, i) => task[i] === 0);
    const uses = [0, 0, 0];
    for (const e of tiny) uses[e]++;
    expect(uses.sort()).toEqual([1, 2, 2]);
    expect(report.tasks[0].epochs).toBeCloseTo(5 / 3, 12);
  });

  it("samples by rate in sample mode", () => {
    const { report } = planMix(
      [
        { name: "a", size: 1000 },
        { name: "b", size: 3000 },
      ],
      { mode: "sample", total: 40000, seed: 3 },
    );
    expect(report.total).toBe(40000);
    // binomial(40000, 0.25): sd ≈ 87; 5 sd
    expect(Math.abs(report.tasks[0].count - 10000)).toBeLessThan(5 * 87);
    expect(report.tasks[0].count + report.tasks[1].count).toBe(40000);
  });

  it("keeps a task's picks when other tasks change", () => {
    const picksOf = (list: { name: string; size: number }[]) => {
      const plan = planMix(list, { seed: 9, cap: 50 });
      const m = list.findIndex((t) => t.name === "qa");
      return [...plan.example.filter((_, i) => plan.task[i] === m)].sort((a, b) => a - b);
    };
    expect(picksOf(tasks)).toEqual(picksOf([tasks[1], { name: "other", size: 77 }]));
  });

  it("refuses repeated names and empty input", () => {
    expect(() => planMix([])).toThrow(/at least one/);
    expect(() =>
      planMix([
        { name: "a", size: 1 },
        { name: "a", size: 2 },
      ]),
    ).toThrow(/differ/);
    expect(() => planMix([{ name: "a", size: 0 }], { total: 5 })).toThrow(/empty/);
  });
});

describe("mixTasks", () => {
  it("returns the records with their task", () => {
    const { examples, report } = mixTasks(
      { qa: [{ q: "2+2?" }, { q: "3+3?" }], chat: [{ q: "hi" }] },
      { seed: 7 },
    );
    expect(examples).toHaveLength(3);
    expect(
      examples
        .filter((e) => e.task === "qa")
        .map((e) => e.record.q)
        .sort(),
    ).toEqual(["2+2?", "3+3?"]);
    expect(report.tasks.map((t) => [t.task, t.count, t.share])).toEqual([
      ["qa", 2, 2 / 3],
      ["chat", 1, 1 / 3],
    ]);
  });
});
