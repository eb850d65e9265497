import { porterStem } from "../porter";

/**
 * Options of {@link unicodeTokenize}.
 *
 * @example
 * ```ts
 * import { type UnicodeTokenizeOptions, unicodeTokenize } from "@tunekit/metrics";
 * const options: UnicodeTokenizeOptions = { locale: "th" };
 * unicodeTokenize("สวัสดีครับ", options); // Thai words, found with a dictionary
 * ```
 */
export interface UnicodeTokenizeOptions {
  /**
   * Stem tokens longer than three characters with NLTK's Porter stemmer, as the default
   * ROUGE tokenizer does. Porter only knows English; other words pass through mostly
   * unchanged. Default `false`.
   */
  stemmer?: boolean;
  /**
   * The locale `Intl.Segmenter` uses to find word boundaries (it matters for Thai, Lao,
   * Khmer, Burmese, Chinese and Japanese, which are segmented by dictionary). Default
   * `"und"` (no particular locale).
   */
  locale?: string;
}

// Where full case folding (Unicode CaseFolding.txt, statuses C and F) differs from
// lowercasing the uppercase of a single character: dotless ı keeps its own identity,
// Cherokee folds to its capital letters, and capital sharp s folds to "ss".
function foldException(cp: number): string | undefined {
  if (cp === 0x131) return "ı";
  if (cp === 0x1e9e) return "ss";
  if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
  if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
  if (cp >= 0x13a0 && cp <= 0x13f5) return String.fromCodePoint(cp);
  return undefined;
}

const foldCache = new Map<string, string>();

/**
 * Full Unicode case folding of one character. For every other character the fold equals
 * `toLowerCase(toUpperCase(ch))` taken one character at a time (checked against Python's
 * `str.casefold()` over every code point); per character, so that a final sigma folds to σ
 * like any other sigma.
 */
function foldCharacter(ch: string): string {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    folded = foldException(ch.codePointAt(0)!) ?? ch.toUpperCase().toLowerCase();
    foldCache.set(ch, folded);
  }
  return folded;
}

/**
 * Full Unicode case folding (`"Straße"` → `"strasse"`, `"ΣΊΣΥΦΟΣ"` → `"σίσυφοσ"`), the
 * equivalent of Python's `str.casefold()`.
 *
 * @internal
 */
export function caseFold(text: string): string {
  let out = "";
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 65 && c <= 90) {
        out += text.slice(plainFrom, i) + String.fromCharCode(c + 32);
        plainFrom = i + 1;
      }
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const folded = foldCharacter(ch);
    if (folded !== ch) {
      out += text.slice(plainFrom, i) + folded;
      plainFrom = i + width;
    }
    i += width - 1;
  }
  return out + text.slice(plainFrom);
}

const segmenters = new Map<string, Intl.Segmenter>();

function wordSegmenter(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (segmenter === undefined) {
    segmenter = new Intl.Segmenter(locale, { granularity: "word" });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/**
 * A word tokenizer for every script: NFKC normalisation, full Unicode case folding, NFKC
 * again (folding can leave text unnormalised), then the word segments of `Intl.Segmenter`
 * (Unicode UAX #29 word boundaries, with dictionaries for scripts written without spaces);
 * punctuation and spaces are dropped. Tokens longer than three characters may be
 * Porter-stemmed.
 *
 * This is NOT rouge-score's tokenizer — that one ({@link rougeTokenize}) deletes every
 * character outside `a–z0–9`, so Chinese, Hindi or Russian text scores 0. Scores computed
 * with this tokenizer are comparable with each other, not with rouge-score's.
 *
 * @param text - the text to split.
 * @param options - `stemmer` (default `false`), `locale` (default `"und"`).
 * @returns the tokens, in order.
 * @example
 * ```ts
 * import { unicodeTokenize } from "@tunekit/metrics";
 * unicodeTokenize("Straße, ＡＢＣ!");          // ["strasse", "abc"]
 * unicodeTokenize("Привет, мир");             // ["привет", "мир"]
 * unicodeTokenize("我喜欢猫", { locale: "zh" }); // ["我", "喜欢", "猫"]
 * ```
 */
export function unicodeTokenize(text: string, options: UnicodeTokenizeOptions = {}): string[] {
  const { stemmer = false, locale = "und" } = options;
  const normalised = caseFold(text.normalize("NFKC")).normalize("NFKC");
  const tokens: string[] = [];
  for (const segment of wordSegmenter(locale).segment(normalised)) {
    if (!segment.isWordLike) continue;
    const word = segment.segment;
    tokens.push(stemmer && [...word].length > 3 ? porterStem(word) : word);
  }
  return tokens;
}
