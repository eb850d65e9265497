/**
 * Tokenizes a line as sacrebleu 2.6.0's `char` BLEU tokenizer: every character (code
 * point, so an emoji or an astral CJK character is one token) separated by a space. As in
 * sacrebleu, spaces in the line are kept as characters, so BLEU's later whitespace split
 * drops them.
 *
 * @param line - one segment of text.
 * @returns the characters joined by single spaces.
 * @example
 * ```ts
 * import { tokenizeChar } from "@tunekit/metrics";
 * tokenizeChar("ab c");  // "a b   c"
 * ```
 */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(" ");
}
