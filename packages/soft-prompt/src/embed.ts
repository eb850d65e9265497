import { type Matrix, TunekitError } from "@tunekit/tensor";

/**
 * A sequence of token ids: a plain array, a typed array, or the `BigInt64Array` an I64
 * safetensors tensor decodes to.
 *
 * @example
 * ```ts
 * import type { TokenIds } from "@tunekit/soft-prompt";
 * const plain: TokenIds = [1, 3, 4, 5];
 * const fromI64: TokenIds = new BigInt64Array([1n, 3n]);
 * ```
 */
export type TokenIds = ArrayLike<number> | ArrayLike<bigint>;

/**
 * Reads one token id and checks it is a row of the embedding matrix.
 *
 * @param ids - the sequence.
 * @param position - index into `ids`.
 * @param vocabSize - rows of the embedding matrix.
 * @param where - names the sequence in the error message.
 * @returns the id as a number.
 * @throws TunekitError `token_id_out_of_range` otherwise.
 */
export function checkedTokenId(
  ids: TokenIds,
  position: number,
  vocabSize: number,
  where: string,
): number {
  const id = Number(ids[position]);
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new TunekitError(
      "token_id_out_of_range",
      `${where}: token id ${String(ids[position])} at position ${position} is not in the vocabulary (ids 0 to ${vocabSize - 1}); check that the ids come from this model's tokenizer`,
    );
  }
  return id;
}

/**
 * Looks token ids up in an embedding matrix: row `j` of the result is row `ids[j]` of
 * `embeddings` (torch's `nn.Embedding` forward, `E(ids)`), stored as f32.
 *
 * @param embeddings - the model's input embedding matrix, `vocab × hidden`.
 * @param ids - token ids, each in `[0, vocab)`.
 * @param where - names the sequence in error messages. Default `"input_ids"`.
 * @returns a new `ids.length × hidden` f32 matrix.
 * @throws TunekitError `token_id_out_of_range` when an id is not a row of `embeddings`.
 * @example
 * ```ts
 * import { embedTokens } from "@tunekit/soft-prompt";
 * import { fromArray } from "@tunekit/tensor";
 * const e = fromArray([[0, 0], [1, 2], [3, 4]]);
 * console.log(Array.from(embedTokens(e, [2, 1]).data)); // [3, 4, 1, 2]
 * ```
 */
export function embedTokens(
  embeddings: Matrix,
  ids: TokenIds,
  where = "input_ids",
): Matrix<Float32Array> {
  const d = embeddings.cols;
  const out = new Float32Array(ids.length * d);
  writeEmbeddedTokens(embeddings, ids, out, 0, where);
  return { rows: ids.length, cols: d, data: out };
}

/**
 * Writes `E(ids)` into `out` starting at element `offset`, for callers that assemble a
 * larger buffer (such as a prompt followed by the input) without an intermediate copy.
 *
 * @param embeddings - `vocab × hidden` embedding matrix.
 * @param ids - token ids.
 * @param out - destination; needs `offset + ids.length × hidden` elements.
 * @param offset - first element written.
 * @param where - names the sequence in error messages.
 * @throws TunekitError `token_id_out_of_range` when an id is not a row of `embeddings`.
 */
export function writeEmbeddedTokens(
  embeddings: Matrix,
  ids: TokenIds,
  out: Float32Array,
  offset: number,
  where: string,
): void {
  const d = embeddings.cols;
  const source = embeddings.data;
  for (let j = 0; j < ids.length; j++) {
    const id = checkedTokenId(ids, j, embeddings.rows, where);
    const start = id * d;
    if (source instanceof Float32Array) {
      out.set(source.subarray(start, start + d), offset + j * d);
    } else {
      for (let c = 0; c < d; c++) out[offset + j * d + c] = source[start + c];
    }
  }
}
