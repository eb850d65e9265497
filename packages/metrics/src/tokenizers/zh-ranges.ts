/*
 * The ranges sacrebleu 2.6.0 treats as Chinese (`tokenizers/tokenizer_zh.py`), as they
 * really behave. Two of its entries are written `u'\u20000'`–`u'\u2a6d6'` and
 * `u'\u2f800'`–`u'\u2fa1d'`: Python reads `\u` with exactly four hex digits, so those bounds
 * are two-character strings ("\u2000" + "0", "\u2a6d" + "6"). A single character compares
 * greater than "\u2000" + "0" from U+2001 on and not greater than "\u2a6d" + "6" up to U+2A6D,
 * so the first entry covers U+2001–U+2A6D (general punctuation, symbols, arrows, maths,
 * dingbats…) and never CJK Extension B; the second covers U+2F81–U+2FA1. That quirk is what
 * sacrebleu scores with, so it is kept.
 */
const CHINESE_RANGES: readonly (readonly [number, number])[] = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d],
  [0x2f81, 0x2fa1],
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

/**
 * Whether sacrebleu's zh tokenizer splits `codePoint` off as a character of its own,
 * including its U+2001–U+2A6D and U+2F81–U+2FA1 range quirk (see the source comment).
 *
 * @param codePoint - a Unicode code point.
 * @returns true when the zh tokenizer surrounds it with spaces.
 * @example
 * ```ts
 * import { isZhTokenizerChar } from "@tunekit/metrics";
 * isZhTokenizerChar("中".codePointAt(0)!);  // true
 * isZhTokenizerChar(0x2026);                // true: "…" falls in the quirk range
 * isZhTokenizerChar(0x20000);               // false: CJK Extension B is not covered
 * ```
 */
export function isZhTokenizerChar(codePoint: number): boolean {
  if (codePoint < 0x2001 || codePoint > 0xffef) return false;
  for (const [from, to] of CHINESE_RANGES) {
    if (codePoint >= from && codePoint <= to) return true;
  }
  return false;
}
