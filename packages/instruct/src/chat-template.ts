import { Environment, parse, tokenize } from "@huggingface/jinja";
import { TunekitError } from "../../../internal/shared/src/index";
import type { ChatMessage } from "./formats/messages";
import { PythonInterpreter } from "./jinja-python";
import { describeRecord, type RecordLocation } from "./record-label";
import { strftime } from "./strftime";

/**
 * A special token as `tokenizer_config.json` writes it: a string or an `AddedToken` object.
 *
 * @example
 * ```ts
 * import type { SpecialTokenValue } from "@tunekit/instruct";
 * const eos: SpecialTokenValue = { content: "</s>", lstrip: false, rstrip: false };
 * ```
 */
export type SpecialTokenValue = string | { content: string; [key: string]: unknown } | null;

/**
 * The parts of a `tokenizer_config.json` that chat templates use. `chat_template` is a
 * string, or a list of `{name, template}` for models with several (`default`,
 * `tool_use`, `rag`, …). Newer saves keep the template in a `chat_template.jinja` file
 * beside the config instead; pass that file's text as `chatTemplate`.
 *
 * @example
 * ```ts
 * import type { TokenizerConfig } from "@tunekit/instruct";
 * const config: TokenizerConfig = {
 *   chat_template: "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}{{ eos_token }}\n{% endfor %}",
 *   bos_token: "<s>",
 *   eos_token: "</s>",
 * };
 * ```
 */
export interface TokenizerConfig {
  /** The template, or named templates. */
  chat_template?: string | { name: string; template: string }[] | null;
  /** The beginning-of-sequence token. */
  bos_token?: SpecialTokenValue;
  /** The end-of-sequence token. */
  eos_token?: SpecialTokenValue;
  /** The unknown token. */
  unk_token?: SpecialTokenValue;
  /** The separator token. */
  sep_token?: SpecialTokenValue;
  /** The padding token. */
  pad_token?: SpecialTokenValue;
  /** The classifier token. */
  cls_token?: SpecialTokenValue;
  /** The mask token. */
  mask_token?: SpecialTokenValue;
  /** More special tokens, exposed to templates as a list. */
  additional_special_tokens?: SpecialTokenValue[];
  /** Model-specific named tokens (`{"image_token": "<image>"}`), or a list in newer saves. */
  extra_special_tokens?: Record<string, SpecialTokenValue> | SpecialTokenValue[];
  /** Any other setting. */
  [key: string]: unknown;
}

/**
 * Options of {@link applyChatTemplate}.
 *
 * @example
 * ```ts
 * import type { ChatTemplateOptions } from "@tunekit/instruct";
 * const options: ChatTemplateOptions = {
 *   addGenerationPrompt: true,
 *   templateKwargs: { date_string: "26 Jul 2024" },
 *   index: 12,
 * };
 * ```
 */
export interface ChatTemplateOptions extends RecordLocation {
  /** Append the header that opens an assistant turn. Default `false`. */
  addGenerationPrompt?: boolean;
  /**
   * Extra template variables (transformers' `**kwargs`), e.g. `{date_string: "26 Jul 2024"}`
   * or `{enable_thinking: false}`. They override the special tokens of the same name.
   */
  templateKwargs?: Record<string, unknown>;
  /** Tool schemas (`tools` in the template). Default `null`, as transformers passes. */
  tools?: readonly unknown[] | null;
  /** Retrieval documents (`documents` in the template). Default `null`. */
  documents?: readonly unknown[] | null;
  /**
   * The clock behind `strftime_now`. Default: the current time. Pin it (or pass a
   * `date_string` kwarg for Llama templates) to make output reproducible.
   */
  now?: () => Date;
}

/**
 * Options of {@link selectChatTemplate}.
 *
 * @example
 * ```ts
 * import type { SelectChatTemplateOptions } from "@tunekit/instruct";
 * const options: SelectChatTemplateOptions = { name: "tool_use" };
 * ```
 */
export interface SelectChatTemplateOptions {
  /** A chat template that overrides the config's, such as the text of `chat_template.jinja`. */
  chatTemplate?: string;
  /** Which named template to use when the config has several. */
  name?: string;
  /** Whether tools will be passed (picks `tool_use` when there is one and no name is given). */
  withTools?: boolean;
}

const SPECIAL_TOKEN_KEYS = [
  "bos_token",
  "eos_token",
  "unk_token",
  "sep_token",
  "pad_token",
  "cls_token",
  "mask_token",
] as const;

/** The text of a special token as the config writes it (a string or an `AddedToken`). */
export function tokenText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { content?: unknown }).content === "string"
  ) {
    return (value as { content: string }).content;
  }
  return undefined;
}

/**
 * The special-token variables a chat template sees, as transformers builds them from
 * `special_tokens_map`: `bos_token`, `eos_token`, `unk_token`, `sep_token`, `pad_token`,
 * `cls_token`, `mask_token` as strings (unset or empty ones are left undefined, so
 * `{{ bos_token }}` prints nothing), `additional_special_tokens` as a list, and named
 * `extra_special_tokens`. `AddedToken` objects give their `content`.
 *
 * @param config - the tokenizer config.
 * @returns the variables.
 * @example
 * ```ts
 * import { specialTokenVariables } from "@tunekit/instruct";
 * specialTokenVariables({ bos_token: "<s>", eos_token: { content: "</s>" }, pad_token: null });
 * // { bos_token: "<s>", eos_token: "</s>" }
 * ```
 */
export function specialTokenVariables(config: TokenizerConfig): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of SPECIAL_TOKEN_KEYS) {
    const text = tokenText(config[key]);
    if (text) out[key] = text;
  }
  const list = (values: unknown) =>
    Array.isArray(values) ? values.map(tokenText).filter((t): t is string => Boolean(t)) : [];
  const additional = list(config.additional_special_tokens);
  const extra = config.extra_special_tokens;
  if (additional.length) out.additional_special_tokens = additional;
  else if (Array.isArray(extra) && list(extra).length) out.additional_special_tokens = list(extra);
  if (extra && !Array.isArray(extra) && typeof extra === "object") {
    for (const [key, value] of Object.entries(extra)) {
      const text = tokenText(value);
      if (text) out[key] = text;
    }
  }
  return out;
}

/**
 * Picks the chat template to render, as transformers' `get_chat_template` does: an
 * explicit `chatTemplate` wins; a single template is used as is; among named templates
 * the one asked for, else `tool_use` when tools are passed, else `default`.
 *
 * @param config - the tokenizer config.
 * @param options - an overriding template text, a template name, whether tools are passed.
 * @returns the template source.
 * @throws {@link TunekitError} `no_chat_template` when there is none, `unknown_chat_template`
 *   for a name the config does not have or several templates and no default.
 * @example
 * ```ts
 * import { selectChatTemplate, type TokenizerConfig } from "@tunekit/instruct";
 * const config: TokenizerConfig = {
 *   chat_template: [
 *     { name: "default", template: "{% for m in messages %}{{ m.content }}{% endfor %}" },
 *     { name: "tool_use", template: "{{ tools | tojson }}{% for m in messages %}{{ m.content }}{% endfor %}" },
 *   ],
 * };
 * selectChatTemplate(config); // the "default" template
 * selectChatTemplate(config, { withTools: true }); // the "tool_use" template
 * ```
 */
export function selectChatTemplate(
  config: TokenizerConfig,
  options: SelectChatTemplateOptions = {},
): string {
  if (options.chatTemplate !== undefined) return options.chatTemplate;
  const template = config.chat_template;
  if (typeof template === "string") return template;
  if (Array.isArray(template)) {
    const named = new Map(template.map((t) => [t.name, t.template]));
    const name =
      options.name ??
      (options.withTools && named.has("tool_use")
        ? "tool_use"
        : named.has("default")
          ? "default"
          : undefined);
    const found = name === undefined ? undefined : named.get(name);
    if (found === undefined) {
      throw new TunekitError(
        "unknown_chat_template",
        `${name === undefined ? "the tokenizer config has several chat templates and no default" : `the tokenizer config has no chat template named "${name}"`}; ` +
          `it has: ${[...named.keys()].join(", ")}. Choose one by name.`,
      );
    }
    return found;
  }
  throw new TunekitError(
    "no_chat_template",
    "the tokenizer config has no chat_template; pass the text of the model's chat_template.jinja " +
      "(a folder's chat_template.jinja takes precedence over tokenizer_config.json, as in transformers)",
  );
}

class RaisedByTemplate extends Error {}

type Program = ReturnType<typeof parse>;

/**
 * A parsed Hugging Face chat template, ready to render conversations. Rendering follows
 * transformers' `apply_chat_template` (5.x): Jinja with `trim_blocks` and `lstrip_blocks`,
 * one trailing newline of the template dropped, `raise_exception`, `strftime_now`, the
 * loop-control extension (`break`/`continue`), `tojson` as `json.dumps` (no HTML
 * escaping; `indent`, `separators`, `sort_keys`, `ensure_ascii`), and Python's value
 * semantics (`None`, `True`, list and dict reprs, `str` methods such as `strip(chars)`).
 *
 * @example
 * ```ts
 * import { ChatTemplate, specialTokenVariables, type TokenizerConfig } from "@tunekit/instruct";
 * const config: TokenizerConfig = {
 *   chat_template: "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}",
 *   bos_token: "<s>",
 * };
 * const template = new ChatTemplate(config.chat_template as string);
 * const text = template.render(
 *   [{ role: "user", content: "Hello!" }],
 *   { addGenerationPrompt: true },
 *   specialTokenVariables(config),
 * ); // "<s>[user] Hello!\n"
 * ```
 */
export class ChatTemplate {
  /** The template text. */
  readonly source: string;
  readonly #program: Program;

  /**
   * Parses a template.
   *
   * @param source - the Jinja text of the template.
   * @throws {@link TunekitError} `chat_template_syntax` when the template cannot be parsed.
   */
  constructor(source: string) {
    this.source = source;
    // Jinja2 reads \r\n and \r as \n in template text.
    const text = source.replace(/\r\n?/g, "\n");
    try {
      this.#program = parse(tokenize(text, { lstrip_blocks: true, trim_blocks: true }));
    } catch (error) {
      throw new TunekitError(
        "chat_template_syntax",
        `the chat template cannot be parsed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /**
   * Renders one conversation.
   *
   * @param messages - the conversation, in order.
   * @param options - generation prompt, template kwargs, tools, documents, clock, and the
   *   record's index/id for error messages.
   * @param variables - further variables, normally {@link specialTokenVariables} of the
   *   tokenizer config (template kwargs override them).
   * @returns the rendered text.
   * @throws {@link TunekitError} `chat_template_exception` when the template calls
   *   `raise_exception` (the message names the record and quotes the template's message),
   *   `chat_template_error` for any other failure while rendering.
   * @example
   * ```ts
   * import { ChatTemplate } from "@tunekit/instruct";
   * const text = new ChatTemplate("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}")
   *   .render([{ role: "user", content: "Hi" }]);
   * // "user: Hi\n"
   * ```
   */
  render(
    messages: readonly ChatMessage[],
    options: ChatTemplateOptions = {},
    variables: Record<string, unknown> = {},
  ): string {
    const now = options.now ?? (() => new Date());
    const globals = new Environment();
    for (const [name, value] of Object.entries({
      true: true,
      false: false,
      none: null,
      True: true,
      False: false,
      None: null,
    })) {
      globals.set(name, value);
    }
    globals.set("range", pythonRange);
    globals.set("raise_exception", (message: unknown) => {
      throw new RaisedByTemplate(String(message));
    });
    globals.set("strftime_now", (format: unknown) => strftime(now(), String(format)));
    const scope = new Environment(globals);
    const context: Record<string, unknown> = {
      messages,
      tools: options.tools ?? null,
      documents: options.documents ?? null,
      add_generation_prompt: options.addGenerationPrompt ?? false,
      ...variables,
      ...options.templateKwargs,
    };
    for (const [name, value] of Object.entries(context)) scope.set(name, value);
    try {
      const result = new PythonInterpreter(scope).evaluate(this.#program as never, scope);
      return result.value as string;
    } catch (error) {
      const where = describeRecord(undefined, options);
      if (error instanceof RaisedByTemplate) {
        throw new TunekitError(
          "chat_template_exception",
          `${where}: the chat template refused the conversation: "${error.message}" ` +
            `(roles: ${messages.map((m) => m.role).join(", ") || "none"})`,
          { cause: error },
        );
      }
      throw new TunekitError(
        "chat_template_error",
        `${where}: rendering the chat template failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

// Python's range(): one, two or three integer arguments.
function pythonRange(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new Error("ValueError: range() arg 3 must not be zero");
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

const templateCache = new Map<string, ChatTemplate>();

/**
 * Parses a chat template once and reuses it for the same text.
 *
 * @param source - the Jinja text.
 * @returns the parsed template.
 * @throws {@link TunekitError} `chat_template_syntax` when it cannot be parsed.
 * @example
 * ```ts
 * import { compileChatTemplate, selectChatTemplate, type TokenizerConfig } from "@tunekit/instruct";
 * const config: TokenizerConfig = { chat_template: "{% for m in messages %}{{ m.content }}{% endfor %}" };
 * const template = compileChatTemplate(selectChatTemplate(config));
 * template.render([{ role: "user", content: "Hi" }]); // "Hi"
 * ```
 */
export function compileChatTemplate(source: string): ChatTemplate {
  let template = templateCache.get(source);
  if (!template) {
    template = new ChatTemplate(source);
    if (templateCache.size >= 64) templateCache.clear();
    templateCache.set(source, template);
  }
  return template;
}

/**
 * Renders a conversation with a tokenizer config's chat template, as transformers'
 * `tokenizer.apply_chat_template(messages, tokenize=False, …)` does: the template is
 * chosen by {@link selectChatTemplate}, the special tokens of the config are passed as
 * transformers passes them ({@link specialTokenVariables}), then `templateKwargs`.
 *
 * @param config - the parsed `tokenizer_config.json`.
 * @param messages - the conversation.
 * @param options - rendering options, plus `chatTemplate` (e.g. the text of a
 *   `chat_template.jinja`, which takes precedence) and `templateName`.
 * @returns the rendered text.
 * @throws {@link TunekitError} `no_chat_template`, `unknown_chat_template`,
 *   `chat_template_syntax`, `chat_template_exception` (the template's `raise_exception`,
 *   naming the record) or `chat_template_error`.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { applyChatTemplate } from "@tunekit/instruct";
 * const config = JSON.parse(readFileSync("tokenizer_config.json", "utf8"));
 * applyChatTemplate(config, [{ role: "user", content: "Hi" }], { addGenerationPrompt: true });
 * ```
 */
export function applyChatTemplate(
  config: TokenizerConfig,
  messages: readonly ChatMessage[],
  options: ChatTemplateOptions & { chatTemplate?: string; templateName?: string } = {},
): string {
  const source = selectChatTemplate(config, {
    chatTemplate: options.chatTemplate,
    name: options.templateName,
    withTools: options.tools !== undefined && options.tools !== null,
  });
  return compileChatTemplate(source).render(messages, options, specialTokenVariables(config));
}
