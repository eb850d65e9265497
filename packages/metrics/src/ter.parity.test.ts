import { describe, expect, it } from "vitest";
import { dialogsumFixture, edgeCasesFixture, withoutVersion } from "../test/sacrebleu-fixtures";
import { pythonRstrip } from "./python-string";
import { corpusTer, sentenceTer, type TerOptions } from "./ter";
import { tokenizeTercom } from "./tokenizers/tercom";

function optionsOf(params: {
  normalized?: boolean;
  no_punct?: boolean;
  asian_support?: boolean;
  case_sensitive?: boolean;
}): TerOptions {
  return {
    normalized: params.normalized,
    noPunct: params.no_punct,
    asianSupport: params.asian_support,
    caseSensitive: params.case_sensitive,
  };
}

describe("TER parity with sacrebleu 2.6.0 on the DialogSum dev set", () => {
  const fixture = dialogsumFixture();
  const { hypotheses, references } = fixture;

  it("lowercases by default, as sacrebleu (case:lc), and keeps case when asked", () => {
    const [lowercased, caseSensitive] = fixture.corpusTer;
    expect(lowercased.signature).toContain("|case:lc|");
    expect(caseSensitive.params).toEqual({ case_sensitive: true });
    const ours = corpusTer(hypotheses, references);
    expect(ours.numEdits).toBe(lowercased.num_edits);
    expect(ours.refLength).toBe(lowercased.ref_length);
    expect(Math.abs(ours.score - lowercased.score)).toBeLessThanOrEqual(1e-9);
    expect(withoutVersion(ours.signature)).toBe(withoutVersion(lowercased.signature));
    const mixed = corpusTer(hypotheses, references, { caseSensitive: true });
    expect(mixed.numEdits).toBe(caseSensitive.num_edits);
    expect(Math.abs(mixed.score - caseSensitive.score)).toBeLessThanOrEqual(1e-9);
    expect(withoutVersion(mixed.signature)).toBe(withoutVersion(caseSensitive.signature));
  });

  it("equals sentence TER (edits and reference length) on the first 200 examples", () => {
    const mismatches: string[] = [];
    for (const s of fixture.sentences) {
      const ours = sentenceTer(hypotheses[s.index], references[s.index]);
      const want = s["ter|summary"];
      if (ours.numEdits !== want.num_edits || ours.refLength !== want.ref_length) {
        mismatches.push(
          `${s.id}: sacrebleu ${want.num_edits}/${want.ref_length}, ours ${ours.numEdits}/${ours.refLength}`,
        );
      }
      if (!(Math.abs(ours.score - want.score) <= 1e-9))
        mismatches.push(`${s.id} score ${ours.score}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("TER parity with sacrebleu 2.6.0 on purpose-built inputs", () => {
  const fixture = edgeCasesFixture();
  const texts = fixture.texts;
  const nextTexts = [...texts.slice(1), texts[0]];
  const multiHyps = fixture.multi.map((m) => m.hyp);
  const multiRefs = fixture.multi.map((m) => m.refs);

  it("counts the same edits on shuffled segments, up to the 1,000-candidate shift limit", () => {
    // 80 segments of 3 to 720 words: block moves, edits, very unequal lengths, long
    // shuffles over five words that reach sacrebleu's limit on shift candidates, and blocks
    // of 5 to 12 distinct words moved up to 60 positions (the block size and distance limits).
    expect(fixture.ter_random).toHaveLength(80);
    const mismatches = fixture.ter_random
      .map((c, i) => [i, sentenceTer(c.hyp, c.ref), c] as const)
      .filter(([, ours, c]) => ours.numEdits !== c.num_edits || ours.refLength !== c.ref_length)
      .map(([i, ours, c]) => `case ${i}: sacrebleu ${c.num_edits}, ours ${ours.numEdits}`);
    expect(mismatches).toEqual([]);
  });

  it("tokenizes and scores like sacrebleu with every option", () => {
    expect(fixture.ter).toHaveLength(7);
    for (const c of fixture.ter) {
      const options = optionsOf(c.params);
      const label = JSON.stringify(c.params);
      expect(
        texts.map((t) => tokenizeTercom(pythonRstrip(t), options)),
        label,
      ).toEqual(c.tokenized);
      const onTexts = corpusTer(texts, nextTexts, options);
      expect([onTexts.numEdits, onTexts.refLength], label).toEqual([
        c.texts.num_edits,
        c.texts.ref_length,
      ]);
      expect(Math.abs(onTexts.score - c.texts.score), label).toBeLessThanOrEqual(1e-9);
      expect(withoutVersion(onTexts.signature), label).toBe(withoutVersion(c.signature));
      const multi = corpusTer(multiHyps, multiRefs, options);
      expect([multi.numEdits, multi.refLength], label).toEqual([
        c.multi.num_edits,
        c.multi.ref_length,
      ]);
      expect(Math.abs(multi.score - c.multi.score), label).toBeLessThanOrEqual(1e-9);
    }
  });
});
