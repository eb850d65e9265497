import type { RecordLocation } from "../record-label";
import { type AlpacaRecord, alpacaToMessages, messagesToAlpaca, requireText } from "./alpaca";
import type { ChatMessage } from "./messages";

/**
 * A databricks-dolly-15k record. `context` is `""` when there is none.
 *
 * @example
 * ```ts
 * import type { DollyRecord } from "@tunekit/instruct";
 * const record: DollyRecord = { instruction: "Who wrote it?", context: "Ada wrote it.", response: "Ada", category: "closed_qa" };
 * ```
 */
export interface DollyRecord {
  /** The task. */
  instruction: string;
  /** Reference text for the task; `""` when there is none. */
  context?: string;
  /** The expected answer. */
  response: string;
  /** The task category (`open_qa`, `summarization`, …). */
  category?: string;
  /** Any other field (kept by the converters). */
  [key: string]: unknown;
}

/**
 * Dolly to Alpaca: `context` becomes `input`, `response` becomes `output`; other fields
 * (such as `category`) are kept. {@link alpacaToDolly} undoes it exactly.
 *
 * @param record - the Dolly record.
 * @param where - the record's position/id, named in errors.
 * @returns the Alpaca record.
 * @throws {@link TunekitError} `invalid_record` when `instruction` or `response` is not a string.
 * @example
 * ```ts
 * import { dollyToAlpaca } from "@tunekit/instruct";
 * dollyToAlpaca({ instruction: "Who?", context: "Ada wrote it.", response: "Ada", category: "closed_qa" });
 * // { instruction: "Who?", input: "Ada wrote it.", output: "Ada", category: "closed_qa" }
 * ```
 */
export function dollyToAlpaca(record: DollyRecord, where: RecordLocation = {}): AlpacaRecord {
  const { instruction, context, response, ...rest } = record;
  return {
    ...rest,
    instruction: requireText(record, "instruction", where)!,
    input: requireText(record, "context", where, true) ?? "",
    output: requireText(record, "response", where)!,
  };
}

/**
 * Alpaca to Dolly: `input` becomes `context`, `output` becomes `response`; other fields
 * are kept.
 *
 * @param record - the Alpaca record.
 * @param where - the record's position/id, named in errors.
 * @returns the Dolly record.
 * @throws {@link TunekitError} `invalid_record` when `instruction` or `output` is not a string.
 * @example
 * ```ts
 * import { alpacaToDolly } from "@tunekit/instruct";
 * alpacaToDolly({ instruction: "Name a colour.", input: "", output: "Blue" });
 * // { instruction: "Name a colour.", context: "", response: "Blue" }
 * ```
 */
export function alpacaToDolly(record: AlpacaRecord, where: RecordLocation = {}): DollyRecord {
  const { instruction, input, output, ...rest } = record;
  return {
    ...rest,
    instruction: requireText(record, "instruction", where)!,
    context: requireText(record, "input", where, true) ?? "",
    response: requireText(record, "output", where)!,
  };
}

/**
 * Dolly to chat messages (through {@link dollyToAlpaca} and {@link alpacaToMessages}).
 *
 * @param record - the Dolly record.
 * @param options - `inputSeparator` between instruction and context (default `"\n\n"`); `index`/`id`.
 * @returns the messages.
 * @throws {@link TunekitError} `invalid_record` when a required field is not a string.
 * @example
 * ```ts
 * import { dollyToMessages } from "@tunekit/instruct";
 * dollyToMessages({ instruction: "Who?", context: "Ada wrote it.", response: "Ada" });
 * ```
 */
export function dollyToMessages(
  record: DollyRecord,
  options: RecordLocation & { inputSeparator?: string } = {},
): ChatMessage[] {
  const { category, ...alpaca } = dollyToAlpaca(record, options);
  return alpacaToMessages(alpaca as AlpacaRecord, options);
}

/**
 * A one-exchange chat to Dolly (see {@link messagesToAlpaca}; the user turn becomes
 * `instruction` and `context` is `""`).
 *
 * @param messages - the chat.
 * @param where - the record's position/id, named in errors.
 * @returns the Dolly record.
 * @throws {@link TunekitError} `not_single_turn` unless the chat is one user and one assistant turn.
 * @example
 * ```ts
 * import { messagesToDolly } from "@tunekit/instruct";
 * messagesToDolly([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }]);
 * // { instruction: "Hi", context: "", response: "Hello" }
 * ```
 */
export function messagesToDolly(
  messages: readonly ChatMessage[],
  where: RecordLocation = {},
): DollyRecord {
  return alpacaToDolly(messagesToAlpaca(messages, where), where);
}
