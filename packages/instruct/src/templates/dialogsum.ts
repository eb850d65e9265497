import type { PromptTemplate } from "../template";

/**
 * The DialogSum summarisation prompt (fields `dialogue`, `summary`): the instruction,
 * a blank line, the dialogue, a blank line, then `Summary: ` with its trailing space.
 *
 * @example
 * ```ts
 * import { DIALOGSUM, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(DIALOGSUM, { dialogue: "#Person1#: Hi.", summary: "A greeting." }).input;
 * // "Summarize the following conversation.\n\n#Person1#: Hi.\n\nSummary: "
 * ```
 */
export const DIALOGSUM: PromptTemplate = {
  name: "dialogsum",
  input: "Summarize the following conversation.\n\n{dialogue}\n\nSummary: ",
  target: "{summary}",
};
