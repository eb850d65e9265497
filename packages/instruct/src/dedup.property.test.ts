import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deduplicator } from "./dedup";

// Texts from a tiny vocabulary, so exact and near duplicates are common.
const text = fc
  .array(fc.constantFrom("a", "b", "c", "d", "e", "f", "A", "B", "  ", "x,"), {
    minLength: 0,
    maxLength: 14,
  })
  .map((parts) => parts.join(" "));

function keptTexts(texts: string[], near: boolean): string[] {
  const dedup = new Deduplicator({ near, threshold: 0.6 });
  return texts.filter((t) => dedup.add(t) === undefined);
}

describe("dedup properties", () => {
  it("is idempotent: deduplicating the kept texts removes nothing", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), fc.boolean(), (texts, near) => {
        const once = keptTexts(texts, near);
        expect(keptTexts(once, near)).toEqual(once);
      }),
    );
  });

  it("keeps the first of each group and every removed text names an earlier kept one", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (texts) => {
        const dedup = new Deduplicator({ near: true, threshold: 0.6 });
        const kept = new Set<number>();
        texts.forEach((t, i) => {
          const match = dedup.add(t);
          if (match === undefined) {
            kept.add(i);
            return;
          }
          expect(match.index).toBe(i);
          expect(match.keptIndex).toBeLessThan(i);
          expect(kept.has(match.keptIndex)).toBe(true);
        });
        const report = dedup.report();
        expect(report.kept).toBe(kept.size);
        expect(report.kept + report.removed).toBe(texts.length);
      }),
    );
  });
});
