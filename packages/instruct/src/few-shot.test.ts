import { describe, expect, it } from "vitest";
import { createRng } from "../../../internal/shared/src/index";
import { buildFewShotPrompt, countCodePoints, FLAN_FEW_SHOT_FORMAT } from "./few-shot";
import type { PromptTemplate } from "./template";

const qa: PromptTemplate = { name: "qa", input: "Q: {q}\nA:", target: " {a}" };
const pool = [
  { q: "1+1?", a: "2" },
  { q: "2+2?", a: "4" },
  { q: "3+3?", a: "6" },
  { q: "4+4?", a: "8" },
];
const query = { q: "5+5?", a: "10" };

describe("buildFewShotPrompt", () => {
  it("builds a zero-shot prompt from the template alone", () => {
    const out = buildFewShotPrompt(query, { template: qa, exemplars: pool, shots: 0 });
    expect(out.input).toBe("Q: 5+5?\nA:");
    expect(out.target).toBe(" 10");
    expect(out.exemplars).toEqual([]);
  });

  it("puts exemplars before the query with the separators", () => {
    const out = buildFewShotPrompt(query, {
      template: qa,
      exemplars: pool,
      shots: 2,
      format: { exampleSeparator: "\n\n" },
    });
    expect(out.input).toBe("Q: 1+1?\nA: 2\n\nQ: 2+2?\nA: 4\n\nQ: 5+5?\nA:");
    expect(out.exemplars).toEqual([0, 1]);
  });

  it("follows FLAN's layout with prefixes and a final suffix", () => {
    const plain: PromptTemplate = { name: "p", input: "{q}", target: "{a}" };
    const out = buildFewShotPrompt(query, {
      template: plain,
      exemplars: pool,
      shots: 1,
      format: { ...FLAN_FEW_SHOT_FORMAT, inputPrefix: "Q: ", targetPrefix: "A: ", finalSuffix: "" },
    });
    expect(out.input).toBe("Q: 1+1?\n\nA: 2\n\n\nQ: 5+5?\n\nA: ");
  });

  it("never shows an exemplar equal to the query", () => {
    const withDuplicate = [{ q: "5+5?", a: "10" }, ...pool, { q: " 5+5? ", a: "ten" }];
    const out = buildFewShotPrompt(query, { template: qa, exemplars: withDuplicate, shots: 10 });
    expect(out.exemplars).toEqual([1, 2, 3, 4]);
    expect(out.excludedAsQuery).toBe(2);
    expect(out.input.match(/5\+5/g)).toHaveLength(1);
    const self = buildFewShotPrompt(pool[0], { template: qa, exemplars: pool, shots: 4 });
    expect(self.exemplars).toEqual([1, 2, 3]);
  });

  it("draws exemplars with a seeded generator, reproducibly", () => {
    const draw = (seed: number) =>
      buildFewShotPrompt(query, { template: qa, exemplars: pool, shots: 2, rng: createRng(seed) })
        .exemplars;
    expect(draw(11)).toEqual(draw(11));
    // The draw is a partial Fisher–Yates shuffle on rng.int, step by step.
    const rng = createRng(11);
    const order = [0, 1, 2, 3];
    for (let k = 0; k < 2; k++) {
      const j = k + rng.int(4 - k);
      [order[k], order[j]] = [order[j], order[k]];
    }
    expect(draw(11)).toEqual(order.slice(0, 2));
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) seen.add(draw(seed).join(","));
    expect(seen.size).toBeGreaterThan(3);
  });

  it("drops exemplars, last first, to fit a character budget", () => {
    const full = buildFewShotPrompt(query, { template: qa, exemplars: pool, shots: 3 });
    const block = "Q: 1+1?\nA: 2\n\n\n".length;
    const out = buildFewShotPrompt(query, {
      template: qa,
      exemplars: pool,
      shots: 3,
      maxLength: full.length - 1,
    });
    expect(out.exemplars).toEqual([0, 1]);
    expect(out.droppedForLength).toBe(1);
    expect(out.length).toBe(full.length - block);
    expect(out.withinBudget).toBe(true);
  });

  it("budgets in tokens through a counting callback", () => {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const out = buildFewShotPrompt(query, {
      template: qa,
      exemplars: pool,
      shots: 4,
      maxLength: 9,
      measure: words,
    });
    // Each exemplar is 4 words ("Q: 1+1? A: 2"); the query is 3.
    expect(out.exemplars).toEqual([0]);
    expect(out.length).toBe(7);
  });

  it("reports a query that alone exceeds the budget", () => {
    const out = buildFewShotPrompt(query, { template: qa, exemplars: pool, maxLength: 3 });
    expect(out.exemplars).toEqual([]);
    expect(out.withinBudget).toBe(false);
    expect(out.input).toBe("Q: 5+5?\nA:");
  });

  it("rejects a bad number of shots", () => {
    expect(() => buildFewShotPrompt(query, { template: qa, exemplars: pool, shots: -1 })).toThrow(
      /shots must be a whole number/,
    );
  });
});

describe("countCodePoints", () => {
  it("counts code points like Python's len", () => {
    expect(countCodePoints("")).toBe(0);
    expect(countCodePoints("abc")).toBe(3);
    expect(countCodePoints("😀👍🏽")).toBe(3);
    expect(countCodePoints("\ud800x")).toBe(2);
  });
});
