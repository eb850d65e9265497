import { describe, expect, it } from "vitest";
import { createRng, TunekitError } from "../../../internal/shared/src/index";
import { dialogsumFixture } from "../test/rouge-fixtures";
import { BootstrapAggregator } from "./bootstrap";
import type { RougeScore } from "./rouge";
import { rougeCorpus } from "./rouge-corpus";

const score = (precision: number, recall: number, fmeasure: number): RougeScore => ({
  precision,
  recall,
  fmeasure,
});

describe("BootstrapAggregator", () => {
  it("follows the documented procedure: per type, nSamples means of N draws of rng.int(N)", () => {
    const values = [0.1, 0.4, 0.35, 0.9, 0.0, 0.62, 0.5];
    const aggregator = new BootstrapAggregator({
      nSamples: 200,
      seed: 11,
      confidenceInterval: 0.9,
    });
    for (const v of values)
      aggregator.addScores({ a: score(v, v / 2, v / 3), b: score(1 - v, v, 0) });

    // The procedure written out: one generator, type "a" first, then "b".
    const rng = createRng(11);
    const expected: Record<string, number[][]> = {};
    for (const [type, pick] of [
      ["a", (v: number) => [v, v / 2, v / 3]],
      ["b", (v: number) => [1 - v, v, 0]],
    ] as const) {
      const means: number[][] = [[], [], []];
      for (let s = 0; s < 200; s++) {
        const sums = [0, 0, 0];
        for (let k = 0; k < values.length; k++) {
          const drawn = pick(values[rng.int(values.length)]);
          for (let m = 0; m < 3; m++) sums[m] += drawn[m];
        }
        for (let m = 0; m < 3; m++) means[m].push(sums[m] / values.length);
      }
      const at = (sorted: number[], q: number) => {
        const h = ((sorted.length - 1) * q) / 100;
        const lo = Math.floor(h);
        return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (h - lo);
      };
      // Percentiles as rouge-score forms them: q = 100 · [(1 − c)/2, 0.5, 1 − (1 − c)/2].
      const delta = (1 - 0.9) / 2;
      expected[type] = [100 * delta, 50, 100 * (1 - delta)].map((q) =>
        means.map((m) =>
          at(
            [...m].sort((x, y) => x - y),
            q,
          ),
        ),
      );
    }
    const result = aggregator.aggregate();
    for (const type of ["a", "b"]) {
      const { low, mid, high } = result[type];
      expect([low, mid, high].map((s) => [s.precision, s.recall, s.fmeasure])).toEqual(
        expected[type],
      );
    }
  });

  it("is reproducible for a seed and changes with the seed", () => {
    const fill = (seed: number) => {
      const aggregator = new BootstrapAggregator({ seed });
      for (let i = 0; i < 30; i++)
        aggregator.addScores({ rouge1: score(i / 30, ((i * 7) % 30) / 30, 0.5) });
      return aggregator.aggregate();
    };
    expect(fill(3)).toEqual(fill(3));
    expect(fill(3)).not.toEqual(fill(4));
    const aggregator = new BootstrapAggregator({ seed: 5 });
    aggregator.addScores({ rouge1: score(0.2, 0.4, 0.3) });
    aggregator.addScores({ rouge1: score(0.6, 0.1, 0.2) });
    expect(aggregator.aggregate()).toEqual(aggregator.aggregate());
  });

  it("gives low = mid = high = the score for a single example, and {} for none", () => {
    const aggregator = new BootstrapAggregator({ nSamples: 10 });
    expect(aggregator.aggregate()).toEqual({});
    aggregator.addScores({ rougeL: score(0.25, 0.5, 1 / 3) });
    const { low, mid, high } = aggregator.aggregate().rougeL;
    expect(low).toEqual(score(0.25, 0.5, 1 / 3));
    expect(mid).toEqual(low);
    expect(high).toEqual(low);
  });

  it("agrees with rouge-score's intervals on DialogSum to within resampling noise", () => {
    // rouge-score's numbers come from numpy's generator (seed 0), ours from createRng, so
    // only the statistics can agree: the 2.5/50/97.5 percentiles of 1000 resampled means.
    const { fixture, cases } = dialogsumFixture();
    const full = cases.filter((c) => c.pair === "summary_vs_dialogue_full");
    const { perExample } = rougeCorpus(
      full.map((c) => c.prediction),
      full.map((c) => c.target),
      { types: ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"], stemmer: true },
    );
    const aggregator = new BootstrapAggregator({ seed: 0 });
    for (const scores of perExample) aggregator.addScores(scores);
    const ours = aggregator.aggregate();
    const theirs = fixture.meta.aggregates.summary_vs_dialogue_full.stem.bootstrap_seed0;
    for (const type of Object.keys(theirs)) {
      for (const bound of ["low", "mid", "high"] as const) {
        const got = ours[type][bound];
        [got.precision, got.recall, got.fmeasure].forEach((value, k) => {
          expect(Math.abs(value - theirs[type][bound][k])).toBeLessThan(0.004);
        });
      }
      // A real interval: low < mid < high.
      expect(ours[type].low.fmeasure).toBeLessThan(ours[type].mid.fmeasure);
      expect(ours[type].mid.fmeasure).toBeLessThan(ours[type].high.fmeasure);
    }
  });

  it("rejects bad options with a typed error", () => {
    for (const options of [
      { confidenceInterval: 1.5 },
      { confidenceInterval: Number.NaN },
      { nSamples: 0 },
      { nSamples: 2.5 },
      { seed: 0.5 },
    ]) {
      let caught: unknown;
      try {
        new BootstrapAggregator(options);
      } catch (e) {
        caught = e;
      }
      expect(TunekitError.isInstance(caught)).toBe(true);
      expect((caught as TunekitError).code).toBe("invalid_input");
    }
  });
});
