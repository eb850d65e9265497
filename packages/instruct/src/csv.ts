import { collectRecords, type ParseTextOptions } from "./jsonl";
import { DataFileError, type DataRecord, type ParsedItem, type RecordParser } from "./records";

/**
 * Options of the CSV reader and writer.
 *
 * @example
 * ```ts
 * import type { CsvOptions } from "@tunekit/instruct";
 * const tsv: CsvOptions = { delimiter: "\t" };
 * const headerless: CsvOptions = { header: false, columns: ["question", "answer"] };
 * ```
 */
export interface CsvOptions {
  /** The field separator, one character. Default `","` (use `"\t"` for TSV). */
  delimiter?: string;
  /** The first record names the columns. Default `true`. */
  header?: boolean;
  /** Column names to use when `header` is `false` (required then). */
  columns?: string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;

function checkDelimiter(delimiter: string): number {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new DataFileError(
      "invalid_csv_options",
      "<options>",
      0,
      `delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  return delimiter.charCodeAt(0);
}

function buildRecord(columns: string[], fields: string[], safeKeys: boolean): DataRecord {
  if (!safeKeys) {
    // A column named "__proto__" must become an own property, not the prototype.
    return Object.fromEntries(columns.map((name, i) => [name, fields[i]]));
  }
  const record: DataRecord = {};
  for (let i = 0; i < columns.length; i++) record[columns[i]] = fields[i];
  return record;
}

/**
 * Creates a push parser for CSV as RFC 4180 defines it: fields separated by the
 * delimiter, records by CRLF (a bare LF or CR is accepted too), fields that hold the
 * delimiter, a quote or a line break enclosed in double quotes, a quote inside such a
 * field written twice (`""`), and an optional UTF-8 byte-order mark. Every value is a
 * string (no type guessing). Empty lines are skipped and counted.
 *
 * A record with a quote inside an unquoted field, text after a closing quote, or a
 * field count other than the header's becomes an `invalid_csv` item with the line where
 * it starts; a quoted field still open at the end of the input does too. A header with a
 * repeated column name throws a {@link DataFileError} `invalid_csv_header`.
 *
 * @param options - delimiter and header handling; see {@link CsvOptions}.
 * @param file - the name used in errors. Default `"<input>"`.
 * @returns a {@link RecordParser}.
 * @throws {@link DataFileError} `invalid_csv_options` for a bad delimiter or missing columns.
 * @example
 * ```ts
 * import { RecordReader, createCsvParser } from "@tunekit/instruct";
 * const csv = 'q,a\r\n"say ""hi""","line one\nline two"\r\n';
 * for await (const { record } of new RecordReader([csv], createCsvParser())) {
 *   console.log(record.q, record.a); // say "hi"  line one\nline two
 * }
 * ```
 */
export function createCsvParser(options: CsvOptions = {}, file = "<input>"): RecordParser {
  const { delimiter = ",", header = true } = options;
  const delim = checkDelimiter(delimiter);
  let columns: string[] | undefined = header ? undefined : options.columns;
  if (!header && !columns) {
    throw new DataFileError(
      "invalid_csv_options",
      file,
      0,
      "header is false, so columns must name the fields",
    );
  }
  let safeKeys = !columns?.includes("__proto__");

  let state: number = State.FieldStart;
  let fields: string[] = [];
  let field = "";
  let raw = "";
  let problem: string | undefined;
  let line = 1;
  let recordLine = 1;
  let pendingCR = false;
  let started = false;
  let blankLines = 0;

  const emit = (text: string, out: ParsedItem[]) => {
    if (columns === undefined) {
      if (problem) {
        throw new DataFileError("invalid_csv_header", file, recordLine, `header: ${problem}`);
      }
      const seen = new Set<string>();
      for (const name of fields) {
        if (seen.has(name)) {
          throw new DataFileError(
            "invalid_csv_header",
            file,
            recordLine,
            `the header names the column ${JSON.stringify(name)} twice; rename one`,
          );
        }
        seen.add(name);
      }
      columns = fields;
      safeKeys = !columns.includes("__proto__");
      return;
    }
    if (!problem && fields.length !== columns.length) {
      problem = `expected ${columns.length} fields (as the header has), got ${fields.length}`;
    }
    if (problem) {
      out.push({ line: recordLine, invalid: { code: "invalid_csv", message: problem, text } });
    } else {
      out.push({ line: recordLine, record: buildRecord(columns, fields, safeKeys) });
    }
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
      const n = chunk.length;
      let segment = 0; // start of the field text not yet appended to `field`
      let rawStart = 0; // start of the record text not yet appended to `raw`
      for (let i = 0; i < n; i++) {
        const c = chunk.charCodeAt(i);
        if (pendingCR) {
          pendingCR = false;
          if (c === LF) {
            rawStart = i + 1;
            continue;
          }
        }
        if (state === State.Quoted) {
          if (c === QUOTE) {
            field += chunk.slice(segment, i);
            state = State.QuoteInQuoted;
          } else if (c === LF) {
            line++;
          }
          continue;
        }
        if (state === State.Unquoted) {
          if (c === delim) {
            fields.push(field + chunk.slice(segment, i));
            field = "";
            state = State.FieldStart;
          } else if (c === LF || c === CR) {
            fields.push(field + chunk.slice(segment, i));
            field = "";
          } else {
            if (c === QUOTE) {
              problem ??= `a quote inside an unquoted field (field ${fields.length + 1}); enclose the field in quotes and double the quote`;
            }
            continue;
          }
        } else if (state === State.QuoteInQuoted) {
          if (c === QUOTE) {
            field += '"';
            segment = i + 1;
            state = State.Quoted;
            continue;
          }
          if (c === delim) {
            fields.push(field);
            field = "";
            state = State.FieldStart;
          } else if (c === LF || c === CR) {
            fields.push(field);
            field = "";
          } else {
            problem ??= `text after the closing quote of field ${fields.length + 1}`;
            // Read on as an unquoted field so the record still ends where it should.
            state = State.Unquoted;
            segment = i;
            continue;
          }
        } else {
          // FieldStart
          if (c === QUOTE) {
            state = State.Quoted;
            segment = i + 1;
            continue;
          }
          if (c === delim) {
            fields.push("");
            continue;
          }
          if (c !== LF && c !== CR) {
            state = State.Unquoted;
            segment = i;
            continue;
          }
          // A line break at the start of a field: an empty line, or a trailing empty field.
          if (fields.length === 0 && raw.length === 0 && rawStart === i) {
            blankLines++;
            line++;
            recordLine = line;
            pendingCR = c === CR;
            rawStart = i + 1;
            continue;
          }
          fields.push("");
        }
        // Only a record terminator reaches this point (delimiters `continue` above via FieldStart).
        if (c === LF || c === CR) {
          const text = raw + chunk.slice(rawStart, i);
          emit(text, out);
          raw = "";
          fields = [];
          problem = undefined;
          state = State.FieldStart;
          line++;
          recordLine = line;
          pendingCR = c === CR;
          rawStart = i + 1;
        }
      }
      if (state === State.Unquoted || state === State.Quoted) field += chunk.slice(segment);
      raw += chunk.slice(rawStart);
    },
    end(out) {
      if (state === State.Quoted) {
        out.push({
          line: recordLine,
          invalid: {
            code: "invalid_csv",
            message:
              "a quoted field is still open at the end of the input (a missing closing quote?)",
            text: raw,
          },
        });
      } else if (state !== State.FieldStart || fields.length > 0) {
        fields.push(field);
        emit(raw, out);
      }
      fields = [];
      field = "";
      raw = "";
      state = State.FieldStart;
    },
  };
}

/**
 * Parses CSV text held in memory (see {@link createCsvParser} for the rules).
 *
 * @param text - the whole CSV text.
 * @param options - {@link CsvOptions} plus file name, `skipInvalid` and `onReject`.
 * @returns the records (column name → string value), in order.
 * @throws {@link DataFileError} for a bad record (unless `skipInvalid`) or a bad header.
 * @example
 * ```ts
 * import { parseCsv } from "@tunekit/instruct";
 * parseCsv("q,a\n2+2?,4\n"); // [{ q: "2+2?", a: "4" }]
 * ```
 */
export function parseCsv(text: string, options: CsvOptions & ParseTextOptions = {}): DataRecord[] {
  return collectRecords(createCsvParser(options, options.file), text, options);
}

function csvValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Formats one CSV row: a field is quoted when it holds the delimiter, a quote, CR or LF
 * (quotes inside doubled), and when it is the only field of the row and empty (so the
 * row is not read back as a blank line). `null` and `undefined` become empty fields,
 * objects their JSON.
 *
 * @param values - the field values, in column order.
 * @param delimiter - the separator. Default `","`.
 * @returns the row without a line terminator.
 * @throws {@link DataFileError} `invalid_csv_options` for a bad delimiter.
 * @example
 * ```ts
 * import { formatCsvRow } from "@tunekit/instruct";
 * formatCsvRow(["a", 'say "hi"', "x,y"]); // 'a,"say ""hi""","x,y"'
 * ```
 */
export function formatCsvRow(values: readonly unknown[], delimiter = ","): string {
  checkDelimiter(delimiter);
  if (values.length === 1 && csvValue(values[0]) === "") return '""';
  let row = "";
  for (let i = 0; i < values.length; i++) {
    const value = csvValue(values[i]);
    if (i > 0) row += delimiter;
    if (
      value.includes(delimiter) ||
      value.includes('"') ||
      value.includes("\n") ||
      value.includes("\r")
    ) {
      row += `"${value.replaceAll('"', '""')}"`;
    } else {
      row += value;
    }
  }
  return row;
}

/**
 * Formats records as CSV with a header row and CRLF line ends (RFC 4180). Columns are
 * `options.columns`, else every key in order of first appearance; a missing key is an
 * empty field.
 *
 * @param records - the records.
 * @param options - `columns`, `delimiter` (default `","`).
 * @returns the CSV text, ending in CRLF.
 * @throws {@link DataFileError} `invalid_csv_options` for a bad delimiter.
 * @example
 * ```ts
 * import { formatCsv } from "@tunekit/instruct";
 * formatCsv([{ q: "2+2?", a: 4 }]); // "q,a\r\n2+2?,4\r\n"
 * ```
 */
export function formatCsv(
  records: readonly DataRecord[],
  options: Pick<CsvOptions, "delimiter" | "columns"> = {},
): string {
  const { delimiter = "," } = options;
  const columns = options.columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  let text = `${formatCsvRow(columns, delimiter)}\r\n`;
  for (const record of records) {
    text += `${formatCsvRow(
      columns.map((c) => record[c]),
      delimiter,
    )}\r\n`;
  }
  return text;
}
