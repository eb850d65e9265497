import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLcsWorkspace, lcsLength, markUnionLcs } from "./lcs";

// The textbook table and rouge-score's read-back, written out plainly as the specification.
function table(ref: number[], cand: number[]): number[][] {
  const t = Array.from({ length: ref.length + 1 }, () => new Array(cand.length + 1).fill(0));
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= cand.length; j++) {
      t[i][j] =
        ref[i - 1] === cand[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t;
}

function readBack(ref: number[], cand: number[]): number[] {
  const t = table(ref, cand);
  const positions: number[] = [];
  let i = ref.length;
  let j = cand.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === cand[j - 1]) {
      positions.unshift(i - 1);
      i--;
      j--;
    } else if (t[i][j - 1] > t[i - 1][j]) j--;
    else i--;
  }
  return positions;
}

/** Dense ids as the scorer gives them: reference ids by first appearance, others −1. */
function densify(ref: number[], cand: number[]) {
  const ids = new Map<number, number>();
  const r = ref.map((x) => {
    if (!ids.has(x)) ids.set(x, ids.size);
    return ids.get(x)!;
  });
  const c = cand.map((x) => ids.get(x) ?? -1);
  return { r: Int32Array.from(r), c: Int32Array.from(c), distinct: ids.size };
}

const tokens = (max: number) => fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: max });

describe("bit-parallel LCS", () => {
  it("gives the table's length, across word boundaries (up to 100 reference tokens)", () => {
    const workspace = createLcsWorkspace();
    fc.assert(
      fc.property(tokens(100), tokens(60), (ref, cand) => {
        const { r, c, distinct } = densify(ref, cand);
        const got = lcsLength(workspace, r, 0, r.length, c, 0, c.length, distinct);
        expect(got).toBe(table(ref, cand)[ref.length][cand.length]);
      }),
      { numRuns: 400 },
    );
  });

  it("handles references of exactly 32 and 33 tokens (one full word, and one more)", () => {
    const workspace = createLcsWorkspace();
    for (const m of [31, 32, 33, 64, 65]) {
      const ref = Array.from({ length: m }, (_, i) => i % 3);
      const cand = Array.from({ length: 40 }, (_, i) => (i * 2) % 3);
      const { r, c, distinct } = densify(ref, cand);
      expect(lcsLength(workspace, r, 0, m, c, 0, cand.length, distinct)).toBe(
        table(ref, cand)[m][cand.length],
      );
      const same = Int32Array.from(r);
      expect(lcsLength(workspace, r, 0, m, same, 0, m, distinct)).toBe(m);
    }
  });

  it("marks the union of rouge-score's read-back positions over candidate sentences", () => {
    const workspace = createLcsWorkspace();
    fc.assert(
      fc.property(
        tokens(70),
        fc.array(tokens(40), { minLength: 1, maxLength: 4 }),
        (ref, sentences) => {
          const cand = sentences.flat();
          const ends: number[] = [];
          let end = 0;
          for (const s of sentences) {
            end += s.length;
            ends.push(end);
          }
          // The reference sentence sits after two other tokens, as later sentences do.
          const { r, c, distinct } = densify([9, 8, ...ref], cand);
          const mark = new Uint8Array(ref.length);
          const candEnds = Int32Array.from(ends);
          markUnionLcs(workspace, r, 2, r.length, c, candEnds, ends.length, distinct, mark);
          const expected = new Set(sentences.flatMap((s) => readBack(ref, s)));
          const got = [...mark.keys()].filter((i) => mark[i] === 1);
          expect(got).toEqual([...expected].sort((x, y) => x - y));
        },
      ),
      { numRuns: 400 },
    );
  });
});
