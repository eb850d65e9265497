import { TunekitError } from "../../../../internal/shared/src/index";
import type { PromptTemplate, TemplateSet } from "../template";
import { ALPACA, ALPACA_INPUT, ALPACA_NO_INPUT } from "./alpaca";
import { DIALOGSUM } from "./dialogsum";
import { DOLLY, DOLLY_CONTEXT, DOLLY_NO_CONTEXT } from "./dolly";
import {
  FLAN_NLI,
  FLAN_NLI_INVERTED,
  FLAN_QA,
  FLAN_QA_INVERTED,
  FLAN_SENTIMENT,
  FLAN_SENTIMENT_INVERTED,
  FLAN_SUMMARIZATION,
  FLAN_SUMMARIZATION_INVERTED,
  FLAN_TRANSLATION,
  FLAN_TRANSLATION_INVERTED,
} from "./flan";

const LIBRARY: ReadonlyMap<string, PromptTemplate | TemplateSet> = new Map<
  string,
  PromptTemplate | TemplateSet
>(
  [
    ALPACA,
    ALPACA_INPUT,
    ALPACA_NO_INPUT,
    DOLLY,
    DOLLY_CONTEXT,
    DOLLY_NO_CONTEXT,
    DIALOGSUM,
    FLAN_SUMMARIZATION,
    FLAN_SUMMARIZATION_INVERTED,
    FLAN_QA,
    FLAN_QA_INVERTED,
    FLAN_NLI,
    FLAN_NLI_INVERTED,
    FLAN_SENTIMENT,
    FLAN_SENTIMENT_INVERTED,
    FLAN_TRANSLATION,
    FLAN_TRANSLATION_INVERTED,
  ].map((t) => [t.name, t]),
);

/**
 * The names of the built-in templates and template sets, e.g. `"alpaca"`, `"dolly"`,
 * `"dialogsum"`, `"flan/nli"`, `"flan/qa-inverted"`.
 *
 * @returns the names, in library order.
 * @example
 * ```ts
 * import { listTemplates } from "@tunekit/instruct";
 * listTemplates().includes("dialogsum"); // true
 * ```
 */
export function listTemplates(): string[] {
  return [...LIBRARY.keys()];
}

/**
 * A built-in template or template set by name (see {@link listTemplates}).
 *
 * @param name - the template's name.
 * @returns the template or set; pass it to `renderTemplate`.
 * @throws {@link TunekitError} `unknown_template` naming the available templates.
 * @example
 * ```ts
 * import { getTemplate, renderTemplate } from "@tunekit/instruct";
 * const t = getTemplate("dialogsum");
 * renderTemplate(t, { dialogue: "#Person1#: Hi.", summary: "A greeting." });
 * ```
 */
export function getTemplate(name: string): PromptTemplate | TemplateSet {
  const found = LIBRARY.get(name);
  if (!found) {
    throw new TunekitError(
      "unknown_template",
      `there is no built-in template "${name}"; available: ${listTemplates().join(", ")}`,
    );
  }
  return found;
}
