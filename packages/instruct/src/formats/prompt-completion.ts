import { TunekitError } from "../../../../internal/shared/src/index";
import { describeRecord, type RecordLocation } from "../record-label";
import type { RenderedExample } from "../template";
import type { ChatMessage } from "./messages";

/**
 * A prompt-completion pair of plain text (the "standard" form trainers accept).
 *
 * @example
 * ```ts
 * import type { PromptCompletion } from "@tunekit/instruct";
 * const pair: PromptCompletion = { prompt: "Question: 2+2?\nAnswer:", completion: " 4" };
 * ```
 */
export interface PromptCompletion {
  /** The prompt; the loss is usually not computed on it. */
  prompt: string;
  /** The completion the model learns to produce. */
  completion: string;
}

/**
 * A prompt-completion pair of chat turns (the "conversational" form of TRL).
 *
 * @example
 * ```ts
 * import type { ConversationalPromptCompletion } from "@tunekit/instruct";
 * const pair: ConversationalPromptCompletion = {
 *   prompt: [{ role: "user", content: "Hi" }],
 *   completion: [{ role: "assistant", content: "Hello" }],
 * };
 * ```
 */
export interface ConversationalPromptCompletion {
  /** The turns before the reply. */
  prompt: ChatMessage[];
  /** The reply turn(s). */
  completion: ChatMessage[];
}

/**
 * A rendered template as a prompt-completion pair: `input` is the prompt, `target` the completion.
 *
 * @param example - the output of `renderTemplate`.
 * @returns `{prompt, completion}`.
 * @example
 * ```ts
 * import { getTemplate, renderTemplate, toPromptCompletion } from "@tunekit/instruct";
 * const record = { dialogue: "#Person1#: Hi.", summary: "A greeting." };
 * toPromptCompletion(renderTemplate(getTemplate("dialogsum"), record));
 * // { prompt: "Summarize the following conversation.\n\n#Person1#: Hi.\n\nSummary: ", completion: "A greeting." }
 * ```
 */
export function toPromptCompletion(example: RenderedExample): PromptCompletion {
  return { prompt: example.input, completion: example.target };
}

/**
 * Splits a chat before its last assistant turn: everything before it is the prompt, that
 * turn is the completion. {@link promptCompletionToMessages} joins them back exactly.
 *
 * @param messages - a chat that ends with an assistant turn.
 * @param where - the record's position/id, named in errors.
 * @returns the conversational pair.
 * @throws {@link TunekitError} `no_final_reply` when the chat does not end with an assistant turn.
 * @example
 * ```ts
 * import { messagesToPromptCompletion } from "@tunekit/instruct";
 * messagesToPromptCompletion([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }]);
 * // { prompt: [{ role: "user", content: "Hi" }], completion: [{ role: "assistant", content: "Hello" }] }
 * ```
 */
export function messagesToPromptCompletion(
  messages: readonly ChatMessage[],
  where: RecordLocation = {},
): ConversationalPromptCompletion {
  const last = messages.at(-1);
  if (last?.role !== "assistant") {
    throw new TunekitError(
      "no_final_reply",
      `${describeRecord(undefined, where)}: a prompt-completion pair needs a chat that ends with an assistant turn; this one ends with ${last ? `"${last.role}"` : "nothing"}`,
    );
  }
  return { prompt: messages.slice(0, -1), completion: [last] };
}

/**
 * Joins a prompt-completion pair into chat messages. A plain-text pair becomes one user
 * turn and one assistant turn.
 *
 * @param pair - a plain-text or conversational pair.
 * @returns the messages.
 * @example
 * ```ts
 * import { promptCompletionToMessages } from "@tunekit/instruct";
 * promptCompletionToMessages({ prompt: "2+2?", completion: "4" });
 * // [{ role: "user", content: "2+2?" }, { role: "assistant", content: "4" }]
 * ```
 */
export function promptCompletionToMessages(
  pair: PromptCompletion | ConversationalPromptCompletion,
): ChatMessage[] {
  if (typeof pair.prompt === "string" && typeof pair.completion === "string") {
    return [
      { role: "user", content: pair.prompt },
      { role: "assistant", content: pair.completion },
    ];
  }
  return [...(pair.prompt as ChatMessage[]), ...(pair.completion as ChatMessage[])];
}
