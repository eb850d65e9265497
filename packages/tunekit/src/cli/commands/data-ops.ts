import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  ContaminationIndex,
  DataFileError,
  type DataRecord,
  Deduplicator,
  type DuplicateMatch,
  type MixReport,
  overlapText,
  planMix,
  planSplit,
  type RejectedLine,
  recordText,
  renderStatsHtml,
  renderStatsText,
  type SplitLabels,
  StatsCollector,
  splitKey,
} from "@tunekit/instruct";
import { readRecords } from "@tunekit/instruct/node";
import type { CommandContext, CommandSpec, OptionSpec } from "../command";
import { choiceOption, integerOption, numberOption, stringOption, UsageError } from "../errors";
import { type AtomicLineWriter, openAtomicLineWriter, writeFileAtomic } from "../files";
import { renderTable } from "../output";

// ---------------------------------------------------------------------------------------
// Reading with progress and a shared rejects file

const readingOptions: Record<string, OptionSpec> = {
  "skip-invalid": {
    type: "boolean",
    description: "set bad lines aside instead of failing (needs --rejects)",
  },
  rejects: {
    type: "string",
    valueName: "FILE",
    description: "with --skip-invalid: JSONL of the bad lines {file, line, code, error, text}",
  },
};

/** How a command reads its inputs: fail on the first bad line, or set bad lines aside. */
interface Reading {
  skipInvalid: boolean;
  rejects?: AtomicLineWriter;
  rejectsPath?: string;
  invalid: number;
  /** Bad lines are counted (and written) on the first pass over a file only. */
  seen: Set<string>;
}

async function openReading(values: Record<string, unknown>): Promise<Reading> {
  const skipInvalid = values["skip-invalid"] === true;
  const rejectsPath = stringOption(values, "rejects");
  if (skipInvalid && !rejectsPath) {
    throw new UsageError(
      "--skip-invalid needs --rejects FILE, so that no line is dropped silently",
    );
  }
  if (rejectsPath && !skipInvalid) {
    throw new UsageError("--rejects is only used with --skip-invalid");
  }
  return {
    skipInvalid,
    rejectsPath,
    rejects: rejectsPath ? await openAtomicLineWriter(rejectsPath) : undefined,
    invalid: 0,
    seen: new Set(),
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // the reader reports a missing file with a proper message
  }
}

/**
 * Streams the records of `path` to `onRecord` with a progress bar (by bytes). The first
 * pass over a file writes its bad lines to the rejects file; later passes skip the same
 * lines quietly, so record indices agree between passes.
 */
async function eachRecord(
  context: CommandContext,
  reading: Reading,
  path: string,
  label: string,
  onRecord: (record: DataRecord, line: number, index: number) => void | Promise<void>,
): Promise<number> {
  const firstPass = !reading.seen.has(path);
  reading.seen.add(path);
  const reader = readRecords(path, {
    skipInvalid: reading.skipInvalid,
    onReject: async (rejected: RejectedLine) => {
      if (!firstPass) return;
      reading.invalid++;
      await reading.rejects?.write(JSON.stringify(rejected));
    },
  });
  const bar = context.progress(label, await fileSize(path));
  try {
    for await (const { record, line, index } of reader) {
      await onRecord(record, line, index);
      if ((index & 1023) === 0) bar.update(reader.counts.bytesRead);
    }
  } finally {
    bar.done();
  }
  return reader.counts.records;
}

/** Runs `work` with the reading set up; commits the rejects file on success. */
async function withReading<T extends object>(
  values: Record<string, unknown>,
  work: (reading: Reading) => Promise<T>,
): Promise<T & { invalid?: number; rejects?: string }> {
  const reading = await openReading(values);
  try {
    const result = await work(reading);
    await reading.rejects?.commit();
    if (!reading.skipInvalid) return result;
    return { ...result, invalid: reading.invalid, rejects: reading.rejectsPath };
  } catch (error) {
    await reading.rejects?.abort();
    throw error;
  }
}

/** Opens writers and aborts all of them if the work fails, so no output is half-written. */
async function withWriters<T>(
  paths: string[],
  work: (writers: AtomicLineWriter[]) => Promise<T>,
): Promise<T> {
  const writers: AtomicLineWriter[] = [];
  try {
    for (const path of paths) writers.push(await openAtomicLineWriter(path));
    const result = await work(writers);
    for (const writer of writers) await writer.commit();
    return result;
  } catch (error) {
    for (const writer of writers) await writer.abort();
    throw error;
  }
}

function listOption(values: Record<string, unknown>, name: string): string[] {
  const raw = values[name];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((v) => String(v).split(",")).filter((v) => v.length > 0);
}

function seedOption(values: Record<string, unknown>): number {
  const seed = integerOption(values, "seed");
  if (seed === undefined) throw new UsageError("missing required option --seed");
  return seed;
}

const inFile = (context: CommandContext) => context.positionals[0];

// ---------------------------------------------------------------------------------------
// data split

function parseRatios(raw: string): number[] {
  const ratios = raw.split(",").map((part) => Number(part.trim()));
  if (ratios.some((r) => !Number.isFinite(r) || r < 0)) {
    throw new UsageError(`--ratios must be comma-separated numbers ≥ 0, got "${raw}"`);
  }
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    throw new UsageError(`--ratios must sum to 1, got ${ratios.join(" + ")} = ${sum}`);
  }
  return ratios;
}

function parseCounts(raw: string): (number | "rest")[] {
  return raw.split(",").map((part) => {
    const text = part.trim();
    if (text === "rest") return "rest";
    if (!/^\d+$/.test(text)) {
      throw new UsageError(`--counts takes whole numbers or "rest", got "${raw}"`);
    }
    return Number(text);
  });
}

interface SplitSummary {
  input: string;
  seed: number;
  method: string;
  total: number;
  splits: { name: string; records: number; target: number; file: string }[];
  groups?: Record<string, number>;
  strata?: Record<string, Record<string, number>>;
}

const splitCommand: CommandSpec = {
  path: ["data", "split"],
  summary: "split a dataset into train/validation/test by ratios or counts, seeded",
  usage:
    "data split IN.jsonl --ratios 0.8,0.1,0.1 --seed S [--stratify FIELD | --group FIELD] --out-dir DIR",
  details: [
    "Seeded with xoshiro128** (the same split on every machine). Sizes from ratios are",
    "rounded by largest remainder. --stratify shares out every value of FIELD in the ratios",
    "(each within one record); --group keeps all records with the same FIELD value in one",
    "split. Each output keeps the input order. Writes DIR/train.jsonl, validation.jsonl",
    "and test.jsonl (or --names) atomically; the summary goes to stdout.",
  ].join("\n"),
  options: {
    ratios: {
      type: "string",
      valueName: "R1,R2,R3",
      description: "shares of the splits, summing to 1 (default 0.8,0.1,0.1)",
    },
    counts: {
      type: "string",
      valueName: "N1,N2,N3",
      description: 'exact sizes instead of ratios; one may be "rest", e.g. rest,100,100',
    },
    names: {
      type: "string",
      valueName: "A,B,C",
      description: "split names and file stems (default train,validation,test)",
    },
    seed: { type: "string", valueName: "S", description: "seed of the random split (required)" },
    stratify: {
      type: "string",
      valueName: "FIELD",
      description: "keep FIELD's proportions in every split",
    },
    group: {
      type: "string",
      valueName: "FIELD",
      description: "never put one FIELD value in two splits",
    },
    "out-dir": { type: "string", valueName: "DIR", description: "folder for the split files" },
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values } = context;
    const input = inFile(context);
    const seed = seedOption(values);
    const outDir = stringOption(values, "out-dir", true);
    const stratify = stringOption(values, "stratify");
    const group = stringOption(values, "group");
    if (stratify && group) throw new UsageError("use --stratify or --group, not both");
    const ratiosRaw = stringOption(values, "ratios");
    const countsRaw = stringOption(values, "counts");
    if (ratiosRaw && countsRaw) throw new UsageError("use --ratios or --counts, not both");
    const names = listOption(values, "names");
    const splitNames = names.length > 0 ? names : ["train", "validation", "test"];
    const ratios = countsRaw ? undefined : parseRatios(ratiosRaw ?? "0.8,0.1,0.1");
    const counts = countsRaw ? parseCounts(countsRaw) : undefined;
    const length = (ratios ?? counts)!.length;
    if (length !== splitNames.length) {
      throw new UsageError(
        `${length} ${ratios ? "ratios" : "counts"} for ${splitNames.length} split names (${splitNames.join(", ")}); give --names with one name each`,
      );
    }
    return withReading(values, async (reading) => {
      // Pass 1: count the records and collect the labels the split needs.
      const key = stratify ?? group;
      const labels: string[] = [];
      const total = await eachRecord(context, reading, input, "reading", (record, line, index) => {
        if (key === undefined) return;
        try {
          labels.push(splitKey(record, index, key));
        } catch (error) {
          throw new DataFileError(
            "missing_split_key",
            input,
            line,
            `the record has no "${key}" field (needed by --${stratify ? "stratify" : "group"}); fill it in or drop the record`,
            { cause: error },
          );
        }
      });
      const splitLabels: SplitLabels = stratify
        ? { strata: labels }
        : group
          ? { groups: labels }
          : {};
      let plan: ReturnType<typeof planSplit>;
      try {
        plan = planSplit(total, splitLabels, { ratios, counts, names: splitNames, seed });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      // Pass 2: route each record to its split's file.
      const files = plan.names.map((name) => join(outDir, `${name}.jsonl`));
      await withWriters(files, async (writers) => {
        await eachRecord(context, reading, input, "splitting", async (record, _line, index) => {
          await writers[plan.assignment[index]].write(JSON.stringify(record));
        });
      });
      const { report } = plan;
      const summary: SplitSummary = {
        input,
        seed,
        method: report.method,
        total,
        splits: plan.names.map((name, k) => ({
          name,
          records: report.sizes[name],
          target: report.targets[name],
          file: files[k],
        })),
      };
      if (report.groups) summary.groups = report.groups;
      if (report.strata) summary.strata = report.strata;
      return summary;
    });
  },
  table(result) {
    const summary = result as SplitSummary;
    return `${renderTable(summary.splits as unknown as Record<string, unknown>[])}\n\n${summary.total} records, ${summary.method}, seed ${summary.seed}`;
  },
};

// ---------------------------------------------------------------------------------------
// data mix

function parseTasks(values: Record<string, unknown>): { name: string; file: string }[] {
  const raw = values.task;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  if (list.length === 0) throw new UsageError("give at least one --task NAME=FILE");
  const tasks = list.map((item) => {
    const at = item.indexOf("=");
    if (at <= 0 || at === item.length - 1) {
      throw new UsageError(`--task takes NAME=FILE, got "${item}"`);
    }
    return { name: item.slice(0, at), file: item.slice(at + 1) };
  });
  const names = new Set<string>();
  for (const { name } of tasks) {
    if (names.has(name)) throw new UsageError(`task "${name}" is given twice`);
    names.add(name);
  }
  return tasks;
}

function capOption(values: Record<string, unknown>): number {
  const raw = stringOption(values, "cap");
  if (raw === undefined) return 3000;
  if (raw === "none") return Number.POSITIVE_INFINITY;
  const cap = integerOption(values, "cap", { min: 1 });
  return cap!;
}

const mixCommand: CommandSpec = {
  path: ["data", "mix"],
  summary: "mix tasks examples-proportionally with a cap and temperature (FLAN/T5)",
  usage:
    "data mix --task NAME=FILE ... --cap N [--temperature T] --seed S --out OUT.jsonl [--mode exact|sample] [--total N]",
  details: [
    "Rates: r_m = min(n_m, K)^(1/T) / Σ min(n_n, K)^(1/T) (Raffel et al. 2020, §3.5.2).",
    "exact: each task gets round(total · r_m) examples by largest remainder, a seeded sample",
    "without replacement (whole passes first when it needs more than it has). sample: total",
    "seeded draws by rate. Default total: Σ min(n_m, K). The output is shuffled; each line",
    'is the record plus "task": NAME (see --task-field). The realised mix goes to stdout.',
  ].join("\n"),
  options: {
    task: {
      type: "string",
      multiple: true,
      valueName: "NAME=FILE",
      description: "a task and its records (repeat for each task)",
    },
    cap: {
      type: "string",
      valueName: "N",
      description: 'examples-proportional cap K (default 3000, as FLAN; "none" for no cap)',
    },
    temperature: { type: "string", valueName: "T", description: "mixing temperature (default 1)" },
    seed: { type: "string", valueName: "S", description: "seed of the sampling (required)" },
    mode: {
      type: "string",
      valueName: "exact|sample",
      description: "exact counts or random draws (default exact)",
    },
    total: {
      type: "string",
      valueName: "N",
      description: "examples in the mix (default Σ min(n, cap))",
    },
    "task-field": {
      type: "string",
      valueName: "NAME",
      description: 'field that records the task in each output line (default "task"; "" for none)',
    },
    out: { type: "string", valueName: "OUT.jsonl", description: "the mixed dataset" },
    ...readingOptions,
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values } = context;
    const tasks = parseTasks(values);
    const cap = capOption(values);
    const temperature = numberOption(values, "temperature", 1)!;
    if (!(temperature > 0)) throw new UsageError(`--temperature must be > 0, got ${temperature}`);
    const seed = seedOption(values);
    const mode = choiceOption(values, "mode", ["exact", "sample"] as const, "exact");
    const total = integerOption(values, "total", { min: 0 });
    const out = stringOption(values, "out", true);
    const taskField = stringOption(values, "task-field") ?? "task";
    return withReading(values, async (reading) => {
      // Pass 1: count each task's records.
      const sizes: number[] = [];
      for (const task of tasks) {
        sizes.push(
          await eachRecord(context, reading, task.file, `counting ${task.name}`, () => {}),
        );
      }
      let plan: ReturnType<typeof planMix>;
      try {
        plan = planMix(
          tasks.map((t, m) => ({ name: t.name, size: sizes[m] })),
          { cap, temperature, mode, total, seed },
        );
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      // Pass 2: keep only the picked records of each task.
      const picked = tasks.map(() => new Map<number, DataRecord>());
      for (let i = 0; i < plan.task.length; i++) picked[plan.task[i]].set(plan.example[i], {});
      for (let m = 0; m < tasks.length; m++) {
        const keep = picked[m];
        if (keep.size === 0) continue;
        await eachRecord(
          context,
          reading,
          tasks[m].file,
          `reading ${tasks[m].name}`,
          (record, line, index) => {
            if (!keep.has(index)) return;
            if (
              taskField &&
              Object.hasOwn(record, taskField) &&
              record[taskField] !== tasks[m].name
            ) {
              throw new DataFileError(
                "task_field_taken",
                tasks[m].file,
                line,
                `the record already has a "${taskField}" field (${JSON.stringify(record[taskField])}); choose another --task-field, or "" for none`,
              );
            }
            keep.set(index, record);
          },
        );
      }
      await withWriters([out], async ([writer]) => {
        const bar = context.progress("writing", plan.task.length);
        for (let i = 0; i < plan.task.length; i++) {
          const m = plan.task[i];
          const record = picked[m].get(plan.example[i])!;
          await writer.write(
            JSON.stringify(taskField ? { ...record, [taskField]: tasks[m].name } : record),
          );
          if ((i & 1023) === 0) bar.update(i);
        }
        bar.done();
      });
      return { out, ...plan.report, cap: Number.isFinite(cap) ? cap : null };
    });
  },
  table(result) {
    const report = result as MixReport & { out: string };
    const rows = report.tasks.map((t) => ({
      task: t.task,
      available: t.available,
      capped: t.capped,
      rate: t.rate,
      count: t.count,
      share: t.share,
      epochs: t.epochs,
    }));
    return `${renderTable(rows)}\n\n${report.total} examples, ${report.mode}, cap ${report.cap ?? "none"}, T ${report.temperature}, seed ${report.seed} → ${report.out}`;
  },
};

// ---------------------------------------------------------------------------------------
// data dedup

const fieldOption: OptionSpec = {
  type: "string",
  multiple: true,
  valueName: "F",
  description: "compare this field (repeat or comma-separate; default the whole record)",
};

const dedupCommand: CommandSpec = {
  path: ["data", "dedup"],
  summary: "remove exact and near-duplicate records, keeping the first of each",
  usage:
    "data dedup IN.jsonl --out OUT.jsonl [--field F] [--near] [--threshold 0.8] [--removed REMOVED.jsonl]",
  details: [
    "Exact: a 53-bit MurmurHash3 of the text after NFKC, case folding and whitespace",
    "collapse. --near: MinHash (128 functions, word 5-grams, seed 1) with LSH banded for the",
    "threshold (16 bands × 8 rows at 0.8); a record goes when its estimated Jaccard",
    "similarity to a kept record is at least the threshold. --removed lists each removed",
    "record with its kept twin: {line, keptLine, index, keptIndex, id, keptId, kind, similarity}.",
  ].join("\n"),
  options: {
    out: { type: "string", valueName: "OUT.jsonl", description: "the kept records" },
    field: fieldOption,
    id: { type: "string", valueName: "FIELD", description: "report records by this field's value" },
    near: { type: "boolean", description: "also remove near-duplicates (MinHash + LSH)" },
    threshold: {
      type: "string",
      valueName: "J",
      description: "near-duplicate Jaccard threshold (default 0.8)",
    },
    "num-perm": { type: "string", valueName: "N", description: "MinHash functions (default 128)" },
    shingle: {
      type: "string",
      valueName: "word|char",
      description: "shingles of words or characters (default word)",
    },
    "shingle-size": { type: "string", valueName: "K", description: "shingle length (default 5)" },
    removed: {
      type: "string",
      valueName: "REMOVED.jsonl",
      description: "write the removed records' report here",
    },
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values } = context;
    const input = inFile(context);
    const out = stringOption(values, "out", true);
    const fields = listOption(values, "field");
    const idField = stringOption(values, "id");
    const near = values.near === true;
    const threshold = numberOption(values, "threshold", 0.8)!;
    if (!(threshold > 0 && threshold <= 1)) {
      throw new UsageError(`--threshold must be in (0, 1], got ${threshold}`);
    }
    const numPerm = integerOption(values, "num-perm", { min: 1, max: 4096, default: 128 })!;
    const shingle = choiceOption(values, "shingle", ["word", "char"] as const, "word");
    const shingleSize = integerOption(values, "shingle-size", { min: 1, default: 5 })!;
    const removedPath = stringOption(values, "removed");
    const dedup = new Deduplicator({
      near,
      threshold,
      minhash: { numPerm, shingle, size: shingleSize },
    });
    const lines: number[] = [];
    return withReading(values, async (reading) => {
      const paths = removedPath ? [out, removedPath] : [out];
      await withWriters(paths, async ([kept, removed]) => {
        await eachRecord(context, reading, input, "deduplicating", async (record, line) => {
          lines.push(line);
          const id = idField === undefined ? undefined : record[idField];
          const match: DuplicateMatch | undefined = dedup.add(recordText(record, fields), id);
          if (!match) {
            await kept.write(JSON.stringify(record));
          } else if (removed) {
            await removed.write(
              JSON.stringify({
                line,
                keptLine: lines[match.keptIndex],
                index: match.index,
                keptIndex: match.keptIndex,
                ...(idField === undefined ? {} : { id: match.id, keptId: match.keptId }),
                kind: match.kind,
                similarity: match.similarity,
              }),
            );
          }
        });
      });
      return {
        input,
        out,
        ...(removedPath ? { removedFile: removedPath } : {}),
        ...dedup.report(),
      };
    });
  },
};

// ---------------------------------------------------------------------------------------
// data decontaminate

interface DecontaminationSummary {
  input: string;
  eval: string;
  out: string;
  n: number;
  total: number;
  clean: number;
  contaminated: number;
  evalItems: number;
  shortEvalItems: number;
  evalNgrams: number;
  examples: Record<string, unknown>[];
}

const decontaminateCommand: CommandSpec = {
  path: ["data", "decontaminate"],
  summary: "drop training records that share an n-gram with an evaluation set",
  usage:
    "data decontaminate IN.jsonl --eval EVAL.jsonl [--n 13] [--field F] --out OUT.jsonl [--contaminated FILE]",
  details: [
    "Words are runs of letters and digits after NFKC and case folding; a record is",
    "contaminated when any n consecutive words (default 13, as GPT-3) also occur in an",
    "evaluation record. Evaluation records shorter than n words are counted and skipped",
    "unless --short-eval-items whole. Default fields: every top-level string value.",
    "--contaminated writes one line per dropped record:",
    "{line, id, evalLines, evalIds, ngrams, example}; stdout shows the first 10.",
  ].join("\n"),
  options: {
    eval: { type: "string", valueName: "EVAL.jsonl", description: "the evaluation set" },
    n: { type: "string", valueName: "N", description: "n-gram length in words (default 13)" },
    field: { ...fieldOption, description: "training field(s) to check (default all strings)" },
    "eval-field": {
      type: "string",
      multiple: true,
      valueName: "F",
      description: "evaluation field(s) to index (default: as --field)",
    },
    id: {
      type: "string",
      valueName: "FIELD",
      description: "report training records by this field",
    },
    "eval-id": {
      type: "string",
      valueName: "FIELD",
      description: "report evaluation records by this field (default their line)",
    },
    "short-eval-items": {
      type: "string",
      valueName: "skip|whole",
      description: "evaluation records under n words: skip (default) or match whole",
    },
    out: { type: "string", valueName: "OUT.jsonl", description: "the clean records" },
    contaminated: {
      type: "string",
      valueName: "FILE",
      description: "write a JSONL report of the dropped records",
    },
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values } = context;
    const input = inFile(context);
    const evalPath = stringOption(values, "eval", true);
    const out = stringOption(values, "out", true);
    const n = integerOption(values, "n", { min: 1, max: 1000, default: 13 })!;
    const fields = listOption(values, "field");
    const evalFieldList = listOption(values, "eval-field");
    const evalFields = evalFieldList.length > 0 ? evalFieldList : fields;
    const idField = stringOption(values, "id");
    const evalIdField = stringOption(values, "eval-id");
    const shortEvalItems = choiceOption(
      values,
      "short-eval-items",
      ["skip", "whole"] as const,
      "skip",
    );
    const reportPath = stringOption(values, "contaminated");
    const index = new ContaminationIndex({ n, shortEvalItems });
    const evalLines: number[] = [];
    return withReading(values, async (reading) => {
      await eachRecord(context, reading, evalPath, "indexing eval", (record, line) => {
        evalLines.push(line);
        index.addEval(overlapText(record, evalFields), evalIdField ? record[evalIdField] : line);
      });
      if (index.shortEvalItems > 0 && shortEvalItems === "skip") {
        context.log(
          `note: ${index.shortEvalItems} evaluation record(s) have fewer than ${n} words and cannot be detected; use --short-eval-items whole or a smaller --n`,
        );
      }
      let total = 0;
      let contaminated = 0;
      const examples: Record<string, unknown>[] = [];
      const paths = reportPath ? [out, reportPath] : [out];
      await withWriters(paths, async ([clean, report]) => {
        await eachRecord(context, reading, input, "checking", async (record, line) => {
          total++;
          const overlap = index.check(overlapText(record, fields));
          if (!overlap) {
            await clean.write(JSON.stringify(record));
            return;
          }
          contaminated++;
          const entry = {
            line,
            ...(idField ? { id: record[idField] } : {}),
            evalLines: overlap.evalIndices.map((i) => evalLines[i]),
            ...(evalIdField ? { evalIds: overlap.evalIds } : {}),
            ngrams: overlap.ngrams,
            example: overlap.example,
          };
          if (examples.length < 10) examples.push(entry);
          await report?.write(JSON.stringify(entry));
        });
      });
      const summary: DecontaminationSummary = {
        input,
        eval: evalPath,
        out,
        n,
        total,
        clean: total - contaminated,
        contaminated,
        evalItems: index.evalItems,
        shortEvalItems: index.shortEvalItems,
        evalNgrams: index.size,
        examples,
      };
      return reportPath ? { ...summary, contaminatedFile: reportPath } : summary;
    });
  },
  table(result) {
    const s = result as DecontaminationSummary;
    const head = `${s.contaminated} of ${s.total} records share a ${s.n}-gram with ${s.eval} (${s.evalItems} items, ${s.evalNgrams} n-grams); ${s.clean} kept → ${s.out}`;
    if (s.examples.length === 0) return head;
    const rows = s.examples.map((e) => ({ ...e, evalLines: (e.evalLines as number[]).join(",") }));
    return `${head}\n\n${renderTable(rows)}`;
  },
};

// ---------------------------------------------------------------------------------------
// data stats

const statsCommand: CommandSpec = {
  path: ["data", "stats"],
  summary: "count records, fields and length distributions (ASCII histograms, --html page)",
  usage: "data stats IN.jsonl [--field F] [--bins N] [--html OUT.html] [--format table]",
  details: [
    "Per field: presence, value types, and for strings the length in characters (code",
    "points) and words (whitespace-separated, as Python's str.split()), for arrays the",
    "number of items: min, mean, percentiles 50/90/95/99 (linear, as NumPy) and a",
    "histogram. --format table draws the histograms; --html writes a self-contained page.",
  ].join("\n"),
  options: {
    field: { ...fieldOption, description: "only these fields (repeat or comma-separate)" },
    bins: { type: "string", valueName: "N", description: "histogram bins (default 20)" },
    html: { type: "string", valueName: "OUT.html", description: "also write an HTML report" },
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values } = context;
    const input = inFile(context);
    const fields = listOption(values, "field");
    const bins = integerOption(values, "bins", { min: 1, max: 200, default: 20 })!;
    const htmlPath = stringOption(values, "html");
    return withReading(values, async (reading) => {
      const collector = new StatsCollector({ fields: fields.length ? fields : undefined, bins });
      await eachRecord(context, reading, input, "reading", (record) => {
        collector.add(record);
      });
      const stats = collector.result();
      if (htmlPath)
        await writeFileAtomic(htmlPath, renderStatsHtml(stats, { title: basename(input) }));
      return { input, ...(htmlPath ? { html: htmlPath } : {}), ...stats };
    });
  },
  table(result) {
    const r = result as ReturnType<StatsCollector["result"]> & { input: string; html?: string };
    return `${r.input}\n${renderStatsText(r)}${r.html ? `\n\nHTML report: ${r.html}` : ""}`;
  },
};

/** `tunekit data split|mix|dedup|decontaminate|stats`: dataset operations. */
export const dataOpsCommands: CommandSpec[] = [
  splitCommand,
  mixCommand,
  dedupCommand,
  decontaminateCommand,
  statsCommand,
];
