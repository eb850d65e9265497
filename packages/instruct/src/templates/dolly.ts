import type { PromptTemplate, TemplateSet } from "../template";

// databrickslabs/dolly, training/consts.py: the training text is the prompt, then the
// response, then "\n\n### End". The prompt here ends with the newline after
// "### Response:", so prompt + completion is exactly the original training text. Dolly
// uses the context variant when `context` is truthy (training/trainer.py, `_add_text`).
const DOLLY_INTRO =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

/**
 * The Dolly training prompt for records with a `context` (fields `instruction`,
 * `context`, `response`), as in databrickslabs/dolly `training/consts.py`.
 *
 * @example
 * ```ts
 * import { DOLLY_CONTEXT, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(DOLLY_CONTEXT, { instruction: "Who?", context: "Ada wrote it.", response: "Ada" }).target;
 * // "Ada\n\n### End"
 * ```
 */
export const DOLLY_CONTEXT: PromptTemplate = {
  name: "dolly-context",
  input: `${DOLLY_INTRO}\n\n### Instruction:\n{instruction}\n\nInput:\n{context}\n\n### Response:\n`,
  target: "{response}\n\n### End",
  when: { nonEmpty: ["context"] },
};

/**
 * The Dolly training prompt for records without a `context` (fields `instruction`,
 * `response`).
 *
 * @example
 * ```ts
 * import { DOLLY_NO_CONTEXT, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(DOLLY_NO_CONTEXT, { instruction: "Name a colour.", response: "Blue" }).input;
 * ```
 */
export const DOLLY_NO_CONTEXT: PromptTemplate = {
  name: "dolly-no-context",
  input: `${DOLLY_INTRO}\n\n### Instruction:\n{instruction}\n\n### Response:\n`,
  target: "{response}\n\n### End",
  when: { empty: ["context"] },
};

/**
 * Dolly: picks {@link DOLLY_CONTEXT} or {@link DOLLY_NO_CONTEXT} by whether `context` is empty.
 *
 * @example
 * ```ts
 * import { DOLLY, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(DOLLY, { instruction: "Name a colour.", context: "", response: "Blue" }).template;
 * // "dolly-no-context"
 * ```
 */
export const DOLLY: TemplateSet = {
  name: "dolly",
  description: "databricks-dolly-15k prompts (instruction, context, response)",
  templates: [DOLLY_CONTEXT, DOLLY_NO_CONTEXT],
};
