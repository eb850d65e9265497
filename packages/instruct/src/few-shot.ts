import type { Rng } from "../../../internal/shared/src/index";
import { TunekitError } from "../../../internal/shared/src/index";
import {
  chooseTemplate,
  type PromptTemplate,
  type RenderTemplateOptions,
  renderTemplate,
  type TemplateRecord,
  type TemplateSet,
  templateApplies,
} from "./template";

/**
 * How exemplars and the query are laid out, in FLAN's terms (`flan/v2/templates.py`,
 * `FewShotPattern`). Each exemplar is
 * `inputPrefix + input + xyDelimiter + targetPrefix + target + exampleSeparator`;
 * the query follows as `inputPrefix + input + xyDelimiter + targetPrefix + finalSuffix`.
 *
 * @example
 * ```ts
 * import type { FewShotFormat } from "@tunekit/instruct";
 * const format: FewShotFormat = { inputPrefix: "Q: ", targetPrefix: "A: ", xyDelimiter: "\n", exampleSeparator: "\n\n" };
 * ```
 */
export interface FewShotFormat {
  /** Before every input. Default `""`. */
  inputPrefix?: string;
  /** Before every target (and after the query, as the cue for the answer). Default `""`. */
  targetPrefix?: string;
  /**
   * Between an input and its target. Default `""`: the template's own prompt and
   * completion are joined exactly as for training (the library's templates end with their
   * cue, like `Summary: `).
   */
  xyDelimiter?: string;
  /** After every exemplar. Default `"\n\n\n"` (FLAN's default). */
  exampleSeparator?: string;
  /** At the very end of the prompt. Default `""`. */
  finalSuffix?: string;
}

/**
 * FLAN's default few-shot layout: a blank line between input and target and two blank
 * lines between exemplars.
 *
 * @example
 * ```ts
 * import { buildFewShotPrompt, FLAN_FEW_SHOT_FORMAT } from "@tunekit/instruct";
 * const template = { name: "qa", input: "{q}", target: "{a}" };
 * const exemplars = [{ q: "1+1?", a: "2" }, { q: "2+2?", a: "4" }];
 * buildFewShotPrompt({ q: "3+3?", a: "6" }, { template, exemplars, format: FLAN_FEW_SHOT_FORMAT }).input;
 * // "1+1?\n\n2\n\n\n2+2?\n\n4\n\n\n3+3?\n\n"
 * ```
 */
export const FLAN_FEW_SHOT_FORMAT: Readonly<FewShotFormat> = Object.freeze({
  xyDelimiter: "\n\n",
  exampleSeparator: "\n\n\n",
});

/**
 * Options of {@link buildFewShotPrompt}.
 *
 * @example
 * ```ts
 * import { createRng, type FewShotOptions, getTemplate } from "@tunekit/instruct";
 * const options: FewShotOptions = {
 *   template: getTemplate("dialogsum"),
 *   exemplars: [{ dialogue: "#Person1#: Hi.", summary: "A greeting." }],
 *   shots: 1,
 *   maxLength: 2000,
 *   rng: createRng(0),
 * };
 * ```
 */
export interface FewShotOptions {
  /** Renders the exemplars and the query. */
  template: PromptTemplate | TemplateSet;
  /** The pool of solved examples to show. */
  exemplars: readonly TemplateRecord[];
  /** How many exemplars to show (0 gives a zero-shot prompt). Default: all of them. */
  shots?: number;
  /** The layout; see {@link FewShotFormat}. */
  format?: FewShotFormat;
  /**
   * The most the prompt may measure. Exemplars are dropped, last chosen first, until the
   * prompt fits; the query itself is never cut. Default: no limit.
   */
  maxLength?: number;
  /**
   * Measures a prompt for `maxLength`. Default: Unicode code points (Python's `len`).
   * Pass a token counter to budget in tokens, e.g. `(text) => tokenizer.encode(text).length`.
   */
  measure?: (text: string) => number;
  /**
   * Draws the exemplars at random (a partial Fisher–Yates shuffle on this generator)
   * instead of taking them in order. Share one generator across a dataset so each query
   * gets its own draw, reproducibly.
   */
  rng?: Rng;
  /** Passed to the template rendering: `index`/`id` of the query for errors, `choose`, `answerOptions`. */
  render?: RenderTemplateOptions;
}

/**
 * A few-shot prompt and how it was built.
 *
 * @example
 * ```ts
 * import { buildFewShotPrompt, type FewShotPrompt } from "@tunekit/instruct";
 * const prompt: FewShotPrompt = buildFewShotPrompt(
 *   { q: "3+3?", a: "6" },
 *   { template: { name: "qa", input: "Q: {q}\nA:", target: " {a}" }, exemplars: [{ q: "1+1?", a: "2" }] },
 * );
 * prompt.exemplars; // [0]
 * ```
 */
export interface FewShotPrompt {
  /** The prompt: exemplars, then the query. */
  input: string;
  /** The query's completion. */
  target: string;
  /** Indices (into `exemplars`) of the exemplars shown, in prompt order. */
  exemplars: number[];
  /** Exemplars left out because they rendered to the same input as the query. */
  excludedAsQuery: number;
  /** Exemplars dropped to fit `maxLength`. */
  droppedForLength: number;
  /** The prompt's measure (code points, or whatever `measure` counts). */
  length: number;
  /** False when even the zero-shot prompt is longer than `maxLength`. */
  withinBudget: boolean;
}

/**
 * Counts Unicode code points (what Python's `len` returns), not UTF-16 units.
 *
 * @param text - any text.
 * @returns the number of code points.
 * @example
 * ```ts
 * import { countCodePoints } from "@tunekit/instruct";
 * countCodePoints("a😀"); // 2 ("a😀".length is 3)
 * ```
 */
export function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

// Two prompts "say the same thing" when they match after collapsing whitespace runs.
function sameText(a: string, b: string): boolean {
  return a.trim().replace(/\s+/gu, " ") === b.trim().replace(/\s+/gu, " ");
}

/**
 * Builds a zero-, one- or few-shot prompt: solved exemplars rendered through the
 * template, then the query. Exemplars whose rendered input equals the query's (after
 * collapsing whitespace) are never shown, so the answer cannot leak into the prompt.
 * Exemplars are rendered with the template chosen for the query when it applies to them,
 * so one prompt uses one wording.
 *
 * @param query - the record to ask about.
 * @param options - template, exemplar pool, number of shots, layout, length budget and
 *   random draw; see {@link FewShotOptions}.
 * @returns the prompt, the query's target and which exemplars were used.
 * @throws {@link TunekitError} `invalid_option` for a negative or fractional `shots` or
 *   `maxLength`, and whatever {@link renderTemplate} throws for a record that does not fit
 *   the template.
 * @example
 * ```ts
 * import { buildFewShotPrompt, createRng, getTemplate } from "@tunekit/instruct";
 * const template = getTemplate("dialogsum");
 * const trainRecords = [
 *   { dialogue: "#Person1#: Hi.\n#Person2#: Hello.", summary: "They greet." },
 *   { dialogue: "#Person1#: Coffee?\n#Person2#: No, thanks.", summary: "#Person2# declines coffee." },
 *   { dialogue: "#Person1#: Late again?\n#Person2#: Sorry.", summary: "#Person2# is late." },
 * ];
 * const prompt = buildFewShotPrompt(
 *   { dialogue: "#Person1#: Tea?\n#Person2#: Yes, please.", summary: "#Person2# wants tea." },
 *   { template, exemplars: trainRecords, shots: 2, rng: createRng(1), maxLength: 4000 },
 * );
 * prompt.input; // two solved dialogues, then the query ending in "Summary: "
 * ```
 */
export function buildFewShotPrompt(query: TemplateRecord, options: FewShotOptions): FewShotPrompt {
  const { template, exemplars, rng, maxLength, measure = countCodePoints } = options;
  const shots = options.shots ?? exemplars.length;
  if (!Number.isInteger(shots) || shots < 0) {
    throw new TunekitError("invalid_option", `shots must be a whole number ≥ 0, got ${shots}`);
  }
  if (maxLength !== undefined && !(maxLength >= 0)) {
    throw new TunekitError("invalid_option", `maxLength must be ≥ 0, got ${maxLength}`);
  }
  const {
    inputPrefix = "",
    targetPrefix = "",
    xyDelimiter = "",
    exampleSeparator = "\n\n\n",
    finalSuffix = "",
  } = options.format ?? {};
  const render = options.render ?? {};
  const queryTemplate = chooseTemplate(template, query, render);
  const rendered = renderTemplate(queryTemplate, query, render);

  const renderExemplar = (record: TemplateRecord, index: number) => {
    const t = templateApplies(queryTemplate, record)
      ? queryTemplate
      : chooseTemplate(template, record, { index });
    return renderTemplate(t, record, {
      index,
      answerOptions: render.answerOptions,
      optionsField: render.optionsField,
    });
  };

  // Only as many exemplars as needed are rendered: candidates are drawn one at a time.
  const order = exemplars.map((_, i) => i);
  const chosen: number[] = [];
  const blocks: string[] = [];
  let excludedAsQuery = 0;
  for (let k = 0; k < order.length && chosen.length < shots; k++) {
    if (rng) {
      const j = k + rng.int(order.length - k);
      [order[k], order[j]] = [order[j], order[k]];
    }
    const index = order[k];
    const exemplar = exemplars[index];
    const shown = exemplar === query ? rendered : renderExemplar(exemplar, index);
    if (exemplar === query || sameText(shown.input, rendered.input)) {
      excludedAsQuery++;
      continue;
    }
    chosen.push(index);
    blocks.push(
      inputPrefix + shown.input + xyDelimiter + targetPrefix + shown.target + exampleSeparator,
    );
  }

  const queryBlock = inputPrefix + rendered.input + xyDelimiter + targetPrefix + finalSuffix;
  let input = blocks.join("") + queryBlock;
  let length = measure(input);
  let droppedForLength = 0;
  if (maxLength !== undefined) {
    while (length > maxLength && blocks.length > 0) {
      blocks.pop();
      chosen.pop();
      droppedForLength++;
      input = blocks.join("") + queryBlock;
      length = measure(input);
    }
  }
  return {
    input,
    target: rendered.target,
    exemplars: chosen,
    excludedAsQuery,
    droppedForLength,
    length,
    withinBudget: maxLength === undefined || length <= maxLength,
  };
}
