import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import {
  applyChatTemplate,
  ChatTemplate,
  selectChatTemplate,
  specialTokenVariables,
  type TokenizerConfig,
} from "./chat-template";
import type { ChatMessage } from "./formats/messages";
import { strftime } from "./strftime";

const fixtures = new URL("../test/fixtures/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures), "utf8");
const readJsonl = <T>(path: string): T[] =>
  read(path)
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

interface Conversation {
  id: string;
  messages: ChatMessage[];
}
const inputs = JSON.parse(read("inputs.json")) as { conversations: Conversation[] };
const conversation = (id: string) => inputs.conversations.find((c) => c.id === id)!.messages;

// A family folder as transformers loads it: chat_template.jinja wins over the config's.
function family(name: string): { config: TokenizerConfig; chatTemplate?: string } {
  const config = JSON.parse(
    read(`chat_templates/${name}/tokenizer_config.json`),
  ) as TokenizerConfig;
  const jinja = new URL(`chat_templates/${name}/chat_template.jinja`, fixtures);
  return { config, chatTemplate: existsSync(jinja) ? readFileSync(jinja, "utf8") : undefined };
}

interface Expected {
  family: string;
  conversation_id: string;
  add_generation_prompt: boolean;
  template_kwargs: Record<string, unknown>;
  rendered?: string;
  error?: string;
  now?: string;
}

function check(expected: Expected, tools?: unknown[]) {
  const { config, chatTemplate } = family(expected.family);
  const messages =
    inputs.conversations.find((c) => c.id === expected.conversation_id)?.messages ??
    toolInputs.conversations.find((c) => c.id === expected.conversation_id)!.messages;
  const render = () =>
    applyChatTemplate(config, messages, {
      chatTemplate,
      addGenerationPrompt: expected.add_generation_prompt,
      templateKwargs: expected.template_kwargs,
      tools,
      now: () => new Date(expected.now ?? "2024-07-26T14:05:09.123"),
      index: 5,
    });
  if (expected.error !== undefined) {
    let caught: unknown;
    try {
      render();
    } catch (e) {
      caught = e;
    }
    expect(TunekitError.isInstance(caught)).toBe(true);
    expect((caught as TunekitError).code).toBe("chat_template_exception");
    expect((caught as Error).message).toContain(expected.error);
    expect((caught as Error).message).toContain("record 5");
  } else {
    expect(render()).toBe(expected.rendered);
  }
}

const toolInputs = JSON.parse(read("jinja2/tool_inputs.json")) as {
  tools: unknown[];
  conversations: Conversation[];
};

describe("applyChatTemplate against transformers 5.17", () => {
  const expected = readJsonl<Expected>("expected/chat_templates.jsonl");
  it("covers the published families", () => {
    expect(new Set(expected.map((e) => e.family))).toEqual(new Set(["phi-3", "qwen2.5", "zephyr"]));
    expect(expected.length).toBe(78);
  });
  for (const e of expected) {
    it(`${e.family} / ${e.conversation_id} / generation prompt ${e.add_generation_prompt}`, () =>
      check(e));
  }
});

describe("applyChatTemplate against Jinja2 set up as transformers does", () => {
  const expected = readJsonl<Expected>("jinja2/chat_templates.jsonl");
  it("covers all seven families, including their refusals", () => {
    const families = readdirSync(new URL("chat_templates/", fixtures)).filter(
      (f) => !f.endsWith(".md"),
    );
    expect(new Set(expected.map((e) => e.family))).toEqual(new Set(families));
    expect(expected.filter((e) => e.error).length).toBe(14);
  });
  for (const e of expected) {
    it(`${e.family} / ${e.conversation_id} / generation prompt ${e.add_generation_prompt}`, () =>
      check(e));
  }
  for (const e of readJsonl<Expected>("jinja2/tools.jsonl")) {
    it(`${e.family} / ${e.conversation_id} with tools`, () =>
      check(e, e.conversation_id === "user_only" ? undefined : toolInputs.tools));
  }
});

describe("Jinja language semantics match Jinja2", () => {
  const { cases } = JSON.parse(read("jinja2/snippets.json")) as {
    cases: [string, string, Record<string, unknown>][];
  };
  const { results } = JSON.parse(read("jinja2/snippets.expected.json")) as {
    results: Record<string, { rendered?: string; error?: string }>;
  };
  // Known differences, each for a reason outside this package:
  const known: Record<string, string> = {
    float: "a float literal written as 1e20 does not parse in @huggingface/jinja",
    tests: "the `float` test is missing from @huggingface/jinja",
    selectattr2: "selectattr with an operator test ('==') is missing from @huggingface/jinja",
    raw: "{% raw %} is not supported by @huggingface/jinja",
    format: "the `format` filter (printf-style) is not supported",
    wordcount: "the `wordcount` filter is not supported",
    center: "the `center` filter is not supported (str.center() is)",
    batch: "the `batch` filter is not supported",
    lstrip_plus: "{%+ is not supported by @huggingface/jinja",
    str_in_block: "the library's trim_blocks pre-pass also applies inside string literals",
    is_equalto: "`is eq 'a'` (a test with an argument without parentheses) does not parse",
    callfn: "{{ range(3) }} prints a list, not Python's range object",
    loop_cycle: "loop.cycle is not supported",
    big: "integers beyond 2^53 lose precision in JavaScript",
  };
  // Known differences get no test of their own: the test after the loop checks that each
  // still differs, so a library upgrade that fixes one makes the list fail until updated.
  for (const [name, source, context] of cases.filter(([n]) => !(n in known))) {
    const reference = results[name];
    it(`${name}`, () => {
      let out: { rendered?: string; error?: string };
      try {
        out = {
          rendered: new ChatTemplate(source).render(
            [],
            { now: () => new Date(2024, 6, 26) },
            context,
          ),
        };
      } catch (e) {
        out = { error: (e as Error).message };
      }
      if (reference.error !== undefined) expect(out.error).toBeDefined();
      else expect(out).toEqual({ rendered: reference.rendered });
    });
  }
  it("lists only differences that still exist", () => {
    const stillDifferent = Object.keys(known).filter((name) => {
      const [, source, context] = cases.find(([n]) => n === name)!;
      try {
        return new ChatTemplate(source).render([], {}, context) !== results[name].rendered;
      } catch {
        return results[name].error === undefined;
      }
    });
    expect(stillDifferent.sort()).toEqual(Object.keys(known).sort());
  });
});

describe("strftime_now", () => {
  const cases = JSON.parse(read("jinja2/strftime.json")) as {
    date: string;
    format: string;
    text: string;
  }[];
  it("formats like Python's datetime.strftime in the C locale", () => {
    for (const c of cases)
      expect(strftime(new Date(c.date), c.format), `${c.date} ${c.format}`).toBe(c.text);
  });
});

describe("template selection and special tokens", () => {
  it("passes special tokens as transformers' special_tokens_map does", () => {
    const deepseek = family("deepseek-r1-distill-qwen").config;
    expect(specialTokenVariables(deepseek)).toEqual({
      bos_token: "<｜begin▁of▁sentence｜>",
      eos_token: "<｜end▁of▁sentence｜>",
      pad_token: "<｜end▁of▁sentence｜>",
    });
    const qwen = specialTokenVariables(family("qwen2.5").config);
    expect(qwen.bos_token).toBeUndefined();
    expect(qwen.additional_special_tokens).toContain("<|im_start|>");
    expect(specialTokenVariables({ extra_special_tokens: { image_token: "<image>" } })).toEqual({
      image_token: "<image>",
    });
  });

  it("lets template kwargs override special tokens", () => {
    const out = applyChatTemplate(
      { chat_template: "{{ bos_token }}|{{ eos_token }}", bos_token: "<s>", eos_token: "</s>" },
      [],
      { templateKwargs: { eos_token: "<end>" } },
    );
    expect(out).toBe("<s>|<end>");
  });

  it("chooses among named templates like get_chat_template", () => {
    const config: TokenizerConfig = {
      chat_template: [
        { name: "default", template: "D" },
        { name: "tool_use", template: "T" },
        { name: "rag", template: "R" },
      ],
    };
    expect(selectChatTemplate(config)).toBe("D");
    expect(selectChatTemplate(config, { withTools: true })).toBe("T");
    expect(selectChatTemplate(config, { name: "rag" })).toBe("R");
    expect(applyChatTemplate(config, [], { tools: [] })).toBe("T");
    expect(() => selectChatTemplate(config, { name: "nope" })).toThrow(
      /no chat template named "nope"; it has: default, tool_use, rag/,
    );
    expect(() => selectChatTemplate({ chat_template: [{ name: "a", template: "A" }] })).toThrow(
      /no default/,
    );
    expect(() => selectChatTemplate({})).toThrow(/no chat_template/);
    expect(selectChatTemplate(config, { chatTemplate: "J" })).toBe("J");
  });

  it("names the record when the template refuses a conversation", () => {
    const { config } = family("gemma-2");
    expect(() =>
      applyChatTemplate(config, conversation("system_user"), { index: 12, id: "c-12" }),
    ).toThrow(
      /record 12, id "c-12": the chat template refused the conversation: "System role not supported" \(roles: system, user\)/,
    );
  });

  it("reports syntax and runtime errors as tunekit errors", () => {
    expect(() => new ChatTemplate("{% if %}")).toThrow(/cannot be parsed/);
    expect(() => new ChatTemplate("{{ 'a' + 1 }}").render([], { index: 2 })).toThrow(
      /record 2: rendering the chat template failed: can only concatenate str/,
    );
  });

  it("uses the clock for strftime_now when no date is given", () => {
    const { config, chatTemplate } = family("llama-3.2");
    const out = applyChatTemplate(config, conversation("user_only"), {
      chatTemplate,
      now: () => new Date(2025, 0, 9),
    });
    expect(out).toContain("Today Date: 09 Jan 2025\n");
  });
});
