import type { Rng } from "../../../internal/shared/src/index";
import { TunekitError } from "../../../internal/shared/src/index";
import { describeRecord } from "./record-label";

/**
 * A record to format: a plain object of named fields (one JSONL line).
 *
 * @example
 * ```ts
 * import { renderTemplate, type TemplateRecord } from "@tunekit/instruct";
 * const record: TemplateRecord = { question: "2+2?", answer: "4" };
 * renderTemplate({ name: "qa", input: "Q: {question}", target: "{answer}" }, record);
 * ```
 */
export type TemplateRecord = Readonly<Record<string, unknown>>;

/**
 * Which fields must be empty or non-empty for a template to apply to a record. A field
 * is empty when it is missing, `null` or the empty string (the test Alpaca and Dolly use
 * to pick their "no input" prompt).
 *
 * @example
 * ```ts
 * import type { TemplateCondition } from "@tunekit/instruct";
 * const onlyWithInput: TemplateCondition = { nonEmpty: ["input"] };
 * ```
 */
export interface TemplateCondition {
  /** Fields that must hold a non-empty value. */
  nonEmpty?: readonly string[];
  /** Fields that must be empty. */
  empty?: readonly string[];
}

/**
 * A FLAN-style pattern pair: `input` becomes the prompt, `target` the completion.
 *
 * Placeholders are `{field}` where the name is made of letters, digits and `_` (the
 * regular expression `{\w*}`). Nothing else is special: `{a:>8}`, `{a.b}` and `{a[0]}`
 * are plain text, so a template never runs Python-style format specs. `{{` and `}}`
 * write a literal `{` and `}` (as in Python's `str.format`). Field values are inserted
 * verbatim and never re-scanned, so a value may itself contain braces.
 *
 * `{options_}` is filled from the record's `options` list as FLAN does
 * (`OPTIONS:\n- a\n- b`); see {@link formatOptions}.
 *
 * @example
 * ```ts
 * import { type PromptTemplate, renderTemplate } from "@tunekit/instruct";
 * const qa: PromptTemplate = { name: "qa", input: "Question: {question}\nAnswer:", target: " {answer}" };
 * renderTemplate(qa, { question: "2+2?", answer: "4" }); // { input: "Question: 2+2?\nAnswer:", target: " 4", template: "qa" }
 * ```
 */
export interface PromptTemplate {
  /** A stable name, used in reports and error messages. */
  name: string;
  /** The pattern of the prompt. */
  input: string;
  /** The pattern of the completion. */
  target: string;
  /** When this template applies; templates without a condition apply to every record. */
  when?: TemplateCondition;
}

/**
 * Several templates for one task: rotated, drawn at random, or chosen by their conditions.
 *
 * @example
 * ```ts
 * import type { TemplateSet } from "@tunekit/instruct";
 * const qa: TemplateSet = {
 *   name: "qa",
 *   templates: [
 *     { name: "qa-1", input: "Q: {question}\nA:", target: " {answer}" },
 *     { name: "qa-2", input: "{question}\n\nAnswer briefly.", target: "{answer}" },
 *   ],
 * };
 * ```
 */
export interface TemplateSet {
  /** The set's name, e.g. `"flan/nli"`. */
  name: string;
  /** One line saying what the set is for. */
  description?: string;
  /** The templates, in a fixed order (rotation follows it). */
  templates: readonly PromptTemplate[];
}

/**
 * A record rendered through a template.
 *
 * @example
 * ```ts
 * import { type RenderedExample, getTemplate, renderTemplate } from "@tunekit/instruct";
 * const example: RenderedExample = renderTemplate(getTemplate("dialogsum"), { dialogue: "#Person1#: Hi.", summary: "A greeting." });
 * example.template; // "dialogsum"
 * ```
 */
export interface RenderedExample {
  /** The prompt text. */
  input: string;
  /** The completion text. */
  target: string;
  /** The name of the template that produced it. */
  template: string;
}

/**
 * How {@link renderTemplate} picks a template from a {@link TemplateSet}, among the
 * templates whose condition the record meets: `"first"` takes the first (the default;
 * this is how Alpaca chooses between its prompts with and without input), `"rotate"`
 * takes number `index mod k`, and an {@link Rng} draws one uniformly with `rng.int(k)`.
 *
 * @example
 * ```ts
 * import { createRng, type TemplateChoice } from "@tunekit/instruct";
 * const choices: TemplateChoice[] = ["first", "rotate", createRng(7)];
 * ```
 */
export type TemplateChoice = "first" | "rotate" | Rng;

/**
 * What happens to `{options_}`: `"auto"` (default) renders it when the record has
 * options and otherwise uses the template's no-options variant; `"omit"` always uses the
 * no-options variant (FLAN trains on both); `"require"` fails when a record has none.
 *
 * @example
 * ```ts
 * import type { AnswerOptionsMode } from "@tunekit/instruct";
 * const mode: AnswerOptionsMode = "omit"; // train on the variant without OPTIONS
 * ```
 */
export type AnswerOptionsMode = "auto" | "omit" | "require";

/**
 * Options of {@link renderTemplate}.
 *
 * @example
 * ```ts
 * import type { RenderTemplateOptions } from "@tunekit/instruct";
 * const options: RenderTemplateOptions = { index: 41, choose: "rotate", answerOptions: "auto" };
 * ```
 */
export interface RenderTemplateOptions {
  /** The record's position in its file (0-based); named in errors and used by `"rotate"`. */
  index?: number;
  /** The record's id, named in errors. Default: the record's `id` field when it is a string or number. */
  id?: string | number;
  /** How to pick from a template set. Default `"first"`. */
  choose?: TemplateChoice;
  /** What to do with `{options_}`. Default `"auto"`. */
  answerOptions?: AnswerOptionsMode;
  /** The field holding the answer options. Default `"options"`. */
  optionsField?: string;
}

/**
 * Where a template placeholder or a brace problem sits.
 *
 * @example
 * ```ts
 * import { lintTemplate, type TemplateIssue } from "@tunekit/instruct";
 * const issues: TemplateIssue[] = lintTemplate({ name: "t", input: "{q} {}", target: "{a}" }).issues;
 * issues[0].kind; // "empty_placeholder"
 * ```
 */
export interface TemplateIssue {
  /** The template's name. */
  template: string;
  /** Which pattern of the pair. */
  part: "input" | "target";
  /** What is wrong. */
  kind: "unknown_field" | "empty_placeholder" | "stray_brace" | "format_spec";
  /** The field, for `unknown_field`. */
  field?: string;
  /** A sentence for people. */
  message: string;
}

/**
 * What {@link lintTemplate} found.
 *
 * @example
 * ```ts
 * import { getTemplate, lintTemplate, type TemplateLintReport } from "@tunekit/instruct";
 * const report: TemplateLintReport = lintTemplate(getTemplate("dialogsum"), ["dialogue", "summary"]);
 * report.ok; // true
 * ```
 */
export interface TemplateLintReport {
  /** True when there is no issue. */
  ok: boolean;
  /** Every field the templates read, in first-use order (`options_` stands for `options`). */
  fields: string[];
  /** The problems, in template order. */
  issues: TemplateIssue[];
}

/**
 * The placeholder name FLAN uses for the rendered answer options.
 *
 * @example
 * ```ts
 * import { OPTIONS_PLACEHOLDER } from "@tunekit/instruct";
 * const pattern = `{premise}\n\n{${OPTIONS_PLACEHOLDER}}`; // "{premise}\n\n{options_}"
 * ```
 */
export const OPTIONS_PLACEHOLDER = "options_";

interface CompiledPattern {
  /** Literal text around the fields; always `fields.length + 1` entries. */
  literals: string[];
  fields: string[];
  /** Index of the first empty placeholder `{}`, or -1. */
  emptyAt: number;
}

// `{{` and `}}` are escapes; `{name}` is a field. Python's `\w` is Unicode-aware, so the
// name class is letters, numbers and underscore in any script.
const TOKEN = /\{\{|\}\}|\{([\p{L}\p{N}_]*)\}/gu;
const compiledCache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 4096;

function compilePattern(pattern: string): CompiledPattern {
  const cached = compiledCache.get(pattern);
  if (cached) return cached;
  const literals: string[] = [];
  const fields: string[] = [];
  let emptyAt = -1;
  let current = "";
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(pattern); match !== null; match = TOKEN.exec(pattern)) {
    current += pattern.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === "{{") current += "{";
    else if (match[0] === "}}") current += "}";
    else {
      if (match[1] === "" && emptyAt < 0) emptyAt = match.index;
      literals.push(current);
      fields.push(match[1]);
      current = "";
    }
  }
  literals.push(current + pattern.slice(last));
  const compiled = { literals, fields, emptyAt };
  if (compiledCache.size >= CACHE_LIMIT) compiledCache.clear();
  compiledCache.set(pattern, compiled);
  return compiled;
}

/**
 * Renders answer options the way FLAN does: `OPTIONS:` then one `- option` line each.
 *
 * Source: google-research/FLAN, `flan/v2/preprocessors.py` `format_options`.
 *
 * @param options - the answer options, in order.
 * @returns the text that replaces `{options_}`.
 * @example
 * ```ts
 * import { formatOptions } from "@tunekit/instruct";
 * formatOptions(["yes", "no"]); // "OPTIONS:\n- yes\n- no"
 * ```
 */
export function formatOptions(options: readonly string[]): string {
  return `OPTIONS:\n- ${options.join("\n- ")}`;
}

/**
 * The no-options variant of a pattern: `{options_}` removed together with the newlines
 * that introduce it, by FLAN's rule (`"\n\n{options_}"`, then `"\n{options_}"`, then
 * `"{options_}"`; source: `flan/v2/templates.py`, `PATTERNS_NO_OPTIONS`).
 *
 * @param template - a template whose patterns may contain `{options_}`.
 * @returns the same template without answer options; its name gets the suffix `/no-options`
 *   when something was removed.
 * @example
 * ```ts
 * import { withoutOptions } from "@tunekit/instruct";
 * const t = { name: "nli-1", input: "{premise}\n{hypothesis}\n\n{options_}", target: "{answer}" };
 * withoutOptions(t).input; // "{premise}\n{hypothesis}"
 * ```
 */
export function withoutOptions(template: PromptTemplate): PromptTemplate {
  const strip = (pattern: string) =>
    pattern
      .replaceAll("\n\n{options_}", "")
      .replaceAll("\n{options_}", "")
      .replaceAll("{options_}", "");
  const input = strip(template.input);
  const target = strip(template.target);
  if (input === template.input && target === template.target) return template;
  return { ...template, name: `${template.name}/no-options`, input, target };
}

/**
 * Builds the FLAN-style input inversion of a template (Longpre et al. 2023, "The Flan
 * Collection", §3.3): the model sees the original target and an instruction, and must
 * produce the original input. The new input is `target + separator + instruction`; the new
 * target is the original input pattern. The library's hand-written inversions
 * (`flan/*-inverted`) read better; this helper covers any other template.
 *
 * @param template - the template to invert.
 * @param instruction - what the model is asked to do with the original target.
 * @param separator - text between the original target and the instruction. Default `"\n\n"`.
 * @returns the inverted template, named `<name>/inverted`.
 * @example
 * ```ts
 * import { invertTemplate } from "@tunekit/instruct";
 * const qa = { name: "qa", input: "Question: {question}", target: "{answer}" };
 * invertTemplate(qa, "Write a question whose answer is the text above.").input;
 * // "{answer}\n\nWrite a question whose answer is the text above."
 * ```
 */
export function invertTemplate(
  template: PromptTemplate,
  instruction: string,
  separator = "\n\n",
): PromptTemplate {
  return {
    name: `${template.name}/inverted`,
    input: `${template.target}${separator}${instruction}`,
    target: template.input,
  };
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/**
 * Whether a template's condition holds for a record (see {@link TemplateCondition}).
 *
 * @param template - the template.
 * @param record - the record.
 * @returns true when every `nonEmpty` field is non-empty and every `empty` field is empty.
 * @example
 * ```ts
 * import { templateApplies } from "@tunekit/instruct";
 * const t = { name: "x", input: "{instruction}", target: "{output}", when: { empty: ["input"] } };
 * templateApplies(t, { instruction: "Hi", input: "", output: "Hello" }); // true
 * ```
 */
export function templateApplies(template: PromptTemplate, record: TemplateRecord): boolean {
  const when = template.when;
  if (!when) return true;
  for (const field of when.nonEmpty ?? []) if (isEmptyValue(record[field])) return false;
  for (const field of when.empty ?? []) if (!isEmptyValue(record[field])) return false;
  return true;
}

function isTemplateSet(template: PromptTemplate | TemplateSet): template is TemplateSet {
  return Array.isArray((template as TemplateSet).templates);
}

/**
 * Picks the template a record is rendered with (see {@link TemplateChoice}).
 *
 * @param template - a single template (returned as is) or a set.
 * @param record - the record; only templates whose condition it meets are candidates.
 * @param options - `choose` and `index` (for `"rotate"`), `index`/`id` for errors.
 * @returns the chosen template.
 * @throws {@link TunekitError} `template_not_applicable` when no template of the set applies.
 * @example
 * ```ts
 * import { chooseTemplate, getTemplate } from "@tunekit/instruct";
 * const set = getTemplate("flan/nli");
 * const record = { premise: "It rains.", hypothesis: "The street is wet.", answer: "yes" };
 * chooseTemplate(set, record, { choose: "rotate", index: 7 }).name; // "flan/nli-4"
 * ```
 */
export function chooseTemplate(
  template: PromptTemplate | TemplateSet,
  record: TemplateRecord,
  options: RenderTemplateOptions = {},
): PromptTemplate {
  if (!isTemplateSet(template)) return template;
  const candidates = template.templates.filter((t) => templateApplies(t, record));
  if (candidates.length === 0) {
    throw new TunekitError(
      "template_not_applicable",
      `${describeRecord(record, options)}: no template of "${template.name}" applies ` +
        `(conditions: ${template.templates.map((t) => `${t.name} ${JSON.stringify(t.when ?? {})}`).join("; ")}). ` +
        "Check which fields the record fills.",
    );
  }
  const choose = options.choose ?? "first";
  if (choose === "first" || candidates.length === 1) return candidates[0];
  if (choose === "rotate") {
    const index = options.index ?? 0;
    return candidates[((index % candidates.length) + candidates.length) % candidates.length];
  }
  return candidates[choose.int(candidates.length)];
}

function fieldText(
  value: unknown,
  field: string,
  template: PromptTemplate,
  record: TemplateRecord,
  options: RenderTemplateOptions,
): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === undefined || value === null) {
    const present = Object.keys(record);
    throw new TunekitError(
      "template_missing_field",
      `${describeRecord(record, options)}: template "${template.name}" needs field "${field}", ` +
        `which the record ${value === null ? "sets to null" : "does not have"} ` +
        `(fields: ${present.length ? present.join(", ") : "none"}). ` +
        "Fill the field, or check the template with lintTemplate before formatting.",
    );
  }
  throw new TunekitError(
    "template_field_type",
    `${describeRecord(record, options)}: field "${field}" used by template "${template.name}" ` +
      `is ${Array.isArray(value) ? "a list" : "an object"}, not text; only strings, numbers and ` +
      "booleans can fill a placeholder (answer options go in `options` and render as {options_}).",
  );
}

function optionsText(
  record: TemplateRecord,
  template: PromptTemplate,
  options: RenderTemplateOptions,
): string | undefined {
  if (typeof record[OPTIONS_PLACEHOLDER] === "string") return record[OPTIONS_PLACEHOLDER];
  const field = options.optionsField ?? "options";
  const list = record[field];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) {
    throw new TunekitError(
      "template_field_type",
      `${describeRecord(record, options)}: template "${template.name}" renders {options_} from ` +
        `field "${field}", which must be a list of strings.`,
    );
  }
  return list.length ? formatOptions(list as string[]) : undefined;
}

function renderPattern(
  pattern: string,
  template: PromptTemplate,
  record: TemplateRecord,
  options: RenderTemplateOptions,
  renderedOptions: string | undefined,
): string {
  const compiled = compilePattern(pattern);
  if (compiled.emptyAt >= 0) {
    throw new TunekitError(
      "template_syntax",
      `template "${template.name}" has an empty placeholder {} at offset ${compiled.emptyAt}; ` +
        "name the field, e.g. {text}, or write {{}} for literal braces.",
    );
  }
  const { literals, fields } = compiled;
  let out = literals[0];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value =
      field === OPTIONS_PLACEHOLDER && renderedOptions !== undefined
        ? renderedOptions
        : fieldText(record[field], field, template, record, options);
    out += value + literals[i + 1];
  }
  return out;
}

/**
 * Renders a record through a template (or a template set) into a prompt and a completion.
 *
 * @param template - a {@link PromptTemplate}, or a {@link TemplateSet} to pick from (see
 *   {@link chooseTemplate}).
 * @param record - the record whose fields fill the placeholders.
 * @param options - record position and id (named in errors), template choice, and the
 *   handling of `{options_}`.
 * @returns the rendered `input` and `target` and the template's name.
 * @throws {@link TunekitError} `template_missing_field` when the record lacks a field the
 *   template uses (the message names the field, the template and the record),
 *   `template_field_type` when a value is not text, `template_syntax` for `{}`,
 *   `template_missing_options` with `answerOptions: "require"` and no options,
 *   `template_not_applicable` when no template of a set applies.
 * @example
 * ```ts
 * import { getTemplate, renderTemplate } from "@tunekit/instruct";
 * const dialogsum = getTemplate("dialogsum");
 * const { input, target } = renderTemplate(dialogsum, {
 *   dialogue: "#Person1#: Hi!\n#Person2#: Hello.",
 *   summary: "They greet each other.",
 * });
 * // input: "Summarize the following conversation.\n\n#Person1#: Hi!\n#Person2#: Hello.\n\nSummary: "
 * ```
 */
export function renderTemplate(
  template: PromptTemplate | TemplateSet,
  record: TemplateRecord,
  options: RenderTemplateOptions = {},
): RenderedExample {
  let chosen = chooseTemplate(template, record, options);
  const mode = options.answerOptions ?? "auto";
  const usesOptions = chosen.input.includes("{options_}") || chosen.target.includes("{options_}");
  let renderedOptions: string | undefined;
  if (usesOptions) {
    renderedOptions = mode === "omit" ? undefined : optionsText(record, chosen, options);
    if (renderedOptions === undefined) {
      if (mode === "require") {
        throw new TunekitError(
          "template_missing_options",
          `${describeRecord(record, options)}: template "${chosen.name}" shows answer options, ` +
            `but the record has no "${options.optionsField ?? "options"}" list.`,
        );
      }
      chosen = withoutOptions(chosen);
    }
  }
  return {
    input: renderPattern(chosen.input, chosen, record, options, renderedOptions),
    target: renderPattern(chosen.target, chosen, record, options, renderedOptions),
    template: chosen.name,
  };
}

function lintPattern(
  pattern: string,
  template: PromptTemplate,
  part: "input" | "target",
  known: Set<string> | undefined,
  fields: string[],
  issues: TemplateIssue[],
): void {
  const compiled = compilePattern(pattern);
  for (const field of compiled.fields) {
    if (field === "") continue;
    const name = field === OPTIONS_PLACEHOLDER ? "options" : field;
    if (!fields.includes(name)) fields.push(name);
    if (known && !known.has(name) && !(field === OPTIONS_PLACEHOLDER && known.has(field))) {
      issues.push({
        template: template.name,
        part,
        kind: "unknown_field",
        field: name,
        message: `template "${template.name}" ${part} uses {${field}}, but records have no field "${name}" (they have: ${[...known].join(", ") || "none"})`,
      });
    }
  }
  if (compiled.emptyAt >= 0) {
    issues.push({
      template: template.name,
      part,
      kind: "empty_placeholder",
      message: `template "${template.name}" ${part} has an empty placeholder {} at offset ${compiled.emptyAt}`,
    });
  }
  // Braces that are neither a placeholder nor an escape are kept as text; Python's
  // str.format would reject them, so they are worth a look.
  const rest = pattern.replace(TOKEN, "");
  const spec = /\{[^{}]*[:.[!][^{}]*\}/u.exec(rest);
  if (spec) {
    issues.push({
      template: template.name,
      part,
      kind: "format_spec",
      message: `template "${template.name}" ${part} contains "${spec[0]}", which looks like a Python format spec; it is kept as plain text`,
    });
  } else if (/[{}]/u.test(rest)) {
    issues.push({
      template: template.name,
      part,
      kind: "stray_brace",
      message: `template "${template.name}" ${part} has a lone brace that is kept as text; write {{ or }} to make that explicit`,
    });
  }
}

/**
 * Checks templates before use: which fields they read, fields the records do not have,
 * empty placeholders, and braces that are kept as plain text.
 *
 * @param template - a template or a template set (every template is checked).
 * @param fields - the field names the records have; omit to only list the fields and
 *   syntax problems.
 * @returns a report with `ok`, the fields used and the issues found.
 * @example
 * ```ts
 * import { getTemplate, lintTemplate } from "@tunekit/instruct";
 * const report = lintTemplate(getTemplate("alpaca"), ["instruction", "output"]);
 * report.ok; // false: "alpaca-input" reads {input}
 * report.issues[0].field; // "input"
 * ```
 */
export function lintTemplate(
  template: PromptTemplate | TemplateSet,
  fields?: Iterable<string>,
): TemplateLintReport {
  const known = fields === undefined ? undefined : new Set(fields);
  const used: string[] = [];
  const issues: TemplateIssue[] = [];
  for (const t of isTemplateSet(template) ? template.templates : [template]) {
    lintPattern(t.input, t, "input", known, used, issues);
    lintPattern(t.target, t, "target", known, used, issues);
  }
  return { ok: issues.length === 0, fields: used, issues };
}

/**
 * The fields a pattern reads, in order of first use.
 *
 * @param pattern - a template pattern.
 * @returns the placeholder names (without braces; `{{`/`}}` escapes are not fields).
 * @example
 * ```ts
 * import { templateFields } from "@tunekit/instruct";
 * templateFields("{a} and {b}, {a} again {{c}}"); // ["a", "b"]
 * ```
 */
export function templateFields(pattern: string): string[] {
  return [...new Set(compilePattern(pattern).fields)];
}
