/**
 * sacrebleu 2.6.0's `none` BLEU tokenizer: the line unchanged, for text that is already
 * tokenized (BLEU then splits it on whitespace).
 *
 * @param line - one segment of text.
 * @returns `line` itself.
 * @example
 * ```ts
 * import { tokenizeNone } from "@tunekit/metrics";
 * tokenizeNone("already tokenized , text");  // "already tokenized , text"
 * ```
 */
export function tokenizeNone(line: string): string {
  return line;
}
