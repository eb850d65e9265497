import { existsSync, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  type ChatMessage,
  ChatTemplate,
  checkMessages,
  createRng,
  type DataRecord,
  getTemplate,
  lintTemplate,
  listTemplates,
  loadTokenizer,
  type PromptTemplate,
  type RejectedLine,
  renderTemplate,
  selectChatTemplate,
  shareGptToMessages,
  specialTokenVariables,
  type TemplateChoice,
  type TemplateSet,
  type TextTokenizer,
  type TokenizerConfig,
  TunekitError,
  tokenizeChat,
  tokenizePromptCompletion,
  tokenizeText,
} from "@tunekit/instruct";
import { formatJsonlFile, readRecords } from "@tunekit/instruct/node";
import type { CommandContext, CommandSpec, OptionSpec } from "../command";
import { choiceOption, integerOption, stringOption, UsageError } from "../errors";
import { type AtomicLineWriter, openAtomicLineWriter, readTextFile } from "../files";

// ---------------------------------------------------------------------------------------
// Reading records, writing lines, setting failures aside

const readingOptions: Record<string, OptionSpec> = {
  "skip-invalid": {
    type: "boolean",
    description:
      "set bad lines and records that cannot be formatted aside instead of failing (needs --rejects)",
  },
  rejects: {
    type: "string",
    valueName: "FILE",
    description: "with --skip-invalid: JSONL of what was set aside {file, line, code, error, text}",
  },
};

const outOption: OptionSpec = {
  type: "string",
  valueName: "OUT.jsonl",
  description: "the file to write",
};

interface Counts {
  records: number;
  invalid: number;
}

/**
 * Streams the records of `input` through `convert` into `out`, atomically. A record that
 * `convert` rejects is an error naming the file and line, or, with --skip-invalid, a line
 * of the rejects file. Returns the counts.
 */
async function transformFile(
  context: CommandContext,
  input: string,
  out: string,
  label: string,
  convert: (record: DataRecord, index: number) => string,
): Promise<{ records: number; invalid?: number; rejects?: string }> {
  const { values } = context;
  const skipInvalid = values["skip-invalid"] === true;
  const rejectsPath = stringOption(values, "rejects");
  if (skipInvalid && !rejectsPath) {
    throw new UsageError(
      "--skip-invalid needs --rejects FILE, so that no line is dropped silently",
    );
  }
  if (rejectsPath && !skipInvalid)
    throw new UsageError("--rejects is only used with --skip-invalid");
  const writers: AtomicLineWriter[] = [];
  const counts: Counts = { records: 0, invalid: 0 };
  const bar = context.progress(label, await fileSize(input));
  try {
    const output = await openAtomicLineWriter(out);
    writers.push(output);
    const rejects = rejectsPath ? await openAtomicLineWriter(rejectsPath) : undefined;
    if (rejects) writers.push(rejects);
    const setAside = async (rejected: RejectedLine) => {
      counts.invalid++;
      await rejects?.write(JSON.stringify(rejected));
    };
    const reader = readRecords(input, { skipInvalid, onReject: setAside });
    for await (const { record, line, index } of reader) {
      let text: string;
      try {
        text = convert(record, index);
      } catch (error) {
        if (!TunekitError.isInstance(error)) throw error;
        if (!skipInvalid) {
          throw new TunekitError(error.code, `${input}:${line}: ${error.message}`, {
            cause: error,
          });
        }
        await setAside({
          file: input,
          line,
          code: error.code,
          error: error.message,
          text: JSON.stringify(record),
        });
        continue;
      }
      await output.write(text);
      counts.records++;
      if ((index & 1023) === 0) bar.update(reader.counts.bytesRead);
    }
    for (const writer of writers) await writer.commit();
  } catch (error) {
    for (const writer of writers) await writer.abort();
    throw error;
  } finally {
    bar.done();
  }
  return skipInvalid ? { ...counts, rejects: rejectsPath } : { records: counts.records };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // the reader reports a missing file with a proper message
  }
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TunekitError(
      "invalid_json",
      `${path}: not valid JSON (${what}): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

// ---------------------------------------------------------------------------------------
// data format --template

function isTemplate(value: unknown): value is PromptTemplate {
  const t = value as PromptTemplate;
  return (
    typeof t === "object" &&
    t !== null &&
    typeof t.input === "string" &&
    typeof t.target === "string"
  );
}

/** A template file: one template, a list of them, or a set `{name, templates}`. */
async function templateFromFile(path: string): Promise<PromptTemplate | TemplateSet> {
  const value = await readJsonFile(path, "a template file");
  const name = basename(path).replace(/\.json$/, "");
  const named = (t: PromptTemplate, i: number, n: number): PromptTemplate => ({
    ...t,
    name: t.name ?? (n === 1 ? name : `${name}-${i + 1}`),
  });
  if (isTemplate(value)) return named(value, 0, 1);
  const list = Array.isArray(value) ? value : (value as TemplateSet)?.templates;
  if (Array.isArray(list) && list.length > 0 && list.every(isTemplate)) {
    return {
      name: (value as TemplateSet).name ?? name,
      templates: list.map((t, i) => named(t, i, list.length)),
    };
  }
  throw new TunekitError(
    "invalid_template_file",
    `${path}: a template file holds {"input": "…", "target": "…"}, a list of those, or {"name": "…", "templates": [ … ]}`,
  );
}

async function resolveTemplate(spec: string): Promise<PromptTemplate | TemplateSet> {
  if (listTemplates().includes(spec)) return getTemplate(spec);
  if (existsSync(spec) && statSync(spec).isFile()) return templateFromFile(spec);
  throw new UsageError(
    `--template ${spec}: neither a built-in template nor a file; built-in: ${listTemplates().join(", ")}`,
  );
}

async function formatWithTemplate(context: CommandContext, input: string, out: string) {
  const { values } = context;
  const template = await resolveTemplate(stringOption(values, "template", true));
  const syntax = lintTemplate(template).issues;
  for (const issue of syntax) context.log(`note: ${issue.message}`);
  const mode = choiceOption(values, "choose", ["first", "rotate", "random"] as const, "first");
  const seed = integerOption(values, "seed");
  if (seed !== undefined && mode !== "random")
    throw new UsageError("--seed is only used with --choose random");
  const choose: TemplateChoice = mode === "random" ? createRng(seed ?? 0) : mode;
  const answerOptions = choiceOption(
    values,
    "answer-options",
    ["auto", "omit", "require"] as const,
    "auto",
  );
  const asText = values.text === true;
  const workers = integerOption(values, "workers", { min: 1, max: 64 });
  if (workers !== undefined) {
    if (mode !== "first" || asText || values["skip-invalid"] !== undefined) {
      throw new UsageError(
        "--workers formats with the first applicable template into {prompt, completion}; it does not combine with --choose rotate|random, --text or --skip-invalid",
      );
    }
    const bar = context.progress("formatting", (await stat(input)).size);
    const counts = await formatJsonlFile(input, out, template, {
      workers,
      answerOptions,
      onProgress: (bytesRead) => bar.update(bytesRead),
    });
    bar.done();
    return { records: counts.records, out, template: template.name, workers };
  }
  const used: Record<string, number> = {};
  const counts = await transformFile(context, input, out, "formatting", (record, index) => {
    const example = renderTemplate(template, record, { index, choose, answerOptions });
    used[example.template] = (used[example.template] ?? 0) + 1;
    return JSON.stringify(
      asText
        ? { text: example.input + example.target }
        : { prompt: example.input, completion: example.target },
    );
  });
  return { ...counts, out, template: template.name, templates: used };
}

// ---------------------------------------------------------------------------------------
// data format --chat-template

interface ChatTemplateSource {
  config: TokenizerConfig;
  source: string;
  /** Where the template text came from, for the summary. */
  from: string;
}

/**
 * Loads a chat template as transformers does from a folder: `chat_template.jinja` wins
 * over the `chat_template` of `tokenizer_config.json`. A config file given directly uses
 * its own template, or the `chat_template.jinja` beside it when it has none; a `.jinja`
 * file is the template itself (special tokens from the config beside it, if any).
 */
async function loadChatTemplateSource(
  path: string,
  name: string | undefined,
): Promise<ChatTemplateSource> {
  if (!existsSync(path)) throw new UsageError(`--chat-template ${path}: no such file or folder`);
  const folder = statSync(path).isDirectory() ? path : dirname(path);
  const configPath =
    statSync(path).isDirectory() || path.endsWith(".jinja")
      ? join(folder, "tokenizer_config.json")
      : path;
  const config = existsSync(configPath)
    ? ((await readJsonFile(configPath, "a tokenizer_config.json")) as TokenizerConfig)
    : {};
  const jinjaPath = path.endsWith(".jinja") ? path : join(folder, "chat_template.jinja");
  const jinjaWins =
    statSync(path).isDirectory() || path.endsWith(".jinja") || !config.chat_template;
  if (jinjaWins && existsSync(jinjaPath)) {
    return { config, source: await readTextFile(jinjaPath), from: jinjaPath };
  }
  if (!existsSync(configPath)) {
    throw new UsageError(
      `--chat-template ${path}: found neither chat_template.jinja nor tokenizer_config.json`,
    );
  }
  return { config, source: selectChatTemplate(config, { name }), from: configPath };
}

function parseKwargs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--template-kwargs must be a JSON object, got ${text}: ${(error as Error).message}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`--template-kwargs must be a JSON object, got ${text}`);
  }
  return value as Record<string, unknown>;
}

function messagesOf(record: DataRecord, index: number): ChatMessage[] {
  if (record.messages !== undefined) return checkMessages(record.messages, { index });
  if (record.conversations !== undefined) return shareGptToMessages(record as never, { index });
  throw new TunekitError(
    "invalid_record",
    `record ${index}: a chat template formats lines with "messages" (or ShareGPT "conversations"); this line has ${Object.keys(record).join(", ") || "no fields"}`,
  );
}

async function formatWithChatTemplate(context: CommandContext, input: string, out: string) {
  const { values } = context;
  const { config, source, from } = await loadChatTemplateSource(
    stringOption(values, "chat-template", true),
    stringOption(values, "chat-template-name"),
  );
  const template = new ChatTemplate(source);
  const variables = specialTokenVariables(config);
  const templateKwargs = parseKwargs(stringOption(values, "template-kwargs"));
  const addGenerationPrompt = values["add-generation-prompt"] === true;
  const counts = await transformFile(context, input, out, "formatting", (record, index) => {
    const text = template.render(
      messagesOf(record, index),
      {
        addGenerationPrompt,
        templateKwargs,
        tools: Array.isArray(record.tools) ? record.tools : undefined,
        documents: Array.isArray(record.documents) ? record.documents : undefined,
        index,
        id: typeof record.id === "string" || typeof record.id === "number" ? record.id : undefined,
      },
      variables,
    );
    return JSON.stringify({ text });
  });
  return { ...counts, out, chatTemplate: from, addGenerationPrompt };
}

const formatCommand: CommandSpec = {
  path: ["data", "format"],
  summary: "format records with a prompt template, or chats with a model's chat template",
  usage:
    "data format IN.jsonl (--template NAME|FILE | --chat-template DIR|tokenizer_config.json) --out OUT.jsonl",
  details: [
    '--template: every record is rendered through the template into {"prompt", "completion"}',
    '(or {"text"} with --text).',
    `Built-in templates: ${listTemplates().join(", ")}.`,
    'A template FILE is JSON: {"input": "…{field}…", "target": "{field}"}, a list of those, or',
    '{"name": "…", "templates": [ … ]}. {options_} shows the record\'s "options" list as FLAN does.',
    "",
    '--chat-template: lines with "messages" (or ShareGPT "conversations") become {"text": …},',
    "rendered as transformers' apply_chat_template(tokenize=False). A folder's chat_template.jinja",
    'wins over the chat_template in its tokenizer_config.json. A line\'s own "tools" and',
    '"documents" are passed to the template. A template\'s raise_exception fails the run naming the',
    "file and line (or, with --skip-invalid, sets the record aside).",
  ].join("\n"),
  options: {
    template: {
      type: "string",
      valueName: "NAME|FILE",
      description: "a built-in template or a template file",
    },
    choose: {
      type: "string",
      valueName: "first|rotate|random",
      description:
        "how a template set picks per record: first applicable (default), rotate by record, or random",
    },
    seed: { type: "string", valueName: "S", description: "seed for --choose random (default 0)" },
    "answer-options": {
      type: "string",
      valueName: "auto|omit|require",
      description:
        "{options_}: render when the record has options (auto, default), never, or require them",
    },
    text: {
      type: "boolean",
      description: 'write {"text": prompt + completion} instead of {"prompt", "completion"}',
    },
    workers: {
      type: "string",
      valueName: "N",
      description:
        "format on N worker threads, streaming at flat memory (first applicable template, prompt/completion output)",
    },
    "chat-template": {
      type: "string",
      valueName: "DIR|FILE",
      description: "a model folder, its tokenizer_config.json, or a chat_template.jinja",
    },
    "chat-template-name": {
      type: "string",
      valueName: "NAME",
      description: "which named chat template to use when the config has several",
    },
    "add-generation-prompt": {
      type: "boolean",
      description: "end each text with the header that opens an assistant turn",
    },
    "template-kwargs": {
      type: "string",
      valueName: "JSON",
      description: 'extra chat-template variables, e.g. \'{"date_string": "26 Jul 2024"}\'',
    },
    out: outOption,
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values, positionals } = context;
    const out = stringOption(values, "out", true);
    const hasTemplate = values.template !== undefined;
    const hasChat = values["chat-template"] !== undefined;
    if (hasTemplate === hasChat)
      throw new UsageError("give exactly one of --template and --chat-template");
    const chatOnly = ["chat-template-name", "add-generation-prompt", "template-kwargs"].filter(
      (o) => values[o] !== undefined,
    );
    const templateOnly = ["choose", "seed", "answer-options", "text", "workers"].filter(
      (o) => values[o] !== undefined,
    );
    if (hasTemplate && chatOnly.length)
      throw new UsageError(`--${chatOnly[0]} is only used with --chat-template`);
    if (hasChat && templateOnly.length)
      throw new UsageError(`--${templateOnly[0]} is only used with --template`);
    return hasTemplate
      ? formatWithTemplate(context, positionals[0], out)
      : formatWithChatTemplate(context, positionals[0], out);
  },
};

// ---------------------------------------------------------------------------------------
// data tokenize

async function loadTokenizerFile(
  path: string,
  eosToken: string | undefined,
): Promise<TextTokenizer> {
  const json = await readJsonFile(path, "a tokenizer.json");
  const configPath = join(dirname(path), "tokenizer_config.json");
  const config = existsSync(configPath)
    ? ((await readJsonFile(configPath, "a tokenizer_config.json")) as TokenizerConfig)
    : {};
  try {
    return loadTokenizer(json as object, config, { eosToken });
  } catch (error) {
    if (TunekitError.isInstance(error))
      throw new TunekitError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

const tokenizeCommand: CommandSpec = {
  path: ["data", "tokenize"],
  summary: "turn text or prompt-completion lines into input_ids, attention_mask and labels",
  usage:
    "data tokenize IN.jsonl --tokenizer tokenizer.json [--train-on-inputs] [--max-length N] --out OUT.jsonl",
  details: [
    'Lines with "text": input_ids are exactly the tokenizer\'s ids for the text with its special',
    'tokens (labels equal them). Lines with "prompt" and "completion": the prompt\'s ids with the',
    "special tokens of a single sequence minus a trailing EOS the post-processor appends, then the",
    "completion's ids without special tokens, then EOS once; labels are -100 over the prompt.",
    'With --chat-template, lines with "messages" are rendered and tokenised as transformers does',
    "(no special tokens added, so a template's BOS is not doubled), with -100 over everything",
    "before the final assistant turn. Text that already starts with BOS gets a second one from",
    "the tokenizer, as in Hugging Face; the summary counts it and --dedupe-bos drops it.",
    "A tokenizer_config.json beside the tokenizer.json supplies the EOS, BOS and padding tokens.",
  ].join("\n"),
  options: {
    tokenizer: {
      type: "string",
      valueName: "tokenizer.json",
      description: "the model's tokenizer file",
    },
    "train-on-inputs": { type: "boolean", description: "compute the loss on the prompt too" },
    "max-length": {
      type: "string",
      valueName: "N",
      description: "cut examples to N tokens (counted in the summary)",
    },
    "eos-token": {
      type: "string",
      valueName: "TOKEN",
      description: "the EOS token, when the tokenizer files do not say",
    },
    "dedupe-bos": {
      type: "boolean",
      description: "drop the tokenizer's BOS when a text or prompt already starts with one",
    },
    "chat-template": {
      type: "string",
      valueName: "DIR|FILE",
      description: 'tokenise "messages" lines with this chat template, as transformers does',
    },
    "chat-template-name": {
      type: "string",
      valueName: "NAME",
      description: "which named chat template to use when the config has several",
    },
    "template-kwargs": {
      type: "string",
      valueName: "JSON",
      description: "extra chat-template variables",
    },
    out: outOption,
    ...readingOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values, positionals } = context;
    const out = stringOption(values, "out", true);
    const tokenizerPath = stringOption(values, "tokenizer", true);
    const maxLength = integerOption(values, "max-length", { min: 1 });
    const trainOnInputs = values["train-on-inputs"] === true;
    const dedupeBos = values["dedupe-bos"] === true;
    const tokenizer = await loadTokenizerFile(tokenizerPath, stringOption(values, "eos-token"));
    const chatPath = stringOption(values, "chat-template");
    if (chatPath === undefined) {
      for (const o of ["chat-template-name", "template-kwargs"]) {
        if (values[o] !== undefined)
          throw new UsageError(`--${o} is only used with --chat-template`);
      }
    }
    const chat =
      chatPath === undefined
        ? undefined
        : await loadChatTemplateSource(chatPath, stringOption(values, "chat-template-name"));
    const chatTemplate = chat && new ChatTemplate(chat.source);
    const chatOptions = {
      variables: chat ? specialTokenVariables(chat.config) : {},
      templateKwargs: parseKwargs(stringOption(values, "template-kwargs")),
    };
    const totals = {
      promptCompletion: 0,
      text: 0,
      chat: 0,
      truncated: 0,
      doubleBos: 0,
      fullyMasked: 0,
      tokens: 0,
      trainedTokens: 0,
      longest: 0,
    };
    const counts = await transformFile(
      context,
      positionals[0],
      out,
      "tokenizing",
      (record, index) => {
        const options = { index, maxLength, trainOnInputs, dedupeBos };
        let result: ReturnType<typeof tokenizeText>;
        if (typeof record.prompt === "string" && typeof record.completion === "string") {
          result = tokenizePromptCompletion(tokenizer, record.prompt, record.completion, options);
          totals.promptCompletion++;
        } else if (typeof record.text === "string") {
          result = tokenizeText(tokenizer, record.text, options);
          totals.text++;
        } else if (
          chatTemplate &&
          (record.messages !== undefined || record.conversations !== undefined)
        ) {
          result = tokenizeChat(tokenizer, chatTemplate, messagesOf(record, index), {
            ...options,
            ...chatOptions,
            tools: Array.isArray(record.tools) ? record.tools : undefined,
            documents: Array.isArray(record.documents) ? record.documents : undefined,
          });
          totals.chat++;
        } else {
          throw new TunekitError(
            "invalid_record",
            `record ${index}: tokenize reads lines with "text", with string "prompt" and ` +
              `"completion", or with "messages" when --chat-template is given; this line has ` +
              `${Object.keys(record).join(", ") || "no fields"}`,
          );
        }
        const length = result.example.input_ids.length;
        if (result.truncated) totals.truncated++;
        if (result.doubleBos) totals.doubleBos++;
        if (result.trainedTokens === 0) totals.fullyMasked++;
        totals.tokens += length;
        totals.trainedTokens += result.trainedTokens;
        totals.longest = Math.max(totals.longest, length);
        return JSON.stringify(result.example);
      },
    );
    if (totals.doubleBos > 0 && !dedupeBos) {
      context.log(
        `note: ${totals.doubleBos} example(s) start with two BOS tokens (the text already began ` +
          "with one); --dedupe-bos drops the tokenizer's, or tokenise chats with --chat-template",
      );
    }
    return {
      ...counts,
      out,
      tokenizer: tokenizerPath,
      maxLength: maxLength ?? null,
      trainOnInputs,
      dedupeBos,
      ...(chat ? { chatTemplate: chat.from } : {}),
      ...totals,
    };
  },
};

/** `tunekit data format` and `tunekit data tokenize`. */
export const dataFormatCommands: CommandSpec[] = [formatCommand, tokenizeCommand];
