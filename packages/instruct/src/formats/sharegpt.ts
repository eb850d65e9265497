import { TunekitError } from "../../../../internal/shared/src/index";
import { describeRecord, type RecordLocation } from "../record-label";
import type { ChatMessage } from "./messages";

/**
 * One turn of a ShareGPT conversation.
 *
 * @example
 * ```ts
 * import type { ShareGptTurn } from "@tunekit/instruct";
 * const turn: ShareGptTurn = { from: "gpt", value: "Hello!" };
 * ```
 */
export interface ShareGptTurn {
  /** The speaker: `human`, `gpt`, `system`, `tool`, or a variant (see {@link SHAREGPT_ROLES}). */
  from: string;
  /** The text of the turn. */
  value: string;
  /** 0 or 1: whether the turn is trained on (carried over from OpenAI `weight`). */
  weight?: 0 | 1;
  /** Any other field of the turn. */
  [key: string]: unknown;
}

/**
 * A ShareGPT record: `{"conversations": [{"from": "human", "value": "…"}, …]}`.
 *
 * @example
 * ```ts
 * import type { ShareGptRecord } from "@tunekit/instruct";
 * const record: ShareGptRecord = {
 *   conversations: [
 *     { from: "human", value: "Hi" },
 *     { from: "gpt", value: "Hello" },
 *   ],
 * };
 * ```
 */
export interface ShareGptRecord {
  /** The turns, in order. */
  conversations: ShareGptTurn[];
  /** A system prompt kept beside the turns (some ShareGPT exports have one). */
  system?: string;
  /** Any other field of the record. */
  [key: string]: unknown;
}

/**
 * How ShareGPT speaker names map to chat roles. `human`/`user` are the user, `gpt` and the
 * names other exports use for the model are the assistant, and `observation`/`function`
 * outputs are tool turns. Unknown names are an error rather than a guess.
 *
 * @example
 * ```ts
 * import { SHAREGPT_ROLES } from "@tunekit/instruct";
 * SHAREGPT_ROLES.gpt; // "assistant"
 * ```
 */
export const SHAREGPT_ROLES: Readonly<Record<string, string>> = Object.freeze({
  human: "user",
  user: "user",
  gpt: "assistant",
  assistant: "assistant",
  chatgpt: "assistant",
  bard: "assistant",
  bing: "assistant",
  model: "assistant",
  system: "system",
  tool: "tool",
  function: "tool",
  observation: "tool",
});

// The names written back: the canonical ShareGPT speakers.
const SPEAKERS: Readonly<Record<string, string>> = {
  user: "human",
  assistant: "gpt",
  system: "system",
  tool: "tool",
};

/**
 * ShareGPT to chat messages: speakers become roles by {@link SHAREGPT_ROLES}, a top-level
 * `system` becomes the first turn, `weight` and other turn fields are kept.
 *
 * @param record - the ShareGPT record.
 * @param where - the record's position/id, named in errors.
 * @returns the messages.
 * @throws {@link TunekitError} `invalid_record` for a missing `conversations` list, a turn
 *   without a string `value`, or an unknown speaker.
 * @example
 * ```ts
 * import { shareGptToMessages } from "@tunekit/instruct";
 * shareGptToMessages({ conversations: [{ from: "human", value: "Hi" }, { from: "gpt", value: "Hello" }] });
 * // [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }]
 * ```
 */
export function shareGptToMessages(
  record: ShareGptRecord,
  where: RecordLocation = {},
): ChatMessage[] {
  const fail = (detail: string): never => {
    throw new TunekitError("invalid_record", `${describeRecord(record, where)}: ${detail}`);
  };
  if (!Array.isArray(record.conversations)) fail('a ShareGPT record needs a "conversations" list');
  const messages: ChatMessage[] = [];
  if (record.system !== undefined) {
    if (typeof record.system !== "string") fail('"system" must be a string');
    messages.push({ role: "system", content: record.system });
  }
  record.conversations.forEach((turn, i) => {
    if (typeof turn !== "object" || turn === null) fail(`conversations[${i}] is not an object`);
    const { from, value, ...rest } = turn;
    const role = typeof from === "string" ? SHAREGPT_ROLES[from.toLowerCase()] : undefined;
    if (role === undefined) {
      fail(
        `conversations[${i}] has speaker ${JSON.stringify(from)}; known: ${Object.keys(SHAREGPT_ROLES).join(", ")}`,
      );
    }
    if (typeof value !== "string") fail(`conversations[${i}] has no string "value"`);
    messages.push({ role: role!, content: value, ...rest });
  });
  return messages;
}

/**
 * Chat messages to ShareGPT, with the canonical speakers (`human`, `gpt`, `system`,
 * `tool`); `weight` and other turn fields are kept. Together with
 * {@link shareGptToMessages} this round-trips exactly.
 *
 * @param messages - the chat.
 * @param where - the record's position/id, named in errors.
 * @returns the ShareGPT record.
 * @throws {@link TunekitError} `invalid_record` for a role ShareGPT has no speaker for.
 * @example
 * ```ts
 * import { messagesToShareGpt } from "@tunekit/instruct";
 * messagesToShareGpt([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello", weight: 1 }]);
 * // { conversations: [{ from: "human", value: "Hi" }, { from: "gpt", value: "Hello", weight: 1 }] }
 * ```
 */
export function messagesToShareGpt(
  messages: readonly ChatMessage[],
  where: RecordLocation = {},
): ShareGptRecord {
  return {
    conversations: messages.map(({ role, content, ...rest }, i) => {
      const from = SPEAKERS[role];
      if (from === undefined) {
        throw new TunekitError(
          "invalid_record",
          `${describeRecord(undefined, where)}: messages[${i}] has role "${role}", which ShareGPT has no speaker for (${Object.keys(SPEAKERS).join(", ")})`,
        );
      }
      return { from, value: content, ...rest };
    }),
  };
}
