import { TunekitError } from "./errors";

/**
 * A JSON value as Python's `json` module sees it: objects keep their keys in file order
 * (a `Map`), even integer-like keys, which a plain JavaScript object would move first.
 *
 * @example
 * ```ts
 * import { type OrderedJson, parseOrderedJson } from "@tunekit/lora";
 * const value: OrderedJson = parseOrderedJson("[1, {\"a\": null}]");
 * ```
 */
export type OrderedJson =
  | null
  | boolean
  | number
  | string
  | OrderedJson[]
  | Map<string, OrderedJson>;

/**
 * Parses JSON text the way Python's `json.loads` does: objects become `Map`s in key order
 * (a repeated key keeps its first position and its last value, as a Python dict does), and
 * `NaN`, `Infinity` and `-Infinity` are accepted.
 *
 * @param text - the JSON text.
 * @param source - a name for error messages (a file path).
 * @returns the parsed value.
 * @throws TunekitError `json_syntax` naming the line and column of the first error.
 * @example
 * ```ts
 * import { parseOrderedJson } from "@tunekit/lora";
 * const v = parseOrderedJson('{"b": 1, "0": 2}') as Map<string, unknown>;
 * [...v.keys()]; // ["b", "0"]
 * ```
 */
export function parseOrderedJson(text: string, source = "JSON text"): OrderedJson {
  let pos = 0;

  const fail = (message: string): never => {
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    const column = pos - before.lastIndexOf("\n");
    throw new TunekitError(
      "json_syntax",
      `${source}: ${message} at line ${line}, column ${column}; fix the JSON syntax`,
    );
  };

  const skipSpace = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos])) pos++;
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = "";
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const ch = text[pos];
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === "\\") {
        const esc = text[pos + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          fail("invalid \\escape");
        }
      } else if (ch < " ") {
        fail("invalid control character in string");
      } else {
        out += ch;
        pos++;
      }
    }
  };

  const parseNumber = (): number => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos));
    if (match === null) fail("expecting value");
    pos += (match as RegExpExecArray)[0].length;
    return Number((match as RegExpExecArray)[0]);
  };

  const parseValue = (): OrderedJson => {
    skipSpace();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const map = new Map<string, OrderedJson>();
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return map;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail("expecting property name enclosed in double quotes");
        const key = parseString();
        skipSpace();
        if (text[pos] !== ":") fail("expecting ':' delimiter");
        pos++;
        map.set(key, parseValue());
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return map;
        }
        fail("expecting ',' delimiter");
      }
    }
    if (ch === "[") {
      pos++;
      const list: OrderedJson[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return list;
        }
        fail("expecting ',' delimiter");
      }
    }
    if (ch === '"') return parseString();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return parseNumber();
  };

  const value = parseValue();
  skipSpace();
  if (pos < text.length) fail("extra data");
  return value;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript prints them),
 * laid out as Python does — positional from 1e-4 up to (not including) 1e16, else `1e-05` / `1.5e+16`.
 */
function pythonFloatRepr(x: number, forceFloat: boolean): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(x) && !forceFloat && Math.abs(x) < 2 ** 53) return String(x);
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exponent < 0 ? "-" : "+";
  return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    // ensure_ascii: everything outside printable ASCII as \uXXXX (UTF-16 units, like Python).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Options for {@link toPythonJson}.
 *
 * @example
 * ```ts
 * import { type PythonJsonOptions, toPythonJson } from "@tunekit/lora";
 * const options: PythonJsonOptions = { floatKeys: new Set(["lora_dropout"]) };
 * toPythonJson({ lora_dropout: 0 }, options); // '{\n  "lora_dropout": 0.0\n}'
 * ```
 */
export interface PythonJsonOptions {
  /** Keys (at any depth) whose numbers are Python floats, so `0` is written `0.0`. Default none. */
  floatKeys?: ReadonlySet<string>;
}

/**
 * Serialises like Python's `json.dumps(value, indent=2, sort_keys=True)` — the layout
 * peft uses for `adapter_config.json`: keys sorted by code point at every depth, two-space
 * indent, `", "`/`": "` separators, non-ASCII escaped, `[]` and `{}` for empty containers.
 *
 * @param value - plain data: objects, `Map`s, arrays, strings, numbers, booleans, null.
 * @param options - which keys hold floats; see {@link PythonJsonOptions}.
 * @returns the JSON text (no trailing newline, as peft writes it).
 * @example
 * ```ts
 * import { toPythonJson } from "@tunekit/lora";
 * toPythonJson({ r: 8, lora_dropout: 0 }, { floatKeys: new Set(["lora_dropout"]) });
 * // '{\n  "lora_dropout": 0.0,\n  "r": 8\n}'
 * ```
 */
export function toPythonJson(value: unknown, options: PythonJsonOptions = {}): string {
  const floatKeys = options.floatKeys ?? new Set<string>();
  const write = (v: unknown, indent: string, key: string | undefined): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return pythonFloatRepr(v, key !== undefined && floatKeys.has(key));
    if (typeof v === "string") return pythonString(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[\n${v.map((item) => inner + write(item, inner, key)).join(",\n")}\n${indent}]`;
    }
    const entries: [string, unknown][] =
      v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    // Python sorts str keys by code point; compare UTF-16 safely via code point arrays.
    entries.sort(([a], [b]) => comparePython(a, b));
    return `{\n${entries
      .map(([k, item]) => `${inner}${pythonString(k)}: ${write(item, inner, k)}`)
      .join(",\n")}\n${indent}}`;
  };
  return write(value, "", undefined);
}

function comparePython(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) as number);
  const cb = Array.from(b, (c) => c.codePointAt(0) as number);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}
