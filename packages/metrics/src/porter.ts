/**
 * The Porter stemmer as NLTK 3.8 runs it by default (`PorterStemmer()`, mode
 * `NLTK_EXTENSIONS`). Porter, M. "An algorithm for suffix stripping", Program 14.3 (1980),
 * with the departures NLTK makes on top of Martin Porter's own extensions:
 *
 * - a small table of irregular forms (`skies` → `sky`, `dying` → `die`, …);
 * - step 1a: four-letter `-ies` words keep `ie` (`dies` → `die`, but `flies` → `fli`);
 * - step 1b: `-ied` becomes `ie` in four-letter words and `i` otherwise;
 * - step 1c: `y` → `i` only after a consonant that is not the first letter;
 * - step 2: `alli` → `al` is tried first and step 2 runs again, `bli` → `ble`,
 *   `fulli` → `ful`, and `logi` → `log` measured with the `l` kept in the stem;
 * - the `*o` condition also holds for a two-letter vowel–consonant stem.
 *
 * The Porter stemmers commonly found on npm follow Martin Porter's variant, whose output differs
 * on words such as `dies`, `died`, `lying` or `skies`.
 */

// Irregular forms map straight to their stem. A Map, not an object, so that words such as
// "constructor" are not found on the prototype.
const IRREGULAR_FORMS = new Map<string, string>([
  ["sky", "sky"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["news", "news"],
  ["innings", "inning"],
  ["inning", "inning"],
  ["outings", "outing"],
  ["outing", "outing"],
  ["cannings", "canning"],
  ["canning", "canning"],
  ["howe", "howe"],
  ["proceed", "proceed"],
  ["exceed", "exceed"],
  ["succeed", "succeed"],
]);

function isVowelLetter(ch: string): boolean {
  return ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u";
}

/**
 * Whether `word[i]` is a consonant in Porter's sense: any letter but a, e, i, o, u, and
 * `y` only when it starts the word or follows a vowel.
 */
function isConsonant(word: string, i: number): boolean {
  const ch = word[i];
  if (isVowelLetter(ch)) return false;
  if (ch !== "y") return true;
  // Walk back over a run of y's: they alternate, starting from what precedes the run.
  let start = i;
  while (start > 0 && word[start - 1] === "y") start--;
  const firstIsConsonant = start === 0 || isVowelLetter(word[start - 1]);
  return (i - start) % 2 === 0 ? firstIsConsonant : !firstIsConsonant;
}

/** Porter's m: the number of vowel-run → consonant-run transitions in `stem`. */
function measure(stem: string): number {
  let m = 0;
  let previousIsVowel = false;
  for (let i = 0; i < stem.length; i++) {
    const consonant = isConsonant(stem, i);
    if (consonant && previousIsVowel) m++;
    previousIsVowel = !consonant;
  }
  return m;
}

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

/** Condition *d: the word ends with two equal consonants. */
function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/**
 * Condition *o: the stem ends consonant–vowel–consonant and the last is not w, x or y;
 * NLTK also accepts a two-letter vowel–consonant stem.
 */
function endsCvc(word: string): boolean {
  const n = word.length;
  if (n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1)) {
    const last = word[n - 1];
    if (last !== "w" && last !== "x" && last !== "y") return true;
  }
  return n === 2 && !isConsonant(word, 0) && isConsonant(word, 1);
}

type Condition = ((stem: string) => boolean) | null;
type Rule = readonly [suffix: string, replacement: string, condition: Condition];

/**
 * Applies the first rule whose suffix the word ends with; if that rule's condition fails,
 * the word is returned unchanged and later rules are not tried (Porter's rule lists).
 */
function applyFirstRule(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, word.length - suffix.length);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

const positiveMeasure = (stem: string): boolean => measure(stem) > 0;
const measureAboveOne = (stem: string): boolean => measure(stem) > 1;

function step1a(word: string): string {
  if (word.length === 4 && word.endsWith("ies")) return `${word.slice(0, -3)}ie`;
  return applyFirstRule(word, [
    ["sses", "ss", null],
    ["ies", "i", null],
    ["ss", "ss", null],
    ["s", "", null],
  ]);
}

function step1b(word: string): string {
  if (word.endsWith("ied")) return word.slice(0, -3) + (word.length === 4 ? "ie" : "i");
  if (word.endsWith("eed")) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? `${stem}ee` : word;
  }
  let stem: string | undefined;
  if (word.endsWith("ed") && containsVowel(word.slice(0, -2))) stem = word.slice(0, -2);
  else if (word.endsWith("ing") && containsVowel(word.slice(0, -3))) stem = word.slice(0, -3);
  if (stem === undefined) return word;

  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return `${stem}e`;
  if (endsDoubleConsonant(stem)) {
    const last = stem[stem.length - 1];
    return last === "l" || last === "s" || last === "z" ? stem : stem.slice(0, -1);
  }
  return measure(stem) === 1 && endsCvc(stem) ? `${stem}e` : stem;
}

function step1c(word: string): string {
  return applyFirstRule(word, [
    ["y", "i", (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)],
  ]);
}

function step2(word: string): string {
  if (word.endsWith("alli") && positiveMeasure(word.slice(0, -4))) {
    return step2(`${word.slice(0, -4)}al`);
  }
  return applyFirstRule(word, [
    ["ational", "ate", positiveMeasure],
    ["tional", "tion", positiveMeasure],
    ["enci", "ence", positiveMeasure],
    ["anci", "ance", positiveMeasure],
    ["izer", "ize", positiveMeasure],
    ["bli", "ble", positiveMeasure],
    ["alli", "al", positiveMeasure],
    ["entli", "ent", positiveMeasure],
    ["eli", "e", positiveMeasure],
    ["ousli", "ous", positiveMeasure],
    ["ization", "ize", positiveMeasure],
    ["ation", "ate", positiveMeasure],
    ["ator", "ate", positiveMeasure],
    ["alism", "al", positiveMeasure],
    ["iveness", "ive", positiveMeasure],
    ["fulness", "ful", positiveMeasure],
    ["ousness", "ous", positiveMeasure],
    ["aliti", "al", positiveMeasure],
    ["iviti", "ive", positiveMeasure],
    ["biliti", "ble", positiveMeasure],
    ["fulli", "ful", positiveMeasure],
    // The "l" stays with the stem when measuring, so geo-logi and theo-logi shorten too.
    ["logi", "log", () => positiveMeasure(word.slice(0, -3))],
  ]);
}

function step3(word: string): string {
  return applyFirstRule(word, [
    ["icate", "ic", positiveMeasure],
    ["ative", "", positiveMeasure],
    ["alize", "al", positiveMeasure],
    ["iciti", "ic", positiveMeasure],
    ["ical", "ic", positiveMeasure],
    ["ful", "", positiveMeasure],
    ["ness", "", positiveMeasure],
  ]);
}

function step4(word: string): string {
  return applyFirstRule(word, [
    ["al", "", measureAboveOne],
    ["ance", "", measureAboveOne],
    ["ence", "", measureAboveOne],
    ["er", "", measureAboveOne],
    ["ic", "", measureAboveOne],
    ["able", "", measureAboveOne],
    ["ible", "", measureAboveOne],
    ["ant", "", measureAboveOne],
    ["ement", "", measureAboveOne],
    ["ment", "", measureAboveOne],
    ["ent", "", measureAboveOne],
    ["ion", "", (stem) => measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))],
    ["ou", "", measureAboveOne],
    ["ism", "", measureAboveOne],
    ["ate", "", measureAboveOne],
    ["iti", "", measureAboveOne],
    ["ous", "", measureAboveOne],
    ["ive", "", measureAboveOne],
    ["ize", "", measureAboveOne],
  ]);
}

function step5a(word: string): string {
  // Both rules share the suffix "e", so unlike a rule list the second is tried when the
  // first one's condition fails.
  if (!word.endsWith("e")) return word;
  const stem = word.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

function step5b(word: string): string {
  return word.endsWith("ll") && measure(word.slice(0, -1)) > 1 ? word.slice(0, -1) : word;
}

function stemLowercase(word: string): string {
  return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(word))))))));
}

/**
 * JavaScript strings index UTF-16 units, Python strings code points. The stemmer only
 * compares characters for equality and vowel-ness, so each astral character is swapped for
 * an unused private-use character before stemming and swapped back after: the result then
 * equals what Python computes on code points.
 */
function stemByCodePoint(word: string): string {
  const toPrivate = new Map<string, string>();
  const fromPrivate = new Map<string, string>();
  let next = 0xe000;
  let bmp = "";
  for (const ch of word) {
    if (ch.length === 1) {
      bmp += ch;
      continue;
    }
    let stand = toPrivate.get(ch);
    if (stand === undefined) {
      while (next <= 0xf8ff && word.includes(String.fromCharCode(next))) next++;
      if (next > 0xf8ff) return stemLowercase(word); // unreachable for real words
      stand = String.fromCharCode(next++);
      toPrivate.set(ch, stand);
      fromPrivate.set(stand, ch);
    }
    bmp += stand;
  }
  let out = "";
  for (const ch of stemLowercase(bmp)) out += fromPrivate.get(ch) ?? ch;
  return out;
}

function codePointLength(word: string): number {
  let n = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < word.length) {
      const d = word.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function stemUncached(word: string): string {
  const lower = word.toLowerCase();
  // NLTK looks the word up before lowercasing it, so "Skies" is stemmed, not looked up.
  const irregular = IRREGULAR_FORMS.get(word);
  if (irregular !== undefined) return irregular;
  if (codePointLength(word) <= 2) return lower;
  return /[\ud800-\udfff]/.test(lower) ? stemByCodePoint(lower) : stemLowercase(lower);
}

// Stems are cached: real text repeats a few thousand word forms over and over. The cache is
// emptied when it grows past this many entries, which bounds memory on endless streams.
const CACHE_LIMIT = 200_000;
const cache = new Map<string, string>();

/**
 * Stems one word exactly as NLTK 3.8's `PorterStemmer().stem(word)` does (default mode
 * `NLTK_EXTENSIONS`, `to_lowercase=True`): the word is lowercased, irregular forms are
 * looked up, words of one or two characters are returned lowercased, and everything else
 * goes through Porter's steps 1a–5b with NLTK's extensions. Results are cached.
 *
 * Lowercasing uses `String.prototype.toLowerCase`, which equals Python's `str.lower()`
 * except on characters whose case mapping is newer than the Python's Unicode version.
 *
 * @param word - one word; any string is accepted.
 * @returns the stem.
 * @example
 * ```ts
 * import { porterStem } from "@tunekit/metrics";
 * porterStem("running");    // "run"
 * porterStem("dies");       // "die"  (Martin Porter's variant gives "di")
 * porterStem("generously"); // "gener"
 * ```
 */
export function porterStem(word: string): string {
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = stemUncached(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}
