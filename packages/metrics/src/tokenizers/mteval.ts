import { isPythonWhitespace } from "../python-string";
import {
  ensureSpanCapacity,
  TOKEN_HASH_SEED,
  type TokenSpans,
  tokenHashStep,
} from "../token-vocabulary";
import { isZhTokenizerChar } from "./zh-ranges";

/*
 * The punctuation rules of mteval-v13a.pl as sacrebleu 2.6.0 applies them
 * (`tokenizers/tokenizer_re.py`, shared by the 13a and zh tokenizers), in order:
 *
 *   R1. ([\{-\~\[-\` -\&\(-\+\:-\@\/])  →  " \1 "     ASCII symbols become tokens
 *   R2. ([^0-9])([\.,])                 →  "\1 \2 "   period/comma after a non-digit
 *   R3. ([\.,])([^0-9])                 →  " \1 \2"   period/comma before a non-digit
 *   R4. ([0-9])(-)                      →  "\1 \2 "   dash after a digit
 *
 * then `" ".join(line.split())`. The substitutions only insert spaces, so the tokens are
 * substrings of the line and it is enough to know where a space lands between two
 * characters. Working that out once, instead of running four substitutions:
 *
 * - R1 cuts before and after every symbol of its class.
 * - R4 cuts between a digit and a following "-", and after the "-". R2 and R3 only add
 *   spaces next to "." and ",", so they never separate a digit from a dash: R4 sees the
 *   line's own adjacency.
 * - R2 and R3 act on each maximal run c1…ck of "." and ",", with p the character before
 *   it and q the one after, as R1 left them (a symbol or whitespace there reads as a
 *   space, a non-digit). R2 scans left to right over non-overlapping pairs: when p is a
 *   non-digit it pairs (p,c1), (c2,c3), …, else (c1,c2), (c3,c4), …; each pair gets a space
 *   inside and after it. R3 then pairs each remaining "." or "," with the next character
 *   when that is a non-digit (after R2 that is usually a space). Together:
 *     · every two neighbours inside the run are cut;
 *     · p|c1 is cut when p is a non-digit, or when k ≥ 2, or when q is a non-digit;
 *     · ck|q is cut when q is a non-digit, or when R2 put a space after ck: k odd if p is
 *       a non-digit, k even otherwise.
 *   So "3.5" and "1,000" stay whole, ".5" at the start of a line stays whole (no p), and a
 *   sentence-final "2024." splits only because 13a pads the line with spaces.
 *
 * A UTF-16 unit scan is exact: every class above is ASCII, whitespace is in the BMP, and a
 * surrogate reads as a non-digit just as the astral character it belongs to does.
 * The zh tokenizer first surrounds its CJK characters with spaces, which makes them behave
 * exactly like R1's symbols here.
 */

const WHITESPACE = 0;
const SEPARATE = 1; // R1's class, or a zh character
const DIGIT = 2;
const PERIOD_OR_COMMA = 3;
const DASH = 4;
const OTHER = 5;

const ASCII_CLASS = new Uint8Array(128).fill(OTHER);
for (let c = 0; c < 128; c++) if (isPythonWhitespace(c)) ASCII_CLASS[c] = WHITESPACE;
for (const [from, to] of [
  [0x7b, 0x7e],
  [0x5b, 0x60],
  [0x21, 0x26],
  [0x28, 0x2b],
  [0x3a, 0x40],
  [0x2f, 0x2f],
]) {
  for (let c = from; c <= to; c++) ASCII_CLASS[c] = SEPARATE;
}
for (let c = 0x30; c <= 0x39; c++) ASCII_CLASS[c] = DIGIT;
ASCII_CLASS[0x2e] = PERIOD_OR_COMMA;
ASCII_CLASS[0x2c] = PERIOD_OR_COMMA;
ASCII_CLASS[0x2d] = DASH;

const spans: TokenSpans = {
  starts: new Int32Array(256),
  ends: new Int32Array(256),
  hashes: new Int32Array(256),
  count: 0,
};

function classify(c: number, zh: boolean): number {
  if (c < 128) return ASCII_CLASS[c];
  if (isPythonWhitespace(c)) return WHITESPACE;
  return zh && isZhTokenizerChar(c) ? SEPARATE : OTHER;
}

/**
 * Finds the tokens of `line` under the mteval rules (see the comment above), in one pass,
 * hashing each token on the way ({@link tokenHashStep}). `padded` scores the line as 13a
 * does (`f" {line} "`), `zh` also splits off the zh tokenizer's characters. The returned
 * spans are reused by the next call.
 *
 * @internal
 */
export function scanMtevalTokens(line: string, padded: boolean, zh: boolean): TokenSpans {
  const n = line.length;
  ensureSpanCapacity(spans, n);
  const { starts, ends, hashes } = spans;
  let count = 0;
  let start = -1; // start of the token being read, −1 between tokens
  let hash = TOKEN_HASH_SEED;
  // What R2 and R3 see next to a run: a symbol or whitespace reads as a space (non-digit);
  // outside the line there is the padding space, or nothing.
  const outside = padded ? OTHER : -1;
  let previous = outside;
  // Cutting ends the current token (if any) before position `end`; appending adds a unit
  // to the current token (starting one if needed). Both are written out in the loop: this
  // is the hot path of BLEU.
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    const kind = classify(c, zh);
    if (kind === WHITESPACE) {
      if (start >= 0) {
        starts[count] = start;
        ends[count] = i;
        hashes[count++] = hash;
        start = -1;
      }
    } else if (kind === SEPARATE || (kind === DASH && previous === DIGIT)) {
      // R1's symbols stand alone; so does a dash after a digit (R4).
      if (start >= 0) {
        starts[count] = start;
        ends[count] = i;
        hashes[count++] = hash;
        start = -1;
      }
      starts[count] = i;
      ends[count] = i + 1;
      hashes[count++] = tokenHashStep(TOKEN_HASH_SEED, c);
    } else if (kind === PERIOD_OR_COMMA) {
      let j = i + 1;
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d !== 0x2e && d !== 0x2c) break;
        j++;
      }
      const k = j - i;
      const after = j < n ? classify(line.charCodeAt(j), zh) : outside;
      const pNonDigit = previous !== DIGIT && previous !== -1;
      const qNonDigit = after !== DIGIT && after !== -1;
      if ((pNonDigit || k >= 2 || qNonDigit) && start >= 0) {
        starts[count] = start;
        ends[count] = i;
        hashes[count++] = hash;
        start = -1;
      }
      // Every neighbour pair inside the run is cut: all but the last mark stand alone.
      for (let m = i; m < j - 1; m++) {
        if (start < 0) {
          start = m;
          hash = TOKEN_HASH_SEED;
        }
        starts[count] = start;
        ends[count] = m + 1;
        hashes[count++] = tokenHashStep(hash, line.charCodeAt(m));
        start = -1;
      }
      if (start < 0) {
        start = j - 1;
        hash = TOKEN_HASH_SEED;
      }
      hash = tokenHashStep(hash, line.charCodeAt(j - 1));
      if (qNonDigit || (pNonDigit ? k % 2 === 1 : k % 2 === 0)) {
        starts[count] = start;
        ends[count] = j;
        hashes[count++] = hash;
        start = -1;
      }
      i = j - 1;
    } else {
      if (start < 0) {
        start = i;
        hash = TOKEN_HASH_SEED;
      }
      hash = tokenHashStep(hash, c);
    }
    previous = kind;
  }
  if (start >= 0) {
    starts[count] = start;
    ends[count] = n;
    hashes[count++] = hash;
  }
  spans.count = count;
  return spans;
}

/** @internal The tokens of {@link scanMtevalTokens} joined by single spaces. */
export function joinMtevalTokens(line: string, padded: boolean, zh: boolean): string {
  const { starts, ends, count } = scanMtevalTokens(line, padded, zh);
  const tokens = new Array<string>(count);
  for (let t = 0; t < count; t++) tokens[t] = line.slice(starts[t], ends[t]);
  return tokens.join(" ");
}
