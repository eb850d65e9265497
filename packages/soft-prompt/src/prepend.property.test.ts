import { randomNormal } from "@tunekit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomSoftPrompt } from "./init";
import { IGNORE_INDEX, prependCausalLm, prependSeq2Seq } from "./prepend";

const VOCAB = 12;
const embeddings = randomNormal(VOCAB, 3, { seed: 5 });

const example = fc.integer({ min: 0, max: 6 }).chain((length) =>
  fc.record({
    ids: fc.array(fc.integer({ min: 0, max: VOCAB - 1 }), { minLength: length, maxLength: length }),
    mask: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: length, maxLength: length }),
    labels: fc.array(fc.integer({ min: -100, max: VOCAB - 1 }), {
      minLength: length,
      maxLength: length,
    }),
  }),
);

describe("prepend properties", () => {
  it("causal LM: n prompt rows then E(ids); mask gets n ones, labels n × −100, the rest unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(example, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, rows, seed) => {
          const prompt = randomSoftPrompt({ numVirtualTokens: n, tokenDim: 3 }, { seed });
          const out = prependCausalLm(prompt, embeddings, {
            inputIds: rows.map((r) => r.ids),
            attentionMask: rows.map((r) => r.mask),
            labels: rows.map((r) => r.labels),
          });
          expect(out.inputsEmbeds).toHaveLength(rows.length);
          rows.forEach((r, b) => {
            const x = out.inputsEmbeds[b];
            expect([x.rows, x.cols]).toEqual([n + r.ids.length, 3]);
            expect(x.data.subarray(0, n * 3)).toEqual(prompt.promptEmbeddings.data);
            r.ids.forEach((id, j) => {
              expect(x.data.subarray((n + j) * 3, (n + j + 1) * 3)).toEqual(
                Float32Array.from(embeddings.data.subarray(id * 3, id * 3 + 3)),
              );
            });
            expect(out.attentionMask![b]).toEqual([...Array(n).fill(1), ...r.mask]);
            expect(out.labels![b]).toEqual([...Array(n).fill(IGNORE_INDEX), ...r.labels]);
          });
        },
      ),
    );
  });

  it("seq2seq: the encoder grows by n, the decoder by n only with decoderPrompt", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(example, example), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (n, pairs, decoderPrompt) => {
          const prompt = randomSoftPrompt({
            numVirtualTokens: n,
            tokenDim: 3,
            numTransformerSubmodules: 2,
          });
          const out = prependSeq2Seq(
            prompt,
            embeddings,
            {
              inputIds: pairs.map(([e]) => e.ids),
              attentionMask: pairs.map(([e]) => e.mask),
              decoderInputIds: pairs.map(([, d]) => d.ids),
              decoderAttentionMask: pairs.map(([, d]) => d.mask),
              labels: pairs.map(([, d]) => d.labels),
            },
            { decoderPrompt },
          );
          const grow = decoderPrompt ? n : 0;
          pairs.forEach(([e, d], b) => {
            expect(out.inputsEmbeds[b].rows).toBe(n + e.ids.length);
            expect(out.attentionMask![b]).toHaveLength(n + e.mask.length);
            expect(out.decoderAttentionMask![b]).toEqual([...Array(grow).fill(1), ...d.mask]);
            expect(out.labels![b]).toEqual([...Array(grow).fill(IGNORE_INDEX), ...d.labels]);
            if (decoderPrompt) {
              expect(out.decoderInputsEmbeds![b].rows).toBe(n + d.ids.length);
              expect(out.decoderInputsEmbeds![b].data.subarray(0, n * 3)).toEqual(
                prompt.promptEmbeddings.data.subarray(n * 3),
              );
            } else {
              expect(out.decoderInputIds![b]).toEqual(d.ids);
            }
          });
        },
      ),
    );
  });
});
