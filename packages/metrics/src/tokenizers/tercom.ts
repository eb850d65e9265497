import { pythonCollapseWhitespace } from "../python-string";

/**
 * Options of {@link tokenizeTercom}; the defaults are sacrebleu 2.6.0's TER defaults.
 *
 * @example
 * ```ts
 * import { type TercomTokenizeOptions, tokenizeTercom } from "@tunekit/metrics";
 * const options: TercomTokenizeOptions = { normalized: true, caseSensitive: true };
 * tokenizeTercom("Hello, world!", options);  // "Hello , world !"
 * ```
 */
export interface TercomTokenizeOptions {
  /** Apply Tercom's normalisation: join lines, unescape XML entities, split punctuation. Default `false`. */
  normalized?: boolean;
  /** Remove the punctuation `. , ? : ; ! " ( )`. Default `false`. */
  noPunct?: boolean;
  /** With `normalized`, split CJK characters; with `noPunct`, also remove CJK and full-width punctuation. Default `false`. */
  asianSupport?: boolean;
  /** Keep case; by default TER lowercases. Default `false`. */
  caseSensitive?: boolean;
}

// The rules of sacrebleu's TercomTokenizer (`tokenizers/tokenizer_ter.py`, after Tercom's
// Normalizer.java), in its order. ASCII-only patterns give the same result on UTF-16 units
// as on code points.
const WESTERN_RULES: readonly (readonly [RegExp, string])[] = [
  [/([{-~[-`\u0020-&(-+:-@/])/g, " $1 "],
  [/'s /g, " 's "],
  [/'s$/g, " 's"],
  [/([^0-9])([.,])/g, "$1 $2 "],
  [/([.,])([^0-9])/g, " $1 $2"],
  [/([0-9])(-)/g, "$1 $2 "],
];

const ASIAN_PUNCT = /([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])/g;
const FULL_WIDTH_PUNCT = /([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])/g;

const ASIAN_RULES: readonly (readonly [RegExp, string])[] = [
  [/([\u4e00-\u9fff\u3400-\u4dbf])/g, " $1 "],
  [/([\u31c0-\u31ef\u2e80-\u2eff])/g, " $1 "],
  [/([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])/g, " $1 "],
  [/([\u3200-\u3f22])/g, " $1 "],
  // As written in the reference: the "^" inside the alternatives makes these match only
  // a line that is entirely kana.
  [/(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=$|^[\u3040-\u309f])/g, "$1 $2 "],
  [/(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=$|^[\u30a0-\u30ff])/g, "$1 $2 "],
  [/(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=$|^[\u31f0-\u31ff])/g, "$1 $2 "],
  [ASIAN_PUNCT, " $1 "],
  [FULL_WIDTH_PUNCT, " $1 "],
];

function applyRules(text: string, rules: readonly (readonly [RegExp, string])[]): string {
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
  return text;
}

/**
 * Tokenizes a segment as sacrebleu 2.6.0's Tercom tokenizer (used by TER): lowercase unless
 * case-sensitive, optional normalisation and punctuation removal, then whitespace runs
 * become single spaces. With the defaults it only lowercases and normalises whitespace.
 *
 * @param text - one segment.
 * @param options - `normalized`, `noPunct`, `asianSupport`, `caseSensitive` (all `false`).
 * @returns the tokens joined by single spaces.
 *
 * @example
 * ```ts
 * import { tokenizeTercom } from "@tunekit/metrics";
 * tokenizeTercom("It's  COLD, isn't it?");                        // "it's cold, isn't it?"
 * tokenizeTercom("It's COLD, isn't it?", { normalized: true });   // "it 's cold , isn't it ?"
 * tokenizeTercom("It's COLD, isn't it?", { noPunct: true });      // "it's cold isn't it"
 * ```
 */
export function tokenizeTercom(text: string, options: TercomTokenizeOptions = {}): string {
  const {
    normalized = false,
    noPunct = false,
    asianSupport = false,
    caseSensitive = false,
  } = options;
  if (text === "") return "";
  if (!caseSensitive) text = text.toLowerCase();
  if (normalized) {
    text = text
      .replaceAll("\n-", "")
      .replaceAll("\n", " ")
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
    text = applyRules(` ${text} `, WESTERN_RULES);
    if (asianSupport) text = applyRules(text, ASIAN_RULES);
  }
  if (noPunct) {
    text = text.replace(/[.,?:;!"()]/g, "");
    if (asianSupport) text = text.replace(ASIAN_PUNCT, "").replace(FULL_WIDTH_PUNCT, "");
  }
  return pythonCollapseWhitespace(text);
}
