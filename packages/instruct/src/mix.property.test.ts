import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planMix } from "./mix";

const taskList = fc
  .array(fc.nat(5000), { minLength: 1, maxLength: 6 })
  .map((sizes) => sizes.map((size, i) => ({ name: `t${i}`, size })));

describe("mixing properties", () => {
  it("with T ≥ 1 and the default total, no task exceeds the cap", () => {
    fc.assert(
      fc.property(
        taskList,
        fc.integer({ min: 1, max: 4000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer(),
        (tasks, cap, temperature, seed) => {
          fc.pre(tasks.some((t) => t.size > 0));
          const { report, task, example } = planMix(tasks, { cap, temperature, seed });
          const capped = tasks.reduce((a, t) => a + Math.min(t.size, cap), 0);
          expect(report.total).toBe(capped);
          expect(task.length).toBe(capped);
          for (const line of report.tasks) expect(line.count).toBeLessThanOrEqual(cap);
          // Temperature above 1 may repeat a small task's examples, but never past the cap.
          expect(example.every((e, i) => e < tasks[task[i]].size)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("with T = 1 and the default total, each task gives min(size, cap) distinct examples", () => {
    fc.assert(
      fc.property(taskList, fc.integer({ min: 1, max: 4000 }), fc.integer(), (tasks, cap, seed) => {
        fc.pre(tasks.some((t) => t.size > 0));
        const { report, task, example } = planMix(tasks, { cap, seed });
        report.tasks.forEach((line, m) => {
          expect(line.count).toBe(Math.min(tasks[m].size, cap));
          const picked = example.filter((_, i) => task[i] === m);
          expect(new Set(picked).size).toBe(picked.length);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("exact mode hits the requested total and rounds each task within one of rate × total", () => {
    fc.assert(
      fc.property(
        taskList,
        fc.nat(20000),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.integer(),
        (tasks, total, temperature, seed) => {
          fc.pre(tasks.some((t) => t.size > 0));
          const { report, task, example } = planMix(tasks, { total, temperature, seed });
          expect(task.length).toBe(total);
          expect(report.tasks.reduce((a, t) => a + t.count, 0)).toBe(total);
          for (const line of report.tasks) {
            expect(Math.abs(line.count - line.target)).toBeLessThan(1 + 1e-9);
          }
          expect(example.every((e, i) => e < tasks[task[i]].size)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("the same seed gives the same mix", () => {
    fc.assert(
      fc.property(
        taskList,
        fc.constantFrom("exact", "sample") as fc.Arbitrary<"exact" | "sample">,
        fc.integer(),
        (tasks, mode, seed) => {
          fc.pre(tasks.some((t) => t.size > 0));
          const a = planMix(tasks, { mode, seed, cap: 300 });
          const b = planMix(tasks, { mode, seed, cap: 300 });
          expect(a.task).toEqual(b.task);
          expect(a.example).toEqual(b.example);
        },
      ),
      { numRuns: 50 },
    );
  });
});
