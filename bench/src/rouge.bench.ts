/**
 * ROUGE throughput on DialogSum-sized pairs, tunekit against js-rouge in one run.
 *
 *   cd bench && node --expose-gc --import tsx src/rouge.bench.ts [--pairs 10000] [--rounds 5] [--peer-rounds 1]
 *
 * Pairs: reference = summary, prediction = dialogue, from the DialogSum dev set
 * (fixtures/dialogsum/dialogsum.dev.jsonl) cycled to the requested count. tunekit computes rouge1,
 * rouge2, rougeL and rougeLsum with the Porter stemmer through `rougeCorpus` (the numbers
 * equal rouge-score 0.1.2's). js-rouge has no stemmer and its own tokenizer and sentence
 * splitter, so its numbers differ; it runs `n` (n = 1, 2), `l` with the whole text as one
 * sentence (ROUGE-L) and `l` with its own sentences (its summary-level ROUGE-L),
 * case-insensitive. Each side runs the same pairs; the best of its timings is reported
 * (the machine is shared, so the best is the least disturbed). js-rouge takes about 40 s
 * per round on 10,000 pairs, so it runs once unless `--peer-rounds` says otherwise.
 *
 * Reference point: Python rouge-score 0.1.2 measured 432 pairs/s on these pairs with
 * stemming (933 without).
 */
import { parseArgs } from "node:util";
import { rougeCorpus } from "@tunekit/metrics";
import { l as jsRougeL, n as jsRougeN } from "js-rouge";
import { bestRate, dialogsumPairs } from "./dialogsum-pairs";

const PYTHON_ROUGE_SCORE_PAIRS_PER_SECOND = 432;

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
    "peer-rounds": { type: "string", default: "1" },
  },
});
const pairCount = Number(values.pairs);
const { predictions, references } = dialogsumPairs(pairCount);

/** Times `run` (best of `rounds`, see `bestRate`) and prints its rates. */
function best(label: string, rounds: number, run: () => number): { wall: number; cpu: number } {
  const { wall, cpu, checksum } = bestRate(pairCount, rounds, run);
  console.log(
    `${label.padEnd(34)} ${wall.toFixed(0).padStart(8)} pairs/s wall  ${cpu.toFixed(0).padStart(8)} pairs/CPU-s  (mean F sum ${checksum.toFixed(4)})`,
  );
  return { wall, cpu };
}

console.log(
  `ROUGE on ${pairCount} DialogSum pairs (prediction = dialogue, reference = summary), best of ${values.rounds} runs (js-rouge: ${values["peer-rounds"]})`,
);

const tunekit = best("tunekit rouge1+2+L+Lsum, stemmer", Number(values.rounds), () => {
  const { mean } = rougeCorpus(predictions, references, {
    types: ["rouge1", "rouge2", "rougeL", "rougeLsum"],
    stemmer: true,
  });
  return (
    mean.rouge1.fmeasure + mean.rouge2.fmeasure + mean.rougeL.fmeasure + mean.rougeLsum.fmeasure
  );
});

const wholeText = (text: string) => [text];
const jsRouge = best("js-rouge n1+n2+l(whole)+l(sents)", Number(values["peer-rounds"]), () => {
  let sum = 0;
  for (let i = 0; i < pairCount; i++) {
    const candidate = predictions[i];
    const reference = references[i];
    sum += jsRougeN(candidate, reference, { n: 1, caseSensitive: false });
    sum += jsRougeN(candidate, reference, { n: 2, caseSensitive: false });
    sum += jsRougeL(candidate, reference, { caseSensitive: false, segmenter: wholeText });
    sum += jsRougeL(candidate, reference, { caseSensitive: false });
  }
  return sum / pairCount;
});

console.log(
  `tunekit / js-rouge: ${(tunekit.wall / jsRouge.wall).toFixed(1)}× wall, ${(tunekit.cpu / jsRouge.cpu).toFixed(1)}× CPU`,
);
console.log(
  `tunekit / Python rouge-score (${PYTHON_ROUGE_SCORE_PAIRS_PER_SECOND} pairs/s, measured separately): ${(tunekit.wall / PYTHON_ROUGE_SCORE_PAIRS_PER_SECOND).toFixed(1)}× wall`,
);
