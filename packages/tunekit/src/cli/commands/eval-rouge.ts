import {
  type AggregateScore,
  BootstrapAggregator,
  createRougeScorer,
  meanRougeScores,
  type RougeCorpusResult,
  type RougeOptions,
  type RougeScore,
  type RougeScores,
  type RougeType,
} from "@tunekit/metrics";
import type { CommandSpec } from "../command";
import { choiceOption, integerOption, numberOption, stringOption, UsageError } from "../errors";
import { EVAL_KEY_OPTIONS, readCommandEvalData } from "../eval-data";
import { writeJsonLinesAtomic } from "../files";
import { renderTable } from "../output";
import { resolveForWorkers, runInWorkers, splitEvenly } from "../workers";

const DEFAULT_TYPES = "rouge1,rouge2,rougeL,rougeLsum";

/** One type's line of the result: the corpus mean, plus the interval with --bootstrap. */
type RougeResultEntry = RougeScore & Partial<AggregateScore>;

function parseTypes(raw: string): RougeType[] {
  const types = raw
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (types.length === 0) throw new UsageError("--types needs at least one ROUGE type");
  for (const type of types) {
    if (!/^rouge[1-9]$/.test(type) && type !== "rougeL" && type !== "rougeLsum") {
      throw new UsageError(
        `--types: unknown ROUGE type "${type}"; use rouge1 … rouge9, rougeL or rougeLsum`,
      );
    }
  }
  return [...new Set(types)] as RougeType[];
}

/** Per-example scores of the whole corpus, in input order, on one or more threads. */
async function scoreCorpus(
  predictions: string[],
  references: (string | string[])[],
  options: RougeOptions<RougeType>,
  workers: number,
  tick: (n: number) => void,
): Promise<RougeScores<RougeType>[]> {
  if (workers <= 1 || predictions.length < 2) {
    const scorer = createRougeScorer(options);
    return predictions.map((prediction, i) => {
      const scores = scorer.score(prediction, references[i]);
      tick(1);
      return scores;
    });
  }
  const slices = splitEvenly(predictions.length, workers);
  const results = await runInWorkers<RougeCorpusResult<RougeType>>({
    module: resolveForWorkers("@tunekit/metrics"),
    exportName: "rougeCorpus",
    tasks: slices.map(({ start, end }) => [
      predictions.slice(start, end),
      references.slice(start, end),
      options,
    ]),
    onTaskDone: (task) => tick(slices[task].end - slices[task].start),
  });
  return results.flatMap((result) => result.perExample);
}

const rougeCommand: CommandSpec = {
  path: ["eval", "rouge"],
  summary:
    "ROUGE-1…9, ROUGE-L and ROUGE-Lsum of predictions against references (= rouge-score 0.1.2)",
  usage: "eval rouge DATA.jsonl [options]",
  details: [
    'DATA.jsonl: one {"prediction": string, "reference": string | string[]} per line. With several',
    "references, each type keeps the one with the best F-measure (the first on ties), as",
    "rouge-score's score_multi. Scores equal rouge-score 0.1.2 with the default tokenizer",
    "(rougeLsum sentences are lines). The result is the mean over examples of each type's",
    "precision, recall and fmeasure.",
    "",
    "--bootstrap N adds low/mid/high to each type: the (1 − C)/2, 1/2 and (1 + C)/2",
    "percentiles of N means of examples resampled with replacement (each type resampled",
    "separately, as rouge-score's BootstrapAggregator), drawn from the seeded generator, so",
    "the same --seed gives the same interval.",
    "",
    "--tokenizer unicode keeps words of every script (NFKC, case folding, Unicode word",
    "boundaries); it is not rouge-score's tokenizer, which deletes everything outside a-z0-9.",
  ].join("\n"),
  options: {
    types: {
      type: "string",
      valueName: "LIST",
      description: `comma-separated ROUGE types: rouge1 … rouge9, rougeL, rougeLsum (default ${DEFAULT_TYPES})`,
    },
    stemmer: {
      type: "boolean",
      description: "Porter-stem tokens longer than 3 characters, as rouge-score's use_stemmer",
    },
    tokenizer: {
      type: "string",
      valueName: "default|unicode",
      description: "default: rouge-score's; unicode: keeps every script (default default)",
    },
    bootstrap: {
      type: "string",
      valueName: "N",
      description: "add a bootstrap confidence interval (low/mid/high) from N resamples",
    },
    seed: {
      type: "string",
      valueName: "S",
      description: "seed of the bootstrap resampling (default 0)",
    },
    confidence: {
      type: "string",
      valueName: "C",
      description: "width of the bootstrap interval, in [0, 1] (default 0.95)",
    },
    "per-example": {
      type: "string",
      valueName: "OUT.jsonl",
      description: "also write each example's scores, one JSON line per input line, in order",
    },
    ...EVAL_KEY_OPTIONS,
    workers: {
      type: "string",
      valueName: "N",
      description: "score with N worker threads; same numbers as one (default 1)",
    },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { values } = ctx;
    const types = parseTypes(stringOption(values, "types") ?? DEFAULT_TYPES);
    const tokenizer = choiceOption(values, "tokenizer", ["default", "unicode"] as const, "default");
    const samples = integerOption(values, "bootstrap", { min: 1, max: 1_000_000 });
    if (samples === undefined && (values.seed !== undefined || values.confidence !== undefined)) {
      throw new UsageError("--seed and --confidence only apply with --bootstrap N");
    }
    const seed = integerOption(values, "seed", { default: 0 }) ?? 0;
    const confidence = numberOption(values, "confidence", 0.95) ?? 0.95;
    if (confidence < 0 || confidence > 1) {
      throw new UsageError(`--confidence must be in [0, 1], got ${confidence}`);
    }
    const workers = integerOption(values, "workers", { min: 1, max: 256, default: 1 }) ?? 1;
    const perExamplePath = stringOption(values, "per-example");

    const { predictions, references } = await readCommandEvalData(ctx);
    const options: RougeOptions<RougeType> = { types, stemmer: values.stemmer === true, tokenizer };
    const bar = ctx.progress("rouge", predictions.length);
    const perExample = await scoreCorpus(predictions, references, options, workers, (n) =>
      bar.tick(n),
    );
    bar.done();

    const mean = meanRougeScores(perExample);
    const result: Record<string, RougeResultEntry> = {};
    for (const type of types) result[type] = { ...mean[type] };
    if (samples !== undefined) {
      const aggregator = new BootstrapAggregator({
        nSamples: samples,
        seed,
        confidenceInterval: confidence,
      });
      for (const scores of perExample) aggregator.addScores(scores);
      const intervals = aggregator.aggregate();
      for (const type of types) Object.assign(result[type], intervals[type]);
    }

    if (perExamplePath !== undefined) {
      await writeJsonLinesAtomic(perExamplePath, perExample);
    }
    return result;
  },
  table(result) {
    const rows = Object.entries(result as Record<string, RougeResultEntry>).map(
      ([type, entry]) => ({
        type,
        precision: entry.precision,
        recall: entry.recall,
        fmeasure: entry.fmeasure,
        ...(entry.low && entry.high
          ? { "fmeasure low": entry.low.fmeasure, "fmeasure high": entry.high.fmeasure }
          : {}),
      }),
    );
    return renderTable(rows);
  },
};

/** `tunekit eval rouge`. */
export const rougeCommands: CommandSpec[] = [rougeCommand];
