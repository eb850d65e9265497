import type { CommandContext, OptionSpec } from "./command";
import { stringOption } from "./errors";
import { readLines } from "./files";

/**
 * The options that rename the fields {@link readEvalData} reads, shared by every `eval`
 * command: `--prediction-key` and `--reference-key`.
 */
export const EVAL_KEY_OPTIONS: Record<"prediction-key" | "reference-key", OptionSpec> = {
  "prediction-key": {
    type: "string",
    valueName: "K",
    description: 'the field holding the prediction (default "prediction")',
  },
  "reference-key": {
    type: "string",
    valueName: "K",
    description: 'the field holding the reference(s) (default "reference")',
  },
};

/** The predictions and references of an evaluation file, in input order. */
export interface EvalData {
  predictions: string[];
  references: (string | string[])[];
}

/**
 * Reads an evaluation JSONL file: one object a line with a string prediction and a
 * reference that is a string or a non-empty array of strings. Blank lines are skipped.
 * Every problem names the file and line.
 */
export async function readEvalData(
  path: string,
  keys: { prediction?: string; reference?: string } = {},
): Promise<EvalData> {
  const predictionKey = keys.prediction ?? "prediction";
  const referenceKey = keys.reference ?? "reference";
  const predictions: string[] = [];
  const references: (string | string[])[] = [];
  for await (const { line, number } of readLines(path)) {
    if (line.trim() === "") continue;
    const where = `${path}:${number}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (!record || typeof record !== "object" || Array.isArray(record)) {
      throw new Error(
        `${where}: expected a JSON object with "${predictionKey}" and "${referenceKey}"`,
      );
    }
    const fields = record as Record<string, unknown>;
    const prediction = fields[predictionKey];
    if (typeof prediction !== "string") {
      throw new Error(
        `${where}: "${predictionKey}" must be a string, got ${describe(prediction)} (rename the field with --prediction-key)`,
      );
    }
    const reference = fields[referenceKey];
    if (typeof reference === "string") {
      references.push(reference);
    } else if (
      Array.isArray(reference) &&
      reference.length > 0 &&
      reference.every((r) => typeof r === "string")
    ) {
      references.push(reference as string[]);
    } else {
      throw new Error(
        `${where}: "${referenceKey}" must be a string or a non-empty array of strings, got ${describe(reference)} (rename the field with --reference-key)`,
      );
    }
    predictions.push(prediction);
  }
  if (predictions.length === 0) throw new Error(`${path}: no records found`);
  return { predictions, references };
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (field missing)";
  if (Array.isArray(value))
    return value.length === 0 ? "an empty array" : "an array with non-strings";
  return value === null ? "null" : typeof value;
}

/**
 * Reads the evaluation file a command names as its first positional, with the field names
 * given by {@link EVAL_KEY_OPTIONS} (`--prediction-key`, `--reference-key`).
 */
export function readCommandEvalData(
  ctx: Pick<CommandContext, "positionals" | "values">,
): Promise<EvalData> {
  return readEvalData(ctx.positionals[0], {
    prediction: stringOption(ctx.values, "prediction-key"),
    reference: stringOption(ctx.values, "reference-key"),
  });
}
