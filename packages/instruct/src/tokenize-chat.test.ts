import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ChatTemplate, specialTokenVariables, type TokenizerConfig } from "./chat-template";
import { IGNORE_INDEX, loadTokenizer } from "./tokenize";
import { tokenizeChat } from "./tokenize-chat";

const fixtures = new URL("../test/fixtures/", import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, fixtures), "utf8"));
const config = json("tokenizers/zephyr-7b-beta/tokenizer_config.json") as TokenizerConfig;
const zephyr = loadTokenizer(json("tokenizers/zephyr-7b-beta/tokenizer.json"), config);
const variables = specialTokenVariables(config);
// Mistral v0.3's published template writes {{ bos_token }}; Zephyr's tokenizer shares <s>.
const mistral = new ChatTemplate(
  readFileSync(new URL("chat_templates/mistral-v0.3/chat_template.jinja", fixtures), "utf8"),
);
const zephyrTemplate = new ChatTemplate(config.chat_template as string);
const chat = [
  { role: "user", content: "grabbed" },
  { role: "assistant", content: "grabbed" },
];

describe("tokenizeChat", () => {
  it("tokenises the rendered chat without adding special tokens, so BOS is not doubled", () => {
    const text = mistral.render(chat, {}, variables);
    expect(text).toBe("<s>[INST] grabbed[/INST] grabbed</s>");
    const { example, doubleBos } = tokenizeChat(zephyr, mistral, chat, { variables });
    expect(doubleBos).toBe(false);
    expect(example.input_ids).toEqual(zephyr.encode(text, { addSpecialTokens: false }));
    expect(example.input_ids.filter((id) => id === 1)).toEqual([1]);
    expect(zephyr.encode(text).slice(0, 2)).toEqual([1, 1]);
  });

  it("masks the prompt rendered with the generation prompt, and trains on the reply", () => {
    const { example, trainedTokens } = tokenizeChat(zephyr, zephyrTemplate, chat, { variables });
    const prompt = zephyrTemplate.render(
      chat.slice(0, 1),
      { addGenerationPrompt: true },
      variables,
    );
    const promptIds = zephyr.encode(prompt, { addSpecialTokens: false });
    expect(example.input_ids.slice(0, promptIds.length)).toEqual(promptIds);
    expect(example.labels.slice(0, promptIds.length).every((l) => l === IGNORE_INDEX)).toBe(true);
    expect(example.labels.slice(promptIds.length)).toEqual(
      example.input_ids.slice(promptIds.length),
    );
    expect(trainedTokens).toBe(example.input_ids.length - promptIds.length);
    // The reply ends with the template's own </s>; no second EOS is added.
    expect(example.input_ids.filter((id) => id === 2)).toHaveLength(2);
  });

  it("trains on everything with trainOnInputs or without a final reply, and truncates", () => {
    const all = tokenizeChat(zephyr, zephyrTemplate, chat, {
      variables,
      trainOnInputs: true,
    }).example;
    expect(all.labels).toEqual(all.input_ids);
    const open = tokenizeChat(zephyr, zephyrTemplate, chat.slice(0, 1), { variables }).example;
    expect(open.labels).toEqual(open.input_ids);
    const cut = tokenizeChat(zephyr, zephyrTemplate, chat, { variables, maxLength: 4 });
    expect(cut.truncated).toBe(true);
    expect(cut.example.input_ids).toEqual(all.input_ids.slice(0, 4));
  });
});
