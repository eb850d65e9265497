import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRougeScorer, type RougeType, rouge } from "./rouge";
import { rougeCorpus } from "./rouge-corpus";

const ALL_TYPES: RougeType[] = ["rouge1", "rouge2", "rouge3", "rouge4", "rougeL", "rougeLsum"];

// Small vocabularies make overlaps, repeats and ties common.
const word = fc.constantFrom("the", "cat", "cats", "sat", "on", "mat", "running", "ran", "a", "b");
const separator = fc.constantFrom(" ", "  ", "\n", ", ", ". ", "\n\n", "-");
const text = fc
  .array(fc.tuple(word, separator), { maxLength: 25 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));
const references = fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }));

describe("ROUGE invariants", () => {
  it("F lies between min(P, R) and max(P, R), and every score in [0, 1]", () => {
    fc.assert(
      fc.property(text, references, fc.boolean(), (prediction, refs, stemmer) => {
        const scores = rouge(prediction, refs, { types: ALL_TYPES, stemmer });
        for (const { precision: p, recall: r, fmeasure: f } of Object.values(scores)) {
          for (const value of [p, r, f]) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          expect(f).toBeGreaterThanOrEqual(Math.min(p, r) - 1e-15);
          expect(f).toBeLessThanOrEqual(Math.max(p, r) + 1e-15);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("identical texts with at least one token score 1 on every type they have n-grams for", () => {
    fc.assert(
      fc.property(text, fc.boolean(), (t, stemmer) => {
        const tokens = t.split(/[^a-z]+/).filter(Boolean).length;
        fc.pre(tokens > 0);
        const scores = rouge(t, t, { types: ALL_TYPES, stemmer });
        for (const type of ["rouge1", "rougeL", "rougeLsum"] as const) {
          expect(scores[type]).toEqual({ precision: 1, recall: 1, fmeasure: 1 });
        }
        if (tokens >= 4) expect(scores.rouge4).toEqual({ precision: 1, recall: 1, fmeasure: 1 });
      }),
      { numRuns: 200 },
    );
  });

  it("the order of the examples does not change the corpus mean, to the last bit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, references), { minLength: 1, maxLength: 12 }),
        fc.integer(),
        (pairs, seed) => {
          const shuffled = fc.sample(fc.shuffledSubarray(pairs, { minLength: pairs.length }), {
            seed,
            numRuns: 1,
          })[0];
          const mean = (list: typeof pairs) =>
            rougeCorpus(
              list.map(([p]) => p),
              list.map(([, r]) => r),
              { types: ALL_TYPES },
            ).mean;
          expect(mean(shuffled)).toEqual(mean(pairs));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("one scorer gives the same scores whatever it scored before", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, references), { maxLength: 6 }),
        text,
        text,
        (warm, p, r) => {
          const scorer = createRougeScorer({ types: ALL_TYPES, stemmer: true });
          for (const [a, b] of warm) scorer.score(a, b);
          expect(scorer.score(p, r)).toEqual(
            createRougeScorer({ types: ALL_TYPES, stemmer: true }).score(p, r),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
