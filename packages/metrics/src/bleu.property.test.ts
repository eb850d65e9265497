import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addBleuStatistics, bleuStatistics, corpusBleu, sentenceBleu } from "./bleu";
import { addChrfStatistics, chrfStatistics, corpusChrf, sentenceChrf } from "./chrf";
import { corpusTer, sentenceTer } from "./ter";
import { BLEU_TOKENIZER_NAMES } from "./tokenizers/bleu-tokenizers";

// A small vocabulary with punctuation, digits and case makes overlaps and ties common.
const word = fc.constantFrom("the", "The", "cat", "sat", "on", "mat", "3.5", "a", "b", "中文", "é");
const gap = fc.constantFrom(" ", "  ", ", ", ". ", "\n", "-", "\t");
const text = fc
  .array(fc.tuple(word, gap), { maxLength: 14 })
  .map((parts) => parts.map(([w, g]) => w + g).join(""));
/** At least four words, so every BLEU order has n-grams. */
const longText = fc.array(word, { minLength: 4, maxLength: 14 }).map((words) => words.join(" "));
const references = fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }));
const corpus = fc.array(fc.tuple(text, references), { minLength: 1, maxLength: 8 });
const tokenize = fc.constantFrom(...BLEU_TOKENIZER_NAMES);

describe("BLEU, chrF and TER invariants", () => {
  it("keep scores in range: BLEU and chrF in [0, 100], TER ≥ 0", () => {
    fc.assert(
      fc.property(text, references, tokenize, (prediction, refs, tok) => {
        const bleu = sentenceBleu(prediction, refs, { tokenize: tok }).score;
        expect(bleu).toBeGreaterThanOrEqual(0);
        expect(bleu).toBeLessThanOrEqual(100 + 1e-9);
        const chrf = sentenceChrf(prediction, refs, { wordOrder: 2 }).score;
        expect(chrf).toBeGreaterThanOrEqual(0);
        expect(chrf).toBeLessThanOrEqual(100 + 1e-9);
        expect(sentenceTer(prediction, refs).score).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it("score identical texts 100 (TER 0)", () => {
    fc.assert(
      fc.property(fc.array(longText, { minLength: 1, maxLength: 5 }), tokenize, (texts, tok) => {
        expect(corpusBleu(texts, texts, { tokenize: tok }).score).toBeCloseTo(100, 9);
        expect(corpusChrf(texts, texts, { wordOrder: 2 }).score).toBeCloseTo(100, 9);
        expect(corpusTer(texts, texts).score).toBe(0);
        expect(sentenceBleu(texts[0], texts[0], { tokenize: tok }).score).toBeCloseTo(100, 9);
      }),
      { numRuns: 200 },
    );
  });

  it("give a corpus the same score whatever the order of its examples", () => {
    fc.assert(
      fc.property(corpus, fc.nat(), (pairs, seed) => {
        // A seeded shuffle of the examples (Fisher–Yates on a linear congruential sequence).
        const shuffled = pairs.slice();
        let state = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const score = (list: typeof pairs) => {
          const predictions = list.map(([p]) => p);
          const refs = list.map(([, r]) => r);
          return [
            corpusBleu(predictions, refs).score,
            corpusChrf(predictions, refs, { wordOrder: 2 }).score,
            corpusTer(predictions, refs).score,
          ];
        };
        const [bleu, chrf, ter] = score(pairs);
        const [bleu2, chrf2, ter2] = score(shuffled);
        // Statistics are integer sums, so the scores are equal, not just close.
        expect(bleu2).toBe(bleu);
        expect(chrf2).toBe(chrf);
        expect(ter2).toBeCloseTo(ter, 9); // TER sums average reference lengths (floats)
      }),
      { numRuns: 200 },
    );
  });

  it("add the statistics of any split of a corpus to those of the whole", () => {
    fc.assert(
      fc.property(corpus, fc.nat(), (pairs, cut) => {
        const k = 1 + (cut % pairs.length);
        if (k === pairs.length) return;
        const predictions = pairs.map(([p]) => p);
        const refs = pairs.map(([, r]) => r);
        const bleu = addBleuStatistics(
          bleuStatistics(predictions.slice(0, k), refs.slice(0, k)),
          bleuStatistics(predictions.slice(k), refs.slice(k)),
        );
        const whole = bleuStatistics(predictions, refs);
        expect([bleu.sysLen, bleu.refLen, bleu.counts, bleu.totals]).toEqual([
          whole.sysLen,
          whole.refLen,
          whole.counts,
          whole.totals,
        ]);
        const chrf = addChrfStatistics(
          chrfStatistics(predictions.slice(0, k), refs.slice(0, k)),
          chrfStatistics(predictions.slice(k), refs.slice(k)),
        );
        expect(chrf.counts).toEqual(chrfStatistics(predictions, refs).counts);
      }),
      { numRuns: 200 },
    );
  });
});
