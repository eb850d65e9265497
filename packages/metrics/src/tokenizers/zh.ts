import { pythonStrip } from "../python-string";
import { joinMtevalTokens } from "./mteval";

export { isZhTokenizerChar } from "./zh-ranges";

/**
 * Tokenizes a line as sacrebleu 2.6.0's `zh` BLEU tokenizer: strips the line, puts spaces
 * around every character {@link isZhTokenizerChar} accepts, then applies the 13a
 * punctuation rules (without 13a's unescaping and padding).
 *
 * @param line - one segment of text.
 * @returns the tokens joined by single spaces.
 * @example
 * ```ts
 * import { tokenizeZh } from "@tunekit/metrics";
 * tokenizeZh("我喜欢BLEU。");  // "我 喜 欢 BLEU 。"
 * ```
 */
export function tokenizeZh(line: string): string {
  return joinMtevalTokens(pythonStrip(line), false, true);
}
