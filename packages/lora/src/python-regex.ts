import { TunekitError } from "@tunekit/tensor";

/**
 * A Python regular expression rewritten for JavaScript's `RegExp`.
 *
 * `source` is meant for `new RegExp(source, flags)`; `flags` always holds `u` (code-point
 * matching, `\p{…}` classes) and `i` when the pattern asked for case-insensitive matching.
 *
 * @example
 * ```ts
 * import { type TranslatedRegex, translatePythonRegex } from "@tunekit/lora";
 * const t: TranslatedRegex = translatePythonRegex("(?i)q_proj$");
 * new RegExp(t.source, t.flags).test("Q_PROJ"); // true
 * ```
 */
export interface TranslatedRegex {
  /** The JavaScript pattern text. */
  source: string;
  /** The JavaScript flags (`"u"` or `"iu"`). */
  flags: string;
  /** Names of the named groups, in order of appearance. */
  groupNames: string[];
}

/** Python flag letters this translator understands (`re.A`, `re.I`, `re.M`, `re.S`, `re.U`, `re.X`). */
interface Flags {
  ascii: boolean;
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  verbose: boolean;
}

// Python's `\s` for str patterns is `str.isspace()`: it has U+001C–U+001F and U+0085, which
// JavaScript's `\s` lacks, and lacks U+FEFF, which JavaScript's has.
const PY_SPACE =
  "\\t\\n\\v\\f\\r\\u{1c}-\\u{1f} \\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}";
const ASCII_SPACE = " \\t\\n\\r\\f\\v";
// Python's `\w` for str patterns: `str.isalnum()` (letters L*, numbers N*) or `_`.
const PY_WORD = "\\p{L}\\p{N}_";
const ASCII_WORD = "A-Za-z0-9_";
const PY_DIGIT = "\\p{Nd}";
const ASCII_DIGIT = "0-9";

/** A set of characters as JavaScript class contents, possibly complemented. */
interface ClassPiece {
  /** Text that can sit inside `[…]` (with the `u` flag). */
  body: string;
  /** The piece means every character NOT in `body`. */
  negated: boolean;
}

// JavaScript's SyntaxCharacter set plus "/"; only these may be backslash-escaped under "u".
const SYNTAX_CHARS = new Set("^$\\.*+?()[]{}|/");

function codePointEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal code point as JavaScript pattern text, escaped when it means something. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (/^[A-Za-z0-9_ ]$/.test(ch)) return ch;
  if (SYNTAX_CHARS.has(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp > 0x7e) return codePointEscape(cp);
  return ch;
}

class PythonRegexTranslator {
  private readonly chars: string[];
  private pos = 0;
  private flags: Flags;
  private groupCount = 0;
  private readonly closedGroups = new Set<number>();
  private readonly groupNames: string[] = [];
  private readonly namedGroups = new Map<string, number>();
  private globalIgnoreCase = false;

  constructor(
    private readonly pattern: string,
    flags: Flags,
  ) {
    this.chars = Array.from(pattern);
    this.flags = { ...flags };
  }

  translate(): TranslatedRegex {
    this.parseLeadingGlobalFlags();
    this.globalIgnoreCase = this.flags.ignoreCase;
    const source = this.parseAlternation(0);
    if (this.pos < this.chars.length) {
      // The only way out of the top-level alternation before the end is a stray ")".
      this.fail("unbalanced parenthesis");
    }
    return {
      source,
      flags: this.globalIgnoreCase ? "iu" : "u",
      groupNames: this.groupNames,
    };
  }

  private fail(message: string, at = this.pos): never {
    throw new TunekitError(
      "python_regex",
      `cannot use the Python regular expression ${JSON.stringify(this.pattern)}: ${message} at position ${at}`,
    );
  }

  private unsupported(what: string, at = this.pos): never {
    throw new TunekitError(
      "python_regex_unsupported",
      `the Python regular expression ${JSON.stringify(this.pattern)} uses ${what} (position ${at}), which JavaScript's RegExp cannot express; rewrite the pattern without it`,
    );
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private startsWith(text: string): boolean {
    const parts = Array.from(text);
    for (let i = 0; i < parts.length; i++) if (this.chars[this.pos + i] !== parts[i]) return false;
    return true;
  }

  /** Global flags `(?aiLmsux)` must open the pattern (Python 3.11+ rejects them elsewhere). */
  private parseLeadingGlobalFlags(): void {
    for (;;) {
      this.skipVerbose();
      if (!this.startsWith("(?")) return;
      const start = this.pos;
      let i = this.pos + 2;
      let letters = "";
      while (i < this.chars.length && /[aiLmsux]/.test(this.chars[i])) letters += this.chars[i++];
      if (letters === "" || this.chars[i] !== ")") return;
      this.applyFlagLetters(letters, true, start);
      this.pos = i + 1;
    }
  }

  private applyFlagLetters(letters: string, on: boolean, at: number): void {
    for (const letter of letters) {
      switch (letter) {
        case "a":
          this.flags.ascii = on;
          break;
        case "u":
          if (!on) this.fail("bad inline flag '-u'", at);
          this.flags.ascii = false;
          break;
        case "L":
          this.fail("re.LOCALE is only valid with bytes patterns", at);
          break;
        case "i":
          this.flags.ignoreCase = on;
          break;
        case "m":
          this.flags.multiline = on;
          break;
        case "s":
          this.flags.dotAll = on;
          break;
        case "x":
          this.flags.verbose = on;
          break;
      }
    }
  }

  /** In verbose mode, whitespace and `#…` comments outside classes are ignored. */
  private skipVerbose(): void {
    if (!this.flags.verbose) return;
    while (this.pos < this.chars.length) {
      const ch = this.chars[this.pos];
      if (/^\s$/u.test(ch)) {
        this.pos++;
      } else if (ch === "#") {
        while (this.pos < this.chars.length && this.chars[this.pos] !== "\n") this.pos++;
      } else {
        return;
      }
    }
  }

  private parseAlternation(depth: number): string {
    const branches = [this.parseSequence(depth)];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.parseSequence(depth));
    }
    return branches.join("|");
  }

  private parseSequence(depth: number): string {
    let out = "";
    for (;;) {
      this.skipVerbose();
      const ch = this.peek();
      if (ch === undefined || ch === "|") return out;
      if (ch === ")") {
        if (depth === 0) this.fail("unbalanced parenthesis");
        return out;
      }
      const atom = this.parseAtom(depth);
      if (atom === null) continue; // a (?#…) comment produces nothing
      out += this.parseQuantifiers(atom.text, atom.quantifiable);
    }
  }

  private parseQuantifiers(text: string, quantifiable: boolean): string {
    let out = text;
    let quantified = false;
    for (;;) {
      this.skipVerbose();
      const start = this.pos;
      const quantifier = this.readQuantifier();
      if (quantifier === null) return out;
      if (!quantifiable) this.fail("nothing to repeat", start);
      if (quantified) this.fail("multiple repeat", start);
      quantified = true;
      let lazy = "";
      if (this.peek() === "?") {
        lazy = "?";
        this.pos++;
      } else if (this.peek() === "+") {
        this.unsupported("a possessive quantifier", start);
      }
      out = `${out}${quantifier}${lazy}`;
    }
  }

  /** Reads `*`, `+`, `?` or a valid `{m,n}`; returns null (consuming nothing) otherwise. */
  private readQuantifier(): string | null {
    const ch = this.peek();
    if (ch === "*" || ch === "+" || ch === "?") {
      this.pos++;
      return ch;
    }
    if (ch !== "{") return null;
    // Python treats "{" that does not start {m}, {m,}, {,n} or {m,n} as a literal.
    let i = this.pos + 1;
    let lo = "";
    let hi = "";
    while (/[0-9]/.test(this.chars[i] ?? "")) lo += this.chars[i++];
    let comma = false;
    if (this.chars[i] === ",") {
      comma = true;
      i++;
      while (/[0-9]/.test(this.chars[i] ?? "")) hi += this.chars[i++];
    }
    if (this.chars[i] !== "}" || (lo === "" && !comma)) return null;
    this.pos = i + 1;
    if (lo !== "" && hi !== "" && Number(hi) < Number(lo)) {
      this.fail("min repeat greater than max repeat");
    }
    if (!comma) return `{${Number(lo)}}`;
    return `{${lo === "" ? 0 : Number(lo)},${hi === "" ? "" : Number(hi)}}`;
  }

  private parseAtom(depth: number): { text: string; quantifiable: boolean } | null {
    const ch = this.peek() as string;
    switch (ch) {
      case "(":
        return this.parseGroup(depth);
      case "[":
        return { text: this.parseClass(), quantifiable: true };
      case ".":
        this.pos++;
        return { text: this.flags.dotAll ? "[\\s\\S]" : "[^\\n]", quantifiable: true };
      case "^":
        this.pos++;
        return { text: this.flags.multiline ? "(?:^|(?<=\\n))" : "^", quantifiable: false };
      case "$":
        this.pos++;
        // Python's "$" also matches just before a newline that ends the string.
        return { text: this.flags.multiline ? "(?=\\n|$)" : "(?=\\n?$)", quantifiable: false };
      case "\\":
        return this.parseEscape();
      case "*":
      case "+":
      case "?":
        this.fail("nothing to repeat");
        break;
      case "{":
        if (this.readQuantifier() !== null) this.fail("nothing to repeat");
        this.pos++;
        return { text: "\\{", quantifiable: true };
    }
    const cp = this.chars[this.pos].codePointAt(0) as number;
    this.pos++;
    return { text: literal(cp), quantifiable: true };
  }

  private parseGroup(depth: number): { text: string; quantifiable: boolean } | null {
    const start = this.pos;
    this.pos++; // "("
    if (this.peek() !== "?") {
      const index = ++this.groupCount;
      const inner = this.parseAlternation(depth + 1);
      this.expectClose(start);
      this.closedGroups.add(index);
      return { text: `(${inner})`, quantifiable: true };
    }
    this.pos++; // "?"
    const kind = this.peek();
    if (kind === ":") {
      this.pos++;
      const inner = this.parseAlternation(depth + 1);
      this.expectClose(start);
      return { text: `(?:${inner})`, quantifiable: true };
    }
    if (kind === "P") {
      this.pos++;
      if (this.peek() === "<") {
        this.pos++;
        const name = this.readGroupName(">");
        if (this.namedGroups.has(name))
          this.fail(`redefinition of group name ${JSON.stringify(name)}`);
        const index = ++this.groupCount;
        this.namedGroups.set(name, index);
        this.groupNames.push(name);
        const inner = this.parseAlternation(depth + 1);
        this.expectClose(start);
        this.closedGroups.add(index);
        return { text: `(?<${name}>${inner})`, quantifiable: true };
      }
      if (this.peek() === "=") {
        this.pos++;
        const name = this.readGroupName(")");
        const index = this.namedGroups.get(name);
        if (index === undefined) this.fail(`unknown group name ${JSON.stringify(name)}`);
        if (!this.closedGroups.has(index)) this.fail("cannot refer to an open group");
        return { text: `\\k<${name}>`, quantifiable: true };
      }
      this.fail("unknown extension ?P");
    }
    if (kind === "=" || kind === "!") {
      this.pos++;
      const inner = this.parseAlternation(depth + 1);
      this.expectClose(start);
      return { text: `(?${kind}${inner})`, quantifiable: false };
    }
    if (kind === "<") {
      const next = this.peek(1);
      if (next === "=" || next === "!") {
        this.pos += 2;
        const inner = this.parseAlternation(depth + 1);
        this.expectClose(start);
        return { text: `(?<${next}${inner})`, quantifiable: false };
      }
      this.fail("unknown extension ?<; Python names groups with (?P<name>…)");
    }
    if (kind === "#") {
      while (this.pos < this.chars.length && this.peek() !== ")") this.pos++;
      if (this.peek() !== ")") this.fail("missing ), unterminated comment", start);
      this.pos++;
      return null;
    }
    if (kind === ">") this.unsupported("an atomic group (?>…)", start);
    if (kind === "(") this.unsupported("a conditional group (?(…)…)", start);
    return this.parseFlagGroup(depth, start);
  }

  /** `(?flags)` (only at the very start, handled earlier) or scoped `(?flags-flags:…)`. */
  private parseFlagGroup(depth: number, start: number): { text: string; quantifiable: boolean } {
    let on = "";
    let off = "";
    while (/[aiLmsux]/.test(this.peek() ?? "")) on += this.chars[this.pos++];
    if (this.peek() === "-") {
      this.pos++;
      while (/[aiLmsux]/.test(this.peek() ?? "")) off += this.chars[this.pos++];
      if (off === "") this.fail("missing flag", this.pos);
    }
    if (this.peek() === ")") {
      if (on !== "" && off === "")
        this.fail("global flags not at the start of the expression", start);
      this.fail("missing :", this.pos);
    }
    if (this.peek() !== ":" || (on === "" && off === "")) {
      this.fail("unknown extension", start);
    }
    this.pos++;
    const caseChange =
      (on.includes("i") && !this.flags.ignoreCase) || (off.includes("i") && this.flags.ignoreCase);
    if (caseChange) {
      this.unsupported("a scoped case-insensitive group (?i:…) or (?-i:…)", start);
    }
    const saved = this.flags;
    this.flags = { ...saved };
    this.applyFlagLetters(on, true, start);
    this.applyFlagLetters(off, false, start);
    const inner = this.parseAlternation(depth + 1);
    this.flags = saved;
    this.expectClose(start);
    return { text: `(?:${inner})`, quantifiable: true };
  }

  private expectClose(start: number): void {
    if (this.peek() !== ")") this.fail("missing ), unterminated subpattern", start);
    this.pos++;
  }

  private readGroupName(terminator: string): string {
    const start = this.pos;
    let name = "";
    while (this.pos < this.chars.length && this.peek() !== terminator)
      name += this.chars[this.pos++];
    if (this.peek() !== terminator) this.fail("missing group name terminator", start);
    this.pos++;
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
      this.fail(`bad character in group name ${JSON.stringify(name)}`, start);
    }
    return name;
  }

  private classEscapePiece(letter: string): ClassPiece | null {
    const ascii = this.flags.ascii;
    switch (letter) {
      case "d":
        return { body: ascii ? ASCII_DIGIT : PY_DIGIT, negated: false };
      case "D":
        return ascii ? { body: ASCII_DIGIT, negated: true } : { body: "\\P{Nd}", negated: false };
      case "w":
        return { body: ascii ? ASCII_WORD : PY_WORD, negated: false };
      case "W":
        return { body: ascii ? ASCII_WORD : PY_WORD, negated: true };
      case "s":
        return { body: ascii ? ASCII_SPACE : PY_SPACE, negated: false };
      case "S":
        return { body: ascii ? ASCII_SPACE : PY_SPACE, negated: true };
    }
    return null;
  }

  /**
   * Reads the code point of a literal escape (`\n`, `\x41`, `\u0041`, `\U0001F600`, octal).
   * `this.pos` is on the letter after the backslash. Returns null if it is not one.
   */
  private readLiteralEscape(inClass: boolean): number | null {
    const letter = this.peek() as string;
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (letter in simple) {
      this.pos++;
      return simple[letter];
    }
    if (inClass && letter === "b") {
      this.pos++;
      return 8;
    }
    const hexDigits = letter === "x" ? 2 : letter === "u" ? 4 : letter === "U" ? 8 : 0;
    if (hexDigits > 0) {
      const digits = this.chars.slice(this.pos + 1, this.pos + 1 + hexDigits).join("");
      if (!new RegExp(`^[0-9a-fA-F]{${hexDigits}}$`).test(digits)) {
        this.fail(`incomplete escape \\${letter}${digits}`, this.pos - 1);
      }
      const cp = Number.parseInt(digits, 16);
      if (cp > 0x10ffff) this.fail(`bad escape \\${letter}${digits}`, this.pos - 1);
      this.pos += 1 + hexDigits;
      return cp;
    }
    if (letter === "N") this.unsupported("a named Unicode escape \\N{…}", this.pos - 1);
    if (letter === "0") {
      // \0 followed by up to two more octal digits.
      let digits = "0";
      this.pos++;
      while (digits.length < 3 && /[0-7]/.test(this.peek() ?? "")) digits += this.chars[this.pos++];
      return Number.parseInt(digits, 8);
    }
    if (
      /[1-7]/.test(letter) &&
      /[0-7]/.test(this.peek(1) ?? "") &&
      /[0-7]/.test(this.peek(2) ?? "")
    ) {
      const digits = this.chars.slice(this.pos, this.pos + 3).join("");
      const cp = Number.parseInt(digits, 8);
      if (cp > 0o377)
        this.fail(`octal escape value \\${digits} outside of range 0-0o377`, this.pos - 1);
      this.pos += 3;
      return cp;
    }
    if (inClass && /[1-9]/.test(letter)) {
      this.fail(`bad escape \\${letter}`, this.pos - 1);
    }
    if (/[A-Za-z0-9]/.test(letter)) return null;
    this.pos++;
    return letter.codePointAt(0) as number;
  }

  private parseEscape(): { text: string; quantifiable: boolean } {
    const start = this.pos;
    this.pos++; // "\"
    const letter = this.peek();
    if (letter === undefined) this.fail("bad escape (end of pattern)", start);
    const piece = this.classEscapePiece(letter);
    if (piece !== null) {
      this.pos++;
      return { text: piece.negated ? `[^${piece.body}]` : `[${piece.body}]`, quantifiable: true };
    }
    switch (letter) {
      case "A":
        this.pos++;
        return { text: "^", quantifiable: false };
      case "Z":
      case "z":
        this.pos++;
        return { text: "$", quantifiable: false };
      case "b":
      case "B": {
        this.pos++;
        const word = this.flags.ascii ? ASCII_WORD : PY_WORD;
        const boundary = `(?:(?<=[${word}])(?![${word}])|(?<![${word}])(?=[${word}]))`;
        const inside = `(?:(?<=[${word}])(?=[${word}])|(?<![${word}])(?![${word}]))`;
        return { text: letter === "b" ? boundary : inside, quantifiable: false };
      }
    }
    if (/[1-9]/.test(letter)) {
      const octal =
        /[0-7]/.test(letter) &&
        /[0-7]/.test(this.peek(1) ?? "") &&
        /[0-7]/.test(this.peek(2) ?? "");
      if (!octal) {
        let digits = letter;
        this.pos++;
        if (/[0-9]/.test(this.peek() ?? "")) digits += this.chars[this.pos++];
        const index = Number(digits);
        if (index > this.groupCount) this.fail(`invalid group reference ${index}`, start);
        if (!this.closedGroups.has(index)) this.fail("cannot refer to an open group", start);
        // The group keeps a following digit from being read as part of the reference.
        return { text: `(?:\\${index})`, quantifiable: true };
      }
    }
    const cp = this.readLiteralEscape(false);
    if (cp === null) this.fail(`bad escape \\${letter}`, start);
    return { text: literal(cp), quantifiable: true };
  }

  /** A class item: one code point, or a set piece (`\d`, `\W`, …). */
  private readClassItem(): { cp: number } | { piece: ClassPiece } {
    const start = this.pos;
    if (this.peek() !== "\\") {
      const cp = this.chars[this.pos].codePointAt(0) as number;
      this.pos++;
      return { cp };
    }
    this.pos++;
    const letter = this.peek();
    if (letter === undefined) this.fail("bad escape (end of pattern)", start);
    const piece = this.classEscapePiece(letter);
    if (piece !== null) {
      this.pos++;
      return { piece };
    }
    const cp = this.readLiteralEscape(true);
    if (cp === null) this.fail(`bad escape \\${letter}`, start);
    return { cp };
  }

  private parseClass(): string {
    const start = this.pos;
    this.pos++; // "["
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.pos++;
    }
    let inline = "";
    const complements: string[] = [];
    let first = true;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail("unterminated character set", start);
      if (ch === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      const itemStart = this.pos;
      const item = this.readClassItem();
      if ("piece" in item) {
        if (item.piece.negated) complements.push(item.piece.body);
        else inline += item.piece.body;
        if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
          this.fail("bad character range", itemStart);
        }
        continue;
      }
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.pos++;
        const hiStart = this.pos;
        const hi = this.readClassItem();
        if ("piece" in hi) this.fail("bad character range", itemStart);
        if (hi.cp < item.cp) this.fail("bad character range", hiStart);
        inline += `${codePointEscape(item.cp)}-${codePointEscape(hi.cp)}`;
      } else {
        inline += codePointEscape(item.cp);
      }
    }
    // A class mixing members with complemented sets (e.g. [a\W]) is a union of alternatives.
    const parts: string[] = [];
    if (inline !== "" || complements.length === 0) parts.push(`[${inline}]`);
    for (const body of complements) parts.push(`[^${body}]`);
    const union = parts.length === 1 ? parts[0] : `(?:${parts.join("|")})`;
    if (!negate) return union;
    if (parts.length === 1)
      return inline === "" && complements.length === 1 ? `[${complements[0]}]` : `[^${inline}]`;
    return `(?:(?!${union})[\\s\\S])`;
  }
}

/**
 * Options for {@link translatePythonRegex}.
 *
 * @example
 * ```ts
 * import { type PythonRegexOptions, translatePythonRegex } from "@tunekit/lora";
 * const options: PythonRegexOptions = { flags: "i" };
 * translatePythonRegex("q_proj", options).flags; // "iu"
 * ```
 */
export interface PythonRegexOptions {
  /**
   * Python flag letters applied to the whole pattern, as `re.compile(pattern, flags)`
   * would: `i` IGNORECASE, `m` MULTILINE, `s` DOTALL, `x` VERBOSE, `a` ASCII. Default `""`.
   */
  flags?: string;
}

/**
 * Rewrites a Python `re` pattern (str, Python 3.11+ syntax) as a JavaScript `RegExp` with
 * the same matches.
 *
 * What changes on the way: `(?P<name>…)` → `(?<name>…)`, `(?P=name)` → `\k<name>`;
 * `\d`, `\w`, `\s`, `\b` follow Python's Unicode definitions (or ASCII under `(?a)`);
 * `.` excludes only `\n`; `$` also matches before a final newline; `\A`, `\Z` become
 * absolute anchors; `{,n}` becomes `{0,n}`; a `{` that is not a repeat and a stray `]` or
 * `}` are literals; octal and `\U` escapes become code points; `(?#…)` comments and verbose
 * whitespace are dropped; leading `(?aimsx)` flags apply to the whole pattern.
 *
 * @param pattern - the Python pattern text.
 * @param options - extra Python flags; see {@link PythonRegexOptions}.
 * @returns the JavaScript source, flags and group names.
 * @throws TunekitError `python_regex_unsupported` for what JavaScript cannot express
 *   (possessive quantifiers, atomic groups, conditionals, `\N{…}`, scoped `(?i:…)`), and
 *   `python_regex` for a pattern Python itself rejects (unbalanced parentheses, bad escapes,
 *   global flags not at the start, …). Both messages quote the pattern and the position.
 * @example
 * ```ts
 * import { translatePythonRegex } from "@tunekit/lora";
 * const { source, flags } = translatePythonRegex("(?P<layer>\\d+)\\.q_proj");
 * new RegExp(source, flags).exec("7.q_proj")?.groups?.layer; // "7"
 * ```
 */
export function translatePythonRegex(
  pattern: string,
  options: PythonRegexOptions = {},
): TranslatedRegex {
  const letters = options.flags ?? "";
  const flags: Flags = {
    ascii: letters.includes("a"),
    ignoreCase: letters.includes("i"),
    multiline: letters.includes("m"),
    dotAll: letters.includes("s"),
    verbose: letters.includes("x"),
  };
  const translator = new PythonRegexTranslator(pattern, flags);
  const result = translator.translate();
  return flags.ignoreCase ? { ...result, flags: "iu" } : result;
}

const cache = new Map<string, RegExp>();

function compiled(pattern: string, mode: "match" | "fullmatch"): RegExp {
  const key = `${mode}\u0000${pattern}`;
  let regex = cache.get(key);
  if (regex === undefined) {
    const { source, flags } = translatePythonRegex(pattern);
    // Without the JavaScript "m" flag, "^" and "$" are the absolute start and end.
    regex = new RegExp(mode === "match" ? `^(?:${source})` : `^(?:${source})$`, flags);
    if (cache.size > 1000) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}

/**
 * Python's `re.match(pattern, text)`: whether `pattern` matches at the start of `text`.
 *
 * @param pattern - a Python pattern, translated by {@link translatePythonRegex}.
 * @param text - the text to match.
 * @returns the match (group 0 is the matched prefix), or null.
 * @throws TunekitError as {@link translatePythonRegex}.
 * @example
 * ```ts
 * import { pythonReMatch } from "@tunekit/lora";
 * pythonReMatch("(.*\\.)?(q_proj)$", "model.layers.0.self_attn.q_proj") !== null; // true
 * ```
 */
export function pythonReMatch(pattern: string, text: string): RegExpExecArray | null {
  return compiled(pattern, "match").exec(text);
}

/**
 * Python's `re.fullmatch(pattern, text)`: whether `pattern` matches all of `text`.
 *
 * @param pattern - a Python pattern, translated by {@link translatePythonRegex}.
 * @param text - the text to match.
 * @returns the match, or null.
 * @throws TunekitError as {@link translatePythonRegex}.
 * @example
 * ```ts
 * import { pythonReFullMatch } from "@tunekit/lora";
 * pythonReFullMatch(".*\\.(q|v)_proj", "model.layers.0.self_attn.v_proj") !== null; // true
 * ```
 */
export function pythonReFullMatch(pattern: string, text: string): RegExpExecArray | null {
  return compiled(pattern, "fullmatch").exec(text);
}
