import { describe, expect, it } from "vitest";
import { dialogsumFixture, edgeCasesFixture, withoutVersion } from "../test/sacrebleu-fixtures";
import {
  addChrfStatistics,
  type ChrfOptions,
  chrfFromStatistics,
  chrfStatistics,
  corpusChrf,
  sentenceChrf,
} from "./chrf";

const TOLERANCE = 1e-9;

function optionsOf(params: {
  word_order?: number;
  char_order?: number;
  beta?: number;
  lowercase?: boolean;
  whitespace?: boolean;
  eps_smoothing?: boolean;
}): ChrfOptions {
  return {
    wordOrder: params.word_order,
    charOrder: params.char_order,
    beta: params.beta,
    lowercase: params.lowercase,
    whitespace: params.whitespace,
    epsSmoothing: params.eps_smoothing,
  };
}

describe("chrF parity with sacrebleu 2.6.0 on the DialogSum dev set", () => {
  const fixture = dialogsumFixture();
  const { hypotheses, references } = fixture;

  it("covers chrF and chrF++, mixed case and lowercased", () => {
    expect(fixture.corpusChrf.map((r) => [r.word_order, r.params.lowercase ?? false])).toEqual([
      [0, false],
      [2, false],
      [0, true],
      [2, true],
    ]);
  });

  it("has exactly sacrebleu's corpus statistics (hyp, ref, match per order)", () => {
    for (const record of fixture.corpusChrf) {
      const stats = chrfStatistics(hypotheses, references, optionsOf(record.params));
      expect(stats.counts, JSON.stringify(record.params)).toEqual(record.stats_sum);
    }
  });

  it("equals corpus_chrf within 1e-9, with sacrebleu's name and signature", () => {
    for (const record of fixture.corpusChrf) {
      const ours = corpusChrf(hypotheses, references, optionsOf(record.params));
      expect(
        Math.abs(ours.score - record.score),
        JSON.stringify(record.params),
      ).toBeLessThanOrEqual(TOLERANCE);
      expect(withoutVersion(ours.signature)).toBe(withoutVersion(record.signature));
      expect(record.format.startsWith(`${ours.name} = `)).toBe(true);
    }
  });

  it("equals sentence chrF and chrF++ on the first 200 examples", () => {
    const mismatches: string[] = [];
    for (const s of fixture.sentences) {
      const chrf = sentenceChrf(hypotheses[s.index], references[s.index]).score;
      const chrfpp = sentenceChrf(hypotheses[s.index], references[s.index], { wordOrder: 2 }).score;
      if (!(Math.abs(chrf - s["chrf|summary"]) <= TOLERANCE))
        mismatches.push(`${s.id} chrF ${chrf}`);
      if (!(Math.abs(chrfpp - s["chrfpp|summary"]) <= TOLERANCE)) {
        mismatches.push(`${s.id} chrF++ ${chrfpp}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("scores a corpus split in two parts like the whole", () => {
    const options = { wordOrder: 2 };
    const parts = addChrfStatistics(
      chrfStatistics(hypotheses.slice(0, 123), references.slice(0, 123), options),
      chrfStatistics(hypotheses.slice(123), references.slice(123), options),
    );
    expect(parts.counts).toEqual(fixture.corpusChrf[1].stats_sum);
    expect(chrfFromStatistics(parts, options).score).toBe(
      corpusChrf(hypotheses, references, options).score,
    );
  });
});

describe("chrF parity with sacrebleu 2.6.0 on purpose-built inputs", () => {
  const fixture = edgeCasesFixture();
  const texts = fixture.texts;
  const nextTexts = [...texts.slice(1), texts[0]];
  const multiHyps = fixture.multi.map((m) => m.hyp);
  const multiRefs = fixture.multi.map((m) => m.refs);

  it("equals every variant (orders, beta, case, whitespace, eps smoothing)", () => {
    expect(fixture.chrf).toHaveLength(8);
    const mismatches: string[] = [];
    for (const c of fixture.chrf) {
      const label = JSON.stringify(c.params);
      const options = optionsOf(c.params);
      const multi = corpusChrf(multiHyps, multiRefs, options);
      if (!(Math.abs(multi.score - c.multi) <= TOLERANCE))
        mismatches.push(`${label} multi ${multi.score}`);
      if (withoutVersion(multi.signature) !== withoutVersion(c.signature)) {
        mismatches.push(`${label} signature ${multi.signature}`);
      }
      const stats = chrfStatistics(multiHyps, multiRefs, options).counts;
      if (JSON.stringify(stats) !== JSON.stringify(c.multi_stats))
        mismatches.push(`${label} stats ${stats}`);
      const onTexts = corpusChrf(texts, nextTexts, options).score;
      if (!(Math.abs(onTexts - c.texts) <= TOLERANCE)) mismatches.push(`${label} texts ${onTexts}`);
      fixture.multi.forEach((m, i) => {
        const one = sentenceChrf(m.hyp, m.refs, options).score;
        if (!(Math.abs(one - c.sentence[i]) <= TOLERANCE))
          mismatches.push(`${label} sentence ${i} ${one}`);
      });
    }
    expect(mismatches).toEqual([]);
  });
});
