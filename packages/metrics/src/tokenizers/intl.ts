import { pythonCollapseWhitespace } from "../python-string";

// mteval-v14.pl's international rules as sacrebleu 2.6.0 writes them
// (`tokenizers/tokenizer_intl.py`), on Unicode general categories.
const PUNCTUATION_AFTER_NON_DIGIT = /(\P{N})(\p{P})/gu;
const PUNCTUATION_BEFORE_NON_DIGIT = /(\p{P})(\P{N})/gu;
const SYMBOL = /(\p{S})/gu;

/**
 * Tokenizes a line as sacrebleu 2.6.0's `intl` BLEU tokenizer (mteval-v14.pl
 * international): splits off Unicode punctuation (`\p{P}`) unless it sits between digits
 * and every Unicode symbol (`\p{S}`). As in mteval-v14, a period after a number at the very
 * end of a line stays attached ("2024." is one token).
 *
 * @param line - one segment of text.
 * @returns the tokens joined by single spaces.
 * @example
 * ```ts
 * import { tokenizeIntl } from "@tunekit/metrics";
 * tokenizeIntl("«Bonjour», dit-il — 3,5 €.");  // "« Bonjour » , dit - il — 3,5 € ."
 * ```
 */
export function tokenizeIntl(line: string): string {
  line = line
    .replace(PUNCTUATION_AFTER_NON_DIGIT, "$1 $2 ")
    .replace(PUNCTUATION_BEFORE_NON_DIGIT, " $1 $2")
    .replace(SYMBOL, " $1 ");
  return pythonCollapseWhitespace(line);
}
