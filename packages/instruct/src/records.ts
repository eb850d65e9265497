import { TunekitError } from "../../../internal/shared/src/index";

/** One record of a dataset file: a JSON object, or a CSV row keyed by its header. */
export type DataRecord = Record<string, unknown>;

/**
 * A record with where it came from, as a {@link RecordReader} yields it.
 *
 * @example
 * ```ts
 * import type { SourcedRecord } from "@tunekit/instruct";
 * const item: SourcedRecord = { record: { text: "hi" }, file: "train.jsonl", line: 3, index: 2 };
 * ```
 */
export interface SourcedRecord {
  /** The parsed record. */
  record: DataRecord;
  /** The file (or source name) it was read from. */
  file: string;
  /** The 1-based line where the record starts (a CSV record may span several lines). */
  line: number;
  /** The 0-based position of the record among the valid records of its source. */
  index: number;
}

/**
 * A line (or CSV record) that could not be read as a record, as it goes to a rejects file.
 *
 * @example
 * ```ts
 * import type { RejectedLine } from "@tunekit/instruct";
 * const rejected: RejectedLine = {
 *   file: "train.jsonl", line: 7, code: "invalid_json", error: "Unexpected token", text: "{oops",
 * };
 * ```
 */
export interface RejectedLine {
  /** The file (or source name). */
  file: string;
  /** The 1-based line where the bad text starts. */
  line: number;
  /** A stable code: `invalid_json`, `invalid_record` (valid JSON but not an object) or `invalid_csv`. */
  code: string;
  /** What was wrong. */
  error: string;
  /** The raw text of the line or record, without its line terminator. */
  text: string;
}

/**
 * What a {@link RecordReader} has seen so far; final once iteration has finished.
 *
 * @example
 * ```ts
 * import type { ReadCounts } from "@tunekit/instruct";
 * const counts: ReadCounts = { records: 498, invalid: 2, blankLines: 1, bytesRead: 1024 };
 * ```
 */
export interface ReadCounts {
  /** Valid records yielded. */
  records: number;
  /** Lines or records that were not valid (each went to `onReject`). */
  invalid: number;
  /** Blank or whitespace-only lines, which carry no record and are skipped. */
  blankLines: number;
  /** Bytes consumed from the source (for binary sources; text sources count UTF-16 units). */
  bytesRead: number;
}

/**
 * One item a {@link RecordParser} produces: a record, or a piece of text that is not one.
 *
 * @example
 * ```ts
 * import type { ParsedItem } from "@tunekit/instruct";
 * const good: ParsedItem = { line: 1, record: { a: 1 } };
 * const bad: ParsedItem = { line: 2, invalid: { code: "invalid_json", message: "…", text: "{" } };
 * ```
 */
export type ParsedItem =
  | { line: number; record: DataRecord; invalid?: undefined }
  | { line: number; record?: undefined; invalid: { code: string; message: string; text: string } };

/**
 * An incremental (push) parser for one text format: feed it chunks of text in order, then
 * call `end`. It appends what it recognises to `out` and never throws for a bad record —
 * bad records come out as `invalid` items; it throws a {@link DataFileError} only when
 * the file as a whole cannot be read on (a JSON array without its `[`, say).
 *
 * @example
 * ```ts
 * import { createJsonlParser, type ParsedItem } from "@tunekit/instruct";
 * const parser = createJsonlParser();
 * const out: ParsedItem[] = [];
 * parser.push('{"a":1}\n{"a":', out);
 * parser.push("2}\n", out);
 * parser.end(out); // out holds two records
 * ```
 */
export interface RecordParser {
  /** Parses a chunk; items for every record completed by it are appended to `out`. */
  push(chunk: string, out: ParsedItem[]): void;
  /**
   * Parses a chunk of UTF-8 bytes (optional). Line-based formats split lines on bytes and
   * decode each line on its own, which is faster than decoding whole chunks; without it,
   * {@link RecordReader} decodes byte chunks to text and calls `push`. A parser is fed
   * either bytes or text, not both.
   */
  pushBytes?(chunk: Uint8Array, out: ParsedItem[]): void;
  /** Flushes the last record; throws when the input ends in the middle of a structure. */
  end(out: ParsedItem[]): void;
  /** Blank lines seen so far. */
  readonly blankLines: number;
}

/**
 * A record file could not be read: it names the file and the line. `code` is
 * `invalid_json`, `invalid_record`, `invalid_csv`, `invalid_csv_header`,
 * `invalid_json_array` or `file_not_found`.
 *
 * @example
 * ```ts
 * import { DataFileError, parseJsonl } from "@tunekit/instruct";
 * try {
 *   parseJsonl('{"a":1}\n{oops}\n', { file: "x.jsonl" });
 * } catch (e) {
 *   if (e instanceof DataFileError) console.log(e.file, e.line); // "x.jsonl" 2
 * }
 * ```
 */
export class DataFileError extends TunekitError {
  /** The file (or source name). */
  readonly file: string;
  /** The 1-based line of the problem (0 when it concerns the whole file). */
  readonly line: number;
  /**
   * @param code - a stable machine-readable code.
   * @param file - the file (or source name).
   * @param line - the 1-based line, or 0 for the whole file.
   * @param message - what was wrong and what to do (the `file:line: ` prefix is added).
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(
    code: string,
    file: string,
    line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${line > 0 ? `${file}:${line}` : file}: ${message}`, options);
    this.name = "DataFileError";
    this.file = file;
    this.line = line;
  }
}

/**
 * Options of {@link RecordReader} (and of the readers built on it).
 *
 * @example
 * ```ts
 * import type { RecordReaderOptions } from "@tunekit/instruct";
 * const rejected: unknown[] = [];
 * const options: RecordReaderOptions = {
 *   file: "train.jsonl",
 *   skipInvalid: true,
 *   onReject: (r) => { rejected.push(r); },
 * };
 * ```
 */
export interface RecordReaderOptions {
  /** Name used in errors and in {@link SourcedRecord.file}. Default `"<input>"`. */
  file?: string;
  /**
   * Set bad lines aside instead of failing. Default `false`: the first bad line throws a
   * {@link DataFileError} naming file and line. When `true`, `onReject` is required, so
   * that nothing is dropped silently; {@link ReadCounts.invalid} counts them.
   */
  skipInvalid?: boolean;
  /** Receives every bad line when `skipInvalid` is on (awaited, in order). */
  onReject?: (rejected: RejectedLine) => void | Promise<void>;
  /**
   * Called once when iteration stops: with no argument after the last record, or with
   * the error that ended it (also when the consumer breaks out early, with `undefined`).
   * Node helpers use it to commit or discard a rejects file.
   */
  onClose?: (error?: unknown) => void | Promise<void>;
}

// Bytes handed to a parser at a time (see the loop in RecordReader).
const SLICE = 1 << 16;

function invalidMessage(code: string, message: string): string {
  const advice =
    "fix it, or read with skipInvalid and a rejects file (CLI: --skip-invalid --rejects FILE) to set it aside";
  return code === "invalid_record"
    ? `${message}; every line must be a JSON object — ${advice}`
    : `${message} — ${advice}`;
}

/**
 * Reads records from a stream of text or byte chunks through a {@link RecordParser}.
 * Iterate it once with `for await`; {@link RecordReader.counts} is live and final when
 * the loop ends. Byte chunks are decoded as UTF-8 (a split multi-byte character is fine).
 *
 * @example
 * ```ts
 * import { RecordReader, createJsonlParser } from "@tunekit/instruct";
 * const reader = new RecordReader(['{"q":"a"}\n', '{"q":"b"}\n'], createJsonlParser(), {
 *   file: "mem",
 * });
 * for await (const { record, line } of reader) console.log(line, record.q);
 * console.log(reader.counts.records); // 2
 * ```
 */
export class RecordReader implements AsyncIterable<SourcedRecord> {
  /** What has been read so far. */
  readonly counts: ReadCounts = { records: 0, invalid: 0, blankLines: 0, bytesRead: 0 };
  private readonly chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
  private readonly parser: RecordParser;
  private readonly options: RecordReaderOptions;
  private started = false;

  /**
   * @param chunks - the source, as text or UTF-8 byte chunks in order.
   * @param parser - the format's parser ({@link createJsonlParser}, {@link createCsvParser}, …).
   * @param options - see {@link RecordReaderOptions}.
   * @throws {@link TunekitError} `rejects_required` when `skipInvalid` is set without `onReject`.
   */
  constructor(
    chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
    parser: RecordParser,
    options: RecordReaderOptions = {},
  ) {
    if (options.skipInvalid && !options.onReject) {
      throw new TunekitError(
        "rejects_required",
        "skipInvalid needs onReject (or a rejects file) so that skipped lines are kept somewhere; pass one",
      );
    }
    this.chunks = chunks;
    this.parser = parser;
    this.options = options;
  }

  /**
   * Iterates the records; a reader can be iterated only once.
   *
   * @returns an async iterator of {@link SourcedRecord}.
   * @throws {@link DataFileError} for a bad line (without `skipInvalid`) or a broken file.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<SourcedRecord> {
    if (this.started) {
      throw new TunekitError(
        "reader_consumed",
        "this RecordReader has already been iterated; open the file again",
      );
    }
    this.started = true;
    const { file = "<input>", skipInvalid = false, onReject, onClose } = this.options;
    const counts = this.counts;
    const parser = this.parser;
    const out: ParsedItem[] = [];
    let closed = false;
    const close = async (error?: unknown) => {
      if (closed) return;
      closed = true;
      await onClose?.(error);
    };
    try {
      // One async layer per chunk, none per record: records are yielded straight from `out`.
      for await (const chunk of this.chunksThenEnd()) {
        if (chunk === null) parser.end(out);
        else if (typeof chunk === "string") parser.push(chunk, out);
        else parser.pushBytes!(chunk, out);
        counts.blankLines = parser.blankLines;
        for (let i = 0; i < out.length; i++) {
          const item = out[i];
          if (item.record !== undefined) {
            const index = counts.records++;
            yield { record: item.record, file, line: item.line, index };
          } else {
            const { code, message, text: raw } = item.invalid;
            if (!skipInvalid) {
              throw new DataFileError(code, file, item.line, invalidMessage(code, message));
            }
            counts.invalid++;
            await onReject!({ file, line: item.line, code, error: message, text: raw });
          }
        }
        out.length = 0;
      }
    } catch (error) {
      await close(error);
      throw error;
    } finally {
      // Reached on normal end and when the consumer stops early (break / return).
      await close();
    }
  }

  /**
   * The source's chunks, then `null` to mark its end: bytes stay bytes when the parser
   * takes them, else they are decoded as UTF-8 (a character split between chunks is fine).
   */
  private async *chunksThenEnd(): AsyncGenerator<string | Uint8Array | null> {
    const decoder = new TextDecoder("utf-8");
    const takesBytes = typeof this.parser.pushBytes === "function";
    let decoded = false;
    for await (const chunk of this.chunks) {
      if (typeof chunk === "string") {
        this.counts.bytesRead += chunk.length;
        yield chunk;
      } else {
        this.counts.bytesRead += chunk.byteLength;
        if (takesBytes) {
          // In slices, each parsed and consumed before the next, so that only a few dozen
          // parsed records are alive at a time (less for the garbage collector to copy).
          for (let at = 0; at < chunk.byteLength; at += SLICE) {
            yield chunk.subarray(at, at + SLICE);
          }
        } else {
          decoded = true;
          yield decoder.decode(chunk, { stream: true });
        }
      }
    }
    if (decoded) {
      const rest = decoder.decode();
      if (rest) yield rest;
    }
    yield null;
  }
}
