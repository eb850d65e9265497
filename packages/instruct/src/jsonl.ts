import {
  DataFileError,
  type DataRecord,
  type ParsedItem,
  type RecordParser,
  type RejectedLine,
} from "./records";

/**
 * Parses one JSONL line into an item: a record when it is a JSON object, else an invalid
 * item with code `invalid_json` or `invalid_record`.
 */
export function parseLine(text: string, line: number): ParsedItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      line,
      invalid: {
        code: "invalid_json",
        message: `not valid JSON (${(error as Error).message})`,
        text,
      },
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return { line, invalid: { code: "invalid_record", message: `the line holds ${kind}`, text } };
  }
  return { line, record: value as DataRecord };
}

export function isBlank(text: string): boolean {
  // JSON whitespace only (space, tab, CR); anything else is for JSON.parse to judge.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Decodes bytes `start … end` of a chunk as UTF-8 text (invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * import type { Utf8Decode } from "@tunekit/instruct";
 * const decoder = new TextDecoder();
 * const decode: Utf8Decode = (bytes, start, end) => decoder.decode(bytes.subarray(start, end));
 * ```
 */
export type Utf8Decode = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * Options of {@link createJsonlParser}.
 *
 * @example
 * ```ts
 * import type { JsonlParserOptions } from "@tunekit/instruct";
 * const options: JsonlParserOptions = {};
 * ```
 */
export interface JsonlParserOptions {
  /**
   * How a line's bytes become text. Default: a `TextDecoder`. The Node reader passes
   * `Buffer#toString`, which is faster there and gives compact one-byte strings for
   * ASCII lines (which `JSON.parse` reads faster).
   */
  decode?: Utf8Decode;
}

function joinBytes(parts: Uint8Array[], last: Uint8Array): Uint8Array {
  let length = last.length;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  joined.set(last, at);
  return joined;
}

/**
 * Creates a push parser for JSON Lines: one JSON object per line, `\n` or `\r\n` line
 * ends, an optional UTF-8 byte-order mark, blank lines (spaces, tabs) skipped and
 * counted. A line that is not valid JSON comes out as an `invalid_json` item, one that is
 * valid JSON but not an object as `invalid_record`. Fed bytes, it splits lines on the
 * byte 0x0A (which never occurs inside a multi-byte UTF-8 character) and decodes each line
 * on its own.
 *
 * @param options - see {@link JsonlParserOptions}.
 * @returns a {@link RecordParser} for {@link RecordReader} or direct use.
 * @example
 * ```ts
 * import { RecordReader, createJsonlParser } from "@tunekit/instruct";
 * const reader = new RecordReader(['{"a":1}\r\n\n{"a":2}'], createJsonlParser());
 * for await (const { record } of reader) console.log(record.a); // 1, 2
 * ```
 */
export function createJsonlParser(options: JsonlParserOptions = {}): RecordParser {
  let pending = "";
  let pendingBytes: Uint8Array[] = [];
  let line = 0;
  let blankLines = 0;
  let decode = options.decode;
  const handle = (text: string, out: ParsedItem[]) => {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (isBlank(text)) blankLines++;
    else out.push(parseLine(text, line));
  };
  const handleBytes = (bytes: Uint8Array, start: number, end: number, out: ParsedItem[]) => {
    if (!decode) {
      const decoder = new TextDecoder("utf-8");
      decode = (b, s, e) => decoder.decode(b.subarray(s, e));
    }
    handle(decode(bytes, start, end), out);
  };
  return {
    get blankLines() {
      return blankLines;
    },
    push(chunk, out) {
      let newline = chunk.indexOf("\n");
      if (newline === -1) {
        pending += chunk;
        return;
      }
      handle(pending + chunk.slice(0, newline), out);
      pending = "";
      let start = newline + 1;
      for (;;) {
        newline = chunk.indexOf("\n", start);
        if (newline === -1) break;
        handle(chunk.slice(start, newline), out);
        start = newline + 1;
      }
      pending = chunk.slice(start);
    },
    pushBytes(chunk, out) {
      let newline = chunk.indexOf(10);
      if (newline === -1) {
        pendingBytes.push(chunk.slice());
        return;
      }
      if (pendingBytes.length > 0) {
        const joined = joinBytes(pendingBytes, chunk.subarray(0, newline));
        pendingBytes = [];
        handleBytes(joined, 0, joined.length, out);
      } else {
        handleBytes(chunk, 0, newline, out);
      }
      let start = newline + 1;
      for (;;) {
        newline = chunk.indexOf(10, start);
        if (newline === -1) break;
        handleBytes(chunk, start, newline, out);
        start = newline + 1;
      }
      // Copied: a source may reuse its chunk buffers.
      if (start < chunk.length) pendingBytes.push(chunk.slice(start));
    },
    end(out) {
      if (pending.length > 0) handle(pending, out);
      pending = "";
      if (pendingBytes.length > 0) {
        const joined = joinBytes(pendingBytes, new Uint8Array(0));
        pendingBytes = [];
        handleBytes(joined, 0, joined.length, out);
      }
    },
  };
}

/**
 * Options of {@link parseJsonl} and the other whole-text parsers.
 *
 * @example
 * ```ts
 * import type { ParseTextOptions } from "@tunekit/instruct";
 * const options: ParseTextOptions = { file: "inline", skipInvalid: true, onReject: console.warn };
 * ```
 */
export interface ParseTextOptions {
  /** Name used in errors. Default `"<input>"`. */
  file?: string;
  /** Set bad lines aside (to `onReject`, which is then required) instead of throwing. Default `false`. */
  skipInvalid?: boolean;
  /** Receives each bad line when `skipInvalid` is on. */
  onReject?: (rejected: RejectedLine) => void;
}

/**
 * Runs a parser over a whole text and collects the records (the synchronous path, for
 * text already in memory).
 */
export function collectRecords(
  parser: RecordParser,
  text: string,
  options: ParseTextOptions,
): DataRecord[] {
  const { file = "<input>", skipInvalid = false, onReject } = options;
  if (skipInvalid && !onReject) {
    throw new DataFileError(
      "rejects_required",
      file,
      0,
      "skipInvalid needs onReject so that skipped lines are kept somewhere; pass one",
    );
  }
  const out: ParsedItem[] = [];
  parser.push(text, out);
  parser.end(out);
  const records: DataRecord[] = [];
  for (const item of out) {
    if (item.record !== undefined) {
      records.push(item.record);
    } else if (!skipInvalid) {
      throw new DataFileError(
        item.invalid.code,
        file,
        item.line,
        `${item.invalid.message} — fix it, or pass skipInvalid with onReject to set it aside`,
      );
    } else {
      const { code, message, text: raw } = item.invalid;
      onReject!({ file, line: item.line, code, error: message, text: raw });
    }
  }
  return records;
}

/**
 * Parses JSON Lines text held in memory (see {@link createJsonlParser} for the rules).
 *
 * @param text - the whole JSONL text.
 * @param options - file name for errors, `skipInvalid` and `onReject`.
 * @returns the records, in order.
 * @throws {@link DataFileError} naming file and line for the first bad line, unless `skipInvalid`.
 * @example
 * ```ts
 * import { parseJsonl } from "@tunekit/instruct";
 * const rows = parseJsonl('{"q":"2+2?","a":"4"}\n{"q":"3+3?","a":"6"}\n');
 * console.log(rows.length); // 2
 * ```
 */
export function parseJsonl(text: string, options: ParseTextOptions = {}): DataRecord[] {
  return collectRecords(createJsonlParser(), text, options);
}

// Control characters JSON.stringify escapes other than the line feed (\b, \t, \u0000 …).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// JSON.stringify escapes lone surrogates; `isWellFormed` (ES2024) finds them fastest — a
// one-byte string cannot hold one, so it answers at once.
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

/**
 * Quotes a string as JSON exactly as `JSON.stringify` does, faster for the common case:
 * text whose only characters to escape are `"`, `\` and line feeds (Node 20's
 * `JSON.stringify` is slow on long strings with many escapes; three native `replaceAll`
 * passes are not).
 *
 * @param text - the string.
 * @returns its JSON form, quotes included.
 * @example
 * ```ts
 * import { quoteJsonString } from "@tunekit/instruct";
 * quoteJsonString('say "hi"\n'); // '"say \\"hi\\"\\n"'
 * ```
 */
export function quoteJsonString(text: string): string {
  const body = jsonStringBody(text);
  return body === undefined ? JSON.stringify(text) : `"${body}"`;
}

/**
 * The inside of a JSON string for `text` when only `"`, `\` and line feeds need
 * escaping; `undefined` when it holds other control characters or a lone surrogate (then
 * only `JSON.stringify` is exact).
 */
export function jsonStringBody(text: string): string | undefined {
  if (CONTROL_BUT_LINE_FEED.test(text) || !wellFormed(text)) return undefined;
  return escapeQuotesAndLineFeeds(text, true);
}

/**
 * The inside of a JSON string for text known to hold no control character but line feeds
 * and no lone surrogate; `quotes` says whether it may hold `"` or `\\` (else they are not
 * looked for).
 */
export function escapeQuotesAndLineFeeds(text: string, quotes: boolean): string {
  if (quotes) {
    // `includes` is a memchr-fast scan; most text has no quote or backslash to double.
    if (text.includes("\\")) text = text.replaceAll("\\", "\\\\");
    if (text.includes('"')) text = text.replaceAll('"', '\\"');
  }
  return text.replaceAll("\n", "\\n");
}

/**
 * Serialises a value as one JSON line — always the same text as `JSON.stringify(value)`,
 * built faster for flat records (a plain object whose values are strings, numbers,
 * booleans or `null`) with {@link quoteJsonString}; anything else goes to
 * `JSON.stringify` itself.
 *
 * @param value - the value (usually a record).
 * @returns the JSON text, without a line break.
 * @example
 * ```ts
 * import { toJsonLine } from "@tunekit/instruct";
 * toJsonLine({ prompt: "Q:\n2+2?", completion: "4" }); // '{"prompt":"Q:\\n2+2?","completion":"4"}'
 * ```
 */
export function toJsonLine(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return JSON.stringify(value);
  }
  const prototype = Object.getPrototypeOf(value);
  const record = value as Record<string, unknown>;
  if ((prototype !== Object.prototype && prototype !== null) || "toJSON" in record) {
    return JSON.stringify(value);
  }
  let text = "{";
  for (const key of Object.keys(record)) {
    const v = record[key];
    let encoded: string;
    switch (typeof v) {
      case "string":
        encoded = quoteJsonString(v);
        break;
      case "number":
        encoded = Number.isFinite(v) ? String(v) : "null";
        break;
      case "boolean":
        encoded = v ? "true" : "false";
        break;
      case "undefined":
      case "function":
      case "symbol":
        continue;
      default:
        if (v !== null) return JSON.stringify(value); // nested values, bigint: the general path
        encoded = "null";
    }
    text += `${text.length === 1 ? "" : ","}${quoteJsonString(key)}:${encoded}`;
  }
  return `${text}}`;
}

/**
 * Serialises records as JSON Lines: one {@link toJsonLine} (the same text as
 * `JSON.stringify`) per line, each ending in `\n`. JSON escapes every line break inside
 * strings, so a record is always one line.
 *
 * @param records - the records, in order.
 * @returns the JSONL text (empty for no records).
 * @example
 * ```ts
 * import { formatJsonl } from "@tunekit/instruct";
 * formatJsonl([{ a: 1 }, { a: "x\ny" }]); // '{"a":1}\n{"a":"x\\ny"}\n'
 * ```
 */
export function formatJsonl(records: Iterable<unknown>): string {
  let text = "";
  for (const record of records) text += `${toJsonLine(record)}\n`;
  return text;
}
