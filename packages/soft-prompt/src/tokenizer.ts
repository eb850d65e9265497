import { Tokenizer } from "@huggingface/tokenizers";
import { TunekitError } from "@tunekit/tensor";
import { jsonObject } from "./json-object";

/**
 * The two things soft-prompt work needs from a tokenizer: text to ids (for TEXT
 * initialisation) and ids to vocabulary strings (for reading a prompt). Any object with
 * these methods works; {@link loadTokenizer} builds one from a `tokenizer.json`.
 *
 * @example
 * ```ts
 * import type { PromptTokenizer } from "@tunekit/soft-prompt";
 * const words = ["<s>", "summarize", "the", "dialogue"];
 * const tokenizer: PromptTokenizer = {
 *   encode: (text) => [0, ...text.split(" ").map((w) => words.indexOf(w))],
 *   idToToken: (id) => words[id],
 * };
 * ```
 */
export interface PromptTokenizer {
  /**
   * Token ids of `text` with the special tokens the tokenizer adds by default (a BOS,
   * an EOS, …), as HF `tokenizer(text)["input_ids"]` returns them.
   */
  encode(text: string): number[];
  /** The vocabulary string of a token id, or `undefined` when the id is not in the vocabulary. */
  idToToken(id: number): string | undefined;
}

/**
 * Options of {@link loadTokenizer}.
 *
 * @example
 * ```ts
 * import { loadTokenizer, type LoadTokenizerOptions } from "@tunekit/soft-prompt";
 * declare const tokenizerJson: string;
 * const options: LoadTokenizerOptions = { source: "models/tiny/tokenizer.json", tokenizerConfig: {} };
 * loadTokenizer(tokenizerJson, options);
 * ```
 */
export interface LoadTokenizerOptions {
  /**
   * The parsed `tokenizer_config.json`, when the model has one. Most tokenizers need
   * nothing from it; a word-level model's unknown token is taken from `tokenizer.json`
   * when this does not name one.
   */
  tokenizerConfig?: Record<string, unknown>;
  /** Names the tokenizer in error messages (a file path, say). Default `"tokenizer.json"`. */
  source?: string;
}

function parseTokenizerJson(json: string | object, source: string): Record<string, unknown> {
  const object = jsonObject(json, "tokenizer_invalid", source);
  const model = object.model;
  if (typeof model !== "object" || model === null) {
    throw new TunekitError(
      "tokenizer_invalid",
      `${source} has no "model" object; pass the tokenizer.json a HuggingFace fast tokenizer saves`,
    );
  }
  return object;
}

/**
 * Builds a {@link PromptTokenizer} from a HuggingFace `tokenizer.json` (its text or the
 * parsed object) with `@huggingface/tokenizers`. `encode` adds special tokens through
 * the file's post-processor, as `tokenizer(text)["input_ids"]` does in Python.
 *
 * @param tokenizerJson - the contents of `tokenizer.json`, as text or parsed.
 * @param options - see {@link LoadTokenizerOptions}.
 * @returns the tokenizer.
 * @throws TunekitError `tokenizer_invalid` when the JSON is malformed or the tokenizer
 * library rejects it.
 * @example
 * ```ts
 * import { loadTokenizer } from "@tunekit/soft-prompt";
 * const tokenizer = loadTokenizer({
 *   model: { type: "WordLevel", vocab: { "<unk>": 0, hello: 1 }, unk_token: "<unk>" },
 *   pre_tokenizer: { type: "WhitespaceSplit" },
 *   added_tokens: [],
 * });
 * console.log(tokenizer.encode("hello there")); // [1, 0]
 * ```
 */
export function loadTokenizer(
  tokenizerJson: string | object,
  options: LoadTokenizerOptions = {},
): PromptTokenizer {
  const source = options.source ?? "tokenizer.json";
  const json = parseTokenizerJson(tokenizerJson, source);
  const model = json.model as Record<string, unknown>;
  const config: Record<string, unknown> = { ...options.tokenizerConfig };
  // @huggingface/tokenizers reads a word-level model's unknown token from the config
  // object rather than from the model, so fill it in the way the Rust library reads it.
  if (config.unk_token === undefined && typeof model.unk_token === "string") {
    config.unk_token = model.unk_token;
  }
  const complete = {
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    added_tokens: [],
    ...json,
  };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(complete, config);
  } catch (error) {
    throw new TunekitError(
      "tokenizer_invalid",
      `${source} could not be loaded: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    encode(text) {
      const { ids, tokens } = tokenizer.encode(text);
      ids.forEach((id, i) => {
        if (id === undefined) {
          throw new TunekitError(
            "tokenizer_unknown_token",
            `${source} has no id for token "${tokens[i]}" of "${text}" and no unknown token to fall back on`,
          );
        }
      });
      return ids;
    },
    idToToken(id) {
      return tokenizer.id_to_token(id);
    },
  };
}
