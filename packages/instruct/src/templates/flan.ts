import type { PromptTemplate, TemplateSet } from "../template";

// FLAN-style template sets in this project's own wording. Each set mixes instructions
// placed before and after the content, as FLAN does, so a model does not learn one layout.

function set(name: string, description: string, pairs: [string, string][]): TemplateSet {
  const templates: PromptTemplate[] = pairs.map(([input, target], i) => ({
    name: `${name}-${i + 1}`,
    input,
    target,
  }));
  return { name, description, templates };
}

/**
 * Summarisation templates (fields `document`, `summary`).
 *
 * @example
 * ```ts
 * import { FLAN_SUMMARIZATION, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_SUMMARIZATION, { document: "…", summary: "…" }, { choose: "rotate", index: 3 });
 * ```
 */
export const FLAN_SUMMARIZATION: TemplateSet = set(
  "flan/summarization",
  "summarise a document (document, summary)",
  [
    ["Summarize this text:\n\n{document}", "{summary}"],
    ["{document}\n\nWrite a short summary of the text above.", "{summary}"],
    [
      "Read the passage below and state its main point in a sentence or two.\n\n{document}",
      "{summary}",
    ],
    ["{document}\n\nIn brief:", "{summary}"],
    ["Condense the following into a brief summary.\n\n{document}\n\nSummary:", "{summary}"],
  ],
);

/**
 * Input inversion of {@link FLAN_SUMMARIZATION}: write a document for a given summary.
 *
 * @example
 * ```ts
 * import { FLAN_SUMMARIZATION_INVERTED, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_SUMMARIZATION_INVERTED, { document: "…", summary: "…" }).input;
 * ```
 */
export const FLAN_SUMMARIZATION_INVERTED: TemplateSet = set(
  "flan/summarization-inverted",
  "write a document that fits a summary (document, summary)",
  [
    ["Summary: {summary}\n\nWrite a text that this summary could describe.", "{document}"],
    ["Here is the gist of a text: {summary}\nNow write the full text.", "{document}"],
  ],
);

/**
 * Extractive and free-form question answering (fields `context`, `question`, `answer`;
 * `options` optional: `{options_}` is dropped when a record has none).
 *
 * @example
 * ```ts
 * import { FLAN_QA, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_QA, { context: "Paris is in France.", question: "Where is Paris?", answer: "France" });
 * ```
 */
export const FLAN_QA: TemplateSet = set(
  "flan/qa",
  "answer a question about a passage (context, question, answer, optional options)",
  [
    [
      "{context}\n\nAnswer this question based on the passage above: {question}\n\n{options_}",
      "{answer}",
    ],
    [
      "Read the passage and answer the question.\n\nPassage: {context}\n\nQuestion: {question}\n{options_}\nAnswer:",
      "{answer}",
    ],
    ["Question: {question}\n\nUse this text to answer it:\n{context}\n\n{options_}", "{answer}"],
    ["{context}\n\nQ: {question}\n{options_}\nA:", "{answer}"],
  ],
);

/**
 * Input inversion of {@link FLAN_QA}: write the question for a given answer.
 *
 * @example
 * ```ts
 * import { FLAN_QA_INVERTED, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_QA_INVERTED, { context: "Paris is in France.", question: "Where is Paris?", answer: "France" }).target;
 * // "Where is Paris?"
 * ```
 */
export const FLAN_QA_INVERTED: TemplateSet = set(
  "flan/qa-inverted",
  "write the question for an answer (context, question, answer)",
  [
    [
      '{context}\n\nWrite a question about the passage above whose answer is "{answer}".',
      "{question}",
    ],
    [
      "Answer: {answer}\n\nWhat question about this text has that answer?\n\n{context}",
      "{question}",
    ],
  ],
);

/**
 * Natural language inference (fields `premise`, `hypothesis`, `options`, `answer`).
 *
 * @example
 * ```ts
 * import { FLAN_NLI, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_NLI, {
 *   premise: "A man plays a guitar.", hypothesis: "A person makes music.",
 *   options: ["yes", "it is not possible to tell", "no"], answer: "yes",
 * }).input;
 * ```
 */
export const FLAN_NLI: TemplateSet = set(
  "flan/nli",
  "decide whether a premise supports a hypothesis (premise, hypothesis, options, answer)",
  [
    [
      "Premise: {premise}\nHypothesis: {hypothesis}\n\nDoes the premise entail the hypothesis?\n\n{options_}",
      "{answer}",
    ],
    [
      '{premise}\n\nGiven the text above, is it true that "{hypothesis}"?\n\n{options_}',
      "{answer}",
    ],
    [
      "Read the two sentences and decide how they relate.\nFirst: {premise}\nSecond: {hypothesis}\n{options_}",
      "{answer}",
    ],
    ['Can we conclude "{hypothesis}" from "{premise}"?\n{options_}', "{answer}"],
  ],
);

/**
 * Input inversion of {@link FLAN_NLI}: write a hypothesis with a given relation.
 *
 * @example
 * ```ts
 * import { FLAN_NLI_INVERTED, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_NLI_INVERTED, { premise: "It rains.", hypothesis: "The ground is wet.", answer: "yes" });
 * ```
 */
export const FLAN_NLI_INVERTED: TemplateSet = set(
  "flan/nli-inverted",
  "write a hypothesis for a premise and a label (premise, hypothesis, answer)",
  [
    [
      '{premise}\n\nWrite a sentence for which the answer to "does the text above support it?" is "{answer}".',
      "{hypothesis}",
    ],
  ],
);

/**
 * Sentiment classification (fields `text`, `options`, `answer`).
 *
 * @example
 * ```ts
 * import { FLAN_SENTIMENT, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_SENTIMENT, { text: "Loved it.", options: ["negative", "positive"], answer: "positive" });
 * ```
 */
export const FLAN_SENTIMENT: TemplateSet = set(
  "flan/sentiment",
  "classify the sentiment of a text (text, options, answer)",
  [
    ["{text}\n\nWhat is the sentiment of this review?\n{options_}", "{answer}"],
    ["Is the tone of the following text positive or negative?\n\n{text}\n\n{options_}", "{answer}"],
    ["Text: {text}\nHow does the writer feel?\n{options_}", "{answer}"],
    ["Classify the sentiment of this sentence.\n\n{text}\n{options_}", "{answer}"],
  ],
);

/**
 * Input inversion of {@link FLAN_SENTIMENT}: write a text with a given sentiment.
 *
 * @example
 * ```ts
 * import { FLAN_SENTIMENT_INVERTED, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_SENTIMENT_INVERTED, { text: "Loved it.", answer: "positive" }).input;
 * // "Write a short review whose sentiment is positive."
 * ```
 */
export const FLAN_SENTIMENT_INVERTED: TemplateSet = set(
  "flan/sentiment-inverted",
  "write a text with a given sentiment (text, answer)",
  [["Write a short review whose sentiment is {answer}.", "{text}"]],
);

/**
 * Translation (fields `source_language`, `target_language`, `source`, `translation`).
 *
 * @example
 * ```ts
 * import { FLAN_TRANSLATION, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_TRANSLATION, {
 *   source_language: "English", target_language: "German",
 *   source: "Good morning.", translation: "Guten Morgen.",
 * });
 * ```
 */
export const FLAN_TRANSLATION: TemplateSet = set(
  "flan/translation",
  "translate a text (source_language, target_language, source, translation)",
  [
    ["Translate from {source_language} to {target_language}:\n\n{source}", "{translation}"],
    ["{source}\n\nHow would you say this in {target_language}?", "{translation}"],
    ["Translate this {source_language} text into {target_language}.\n{source}", "{translation}"],
    ["{source_language}: {source}\n{target_language}:", "{translation}"],
  ],
);

/**
 * Input inversion of {@link FLAN_TRANSLATION}: translate back into the source language.
 *
 * @example
 * ```ts
 * import { FLAN_TRANSLATION_INVERTED, renderTemplate } from "@tunekit/instruct";
 * renderTemplate(FLAN_TRANSLATION_INVERTED, {
 *   source_language: "English", target_language: "German",
 *   source: "Good morning.", translation: "Guten Morgen.",
 * }).target; // "Good morning."
 * ```
 */
export const FLAN_TRANSLATION_INVERTED: TemplateSet = set(
  "flan/translation-inverted",
  "translate back (source_language, target_language, source, translation)",
  [["Translate from {target_language} to {source_language}:\n\n{translation}", "{source}"]],
);
