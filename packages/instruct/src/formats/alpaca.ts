import { TunekitError } from "../../../../internal/shared/src/index";
import { describeRecord, type RecordLocation } from "../record-label";
import type { ChatMessage } from "./messages";

/**
 * A Stanford Alpaca record. `input` may be missing or empty.
 *
 * @example
 * ```ts
 * import type { AlpacaRecord } from "@tunekit/instruct";
 * const record: AlpacaRecord = { instruction: "Add the numbers.", input: "2 and 3", output: "5" };
 * ```
 */
export interface AlpacaRecord {
  /** The task. */
  instruction: string;
  /** Extra context for the task; `""` when there is none. */
  input?: string;
  /** The expected answer. */
  output: string;
  /** A system prompt, when a conversation with one was converted to Alpaca. */
  system?: string;
  /** Any other field (kept by the converters). */
  [key: string]: unknown;
}

/**
 * Options of {@link alpacaToMessages}.
 *
 * @example
 * ```ts
 * import { alpacaToMessages, type AlpacaToMessagesOptions } from "@tunekit/instruct";
 * const options: AlpacaToMessagesOptions = { inputSeparator: "\n", index: 3 };
 * alpacaToMessages({ instruction: "Add.", input: "2 and 3", output: "5" }, options);
 * ```
 */
export interface AlpacaToMessagesOptions extends RecordLocation {
  /** Joins `instruction` and a non-empty `input` in the user turn. Default `"\n\n"`. */
  inputSeparator?: string;
}

function text(
  record: Record<string, unknown>,
  field: string,
  where: RecordLocation,
  optional = false,
) {
  const value = record[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "string") {
    throw new TunekitError(
      "invalid_record",
      `${describeRecord(record, where)}: field "${field}" must be a string, got ${value === undefined ? "nothing" : JSON.stringify(value).slice(0, 40)}`,
    );
  }
  return value;
}

/** @internal Reads a string field or throws `invalid_record` naming the record. */
export const requireText = text;

/**
 * Turns an Alpaca record into a chat: an optional system turn, a user turn with the
 * instruction (and the input after `inputSeparator` when it is not empty), and an
 * assistant turn with the output.
 *
 * @param record - the Alpaca record.
 * @param options - `inputSeparator`; `index`/`id` for errors.
 * @returns the messages.
 * @throws {@link TunekitError} `invalid_record` when `instruction` or `output` is not a string.
 * @example
 * ```ts
 * import { alpacaToMessages } from "@tunekit/instruct";
 * alpacaToMessages({ instruction: "Add.", input: "2 and 3", output: "5" });
 * // [{ role: "user", content: "Add.\n\n2 and 3" }, { role: "assistant", content: "5" }]
 * ```
 */
export function alpacaToMessages(
  record: AlpacaRecord,
  options: AlpacaToMessagesOptions = {},
): ChatMessage[] {
  const instruction = text(record, "instruction", options)!;
  const input = text(record, "input", options, true) ?? "";
  const output = text(record, "output", options)!;
  const system = text(record, "system", options, true);
  const messages: ChatMessage[] = [];
  if (system !== undefined) messages.push({ role: "system", content: system });
  const separator = options.inputSeparator ?? "\n\n";
  messages.push({
    role: "user",
    content: input === "" ? instruction : instruction + separator + input,
  });
  messages.push({ role: "assistant", content: output });
  return messages;
}

/**
 * Turns a one-exchange chat (an optional system turn, one user turn, one assistant turn)
 * into an Alpaca record. The whole user turn becomes `instruction` and `input` is `""`:
 * a chat does not say where an instruction ends, and the prompt text stays the same.
 *
 * @param messages - the chat.
 * @param where - the record's position/id, named in errors.
 * @returns the Alpaca record (with `system` when the chat had one).
 * @throws {@link TunekitError} `not_single_turn` for any other shape of chat.
 * @example
 * ```ts
 * import { messagesToAlpaca } from "@tunekit/instruct";
 * messagesToAlpaca([{ role: "user", content: "Add 2 and 3." }, { role: "assistant", content: "5" }]);
 * // { instruction: "Add 2 and 3.", input: "", output: "5" }
 * ```
 */
export function messagesToAlpaca(
  messages: readonly ChatMessage[],
  where: RecordLocation = {},
): AlpacaRecord {
  const turns = messages[0]?.role === "system" ? messages.slice(1) : messages;
  if (turns.length !== 2 || turns[0].role !== "user" || turns[1].role !== "assistant") {
    throw new TunekitError(
      "not_single_turn",
      `${describeRecord(undefined, where)}: Alpaca holds one user turn and one assistant reply ` +
        `(after an optional system turn); this chat has roles ${messages.map((m) => m.role).join(", ") || "none"}`,
    );
  }
  const record: AlpacaRecord = {
    instruction: turns[0].content,
    input: "",
    output: turns[1].content,
  };
  if (turns !== messages) record.system = messages[0].content;
  return record;
}
