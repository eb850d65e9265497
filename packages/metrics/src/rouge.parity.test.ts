import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readFixtureText } from "../test/read-fixtures";
import {
  dialogsumFixture,
  type FixtureScores,
  type ParityCase,
  testdataFixture,
} from "../test/rouge-fixtures";
import { createRougeScorer, type RougeScores } from "./rouge";
import { rougeCorpus } from "./rouge-corpus";
import { rougeTokenize } from "./tokenizers/rouge";

const TYPES = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"] as const;
const TOLERANCE = 1e-12;

/** Every score of every case that is more than 1e-12 away from rouge-score's. */
function mismatches(cases: readonly ParityCase[], mode: "nostem" | "stem"): string[] {
  const scorer = createRougeScorer({ types: TYPES, stemmer: mode === "stem" });
  const out: string[] = [];
  for (const c of cases) {
    const ours = scorer.score(c.prediction, c.target);
    out.push(...compare(`${c.id} ${mode}`, ours, c[mode]));
  }
  return out;
}

function compare(
  label: string,
  ours: RougeScores<(typeof TYPES)[number]>,
  expected: FixtureScores,
): string[] {
  const out: string[] = [];
  for (const type of TYPES) {
    const got = [ours[type].precision, ours[type].recall, ours[type].fmeasure];
    expected[type].forEach((want, k) => {
      if (!(Math.abs(got[k] - want) <= TOLERANCE)) {
        out.push(`${label} ${type}[${k}]: rouge-score ${want}, ours ${got[k]}`);
      }
    });
  }
  return out;
}

describe("ROUGE parity with rouge-score 0.1.2 on its own test data", () => {
  const fixture = testdataFixture();

  it("has the pairs the fixture describes (both lines and the whole multi-line files)", () => {
    expect(fixture.records.map((r) => r.id)).toEqual(["line0", "line1", "whole_file"]);
    expect(fixture.meta.rouge_types).toEqual([...TYPES]);
  });

  it.each(["nostem", "stem"] as const)("every pair and type, %s, within 1e-12", (mode) => {
    expect(mismatches(fixture.records, mode)).toEqual([]);
  });

  it("tokenizes exactly as rouge-score, with and without the stemmer", () => {
    for (const record of fixture.records) {
      expect(rougeTokenize(record.target)).toEqual(record.tokens_nostem.target);
      expect(rougeTokenize(record.prediction)).toEqual(record.tokens_nostem.prediction);
      expect(rougeTokenize(record.target, { stemmer: true })).toEqual(record.tokens_stem.target);
      expect(rougeTokenize(record.prediction, { stemmer: true })).toEqual(
        record.tokens_stem.prediction,
      );
    }
  });

  it("gives the corpus mean of the two lines as math.fsum(values) / n", () => {
    const lines = fixture.records.filter((r) => r.id.startsWith("line"));
    for (const mode of ["nostem", "stem"] as const) {
      const { mean } = rougeCorpus(
        lines.map((r) => r.prediction),
        lines.map((r) => r.target),
        { types: TYPES, stemmer: mode === "stem" },
      );
      const expected = fixture.meta.aggregates.lines[mode].mean_fsum;
      for (const type of TYPES) {
        expect([mean[type].precision, mean[type].recall, mean[type].fmeasure]).toEqual(
          expected[type],
        );
      }
    }
  });
});

describe("ROUGE parity with rouge-score 0.1.2 on the DialogSum dev set", () => {
  const { fixture, cases } = dialogsumFixture();

  it("reads the very corpus the fixture was computed on", () => {
    const sha256 = createHash("sha256")
      .update(readFixtureText("rouge/corpus/dialogsum.dev.jsonl"))
      .digest("hex");
    expect(sha256).toBe(fixture.meta.inputs.sha256);
  });

  it("covers all 500 dev examples in both pairings", () => {
    expect(cases).toHaveLength(1000);
    expect(cases.filter((c) => c.pair === "summary_vs_dialogue_full")).toHaveLength(500);
  });

  it.each(["nostem", "stem"] as const)("every pair and type, %s, within 1e-12", (mode) => {
    expect(mismatches(cases, mode)).toEqual([]);
  });

  it.each([
    ["summary_vs_dialogue_full", "nostem"],
    ["summary_vs_dialogue_full", "stem"],
    ["summary_vs_dialogue_first3", "nostem"],
    ["summary_vs_dialogue_first3", "stem"],
  ] as const)("corpus mean of %s (%s) equals math.fsum(values) / n", (pair, mode) => {
    const subset = cases.filter((c) => c.pair === pair);
    const { mean } = rougeCorpus(
      subset.map((c) => c.prediction),
      subset.map((c) => c.target),
      { types: TYPES, stemmer: mode === "stem" },
    );
    const expected = fixture.meta.aggregates[pair][mode];
    expect(expected.n).toBe(subset.length);
    for (const type of TYPES) {
      const got = [mean[type].precision, mean[type].recall, mean[type].fmeasure];
      got.forEach((value, k) => {
        expect(Math.abs(value - expected.mean_fsum[type][k])).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  });

  it("keeps the reference with the best F: an empty decoy listed first never wins", () => {
    // The decoy scores 0 on every type, so per type the result must be the real target's
    // score; where that is 0 too, the tie goes to the decoy, whose scores are also 0.
    const scorer = createRougeScorer({ types: TYPES, stemmer: true });
    const out: string[] = [];
    for (const c of cases) {
      out.push(...compare(`${c.id} multi`, scorer.score(c.prediction, ["", c.target]), c.stem));
    }
    expect(out).toEqual([]);
  });
});
