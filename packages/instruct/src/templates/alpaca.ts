import type { PromptTemplate, TemplateSet } from "../template";

// The two prompts of Stanford Alpaca (tatsu-lab/stanford_alpaca, train.py, PROMPT_DICT),
// character for character. The response follows "### Response:" with no separator, and
// the "no input" prompt is used when `input` is missing or "" (train.py: `example.get("input", "") != ""`).

/**
 * The Stanford Alpaca prompt for records with an `input` (fields `instruction`, `input`,
 * `output`), exactly as in the original `train.py`.
 *
 * @example
 * ```ts
 * import { ALPACA_INPUT, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(ALPACA_INPUT, { instruction: "Add.", input: "2 and 3", output: "5" }).input;
 * ```
 */
export const ALPACA_INPUT: PromptTemplate = {
  name: "alpaca-input",
  input:
    "Below is an instruction that describes a task, paired with an input that provides further context. " +
    "Write a response that appropriately completes the request.\n\n" +
    "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:",
  target: "{output}",
  when: { nonEmpty: ["input"] },
};

/**
 * The Stanford Alpaca prompt for records without an `input` (fields `instruction`,
 * `output`), exactly as in the original `train.py`.
 *
 * @example
 * ```ts
 * import { ALPACA_NO_INPUT, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(ALPACA_NO_INPUT, { instruction: "Say hi.", output: "Hi!" }).input;
 * ```
 */
export const ALPACA_NO_INPUT: PromptTemplate = {
  name: "alpaca-no-input",
  input:
    "Below is an instruction that describes a task. " +
    "Write a response that appropriately completes the request.\n\n" +
    "### Instruction:\n{instruction}\n\n### Response:",
  target: "{output}",
  when: { empty: ["input"] },
};

/**
 * Alpaca: picks {@link ALPACA_INPUT} when the record's `input` is non-empty and
 * {@link ALPACA_NO_INPUT} otherwise, as Stanford Alpaca's training script does.
 *
 * @example
 * ```ts
 * import { ALPACA, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(ALPACA, { instruction: "Say hi.", input: "", output: "Hi!" }).template; // "alpaca-no-input"
 * ```
 */
export const ALPACA: TemplateSet = {
  name: "alpaca",
  description: "Stanford Alpaca prompts (instruction, input, output)",
  templates: [ALPACA_INPUT, ALPACA_NO_INPUT],
};
