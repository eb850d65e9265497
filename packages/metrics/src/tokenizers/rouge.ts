import { porterStem } from "../porter";

/**
 * Options of {@link rougeTokenize}.
 *
 * @example
 * ```ts
 * import { type RougeTokenizeOptions, rougeTokenize } from "@tunekit/metrics";
 * const options: RougeTokenizeOptions = { stemmer: true };
 * rougeTokenize("The dogs barked", options); // ["the", "dog", "bark"]
 * ```
 */
export interface RougeTokenizeOptions {
  /**
   * Stem tokens longer than three characters with NLTK's Porter stemmer
   * ({@link porterStem}), as rouge-score's `use_stemmer=True`. Default `false`.
   */
  stemmer?: boolean;
}

// The characters of the token being read, reused between calls (scans never nest).
let tokenChars: Uint16Array = new Uint16Array(64);

// For each ASCII code, the lowercase letter or digit it contributes to a token, or 0.
const ASCII_TOKEN_CHAR = new Uint16Array(128);
for (let c = 48; c <= 57; c++) ASCII_TOKEN_CHAR[c] = c;
for (let c = 97; c <= 122; c++) ASCII_TOKEN_CHAR[c] = c;
for (let c = 65; c <= 90; c++) ASCII_TOKEN_CHAR[c] = c + 32;

/**
 * Receives each token a scan finds: its characters in `chars[0, length)` (valid only during
 * the call) and their 32-bit FNV-1a hash.
 *
 * @internal
 */
export type RougeTokenSink = (chars: Uint16Array, length: number, hash: number) => void;

/**
 * Walks the tokens of `text` as rouge-score 0.1.2's default tokenizer finds them, before
 * stemming, and reports each line break so that callers can cut rougeLsum sentences in the
 * same pass. Tokens arrive as character codes with a hash, so that a caller that interns
 * them need not build a string for a token it has seen before.
 *
 * rouge-score lowercases with Python's `str.lower()`, turns every run of characters outside
 * `[a-z0-9]` into a space, splits on whitespace and keeps the non-empty pieces. Only ASCII
 * letters and digits survive. Outside ASCII, exactly two characters lowercase to something
 * containing one (checked against Python over every code point): U+0130 İ → "i" + U+0307,
 * so it contributes an "i" and then ends the token, and U+212A (Kelvin sign) → "k". Every
 * other character, whatever its lowercase, is a separator — so this scan needs no
 * lowercasing of the whole text and agrees with Python where JavaScript's `toLowerCase`
 * would not (newer Unicode case pairs, final sigma), since those land outside ASCII anyway.
 *
 * The sink must not start another scan.
 *
 * @internal
 */
export function scanRougeTokens(
  text: string,
  onToken: RougeTokenSink,
  onLineBreak?: () => void,
): void {
  let chars = tokenChars;
  let length = 0;
  let hash = 0x811c9dc5;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // İ contributes "i" and then ends the token: its lowercase's combining dot separates.
    const code = c < 128 ? ASCII_TOKEN_CHAR[c] : c === 0x212a ? 107 : c === 0x130 ? 105 : 0;
    if (code !== 0) {
      if (length === chars.length) {
        const bigger = new Uint16Array(length * 2);
        bigger.set(chars);
        chars = tokenChars = bigger;
      }
      chars[length++] = code;
      hash = Math.imul(hash ^ code, 0x01000193);
      if (c !== 0x130) continue;
    }
    if (length > 0) {
      onToken(chars, length, hash | 0);
      length = 0;
      hash = 0x811c9dc5;
    }
    if (c === 10 && onLineBreak) onLineBreak();
  }
  if (length > 0) onToken(chars, length, hash | 0);
}

/** The token held in `chars[0, length)` as a string. @internal */
export function tokenString(chars: Uint16Array, length: number): string {
  // In slices, so that a very long token stays under the engine's argument-count limit.
  let out = "";
  for (let start = 0; start < length; start += 8192) {
    const slice = chars.subarray(start, Math.min(length, start + 8192));
    out += String.fromCharCode.apply(null, slice as unknown as number[]);
  }
  return out;
}

/**
 * Stems a rouge token as rouge-score does: only tokens longer than three characters go
 * through the Porter stemmer.
 *
 * @internal
 */
export function stemRougeToken(token: string): string {
  return token.length > 3 ? porterStem(token) : token;
}

/**
 * Splits text into tokens exactly as rouge-score 0.1.2's default tokenizer
 * (`tokenizers.DefaultTokenizer`): lowercase, replace every run of characters other than
 * `a–z` and `0–9` with a space, split on whitespace, optionally Porter-stem the tokens
 * longer than three characters, and keep the tokens that match `^[a-z0-9]+$`.
 *
 * Every character outside ASCII letters and digits is a separator, so text in Chinese,
 * Hindi, Russian… gives no tokens at all; {@link unicodeTokenize} keeps them.
 *
 * @param text - the text to split.
 * @param options - `stemmer` (default `false`).
 * @returns the tokens, in order.
 * @example
 * ```ts
 * import { rougeTokenize } from "@tunekit/metrics";
 * rougeTokenize("The cats' toys, 2 of them!");               // ["the", "cats", "toys", "2", "of", "them"]
 * rougeTokenize("Running faster", { stemmer: true });        // ["run", "faster"]
 * rougeTokenize("Привет, мир");                              // []
 * ```
 */
export function rougeTokenize(text: string, options: RougeTokenizeOptions = {}): string[] {
  const { stemmer = false } = options;
  const tokens: string[] = [];
  scanRougeTokens(text, (chars, length) => {
    const token = tokenString(chars, length);
    tokens.push(stemmer ? stemRougeToken(token) : token);
  });
  return tokens;
}
