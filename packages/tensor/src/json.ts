/**
 * A strict JSON parser (RFC 8259) for safetensors headers. It differs from `JSON.parse`
 * where the safetensors reference (serde_json) does: duplicate keys are rejected, number
 * lexemes are kept (so `1.0` is not taken for the integer 1), escaped lone surrogates are
 * rejected, and nesting deeper than 128 levels is an error rather than a stack overflow.
 * Every failure is a `SyntaxError` whose message gives the character offset.
 */

/** A JSON number with its source text. */
export interface JsonNumber {
  readonly kind: "number";
  readonly text: string;
}

/** A JSON object; keys are unique and keep their order. */
export interface JsonObject {
  readonly kind: "object";
  readonly entries: Map<string, JsonValue>;
}

/** Any JSON value. */
export type JsonValue = null | boolean | string | JsonNumber | JsonObject | JsonValue[];

/** serde_json's default recursion limit. */
const MAX_DEPTH = 128;

/** The parsed value, or throws `SyntaxError`. */
export function parseJson(text: string): JsonValue {
  let pos = 0;
  const n = text.length;

  const fail = (message: string): never => {
    throw new SyntaxError(`${message} at character ${pos}`);
  };

  const skipWhitespace = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
  };

  const expectLiteral = (word: string): void => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail("unexpected token");
  };

  const hex4 = (): number => {
    if (pos + 4 > n) fail("truncated \\u escape");
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const c = text.charCodeAt(pos++);
      let digit: number;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c >= 0x41 && c <= 0x46) digit = c - 0x37;
      else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
      else return fail("invalid \\u escape");
      value = value * 16 + digit;
    }
    return value;
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = "";
    let start = pos;
    while (true) {
      if (pos >= n) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail("control character in string");
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      pos++;
      if (pos >= n) fail("unterminated escape");
      const e = text.charCodeAt(pos++);
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += "\\";
          break;
        case 0x2f:
          out += "/";
          break;
        case 0x62:
          out += "\b";
          break;
        case 0x66:
          out += "\f";
          break;
        case 0x6e:
          out += "\n";
          break;
        case 0x72:
          out += "\r";
          break;
        case 0x74:
          out += "\t";
          break;
        case 0x75: {
          const unit = hex4();
          if (unit >= 0xdc00 && unit <= 0xdfff) fail("lone trailing surrogate in \\u escape");
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text.charCodeAt(pos) !== 0x5c || text.charCodeAt(pos + 1) !== 0x75) {
              fail("lone leading surrogate in \\u escape");
            }
            pos += 2;
            const low = hex4();
            if (low < 0xdc00 || low > 0xdfff) fail("lone leading surrogate in \\u escape");
            out += String.fromCharCode(unit, low);
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          pos--;
          fail("invalid escape");
      }
      start = pos;
    }
  };

  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

  const parseNumber = (): JsonNumber => {
    const start = pos;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    if (text.charCodeAt(pos) === 0x30) {
      pos++;
    } else if (isDigit(text.charCodeAt(pos))) {
      while (isDigit(text.charCodeAt(pos))) pos++;
    } else {
      fail("invalid number");
    }
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) fail("invalid number");
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) fail("invalid number");
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    return { kind: "number", text: text.slice(start, pos) };
  };

  const parseValue = (depth: number): JsonValue => {
    skipWhitespace();
    if (pos >= n) fail("unexpected end of input");
    const c = text.charCodeAt(pos);
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      return c === 0x7b ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === 0x22) return parseString();
    if (c === 0x74) {
      expectLiteral("true");
      return true;
    }
    if (c === 0x66) {
      expectLiteral("false");
      return false;
    }
    if (c === 0x6e) {
      expectLiteral("null");
      return null;
    }
    if (c === 0x2d || isDigit(c)) return parseNumber();
    return fail("unexpected character");
  };

  const parseArray = (depth: number): JsonValue[] => {
    pos++;
    const items: JsonValue[] = [];
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x5d) {
      pos++;
      return items;
    }
    while (true) {
      items.push(parseValue(depth));
      skipWhitespace();
      const c = text.charCodeAt(pos);
      pos++;
      if (c === 0x5d) return items;
      if (c !== 0x2c) {
        pos--;
        fail("expected ',' or ']'");
      }
    }
  };

  const parseObject = (depth: number): JsonObject => {
    pos++;
    const entries = new Map<string, JsonValue>();
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x7d) {
      pos++;
      return { kind: "object", entries };
    }
    while (true) {
      skipWhitespace();
      if (text.charCodeAt(pos) !== 0x22) fail("expected a string key");
      const keyAt = pos;
      const key = parseString();
      if (entries.has(key)) {
        pos = keyAt;
        fail(`duplicate key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)}`);
      }
      skipWhitespace();
      if (text.charCodeAt(pos) !== 0x3a) fail("expected ':'");
      pos++;
      entries.set(key, parseValue(depth));
      skipWhitespace();
      const c = text.charCodeAt(pos);
      pos++;
      if (c === 0x7d) return { kind: "object", entries };
      if (c !== 0x2c) {
        pos--;
        fail("expected ',' or '}'");
      }
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos < n) fail("trailing characters after the JSON value");
  return value;
}

/** Whether a parsed value is an object. */
export function isJsonObject(value: JsonValue): value is JsonObject {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && value.kind === "object"
  );
}

/** Whether a parsed value is a number. */
export function isJsonNumber(value: JsonValue): value is JsonNumber {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && value.kind === "number"
  );
}
