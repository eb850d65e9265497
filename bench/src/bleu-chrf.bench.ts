/**
 * Corpus BLEU and chrF throughput on DialogSum-sized pairs.
 *
 *   cd bench && node --expose-gc --import tsx src/bleu-chrf.bench.ts [--pairs 10000] [--rounds 5]
 *
 * Pairs: reference = summary, prediction = dialogue, from the DialogSum dev set
 * (fixtures/dialogsum/dialogsum.dev.jsonl) cycled to the requested count. tunekit computes
 * sacrebleu's defaults: corpus BLEU (13a tokenizer, exp smoothing) with `corpusBleu` and
 * chrF2 (char order 6) with `corpusChrf`, whose numbers equal sacrebleu 2.6.0's. Each
 * metric runs alone, then both on the same pairs, as one would score a system. The best of
 * the rounds is reported (the machine is shared, so the best is the least disturbed), as
 * wall-clock pairs/s and pairs per second of this process's CPU time.
 *
 * No npm BLEU/chrF package is installed here and Python's sacrebleu cannot run in this
 * folder, so the peer is sacrebleu 2.6.0 measured separately on this machine on the same
 * pairs: BLEU 5,561 pairs/s, chrF 1,828 pairs/s, both 1,350 pairs/s. The bar is ten times
 * that: 13,500 pairs/s for both together.
 */
import { parseArgs } from "node:util";
import { corpusBleu, corpusChrf } from "@tunekit/metrics";
import { bestRate, dialogsumPairs } from "./dialogsum-pairs";

const SACREBLEU_PAIRS_PER_SECOND = { bleu: 5561, chrf: 1828, both: 1350 };
const TARGET_BOTH = 10 * SACREBLEU_PAIRS_PER_SECOND.both;

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
  },
});
const pairCount = Number(values.pairs);
const rounds = Number(values.rounds);
const { predictions, references } = dialogsumPairs(pairCount);

/** Times `run` and prints tunekit's rates next to sacrebleu's. */
function best(label: string, sacrebleu: number, run: () => number): { wall: number; cpu: number } {
  const { wall, cpu, checksum } = bestRate(pairCount, rounds, run);
  console.log(
    `${label.padEnd(24)} ${wall.toFixed(0).padStart(7)} pairs/s wall ${cpu.toFixed(0).padStart(7)} pairs/CPU-s | sacrebleu ${String(sacrebleu).padStart(5)} pairs/s | ${(wall / sacrebleu).toFixed(1).padStart(5)}× wall  (score ${checksum.toFixed(4)})`,
  );
  return { wall, cpu };
}

console.log(
  `sacrebleu metrics on ${pairCount} DialogSum pairs (prediction = dialogue, reference = summary), best of ${rounds} runs`,
);
best(
  "tunekit BLEU (13a, exp)",
  SACREBLEU_PAIRS_PER_SECOND.bleu,
  () => corpusBleu(predictions, references).score,
);
best(
  "tunekit chrF2",
  SACREBLEU_PAIRS_PER_SECOND.chrf,
  () => corpusChrf(predictions, references).score,
);
const both = best("tunekit BLEU + chrF2", SACREBLEU_PAIRS_PER_SECOND.both, () => {
  const bleu = corpusBleu(predictions, references).score;
  return bleu + corpusChrf(predictions, references).score;
});
console.log(
  `BLEU + chrF target ${TARGET_BOTH} pairs/s (10× sacrebleu): ${both.wall >= TARGET_BOTH ? "met" : "NOT met"} at ${both.wall.toFixed(0)} pairs/s wall (${both.cpu.toFixed(0)} per CPU-second)`,
);
