// Python's text rules where they differ from JavaScript's, for rendering chat templates
// the way Jinja2 on CPython does. Sources: CPython Objects/unicodeobject.c (str.strip,
// str.isspace, repr) and Python/pystrtod.c (float repr), Lib/json/encoder.py.

// str.isspace(): the Unicode White_Space characters plus the ASCII separators 0x1C–0x1F.
// Unlike JavaScript's trim(), U+FEFF is not whitespace.
const PY_WHITESPACE = new Set(
  [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
    0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
    0x205f, 0x3000,
  ].map((c) => String.fromCharCode(c)),
);

/** Python's `str.isspace()` for one character. */
export function isPythonSpace(char: string): boolean {
  return PY_WHITESPACE.has(char);
}

/**
 * Python's `str.strip/lstrip/rstrip(chars)`: without `chars` it strips Python whitespace,
 * with `chars` it strips any of those code points.
 */
export function pythonStrip(
  text: string,
  chars: string | null | undefined,
  side: "both" | "left" | "right",
): string {
  const strip =
    chars === undefined || chars === null ? isPythonSpace : (c: string) => chars.includes(c);
  const units = Array.from(text);
  let start = 0;
  let end = units.length;
  if (side !== "right") while (start < end && strip(units[start])) start++;
  if (side !== "left") while (end > start && strip(units[end - 1])) end--;
  return units.slice(start, end).join("");
}

/** Python's `str.split()` without a separator: splits on runs of Python whitespace. */
export function pythonSplitWhitespace(text: string, maxSplit = -1, fromRight = false): string[] {
  const units = Array.from(text);
  const words: string[] = [];
  if (!fromRight) {
    let i = 0;
    while (i < units.length) {
      while (i < units.length && isPythonSpace(units[i])) i++;
      if (i >= units.length) break;
      if (maxSplit >= 0 && words.length === maxSplit) {
        words.push(units.slice(i).join(""));
        break;
      }
      const start = i;
      while (i < units.length && !isPythonSpace(units[i])) i++;
      words.push(units.slice(start, i).join(""));
    }
    return words;
  }
  let i = units.length;
  while (i > 0) {
    while (i > 0 && isPythonSpace(units[i - 1])) i--;
    if (i <= 0) break;
    if (maxSplit >= 0 && words.length === maxSplit) {
      words.push(units.slice(0, i).join(""));
      break;
    }
    const end = i;
    while (i > 0 && !isPythonSpace(units[i - 1])) i--;
    words.push(units.slice(i, end).join(""));
  }
  return words.reverse();
}

/** Compares two strings by code point, as Python orders `str`. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript's), written
 * in positional form for exponents -4 ≤ e < 16 and in scientific form, with a sign and at
 * least two exponent digits, otherwise; integral values keep a trailing `.0`.
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const abs = Math.abs(exponent);
    return `${sign}${body}e${exponent < 0 ? "-" : "+"}${abs < 10 ? `0${abs}` : abs}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || "0"}`;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`, with escapes. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === "\\") out += `\\${char}`;
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x7f || char === " " || !NON_PRINTABLE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out + quote;
}

/** A JSON string literal as Python's `json.dumps` writes it. */
export function pythonJsonString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const char = text[i];
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\b") out += "\\b";
    else if (char === "\f") out += "\\f";
    else if (unit < 0x20 || (ensureAscii && unit > 0x7e)) {
      // Python escapes each UTF-16 unit of a non-BMP character separately, lower-case hex.
      out += `\\u${unit.toString(16).padStart(4, "0")}`;
    } else out += char;
  }
  return `${out}"`;
}
