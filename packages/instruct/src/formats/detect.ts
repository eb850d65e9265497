/**
 * The record layouts the converters know.
 *
 * @example
 * ```ts
 * import { detectRecordFormat, type RecordFormat } from "@tunekit/instruct";
 * const format: RecordFormat | undefined = detectRecordFormat({ messages: [] }); // "messages"
 * ```
 */
export type RecordFormat =
  | "messages"
  | "sharegpt"
  | "prompt-completion"
  | "alpaca"
  | "dolly"
  | "text";

/**
 * Recognises a record's layout by its fields: `messages` (OpenAI chat), `conversations`
 * (ShareGPT), `prompt` + `completion`, `instruction` + `output` (Alpaca),
 * `instruction` + `response` (Dolly), or `text`.
 *
 * @param record - a parsed JSONL line.
 * @returns the layout, or `undefined` when none matches.
 * @example
 * ```ts
 * import { detectRecordFormat } from "@tunekit/instruct";
 * detectRecordFormat({ instruction: "Hi", input: "", output: "Hello" }); // "alpaca"
 * ```
 */
export function detectRecordFormat(
  record: Readonly<Record<string, unknown>>,
): RecordFormat | undefined {
  if (Array.isArray(record.messages)) return "messages";
  if (Array.isArray(record.conversations)) return "sharegpt";
  if ("prompt" in record && "completion" in record) return "prompt-completion";
  if (typeof record.instruction === "string" && "output" in record) return "alpaca";
  if (typeof record.instruction === "string" && "response" in record) return "dolly";
  if (typeof record.text === "string") return "text";
  return undefined;
}
