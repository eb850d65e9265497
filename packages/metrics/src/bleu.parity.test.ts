import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  dialogsumCorpusText,
  dialogsumFixture,
  edgeCasesFixture,
  type FixtureBleu,
  withoutVersion,
} from "../test/sacrebleu-fixtures";
import {
  type BleuOptions,
  type BleuResult,
  type BleuSmoothMethod,
  bleuExampleStatistics,
  bleuFromStatistics,
  bleuStatistics,
  corpusBleu,
  sentenceBleu,
} from "./bleu";
import { SIGNATURE_VERSION } from "./sacrebleu-signature";
import type { BleuTokenizerName } from "./tokenizers/bleu-tokenizers";

const TOLERANCE = 1e-9;

/** Every way `ours` differs from sacrebleu's result (empty when they agree). */
function differences(label: string, ours: BleuResult, want: FixtureBleu): string[] {
  const out: string[] = [];
  if (!(Math.abs(ours.score - want.score) <= TOLERANCE)) {
    out.push(`${label} score: sacrebleu ${want.score}, ours ${ours.score}`);
  }
  if (JSON.stringify(ours.counts) !== JSON.stringify(want.counts)) {
    out.push(`${label} counts: sacrebleu ${want.counts}, ours ${ours.counts}`);
  }
  if (JSON.stringify(ours.totals) !== JSON.stringify(want.totals)) {
    out.push(`${label} totals: sacrebleu ${want.totals}, ours ${ours.totals}`);
  }
  want.precisions.forEach((p, n) => {
    if (!(Math.abs(ours.precisions[n] - p) <= TOLERANCE)) {
      out.push(`${label} precision ${n + 1}: sacrebleu ${p}, ours ${ours.precisions[n]}`);
    }
  });
  if (!(Math.abs(ours.bp - want.bp) <= 1e-12)) out.push(`${label} bp: ${want.bp} vs ${ours.bp}`);
  if (ours.sysLen !== want.sys_len || ours.refLen !== want.ref_len) {
    out.push(
      `${label} lengths: sacrebleu ${want.sys_len}/${want.ref_len}, ours ${ours.sysLen}/${ours.refLen}`,
    );
  }
  if (want.signature && withoutVersion(ours.signature) !== withoutVersion(want.signature)) {
    out.push(`${label} signature: sacrebleu ${want.signature}, ours ${ours.signature}`);
  }
  return out;
}

function optionsOf(params: {
  tokenize?: string;
  smooth_method?: string;
  lowercase?: boolean;
  smooth_value?: number;
  max_ngram_order?: number;
  effective_order?: boolean;
}): BleuOptions {
  return {
    tokenize: params.tokenize as BleuTokenizerName | undefined,
    smoothMethod: params.smooth_method as BleuSmoothMethod | undefined,
    lowercase: params.lowercase,
    smoothValue: params.smooth_value,
    maxNgramOrder: params.max_ngram_order,
    effectiveOrder: params.effective_order,
  };
}

describe("BLEU parity with sacrebleu 2.6.0 on the DialogSum dev set", () => {
  const fixture = dialogsumFixture();
  const { hypotheses, references } = fixture;

  it("reads the corpus the fixture was made from", () => {
    const sha = createHash("sha256").update(dialogsumCorpusText()).digest("hex");
    expect(sha).toBe(fixture.meta.inputs.sha256);
    expect(hypotheses).toHaveLength(500);
  });

  it("covers every tokenizer × smoothing × case, plus the default call", () => {
    const combos = new Set(
      fixture.corpusBleu.map(
        (r) => `${r.params.tokenize}|${r.params.smooth_method}|${r.params.lowercase}`,
      ),
    );
    expect(combos.size).toBe(5 * 4 * 2 + 1);
  });

  it("equals corpus_bleu in score (1e-9), counts, totals, lengths and signature", () => {
    const mismatches = fixture.corpusBleu.flatMap((record) =>
      differences(
        JSON.stringify(record.params),
        corpusBleu(hypotheses, references, optionsOf(record.params)),
        record,
      ),
    );
    expect(mismatches).toEqual([]);
  });

  it("writes sacrebleu's signature with our version tag", () => {
    const [first] = fixture.corpusBleu;
    const ours = corpusBleu(hypotheses, references).signature;
    expect(ours).toBe(`${withoutVersion(first.signature)}|version:${SIGNATURE_VERSION}`);
    expect(ours).toBe(`nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:${SIGNATURE_VERSION}`);
  });

  it("equals sentence_bleu (effective order, exp smoothing) on the first 200 examples", () => {
    expect(fixture.sentences).toHaveLength(200);
    const mismatches = fixture.sentences.flatMap((s) => [
      ...differences(
        `${s.id}`,
        sentenceBleu(hypotheses[s.index], references[s.index]),
        s["bleu|summary"],
      ),
      ...differences(
        `${s.id} lowercase`,
        sentenceBleu(hypotheses[s.index], references[s.index], { lowercase: true }),
        s["bleu_lowercase|summary"],
      ),
    ]);
    expect(mismatches).toEqual([]);
  });

  it("gives the same sentence scores from per-example statistics in one pass", () => {
    const perExample = bleuExampleStatistics(hypotheses.slice(0, 200), references.slice(0, 200));
    const mismatches = fixture.sentences.flatMap((s) =>
      differences(
        s.id,
        bleuFromStatistics(perExample[s.index], { effectiveOrder: true }),
        s["bleu|summary"],
      ),
    );
    expect(mismatches).toEqual([]);
  });

  it("sums per-example statistics to the corpus statistics", () => {
    const whole = bleuStatistics(hypotheses, references, { tokenize: "intl" });
    const perExample = bleuExampleStatistics(hypotheses, references, { tokenize: "intl" });
    expect(perExample.reduce((sum, s) => sum + s.sysLen, 0)).toBe(whole.sysLen);
    expect(perExample.reduce((sum, s) => sum + s.refLen, 0)).toBe(whole.refLen);
    expect(whole.counts).toEqual(
      fixture.corpusBleu.find(
        (r) =>
          r.params.tokenize === "intl" && r.params.smooth_method === "none" && !r.params.lowercase,
      )?.counts,
    );
  });
});

describe("BLEU parity with sacrebleu 2.6.0 on purpose-built inputs", () => {
  const fixture = edgeCasesFixture();
  const texts = fixture.texts;
  // Each text against the next one, as the generator pairs them.
  const nextTexts = [...texts.slice(1), texts[0]];
  const multiHyps = fixture.multi.map((m) => m.hyp);
  const multiRefs = fixture.multi.map((m) => m.refs);

  it("equals corpus BLEU for every tokenizer, smoothing and case, one and several references", () => {
    expect(fixture.corpus_bleu.length).toBe(44);
    const mismatches = fixture.corpus_bleu.flatMap((c) => [
      ...(c.texts
        ? differences(
            `texts ${JSON.stringify(c.params)}`,
            corpusBleu(texts, nextTexts, optionsOf(c.params)),
            c.texts,
          )
        : []),
      ...differences(
        `multi ${JSON.stringify(c.params)}`,
        corpusBleu(multiHyps, multiRefs, optionsOf(c.params)),
        c.multi,
      ),
    ]);
    expect(mismatches).toEqual([]);
  });

  it("says nrefs:var when examples have different numbers of references", () => {
    expect(fixture.corpus_bleu[0].multi.signature).toContain("nrefs:var");
    expect(corpusBleu(multiHyps, multiRefs).signature).toContain("nrefs:var");
  });

  it("equals sentence BLEU, including empty predictions and references", () => {
    const mismatches = fixture.sentence_bleu.flatMap((s) =>
      differences(
        `${s.tokenize} ${JSON.stringify(s.hyp)}`,
        sentenceBleu(s.hyp, s.refs, { tokenize: s.tokenize as BleuTokenizerName }),
        s.result,
      ),
    );
    expect(mismatches).toEqual([]);
  });
});
