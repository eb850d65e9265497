import { Tokenizer } from "@huggingface/tokenizers";
import { TunekitError } from "../../../internal/shared/src/index";
import { type TokenizerConfig, tokenText } from "./chat-template";
import { describeRecord, type RecordLocation } from "./record-label";

/**
 * The label PyTorch's cross-entropy loss ignores (`ignore_index`).
 *
 * @example
 * ```ts
 * import { IGNORE_INDEX } from "@tunekit/instruct";
 * const masked = [5, 6, 7].map((id, i) => (i < 2 ? IGNORE_INDEX : id)); // [-100, -100, 7]
 * ```
 */
export const IGNORE_INDEX = -100;

/**
 * A tokenizer loaded from a `tokenizer.json`, with the special tokens this package needs.
 * `encode` gives exactly the ids of the Hugging Face `tokenizers` library for the same
 * file (normaliser, pre-tokeniser, model and post-processor).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer, type TextTokenizer } from "@tunekit/instruct";
 * const tokenizer: TextTokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * tokenizer.decode(tokenizer.encode("Hello world"), { skipSpecialTokens: true }); // "Hello world"
 * ```
 */
export interface TextTokenizer {
  /** Token ids of `text`; with the post-processor's special tokens unless told otherwise. */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /** Text of token ids. */
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  /** The id of a token string, if the vocabulary has it. */
  tokenToId(token: string): number | undefined;
  /** The beginning-of-sequence id, if the tokenizer has one. */
  readonly bosId: number | undefined;
  /** The end-of-sequence id, if known (see {@link loadTokenizer}). */
  readonly eosId: number | undefined;
  /** The padding id: the config's `pad_token`, else the EOS id. */
  readonly padId: number | undefined;
  /** Ids the post-processor puts before a single sequence (e.g. `[1]` for `<s>`). */
  readonly prefixIds: readonly number[];
  /** Ids the post-processor puts after a single sequence (e.g. `[1]` for T5's `</s>`). */
  readonly suffixIds: readonly number[];
}

/**
 * Options of {@link loadTokenizer}.
 *
 * @example
 * ```ts
 * import type { LoadTokenizerOptions } from "@tunekit/instruct";
 * const options: LoadTokenizerOptions = { eosToken: "<|im_end|>" };
 * ```
 */
export interface LoadTokenizerOptions {
  /** The EOS token, overriding the config's `eos_token`. */
  eosToken?: string;
}

// The names tokenizers give their end-of-sequence token, for files without a config.
const EOS_NAMES = ["</s>", "<|endoftext|>", "<eos>", "<|end_of_text|>", "<|im_end|>", "<|eot_id|>"];

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Loads a tokenizer from the parsed `tokenizer.json` with `@huggingface/tokenizers`.
 *
 * Special tokens: EOS is `options.eosToken`, else the config's `eos_token`, else the
 * token the post-processor appends (T5's `</s>`), else a conventional name (`</s>`,
 * `<|endoftext|>`, `<eos>`, …) that is an added token. BOS is the config's `bos_token`
 * or the token the post-processor prepends. Padding is the config's `pad_token` or EOS.
 *
 * @param tokenizerJson - the parsed `tokenizer.json` (a 2 MB file parses in ~50 ms).
 * @param config - the parsed `tokenizer_config.json` beside it, if there is one.
 * @param options - an explicit EOS token.
 * @returns the tokenizer.
 * @throws {@link TunekitError} `invalid_tokenizer` when the file is not a tokenizer.json,
 *   `unknown_token` when a named special token is not in the vocabulary.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer } from "@tunekit/instruct";
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * tokenizer.encode("Hello world"); // FLAN-T5: [8774, 296, 1]
 * ```
 */
export function loadTokenizer(
  tokenizerJson: object,
  config: TokenizerConfig = {},
  options: LoadTokenizerOptions = {},
): TextTokenizer {
  let inner: Tokenizer;
  try {
    // The config is left out: it would change decoding (clean-up of spaces) away from
    // what the tokenizer.json file alone gives.
    inner = new Tokenizer(tokenizerJson, {});
  } catch (error) {
    throw new TunekitError(
      "invalid_tokenizer",
      `not a usable tokenizer.json: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const special = new Set(inner.get_added_tokens_decoder().values());
  const specialIds = new Set([...special].filter((t) => t.special).map((t) => t.id));
  const idOf = (name: string, what: string) => {
    const id = inner.token_to_id(name);
    if (id === undefined) {
      throw new TunekitError(
        "unknown_token",
        `the ${what} "${name}" is not in the tokenizer's vocabulary`,
      );
    }
    return id;
  };
  const probeWith = inner.encode("a", { add_special_tokens: true }).ids;
  const probeWithout = inner.encode("a", { add_special_tokens: false }).ids;
  const at = indexOfRun(probeWith, probeWithout);
  const prefixIds = at < 0 ? [] : probeWith.slice(0, at);
  const suffixIds = at < 0 ? [] : probeWith.slice(at + probeWithout.length);

  const eosName = options.eosToken ?? tokenText(config.eos_token);
  let eosId = eosName === undefined ? undefined : idOf(eosName, "EOS token");
  if (eosId === undefined && suffixIds.length > 0 && specialIds.has(suffixIds.at(-1)!))
    eosId = suffixIds.at(-1);
  if (eosId === undefined) {
    for (const name of EOS_NAMES) {
      const id = inner.token_to_id(name);
      if (id !== undefined && specialIds.has(id)) {
        eosId = id;
        break;
      }
    }
  }
  const bosName = tokenText(config.bos_token);
  const bosId =
    bosName !== undefined
      ? idOf(bosName, "BOS token")
      : prefixIds.length > 0 && specialIds.has(prefixIds[0])
        ? prefixIds[0]
        : undefined;
  const padName = tokenText(config.pad_token);
  const padId = padName !== undefined ? idOf(padName, "padding token") : eosId;

  return {
    encode: (text, { addSpecialTokens = true } = {}) =>
      inner.encode(text, { add_special_tokens: addSpecialTokens }).ids,
    decode: (ids, { skipSpecialTokens = false } = {}) =>
      ids.length === 0
        ? ""
        : inner.decode([...ids], {
            skip_special_tokens: skipSpecialTokens,
            clean_up_tokenization_spaces: false,
          }),
    tokenToId: (token) => inner.token_to_id(token),
    bosId,
    eosId,
    padId,
    prefixIds,
    suffixIds,
  };
}

/**
 * A tokenised training example.
 *
 * @example
 * ```ts
 * import { IGNORE_INDEX, type TokenizedExample } from "@tunekit/instruct";
 * const example: TokenizedExample = {
 *   input_ids: [363, 19, 1],
 *   attention_mask: [1, 1, 1],
 *   labels: [IGNORE_INDEX, 19, 1],
 * };
 * ```
 */
export interface TokenizedExample {
  /** Token ids. */
  input_ids: number[];
  /** 1 for every real token (0 only for padding, see {@link padExamples}). */
  attention_mask: number[];
  /** The ids the loss is computed on; {@link IGNORE_INDEX} where it is not. */
  labels: number[];
}

/**
 * What {@link tokenizeText} and {@link tokenizePromptCompletion} report beside the example.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer, type TokenizeResult, tokenizeText } from "@tunekit/instruct";
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * const result: TokenizeResult = tokenizeText(tokenizer, "Hello world", { maxLength: 2 });
 * result.truncated; // true
 * ```
 */
export interface TokenizeResult {
  /** The example. */
  example: TokenizedExample;
  /** True when the example was cut to `maxLength`. */
  truncated: boolean;
  /**
   * True when the text itself starts with the BOS token, so that the tokenizer's own BOS
   * made two (typical of chat text whose template writes `{{ bos_token }}`). One of them
   * was dropped when `dedupeBos` was on.
   */
  doubleBos: boolean;
  /** Number of positions whose label is not {@link IGNORE_INDEX}. */
  trainedTokens: number;
}

/**
 * Options of {@link tokenizeText} and {@link tokenizePromptCompletion}.
 *
 * @example
 * ```ts
 * import type { TokenizeOptions } from "@tunekit/instruct";
 * const options: TokenizeOptions = { maxLength: 1024, trainOnInputs: false, index: 7 };
 * ```
 */
export interface TokenizeOptions extends RecordLocation {
  /** Keep at most this many tokens (the end is cut). Default: no limit. */
  maxLength?: number;
  /** Compute the loss on the prompt too. Default `false`. */
  trainOnInputs?: boolean;
  /**
   * Drop the tokenizer's BOS when the text already starts with the BOS token (a chat
   * template that writes `{{ bos_token }}` would otherwise give two). Default `false`:
   * ids are exactly what the Hugging Face tokenizer gives. {@link tokenizeChat} never
   * doubles BOS, because it tokenises chat text as transformers does.
   */
  dedupeBos?: boolean;
}

// Whether the tokenizer's BOS is followed by a BOS of the text; drops one when asked.
function doubleBos(ids: number[], tokenizer: TextTokenizer, drop: boolean): boolean {
  const bos = tokenizer.bosId;
  if (bos === undefined || tokenizer.prefixIds[0] !== bos) return false;
  const found = ids[0] === bos && ids[tokenizer.prefixIds.length] === bos;
  if (found && drop) ids.splice(0, 1);
  return found;
}

/** @internal Cuts to `maxLength`, builds the mask and counts the trained positions. */
export function finishExample(
  ids: number[],
  labels: number[],
  options: TokenizeOptions,
  doubleBos: boolean,
): TokenizeResult {
  const { maxLength } = options;
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
    throw new TunekitError(
      "invalid_option",
      `maxLength must be a whole number ≥ 1, got ${maxLength}`,
    );
  }
  const truncated = maxLength !== undefined && ids.length > maxLength;
  if (truncated) {
    ids.length = maxLength;
    labels.length = maxLength;
  }
  let trainedTokens = 0;
  for (const label of labels) if (label !== IGNORE_INDEX) trainedTokens++;
  return {
    example: { input_ids: ids, attention_mask: new Array<number>(ids.length).fill(1), labels },
    truncated,
    doubleBos,
    trainedTokens,
  };
}

/**
 * Tokenises plain text for causal language modelling: `input_ids` are the tokenizer's ids
 * for the text with its special tokens, exactly as Hugging Face `tokenizer(text)` gives;
 * `labels` equal `input_ids`. A text that already starts with the BOS token gets two
 * (reported as `doubleBos`) unless `dedupeBos` is on.
 *
 * @param tokenizer - from {@link loadTokenizer}.
 * @param text - the text.
 * @param options - `maxLength`, `dedupeBos`; `index`/`id` for errors.
 * @returns the example and what was done to it.
 * @throws {@link TunekitError} `invalid_option` for a bad `maxLength`.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer, tokenizeText } from "@tunekit/instruct";
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * tokenizeText(tokenizer, "Hello world").example.input_ids; // FLAN-T5: [8774, 296, 1]
 * ```
 */
export function tokenizeText(
  tokenizer: TextTokenizer,
  text: string,
  options: TokenizeOptions = {},
): TokenizeResult {
  const ids = tokenizer.encode(text);
  const twice = doubleBos(ids, tokenizer, options.dedupeBos ?? false);
  return finishExample(ids, [...ids], options, twice);
}

/**
 * Tokenises a prompt-completion pair for supervised fine-tuning, by this convention:
 *
 * - prompt ids: the prompt with the tokenizer's special tokens for a single sequence,
 *   minus a trailing EOS the post-processor appends (so T5's `</s>` does not end the
 *   prompt; Llama-style `<s>` stays in front);
 * - then the completion's ids without special tokens;
 * - then EOS once (not added again when the completion already ends with it);
 * - `labels` are {@link IGNORE_INDEX} over the prompt ids unless `trainOnInputs`;
 * - the whole is cut to `maxLength` from the end.
 *
 * @param tokenizer - from {@link loadTokenizer}.
 * @param prompt - the prompt text.
 * @param completion - the completion text.
 * @param options - `trainOnInputs`, `maxLength`, `dedupeBos`; `index`/`id` for errors.
 * @returns the example and what was done to it.
 * @throws {@link TunekitError} `no_eos_token` when the tokenizer has no known EOS token
 *   (load it with its config or an `eosToken`), `invalid_option` for a bad `maxLength`.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer, tokenizePromptCompletion } from "@tunekit/instruct";
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * const { example } = tokenizePromptCompletion(tokenizer, "Question: 2+2?\nAnswer:", " 4");
 * example.labels; // -100 for every prompt token, then the ids of " 4" and EOS
 * ```
 */
export function tokenizePromptCompletion(
  tokenizer: TextTokenizer,
  prompt: string,
  completion: string,
  options: TokenizeOptions = {},
): TokenizeResult {
  const eos = tokenizer.eosId;
  if (eos === undefined) {
    throw new TunekitError(
      "no_eos_token",
      `${describeRecord(undefined, options)}: the tokenizer has no known EOS token; load it with its tokenizer_config.json or pass eosToken`,
    );
  }
  const ids = tokenizer.encode(prompt);
  if (tokenizer.suffixIds.at(-1) === eos && ids.at(-1) === eos) ids.pop();
  const twice = doubleBos(ids, tokenizer, options.dedupeBos ?? false);
  const promptLength = ids.length;
  for (const id of tokenizer.encode(completion, { addSpecialTokens: false })) ids.push(id);
  if (ids.length === promptLength || ids.at(-1) !== eos) ids.push(eos);
  const labels = [...ids];
  if (!options.trainOnInputs) labels.fill(IGNORE_INDEX, 0, promptLength);
  return finishExample(ids, labels, options, twice);
}

/**
 * Options of {@link padExamples}.
 *
 * @example
 * ```ts
 * import type { PadOptions } from "@tunekit/instruct";
 * const options: PadOptions = { padId: 0, multipleOf: 8, side: "left" };
 * ```
 */
export interface PadOptions {
  /** The id written into padded `input_ids`. */
  padId: number;
  /** Pad to this length; default: the longest example. */
  length?: number;
  /** Round the length up to a multiple of this (e.g. 8 for tensor cores). Default 1. */
  multipleOf?: number;
  /** Where the padding goes. Default `"right"`. */
  side?: "left" | "right";
}

/**
 * Pads examples to one length: `input_ids` with `padId`, `attention_mask` with 0 and
 * `labels` with {@link IGNORE_INDEX}, so padding never counts in the loss.
 *
 * @param examples - tokenised examples (not modified).
 * @param options - the padding id, target length, multiple, side.
 * @returns new padded examples.
 * @throws {@link TunekitError} `invalid_option` when an example is longer than `length`.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { loadTokenizer, padExamples, tokenizeText } from "@tunekit/instruct";
 * const tokenizer = loadTokenizer(JSON.parse(readFileSync("tokenizer.json", "utf8")));
 * const examples = [tokenizeText(tokenizer, "Hi").example, tokenizeText(tokenizer, "Hello there").example];
 * const batch = padExamples(examples, { padId: tokenizer.padId ?? 0, multipleOf: 8 });
 * ```
 */
export function padExamples(
  examples: readonly TokenizedExample[],
  options: PadOptions,
): TokenizedExample[] {
  const longest = examples.reduce((m, e) => Math.max(m, e.input_ids.length), 0);
  const multiple = options.multipleOf ?? 1;
  const length = Math.ceil((options.length ?? longest) / multiple) * multiple;
  if (longest > length) {
    throw new TunekitError(
      "invalid_option",
      `an example has ${longest} tokens, more than the padding length ${length}; truncate first (maxLength)`,
    );
  }
  return examples.map((e) => {
    const n = length - e.input_ids.length;
    const pad = <T>(values: readonly T[], fill: T) =>
      options.side === "left"
        ? [...new Array<T>(n).fill(fill), ...values]
        : [...values, ...new Array<T>(n).fill(fill)];
    return {
      input_ids: pad(e.input_ids, options.padId),
      attention_mask: pad(e.attention_mask, 0),
      labels: pad(e.labels, IGNORE_INDEX),
    };
  });
}
