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
function parseLine(text: string, line: number): ParsedItem {
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

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  // Only a line that starts with whitespace can be all whitespace; skip trim() otherwise.
  return (c <= 32 || c === 0xa0 || c === 0xfeff) && text.trim() === "";
}

/**
 * Creates a push parser for JSON Lines: one JSON object per line, `\n` or `\r\n` line
 * ends, an optional UTF-8 byte-order mark, blank lines skipped (and counted). A line that
 * is not valid JSON comes out as an `invalid_json` item, one that is valid JSON but not an
 * object as `invalid_record`.
 *
 * @returns a {@link RecordParser} for {@link RecordReader} or direct use.
 * @example
 * ```ts
 * import { RecordReader, createJsonlParser } from "@tunekit/instruct";
 * const reader = new RecordReader(['{"a":1}\r\n\n{"a":2}'], createJsonlParser());
 * for await (const { record } of reader) console.log(record.a); // 1, 2
 * ```
 */
export function createJsonlParser(): RecordParser {
  let pending = "";
  let line = 0;
  let blankLines = 0;
  let started = false;
  const handle = (text: string, out: ParsedItem[]) => {
    line++;
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (isBlank(text)) blankLines++;
    else out.push(parseLine(text, line));
  };
  return {
    get blankLines() {
      return blankLines;
    },
    push(chunk, out) {
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
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
    end(out) {
      if (pending.length > 0) handle(pending, out);
      pending = "";
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

/**
 * Serialises records as JSON Lines: one `JSON.stringify` per line, each ending in `\n`.
 * (`JSON.stringify` escapes every line break inside strings, so a record is one line.)
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
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}
