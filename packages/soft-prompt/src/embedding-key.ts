import { TunekitError } from "@tunekit/tensor";

/**
 * Names under which common model families store their input embedding matrix, most
 * specific first: Llama/Mistral/Qwen (`model.embed_tokens`), BART/T5 (`shared`), GPT-2
 * (`wte`), GPT-NeoX (`embed_in`), BLOOM/BERT (`word_embeddings`), Meta's original Llama
 * checkpoints (`tok_embeddings`).
 *
 * @example
 * ```ts
 * import { EMBEDDING_KEYS } from "@tunekit/soft-prompt";
 * console.log(EMBEDDING_KEYS[0]); // "model.embed_tokens.weight"
 * ```
 */
export const EMBEDDING_KEYS: readonly string[] = [
  "model.embed_tokens.weight",
  "model.language_model.embed_tokens.weight",
  "model.shared.weight",
  "shared.weight",
  "transformer.wte.weight",
  "wte.weight",
  "gpt_neox.embed_in.weight",
  "transformer.word_embeddings.weight",
  "word_embeddings.weight",
  "embeddings.word_embeddings.weight",
  "tok_embeddings.weight",
  "embed_tokens.weight",
];

const EMBEDDING_SUFFIXES = [
  ".embed_tokens.weight",
  ".shared.weight",
  ".wte.weight",
  ".embed_in.weight",
  ".word_embeddings.weight",
  ".tok_embeddings.weight",
];

/**
 * Options of {@link findEmbeddingKey}.
 *
 * @example
 * ```ts
 * import { findEmbeddingKey, type FindEmbeddingKeyOptions } from "@tunekit/soft-prompt";
 * const options: FindEmbeddingKeyOptions = { key: "encoder.embed.weight", source: "model.safetensors" };
 * findEmbeddingKey([{ name: "encoder.embed.weight", shape: [100, 16] }], options);
 * ```
 */
export interface FindEmbeddingKeyOptions {
  /** Use this tensor name instead of searching (it must exist and be 2-D). */
  key?: string;
  /** Names the file in error messages. Default `"model"`. */
  source?: string;
}

/**
 * Finds the input embedding matrix among a checkpoint's tensors: an explicit `key` if
 * given, else the first of {@link EMBEDDING_KEYS} present, else the shortest name
 * ending in one of their last parts (`embed_tokens.weight`, `shared.weight`,
 * `wte.weight`, `embed_in.weight`, `word_embeddings.weight`, `tok_embeddings.weight`).
 * Only 2-D tensors qualify.
 *
 * @param tensors - the checkpoint's tensors, such as a safetensors header's `tensors`.
 * @param options - see {@link FindEmbeddingKeyOptions}.
 * @returns the tensor name.
 * @throws TunekitError `embedding_not_found` listing every tensor (name and shape) when
 * nothing qualifies or `key` is missing or not 2-D.
 * @example
 * ```ts
 * import { findEmbeddingKey } from "@tunekit/soft-prompt";
 * const key = findEmbeddingKey([
 *   { name: "lm_head.weight", shape: [128, 64] },
 *   { name: "model.embed_tokens.weight", shape: [128, 64] },
 * ]);
 * console.log(key); // "model.embed_tokens.weight"
 * ```
 */
export function findEmbeddingKey(
  tensors: readonly { readonly name: string; readonly shape: readonly number[] }[],
  options: FindEmbeddingKeyOptions = {},
): string {
  const source = options.source ?? "model";
  const matrices = new Set(tensors.filter((t) => t.shape.length === 2).map((t) => t.name));
  const listing = () =>
    tensors.length === 0
      ? "it holds no tensors"
      : `it holds: ${tensors.map((t) => `${t.name} [${t.shape.join(", ")}]`).join(", ")}`;
  if (options.key !== undefined) {
    if (matrices.has(options.key)) return options.key;
    throw new TunekitError(
      "embedding_not_found",
      `${source} has no 2-D tensor "${options.key}"; ${listing()}`,
    );
  }
  for (const key of EMBEDDING_KEYS) if (matrices.has(key)) return key;
  const candidates = [...matrices]
    .filter((name) => EMBEDDING_SUFFIXES.some((suffix) => name.endsWith(suffix)))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  if (candidates.length > 0) return candidates[0];
  throw new TunekitError(
    "embedding_not_found",
    `${source} has no input embedding matrix under a known name (${EMBEDDING_KEYS.join(", ")}); ${listing()}. Pass the right tensor's name as the key option (--embedding-key on the command line)`,
  );
}
