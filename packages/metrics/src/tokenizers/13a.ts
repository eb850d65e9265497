import { joinMtevalTokens } from "./mteval";

/**
 * Tokenizes a line as sacrebleu 2.6.0's default BLEU tokenizer `13a` (mteval-v13a.pl, the
 * WMT standard): removes `<skipped>` and end-of-line hyphenation, joins lines, unescapes
 * `&quot; &amp; &lt; &gt;`, then splits off ASCII punctuation and symbols, periods and
 * commas except inside numbers, and dashes after digits.
 *
 * @param line - one segment of text.
 * @returns the tokens joined by single spaces.
 * @example
 * ```ts
 * import { tokenize13a } from "@tunekit/metrics";
 * tokenize13a("Hello, world! It costs $3.50.");  // "Hello , world ! It costs $ 3.50 ."
 * ```
 */
export function tokenize13a(line: string): string {
  return joinMtevalTokens(unescape13a(line), true, false);
}

/** @internal 13a's language-independent part: `<skipped>`, line joins, XML entities. */
export function unescape13a(line: string): string {
  if (line.includes("<skipped>")) line = line.replaceAll("<skipped>", "");
  if (line.includes("-\n")) line = line.replaceAll("-\n", "");
  // 13a then turns "\n" into " "; left out, as a newline is whitespace to every later rule.
  if (line.includes("&")) {
    line = line
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
  }
  return line;
}
