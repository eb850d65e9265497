import {
  accuracy,
  addBleuStatistics,
  addChrfStatistics,
  addTerStatistics,
  BLEU_SMOOTH_METHODS,
  BLEU_TOKENIZER_NAMES,
  type BleuOptions,
  type BleuResult,
  type BleuStatistics,
  bleuExampleStatistics,
  bleuFromStatistics,
  bleuStatistics,
  type ChrfOptions,
  type ChrfResult,
  type ChrfStatistics,
  chrfExampleStatistics,
  chrfFromStatistics,
  chrfStatistics,
  exactMatch,
  squad,
  squadV2,
  type TerOptions,
  type TerResult,
  terExampleStatistics,
  terFromStatistics,
} from "@tunekit/metrics";
import type { CommandContext, CommandSpec, OptionSpec } from "../command";
import { choiceOption, integerOption, numberOption, stringOption, UsageError } from "../errors";
import { EVAL_KEY_OPTIONS, readCommandEvalData } from "../eval-data";
import { writeJsonLinesAtomic } from "../files";
import { renderTable } from "../output";
import { resolveForWorkers, runInWorkers, splitEvenly } from "../workers";

const DATA_DETAILS =
  'DATA.jsonl: one {"prediction": string, "reference": string | string[]} per line (rename the fields with --prediction-key / --reference-key).';

const perExampleOption: OptionSpec = {
  type: "string",
  valueName: "OUT.jsonl",
  description: "also write each example's score, one JSON line per input line, in order",
};

const workersOption: OptionSpec = {
  type: "string",
  valueName: "N",
  description: "count with N worker threads; same numbers as one (default 1)",
};

/**
 * A corpus metric scored from additive sufficient statistics: the library functions that
 * count them (also by name, for worker threads, which load the built package), add them
 * and turn them into the printed result.
 */
interface StatisticsMetric<O, S> {
  label: string;
  /** Exported names of the per-example and corpus counting functions. */
  exports: { perExample: string; corpus: string };
  perExample(predictions: string[], references: (string | string[])[], options: O): S[];
  corpus(predictions: string[], references: (string | string[])[], options: O): S;
  add(a: S, b: S): S;
  /** The printed corpus result. */
  corpusOutput(total: S, options: O): unknown;
  /** One line of `--per-example`. */
  exampleOutput(example: S, options: O): unknown;
}

/**
 * Reads DATA.jsonl, counts the metric's statistics on one thread or on contiguous slices
 * in worker threads (per example when `--per-example` asks for lines, else per slice),
 * writes the per-example file and returns the corpus result. Statistics are integer sums,
 * so any split gives exactly the numbers of one thread.
 */
async function runStatisticsMetric<O, S>(
  ctx: CommandContext,
  metric: StatisticsMetric<O, S>,
  options: O,
): Promise<unknown> {
  const workers = integerOption(ctx.values, "workers", { min: 1, max: 256, default: 1 }) ?? 1;
  const perExamplePath = stringOption(ctx.values, "per-example");
  const perExample = perExamplePath !== undefined;
  const { predictions, references } = await readCommandEvalData(ctx);
  const n = predictions.length;
  const bar = ctx.progress(metric.label, n);
  let parts: (S | S[])[];
  if (workers <= 1 || n < 2) {
    parts = [
      perExample
        ? metric.perExample(predictions, references, options)
        : metric.corpus(predictions, references, options),
    ];
    bar.tick(n);
  } else {
    const slices = splitEvenly(n, workers);
    parts = await runInWorkers<S | S[]>({
      module: resolveForWorkers("@tunekit/metrics"),
      exportName: perExample ? metric.exports.perExample : metric.exports.corpus,
      tasks: slices.map(({ start, end }) => [
        predictions.slice(start, end),
        references.slice(start, end),
        options,
      ]),
      onTaskDone: (task) => bar.tick(slices[task].end - slices[task].start),
    });
  }
  bar.done();
  if (!perExample) return metric.corpusOutput((parts as S[]).reduce(metric.add), options);
  const examples = (parts as S[][]).flat();
  await writeJsonLinesAtomic(
    perExamplePath,
    examples.map((example) => metric.exampleOutput(example, options)),
  );
  return metric.corpusOutput(examples.reduce(metric.add), options);
}

/** The BLEU result as the CLI prints it (DESIGN: score … signature, nothing else). */
function bleuOutput(result: BleuResult) {
  const { score, counts, totals, precisions, bp, sysLen, refLen, signature } = result;
  return { score, counts, totals, precisions, bp, sysLen, refLen, signature };
}

const BLEU: StatisticsMetric<BleuOptions, BleuStatistics> = {
  label: "bleu",
  exports: { perExample: "bleuExampleStatistics", corpus: "bleuStatistics" },
  perExample: bleuExampleStatistics,
  corpus: bleuStatistics,
  add: addBleuStatistics,
  corpusOutput: (total, options) =>
    bleuOutput(bleuFromStatistics(total, { ...options, effectiveOrder: false })),
  // Sentence BLEU as sacrebleu's sentence_bleu: effective order on.
  exampleOutput: (example, options) =>
    bleuOutput(bleuFromStatistics(example, { ...options, effectiveOrder: true })),
};

const bleuCommand: CommandSpec = {
  path: ["eval", "bleu"],
  summary: "corpus BLEU of predictions against references (= sacrebleu 2.6.0 corpus_bleu)",
  usage: "eval bleu DATA.jsonl [options]",
  details: [
    DATA_DETAILS,
    "Prints sacrebleu's corpus BLEU: score (0–100), clipped n-gram counts and totals per order,",
    "precisions (%), brevity penalty, system and reference lengths, and the signature (its",
    "version field names tunekit). With several references an example uses the closest",
    "reference length (the shorter on a tie) and the largest count of each n-gram in any one.",
    "",
    "--per-example writes sentence BLEU for each line, as sacrebleu's sentence_bleu: the same",
    "tokenizer, case and smoothing, with effective order (orders without n-grams are left out).",
  ].join("\n"),
  options: {
    tokenize: {
      type: "string",
      valueName: "13a|intl|char|zh|none",
      description: "sacrebleu tokenizer (default 13a)",
    },
    smooth: {
      type: "string",
      valueName: "exp|floor|add-k|none",
      description: "smoothing method (default exp)",
    },
    "smooth-value": {
      type: "string",
      valueName: "V",
      description: "value for floor (default 0.1) or add-k (default 1)",
    },
    lowercase: { type: "boolean", description: "lowercase before tokenizing (case:lc)" },
    "per-example": perExampleOption,
    ...EVAL_KEY_OPTIONS,
    workers: workersOption,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { values } = ctx;
    const options: BleuOptions = {
      tokenize: choiceOption(values, "tokenize", BLEU_TOKENIZER_NAMES, "13a"),
      smoothMethod: choiceOption(values, "smooth", BLEU_SMOOTH_METHODS, "exp"),
      smoothValue: numberOption(values, "smooth-value"),
      lowercase: values.lowercase === true,
    };
    if (
      options.smoothValue !== undefined &&
      options.smoothMethod !== "floor" &&
      options.smoothMethod !== "add-k"
    ) {
      throw new UsageError("--smooth-value only applies to --smooth floor or --smooth add-k");
    }
    return runStatisticsMetric(ctx, BLEU, options);
  },
  table(result) {
    const r = result as ReturnType<typeof bleuOutput>;
    return renderTable([
      {
        BLEU: r.score,
        precisions: r.precisions.map((p) => p.toFixed(1)).join("/"),
        bp: r.bp,
        sysLen: r.sysLen,
        refLen: r.refLen,
        signature: r.signature,
      },
    ]);
  },
};

function chrfOutput(result: ChrfResult) {
  const { score, name, charOrder, wordOrder, beta, signature } = result;
  return { score, name, charOrder, wordOrder, beta, signature };
}

const CHRF: StatisticsMetric<ChrfOptions, ChrfStatistics> = {
  label: "chrf",
  exports: { perExample: "chrfExampleStatistics", corpus: "chrfStatistics" },
  perExample: chrfExampleStatistics,
  corpus: chrfStatistics,
  add: addChrfStatistics,
  corpusOutput: (total, options) => chrfOutput(chrfFromStatistics(total, options)),
  exampleOutput: (example, options) => chrfOutput(chrfFromStatistics(example, options)),
};

const chrfCommand: CommandSpec = {
  path: ["eval", "chrf"],
  summary: "corpus chrF or chrF++ of predictions against references (= sacrebleu 2.6.0)",
  usage: "eval chrf DATA.jsonl [options]",
  details: [
    DATA_DETAILS,
    "Prints sacrebleu's corpus chrF (--word-order 0, the default) or chrF++ (--word-order 2):",
    "character n-grams up to order 6 (whitespace removed) and word n-grams up to the word",
    "order, precision and recall averaged over the orders, F-beta with beta 2. With several",
    "references an example uses the one with the best chrF. --per-example writes sentence chrF.",
  ].join("\n"),
  options: {
    "word-order": {
      type: "string",
      valueName: "0|2",
      description: "word n-gram order: 0 for chrF, 2 for chrF++ (default 0)",
    },
    "char-order": {
      type: "string",
      valueName: "N",
      description: "character n-gram order (default 6)",
    },
    beta: { type: "string", valueName: "B", description: "recall weight (default 2)" },
    lowercase: { type: "boolean", description: "lowercase first (case:lc)" },
    whitespace: { type: "boolean", description: "keep whitespace in character n-grams" },
    "eps-smoothing": {
      type: "boolean",
      description: "average per-order F scores with epsilon smoothing (chrF++.py, NLTK, Moses)",
    },
    "per-example": perExampleOption,
    ...EVAL_KEY_OPTIONS,
    workers: workersOption,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { values } = ctx;
    const options: ChrfOptions = {
      wordOrder: integerOption(values, "word-order", { min: 0, max: 9, default: 0 }),
      charOrder: integerOption(values, "char-order", { min: 0, max: 32, default: 6 }),
      beta: numberOption(values, "beta", 2),
      lowercase: values.lowercase === true,
      whitespace: values.whitespace === true,
      epsSmoothing: values["eps-smoothing"] === true,
    };
    if ((options.beta ?? 2) < 0) throw new UsageError(`--beta must be ≥ 0, got ${options.beta}`);
    if (options.charOrder === 0 && options.wordOrder === 0) {
      throw new UsageError("--char-order and --word-order cannot both be 0");
    }
    return runStatisticsMetric(ctx, CHRF, options);
  },
  table(result) {
    const r = result as ReturnType<typeof chrfOutput>;
    return renderTable([{ [r.name]: r.score, signature: r.signature }]);
  },
};

function terOutput(result: TerResult) {
  const { score, numEdits, refLength, signature } = result;
  return { score, numEdits, refLength, signature };
}

const terCommand: CommandSpec = {
  path: ["eval", "ter"],
  summary: "corpus TER of predictions against references (= sacrebleu 2.6.0 corpus_ter)",
  usage: "eval ter DATA.jsonl [options]",
  details: [
    DATA_DETAILS,
    "Prints sacrebleu's corpus TER: 100 × edits (insertions, deletions, substitutions and",
    "shifts of word blocks) / reference words, lower is better. Like sacrebleu, it lowercases",
    "unless --case-sensitive. With several references an example takes the fewest edits and",
    "the average reference length. --per-example writes sentence TER.",
  ].join("\n"),
  options: {
    "case-sensitive": { type: "boolean", description: "keep case (default: lowercase)" },
    normalized: {
      type: "boolean",
      description: "Tercom normalisation: split punctuation, unescape XML entities",
    },
    "no-punct": { type: "boolean", description: 'remove . , ? : ; ! " ( )' },
    "asian-support": {
      type: "boolean",
      description: "with --normalized / --no-punct, also handle CJK characters and punctuation",
    },
    "per-example": perExampleOption,
    ...EVAL_KEY_OPTIONS,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { values } = ctx;
    const options: TerOptions = {
      caseSensitive: values["case-sensitive"] === true,
      normalized: values.normalized === true,
      noPunct: values["no-punct"] === true,
      asianSupport: values["asian-support"] === true,
    };
    const perExamplePath = stringOption(values, "per-example");
    const { predictions, references } = await readCommandEvalData(ctx);
    const bar = ctx.progress("ter", predictions.length);
    const perExample = terExampleStatistics(predictions, references, options);
    bar.tick(predictions.length);
    bar.done();
    if (perExamplePath !== undefined) {
      await writeJsonLinesAtomic(
        perExamplePath,
        perExample.map((s) => terOutput(terFromStatistics(s, options))),
      );
    }
    return terOutput(terFromStatistics(perExample.reduce(addTerStatistics), options));
  },
  table(result) {
    const r = result as ReturnType<typeof terOutput>;
    return renderTable([
      { TER: r.score, edits: r.numEdits, refLength: r.refLength, signature: r.signature },
    ]);
  },
};

const exactMatchCommand: CommandSpec = {
  path: ["eval", "exact-match"],
  summary: "share of predictions equal to a reference (= HF evaluate exact_match)",
  usage: "eval exact-match DATA.jsonl [options]",
  details: [
    DATA_DETAILS,
    "Prints {exactMatch (0–1), matches, total}. The options apply in HF evaluate's order:",
    "--regex-to-ignore patterns (JavaScript syntax, every match removed), then case, then ASCII",
    "punctuation, then digits. An example with several references matches when any does.",
  ].join("\n"),
  options: {
    "ignore-case": { type: "boolean", description: "lowercase both sides" },
    "ignore-punctuation": { type: "boolean", description: "remove ASCII punctuation" },
    "ignore-numbers": { type: "boolean", description: "remove the digits 0-9" },
    "regex-to-ignore": {
      type: "string",
      multiple: true,
      valueName: "RE",
      description: "remove every match of RE first (repeatable, applied in order)",
    },
    ...EVAL_KEY_OPTIONS,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { values } = ctx;
    const { predictions, references } = await readCommandEvalData(ctx);
    return exactMatch(predictions, references, {
      ignoreCase: values["ignore-case"] === true,
      ignorePunctuation: values["ignore-punctuation"] === true,
      ignoreNumbers: values["ignore-numbers"] === true,
      regexesToIgnore: (values["regex-to-ignore"] as string[] | undefined) ?? [],
    });
  },
};

const accuracyCommand: CommandSpec = {
  path: ["eval", "accuracy"],
  summary: "share of predicted labels equal to the reference label (= HF evaluate accuracy)",
  usage: "eval accuracy DATA.jsonl [options]",
  details: [
    'DATA.jsonl: one {"prediction": string, "reference": string} per line: one label each,',
    "compared exactly. Prints {accuracy (0–1), correct, total}.",
  ].join("\n"),
  options: { ...EVAL_KEY_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { predictions, references } = await readCommandEvalData(ctx);
    const labels = references.map((reference, i) => {
      if (typeof reference !== "string") {
        throw new Error(
          `${ctx.positionals[0]}: record ${i + 1} has a list of references; accuracy takes one reference label per example`,
        );
      }
      return reference;
    });
    return accuracy(predictions, labels);
  },
};

const squadCommand: CommandSpec = {
  path: ["eval", "squad"],
  summary: "SQuAD exact match and F1 (= the official v1.1 / v2.0 evaluation scripts)",
  usage: "eval squad DATA.jsonl [--v2] [options]",
  details: [
    'DATA.jsonl: one {"prediction": string, "reference": string | string[]} per line: the',
    "predicted answer and the gold answer(s). Answers are normalised (lowercase, no",
    "punctuation, no a/an/the, single spaces); each question scores its best gold answer.",
    'Prints {exactMatch, f1, total} in percent. With --v2, a reference of "" marks an',
    "unanswerable question (only an empty prediction is right) and the result adds hasAnswer",
    "and noAnswer breakdowns.",
  ].join("\n"),
  options: {
    v2: { type: "boolean", description: "SQuAD 2.0 rules, with unanswerable questions" },
    ...EVAL_KEY_OPTIONS,
  },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const { predictions, references } = await readCommandEvalData(ctx);
    if (ctx.values.v2 !== true) {
      const { exactMatch: em, f1, total } = squad(predictions, references);
      return { exactMatch: em, f1, total };
    }
    const golds = references.map((r) => (r === "" ? [] : typeof r === "string" ? [r] : r));
    const { perExample: _, ...result } = squadV2(predictions, golds);
    return result;
  },
};

/** `tunekit eval bleu | chrf | ter | exact-match | accuracy | squad`. */
export const sacrebleuCommands: CommandSpec[] = [
  bleuCommand,
  chrfCommand,
  terCommand,
  exactMatchCommand,
  accuracyCommand,
  squadCommand,
];
