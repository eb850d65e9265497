import {
  collectRecords,
  createJsonlParser,
  type JsonlParserOptions,
  type ParseTextOptions,
} from "./jsonl";
import { DataFileError, type DataRecord, type ParsedItem, type RecordParser } from "./records";

// Where the scanner is: before `[`, before an element, inside one, after `]`.
const Phase = { Start: 0, BeforeElement: 1, InElement: 2, Done: 3 } as const;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

/**
 * Creates a push parser for a file holding one JSON array of objects (`[{…}, {…}]`),
 * streamed element by element so the whole array never has to be in memory. Each element
 * is cut out by tracking brackets and strings, then parsed with `JSON.parse`; a bad
 * element comes out as an invalid item (`invalid_json`, or `invalid_record` when it is not
 * an object) with the line where it starts. A file that is not an array at all, ends
 * before its `]`, or has text after it throws a {@link DataFileError} `invalid_json_array`.
 *
 * @param file - the name used in errors. Default `"<input>"`.
 * @returns a {@link RecordParser}.
 * @example
 * ```ts
 * import { RecordReader, createJsonArrayParser } from "@tunekit/instruct";
 * const reader = new RecordReader(['[{"a":1},', '\n {"a":2}]'], createJsonArrayParser());
 * for await (const { record, line } of reader) console.log(line, record.a); // 1 1, 2 2
 * ```
 */
export function createJsonArrayParser(file = "<input>"): RecordParser {
  let phase: number = Phase.Start;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts = "";
  let elementLine = 0;

  const fail = (message: string): never => {
    throw new DataFileError("invalid_json_array", file, line, message);
  };
  const finishElement = (text: string, out: ParsedItem[]) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      out.push({
        line: elementLine,
        invalid: {
          code: "invalid_json",
          message: `array element is not valid JSON (${(error as Error).message})`,
          text,
        },
      });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      out.push({
        line: elementLine,
        invalid: { code: "invalid_record", message: "array element is not an object", text },
      });
      return;
    }
    out.push({ line: elementLine, record: value as DataRecord });
  };

  return {
    blankLines: 0,
    push(chunk, out) {
      let segment = 0; // start of the current element's text within this chunk
      const n = chunk.length;
      for (let i = 0; i < n; i++) {
        const c = chunk.charCodeAt(i);
        if (phase === Phase.InElement) {
          if (c === NEWLINE) line++;
          if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH) escaped = true;
            else if (c === QUOTE) inString = false;
            continue;
          }
          if (c === QUOTE) inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
          else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth--;
          else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
            finishElement(parts + chunk.slice(segment, i), out);
            parts = "";
            phase = c === COMMA ? Phase.BeforeElement : Phase.Done;
          }
          continue;
        }
        if (c === NEWLINE) line++;
        if (isSpace(c)) continue;
        switch (phase) {
          case Phase.Start:
            if (c !== OPEN_BRACKET) fail("expected a JSON array of records starting with [");
            phase = Phase.BeforeElement;
            break;
          case Phase.BeforeElement:
            if (c === CLOSE_BRACKET) {
              // `[]` is an empty dataset; `[{…},]` has a trailing comma.
              if (elementLine !== 0) fail("trailing comma before ]");
              phase = Phase.Done;
              break;
            }
            phase = Phase.InElement;
            elementLine = line;
            segment = i;
            depth = 0;
            inString = false;
            escaped = false;
            i--; // let the element scanner see its first character
            break;
          case Phase.Done:
            fail("unexpected text after the closing ] of the array");
        }
      }
      if (phase === Phase.InElement) parts += chunk.slice(segment);
    },
    end() {
      if (phase === Phase.Start) fail("the file is empty; expected a JSON array of records");
      if (phase !== Phase.Done) fail("the file ends before the closing ] of the array");
    },
  };
}

/**
 * Parses a JSON array of records held in memory (see {@link createJsonArrayParser}).
 *
 * @param text - the whole JSON text.
 * @param options - file name for errors, `skipInvalid` and `onReject`.
 * @returns the records, in order.
 * @throws {@link DataFileError} for a bad element (unless `skipInvalid`) or a broken array.
 * @example
 * ```ts
 * import { parseJsonArray } from "@tunekit/instruct";
 * parseJsonArray('[{"q":"hi"},{"q":"bye"}]').length; // 2
 * ```
 */
export function parseJsonArray(text: string, options: ParseTextOptions = {}): DataRecord[] {
  return collectRecords(createJsonArrayParser(options.file), text, options);
}

/**
 * Creates a push parser for JSON records in either layout, decided by the first
 * character that is not whitespace: `[` means one JSON array of objects
 * ({@link createJsonArrayParser}), anything else JSON Lines ({@link createJsonlParser}).
 *
 * @param file - the name used in errors. Default `"<input>"`.
 * @param options - for JSON Lines; see {@link JsonlParserOptions}.
 * @returns a {@link RecordParser}.
 * @example
 * ```ts
 * import { RecordReader, createJsonRecordsParser } from "@tunekit/instruct";
 * const fromArray = new RecordReader(['[{"a":1}]'], createJsonRecordsParser());
 * const fromLines = new RecordReader(['{"a":1}\n'], createJsonRecordsParser());
 * ```
 */
export function createJsonRecordsParser(
  file = "<input>",
  options: JsonlParserOptions = {},
): RecordParser {
  let inner: RecordParser | undefined;
  let head = "";
  let headBytes: Uint8Array[] = [];
  let decoder: TextDecoder | undefined;
  const choose = (first: string): RecordParser => {
    inner = first === "[" ? createJsonArrayParser(file) : createJsonlParser(options);
    return inner;
  };
  const feedBytes = (parser: RecordParser, chunk: Uint8Array, out: ParsedItem[]) => {
    if (parser.pushBytes) {
      parser.pushBytes(chunk, out);
    } else {
      decoder ??= new TextDecoder("utf-8");
      parser.push(decoder.decode(chunk, { stream: true }), out);
    }
  };
  return {
    get blankLines() {
      return inner?.blankLines ?? 0;
    },
    push(chunk, out) {
      if (inner) {
        inner.push(chunk, out);
        return;
      }
      head += chunk;
      const first = head.search(/[^\s\ufeff]/);
      if (first === -1) return;
      choose(head[first]);
      inner!.push(head, out);
      head = "";
    },
    pushBytes(chunk, out) {
      if (inner) {
        feedBytes(inner, chunk, out);
        return;
      }
      // Leading whitespace is ASCII and a byte-order mark is EF BB BF; the first other
      // byte decides the layout.
      let at = 0;
      while (at < chunk.length && (chunk[at] <= 32 || chunk[at] >= 0xbb)) at++;
      headBytes.push(chunk.slice());
      if (at === chunk.length) return;
      const parser = choose(chunk[at] === 0x5b ? "[" : "{");
      for (const part of headBytes) feedBytes(parser, part, out);
      headBytes = [];
    },
    end(out) {
      if (!inner) {
        inner = createJsonlParser(options);
        for (const part of headBytes) inner.pushBytes!(part, out);
        inner.push(head, out);
      } else if (decoder) {
        const rest = decoder.decode();
        if (rest) inner.push(rest, out);
      }
      inner.end(out);
    },
  };
}
