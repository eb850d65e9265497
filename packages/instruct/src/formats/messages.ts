import { TunekitError } from "../../../../internal/shared/src/index";
import { describeRecord, type RecordLocation } from "../record-label";

/**
 * One turn of a chat, in the OpenAI / Hugging Face shape. `weight` (0 or 1) is OpenAI's
 * per-turn training switch for assistant turns: 0 keeps the turn as context only. Other
 * keys (`name`, `tool_calls`, `tool_call_id`, …) are kept as they are.
 *
 * @example
 * ```ts
 * import type { ChatMessage } from "@tunekit/instruct";
 * const turn: ChatMessage = { role: "assistant", content: "Hello!", weight: 1 };
 * ```
 */
export interface ChatMessage {
  /** `system`, `user`, `assistant`, `tool`, or a template-specific role. */
  role: string;
  /** The text of the turn. */
  content: string;
  /** 0 or 1: whether an assistant turn is trained on (OpenAI fine-tuning format). */
  weight?: 0 | 1;
  /** Any other field of the turn. */
  [key: string]: unknown;
}

/**
 * A conversation record of OpenAI chat JSONL: `{"messages": [...]}`.
 *
 * @example
 * ```ts
 * import type { ChatRecord } from "@tunekit/instruct";
 * const line: ChatRecord = {
 *   messages: [
 *     { role: "user", content: "Hi" },
 *     { role: "assistant", content: "Hello", weight: 0 },
 *   ],
 * };
 * ```
 */
export interface ChatRecord {
  /** The turns, in order. */
  messages: ChatMessage[];
  /** Any other field of the record (ids, tools, metadata). */
  [key: string]: unknown;
}

/**
 * Checks that a value is a list of chat messages and returns it typed: each turn an
 * object with a string `role`, a string `content` (or `null` when it carries
 * `tool_calls`), and `weight` 0 or 1 when present.
 *
 * @param value - the `messages` value of a record.
 * @param where - the record's position/id, named in errors.
 * @returns the same array, typed.
 * @throws {@link TunekitError} `invalid_messages` naming the record and the turn.
 * @example
 * ```ts
 * import { checkMessages } from "@tunekit/instruct";
 * const line = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}';
 * const messages = checkMessages(JSON.parse(line).messages, { index: 0 });
 * ```
 */
export function checkMessages(value: unknown, where: RecordLocation = {}): ChatMessage[] {
  const fail = (detail: string): never => {
    throw new TunekitError("invalid_messages", `${describeRecord(undefined, where)}: ${detail}`);
  };
  if (!Array.isArray(value)) return fail('"messages" must be a list of {role, content} objects');
  value.forEach((message, turn) => {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      fail(`messages[${turn}] is not an object`);
    }
    const m = message as Record<string, unknown>;
    if (typeof m.role !== "string") fail(`messages[${turn}] has no string "role"`);
    const toolCall = m.content === null && m.tool_calls !== undefined;
    if (typeof m.content !== "string" && !Array.isArray(m.content) && !toolCall) {
      fail(`messages[${turn}] (${m.role}) has no string "content"`);
    }
    if (m.weight !== undefined && m.weight !== 0 && m.weight !== 1) {
      fail(`messages[${turn}] has weight ${JSON.stringify(m.weight)}; OpenAI allows only 0 or 1`);
    }
  });
  return value as ChatMessage[];
}
