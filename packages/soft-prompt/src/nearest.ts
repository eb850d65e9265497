import { cosineTopK, type Matrix, TunekitError } from "@tunekit/tensor";
import { assertPromptFitsEmbeddings, type SoftPrompt } from "./prompt";
import type { PromptTokenizer } from "./tokenizer";

/**
 * One vocabulary token near a virtual token.
 *
 * @example
 * ```ts
 * import type { TokenNeighbour } from "@tunekit/soft-prompt";
 * const neighbour: TokenNeighbour = { id: 3, token: "summarize", cosine: 1 };
 * ```
 */
export interface TokenNeighbour {
  /** Token id: the row of the embedding matrix. */
  id: number;
  /** The token's vocabulary string, or `null` when no tokenizer was given (or it has none). */
  token: string | null;
  /** Cosine similarity between the virtual token and this token's embedding, in [−1, 1]. */
  cosine: number;
}

/**
 * The nearest vocabulary tokens of one virtual token, best first.
 *
 * @example
 * ```ts
 * import type { VirtualTokenNeighbours } from "@tunekit/soft-prompt";
 * const row: VirtualTokenNeighbours = {
 *   index: 0,
 *   neighbours: [{ id: 3, token: "summarize", cosine: 1 }],
 * };
 * ```
 */
export interface VirtualTokenNeighbours {
  /** Row of `promptEmbeddings` (for a two-submodule prompt, rows n… are the decoder's). */
  index: number;
  /** The `topK` nearest tokens by cosine similarity, best first; ties go to the lower id. */
  neighbours: TokenNeighbour[];
}

/**
 * Options of {@link nearestTokens}.
 *
 * @example
 * ```ts
 * import type { NearestTokensOptions, PromptTokenizer } from "@tunekit/soft-prompt";
 * declare const tokenizer: PromptTokenizer;
 * const options: NearestTokensOptions = { topK: 3, tokenizer };
 * ```
 */
export interface NearestTokensOptions {
  /** Neighbours per virtual token. Default 5 (capped at the vocabulary size). */
  topK?: number;
  /** Decodes ids to vocabulary strings; without it every `token` is `null`. */
  tokenizer?: PromptTokenizer;
}

/**
 * Reads a soft prompt the way Lester et al. (2021, §7 "Interpretability") did: for each
 * virtual token, the vocabulary tokens whose input embeddings are nearest by cosine
 * similarity, decoded through the tokenizer's vocabulary.
 *
 * Treat the result as a hint, not a translation. A virtual token is a point in a
 * continuous space that the model reads directly; its nearest vocabulary token can be
 * far away (low cosine) and tell nothing about what the vector does, and two prompts
 * with the same neighbours can behave differently. Prompts initialised from text keep
 * their init tokens as neighbours for a long time, which can look meaningful without
 * being so.
 *
 * @param prompt - the soft prompt.
 * @param embeddings - the frozen model's input embedding matrix, `vocab × hidden`.
 * @param options - see {@link NearestTokensOptions}.
 * @returns one entry per row of `promptEmbeddings`, in order.
 * @throws TunekitError `token_dim_mismatch` when prompt and model widths differ;
 * `invalid_option` when `topK` is not a whole number ≥ 1.
 * @example
 * ```ts
 * import { nearestTokens, softPromptFromTokenIds } from "@tunekit/soft-prompt";
 * import { randomNormal } from "@tunekit/tensor";
 * const embeddings = randomNormal(100, 16, { seed: 0 });
 * const prompt = softPromptFromTokenIds(embeddings, [42, 7]);
 * const [first] = nearestTokens(prompt, embeddings, { topK: 3 });
 * console.log(first.neighbours[0].id); // 42 (cosine 1)
 * ```
 */
export function nearestTokens(
  prompt: SoftPrompt,
  embeddings: Matrix,
  options: NearestTokensOptions = {},
): VirtualTokenNeighbours[] {
  const { topK = 5, tokenizer } = options;
  if (!Number.isSafeInteger(topK) || topK < 1) {
    throw new TunekitError("invalid_option", `topK must be a whole number ≥ 1, got ${topK}`);
  }
  assertPromptFitsEmbeddings(prompt, embeddings);
  const k = Math.min(topK, embeddings.rows);
  const ranked = cosineTopK(prompt.promptEmbeddings, embeddings, k);
  return ranked.map((hits, index) => ({
    index,
    neighbours: hits.map(({ index: id, score }) => ({
      id,
      token: tokenizer?.idToToken(id) ?? null,
      cosine: score,
    })),
  }));
}
