import type { ChatTemplate, ChatTemplateOptions } from "./chat-template";
import type { ChatMessage } from "./formats/messages";
import {
  finishExample,
  IGNORE_INDEX,
  type TextTokenizer,
  type TokenizeOptions,
  type TokenizeResult,
} from "./tokenize";

/** Options of {@link tokenizeChat}. */
export interface TokenizeChatOptions
  extends Omit<TokenizeOptions, "dedupeBos">,
    Omit<ChatTemplateOptions, "addGenerationPrompt"> {
  /** Template variables, normally `specialTokenVariables(tokenizerConfig)`. */
  variables?: Record<string, unknown>;
}

/**
 * Tokenises a conversation for supervised fine-tuning the way transformers and TRL do:
 * the chat template renders the whole conversation, and the text is tokenised **without**
 * adding special tokens (`apply_chat_template(tokenize=True)`), so a template that writes
 * `{{ bos_token }}` gives exactly one BOS and the template's own end-of-turn tokens end
 * each turn. When the conversation ends with an assistant turn, the labels are −100 over
 * the prompt — the ids of the conversation before that turn rendered with the generation
 * prompt (TRL's conversational prompt-completion) — unless `trainOnInputs`; a
 * conversation that does not end with an assistant turn is trained on whole.
 *
 * If a tokenizer merges tokens across the boundary, only the ids the prompt and the whole
 * conversation share are masked.
 *
 * @param tokenizer - from `loadTokenizer`.
 * @param template - the model's chat template.
 * @param messages - the conversation.
 * @param options - special-token `variables`, template kwargs, tools, `trainOnInputs`,
 *   `maxLength`, and `index`/`id` for errors.
 * @returns the example and what was done to it (`doubleBos` is always false).
 * @throws {@link TunekitError} from the template (`chat_template_exception`, …) and
 *   `invalid_option` for a bad `maxLength`.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { compileChatTemplate, loadTokenizer, selectChatTemplate, specialTokenVariables, tokenizeChat } from "@tunekit/instruct";
 * const config = JSON.parse(readFileSync("model/tokenizer_config.json", "utf8"));
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("model/tokenizer.json", "utf8")), config);
 * const template = compileChatTemplate(selectChatTemplate(config));
 * const { example } = tokenizeChat(tokenizer, template, [
 *   { role: "user", content: "What is the capital of France?" },
 *   { role: "assistant", content: "Paris." },
 * ], { variables: specialTokenVariables(config) });
 * ```
 */
export function tokenizeChat(
  tokenizer: TextTokenizer,
  template: ChatTemplate,
  messages: readonly ChatMessage[],
  options: TokenizeChatOptions = {},
): TokenizeResult {
  const { variables = {}, trainOnInputs = false } = options;
  const full = template.render(messages, { ...options, addGenerationPrompt: false }, variables);
  const ids = tokenizer.encode(full, { addSpecialTokens: false });
  const labels = [...ids];
  if (!trainOnInputs && messages.at(-1)?.role === "assistant") {
    const prompt = template.render(
      messages.slice(0, -1),
      { ...options, addGenerationPrompt: true },
      variables,
    );
    const promptIds = tokenizer.encode(prompt, { addSpecialTokens: false });
    let shared = 0;
    while (shared < promptIds.length && shared < ids.length && promptIds[shared] === ids[shared])
      shared++;
    labels.fill(IGNORE_INDEX, 0, shared);
  }
  return finishExample(ids, labels, options, false);
}
