import { TunekitError } from "../../../../internal/shared/src/index";
import { isPythonWhitespace, pythonStrip } from "../python-string";
import {
  ensureSpanCapacity,
  TOKEN_HASH_SEED,
  type TokenSpans,
  tokenHashStep,
} from "../token-vocabulary";
import { tokenize13a, unescape13a } from "./13a";
import { tokenizeChar } from "./char";
import { tokenizeIntl } from "./intl";
import { scanMtevalTokens } from "./mteval";
import { tokenizeNone } from "./none";
import { tokenizeZh } from "./zh";

/**
 * The names of sacrebleu's BLEU tokenizers that tunekit implements.
 *
 * @example
 * ```ts
 * import { type BleuTokenizerName, corpusBleu } from "@tunekit/metrics";
 * const tokenize: BleuTokenizerName = "zh";
 * corpusBleu(["我喜欢猫。"], ["我很喜欢猫！"], { tokenize }).signature;  // "…|tok:zh|…"
 * ```
 */
export type BleuTokenizerName = "13a" | "intl" | "char" | "zh" | "none";

/**
 * Every {@link BleuTokenizerName}, default first.
 *
 * @example
 * ```ts
 * import { BLEU_TOKENIZER_NAMES } from "@tunekit/metrics";
 * BLEU_TOKENIZER_NAMES;  // ["13a", "intl", "char", "zh", "none"]
 * ```
 */
export const BLEU_TOKENIZER_NAMES: readonly BleuTokenizerName[] = [
  "13a",
  "intl",
  "char",
  "zh",
  "none",
];

/** Tokenizes a line into sacrebleu's tokenized form (tokens joined by spaces). */
const TOKENIZE: Record<BleuTokenizerName, (line: string) => string> = {
  "13a": tokenize13a,
  intl: tokenizeIntl,
  char: tokenizeChar,
  zh: tokenizeZh,
  none: tokenizeNone,
};

/**
 * Tokenizes a line with one of sacrebleu's BLEU tokenizers by name.
 *
 * @param line - one segment of text.
 * @param name - the tokenizer: `"13a"` (sacrebleu's default), `"intl"`, `"char"`, `"zh"`
 *   or `"none"`.
 * @returns the tokenized line, exactly as sacrebleu's tokenizer returns it.
 * @throws TunekitError `invalid_option` when `name` is not a known tokenizer.
 *
 * @example
 * ```ts
 * import { bleuTokenize } from "@tunekit/metrics";
 * bleuTokenize("Don't stop.", "13a");   // "Don't stop ."
 * bleuTokenize("Don't stop.", "none");  // "Don't stop."
 * ```
 */
export function bleuTokenize(line: string, name: BleuTokenizerName): string {
  return bleuTokenizer(name)(line);
}

/** @internal Resolves a tokenizer name, or throws naming the valid ones. */
export function bleuTokenizer(name: BleuTokenizerName): (line: string) => string {
  const tokenize = Object.hasOwn(TOKENIZE, name) ? TOKENIZE[name] : undefined;
  if (!tokenize) throw unknownTokenizer(name);
  return tokenize;
}

/**
 * @internal The tokens BLEU counts for `line` (sacrebleu: `tokenizer(line).split()`), as
 * spans of a string, which avoids building the tokenized line and slicing out tokens.
 * The returned object is reused by the next call.
 */
export function bleuTokenSpans(
  line: string,
  name: BleuTokenizerName,
): { text: string; spans: TokenSpans } {
  switch (name) {
    case "13a": {
      const text = unescape13a(line);
      return { text, spans: scanMtevalTokens(text, true, false) };
    }
    case "zh": {
      const text = pythonStrip(line);
      return { text, spans: scanMtevalTokens(text, false, true) };
    }
    case "intl": {
      const text = tokenizeIntl(line);
      return { text, spans: whitespaceSpans(text, false) };
    }
    case "char":
      return { text: line, spans: whitespaceSpans(line, true) };
    case "none":
      return { text: line, spans: whitespaceSpans(line, false) };
    default:
      throw unknownTokenizer(name);
  }
}

const sharedSpans: TokenSpans = {
  starts: new Int32Array(256),
  ends: new Int32Array(256),
  hashes: new Int32Array(256),
  count: 0,
};

/**
 * The runs of non-whitespace of `text` (Python's `split()`), or with `characters` each
 * non-whitespace code point on its own (the char tokenizer followed by `split()`).
 */
function whitespaceSpans(text: string, characters: boolean): TokenSpans {
  const n = text.length;
  ensureSpanCapacity(sharedSpans, n);
  const { starts, ends, hashes } = sharedSpans;
  let count = 0;
  let i = 0;
  while (i < n) {
    if (isPythonWhitespace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    starts[count] = i;
    let hash = TOKEN_HASH_SEED;
    if (characters) {
      const c = text.charCodeAt(i);
      hash = tokenHashStep(hash, c);
      i++;
      if (c >= 0xd800 && c <= 0xdbff && i < n && isLowSurrogate(text.charCodeAt(i))) {
        hash = tokenHashStep(hash, text.charCodeAt(i));
        i++;
      }
    } else {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isPythonWhitespace(c)) break;
        hash = tokenHashStep(hash, c);
        i++;
      }
    }
    ends[count] = i;
    hashes[count++] = hash;
  }
  sharedSpans.count = count;
  return sharedSpans;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function unknownTokenizer(name: unknown): Error {
  return new TunekitError(
    "invalid_option",
    `unknown BLEU tokenizer ${JSON.stringify(name)}: use one of ${BLEU_TOKENIZER_NAMES.join(", ")}`,
  );
}
