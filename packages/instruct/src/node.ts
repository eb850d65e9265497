import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { type CsvOptions, createCsvParser } from "./csv";
import { createJsonArrayParser, createJsonRecordsParser } from "./json-array";
import { encodeFlatRecord, flatRecordBound } from "./json-line-bytes";
import { createJsonlParser, toJsonLine } from "./jsonl";
import {
  DataFileError,
  type DataRecord,
  type ReadCounts,
  type RecordParser,
  RecordReader,
  type RejectedLine,
} from "./records";

/**
 * The layout of a record file. `auto` picks by extension: `.csv` is CSV, `.tsv` is
 * tab-separated, `.jsonl` and `.ndjson` are JSON Lines, anything else (`.json` …) is a
 * JSON array when the first non-space character is `[`, JSON Lines otherwise. `json`
 * means a JSON array.
 *
 * @example
 * ```ts
 * import type { RecordFileFormat } from "@tunekit/instruct/node";
 * const format: RecordFileFormat = "csv";
 * ```
 */
export type RecordFileFormat = "auto" | "jsonl" | "json" | "csv" | "tsv";

/**
 * Options of {@link readRecords}.
 *
 * @example
 * ```ts
 * import type { ReadRecordsOptions } from "@tunekit/instruct/node";
 * const options: ReadRecordsOptions = { skipInvalid: true, rejects: "rejects.jsonl" };
 * ```
 */
export interface ReadRecordsOptions {
  /** The file layout. Default `"auto"` (see {@link RecordFileFormat}). */
  format?: RecordFileFormat;
  /** CSV options for `csv` and `tsv` files (the delimiter follows the format unless given). */
  csv?: CsvOptions;
  /**
   * Set bad lines aside instead of failing. Default `false`: the first bad line throws a
   * {@link DataFileError} naming the file and line. When `true`, `rejects` or `onReject`
   * must be given, and {@link ReadCounts.invalid} counts what was set aside.
   */
  skipInvalid?: boolean;
  /**
   * Path of a JSONL rejects file: one {@link RejectedLine} per bad line. Written
   * atomically when reading ends (an empty file means nothing was rejected); discarded if
   * reading fails.
   */
  rejects?: string;
  /** Receives every bad line (also when `rejects` is given). */
  onReject?: (rejected: RejectedLine) => void | Promise<void>;
  /** Read chunk size in bytes. Default 1 MiB. */
  chunkSize?: number;
}

function formatOf(path: string, format: RecordFileFormat): RecordFileFormat {
  if (format !== "auto") return format;
  const extension = extname(path).toLowerCase();
  if (extension === ".csv") return "csv";
  if (extension === ".tsv") return "tsv";
  if (extension === ".jsonl" || extension === ".ndjson") return "jsonl";
  return "auto";
}

const fallbackDecoder = new TextDecoder("utf-8");

/**
 * Node's UTF-8 decoding: `Buffer#toString` is faster than `TextDecoder` here and makes
 * one-byte strings of ASCII lines, which `JSON.parse` reads faster.
 */
const decodeUtf8 = (bytes: Uint8Array, start: number, end: number): string =>
  Buffer.isBuffer(bytes)
    ? bytes.toString("utf8", start, end)
    : fallbackDecoder.decode(bytes.subarray(start, end));

function parserFor(path: string, options: ReadRecordsOptions): RecordParser {
  const format = formatOf(path, options.format ?? "auto");
  switch (format) {
    case "jsonl":
      return createJsonlParser({ decode: decodeUtf8 });
    case "json":
      return createJsonArrayParser(path);
    case "auto":
      // .json and unknown extensions: an array when the file starts with "[", else JSONL.
      return createJsonRecordsParser(path, { decode: decodeUtf8 });
    case "csv":
      return createCsvParser(options.csv, path);
    case "tsv":
      return createCsvParser({ delimiter: "\t", ...options.csv }, path);
  }
}

async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: chunkSize });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new DataFileError("file_not_found", path, 0, "file not found; check the path", {
        cause: error,
      });
    }
    if (code === "EISDIR") {
      throw new DataFileError("file_not_found", path, 0, "is a directory, not a record file", {
        cause: error,
      });
    }
    throw error;
  } finally {
    stream.destroy();
  }
}

/**
 * Streams the records of a JSONL, JSON-array, CSV or TSV file. Iterate the result once
 * with `for await`; each item carries the record, the file and the line it starts on.
 * `reader.counts` tells how many records, invalid lines and blank lines were seen, and
 * how many bytes were read (for progress bars).
 *
 * A bad line throws a `DataFileError` with the file and line, unless `skipInvalid`
 * is on: then it goes to the `rejects` file and/or `onReject` and is counted — nothing is
 * dropped silently.
 *
 * @param path - the file to read.
 * @param options - format, bad-line handling; see {@link ReadRecordsOptions}.
 * @returns a single-use {@link RecordReader}.
 * @throws `TunekitError` `rejects_required` when `skipInvalid` has nowhere to put bad lines.
 * @example
 * ```ts
 * import { readRecords } from "@tunekit/instruct/node";
 * const reader = readRecords("train.jsonl", { skipInvalid: true, rejects: "rejects.jsonl" });
 * for await (const { record, line } of reader) {
 *   if (typeof record.dialogue !== "string") console.warn(`line ${line}: no dialogue`);
 * }
 * console.log(reader.counts); // { records, invalid, blankLines, bytesRead }
 * ```
 */
export function readRecords(path: string, options: ReadRecordsOptions = {}): RecordReader {
  const { skipInvalid = false, rejects, onReject, chunkSize = 1 << 20 } = options;
  let writer: JsonlWriter | undefined;
  let opening: Promise<JsonlWriter> | undefined;
  const rejectsWriter = () => {
    opening ??= openJsonlWriter(rejects!).then((w) => {
      writer = w;
      return w;
    });
    return opening;
  };
  const handleReject =
    rejects === undefined
      ? onReject
      : async (rejected: RejectedLine) => {
          await (await rejectsWriter()).write(rejected);
          await onReject?.(rejected);
        };
  return new RecordReader(fileChunks(path, chunkSize), parserFor(path, options), {
    file: path,
    skipInvalid,
    onReject: handleReject,
    async onClose(error) {
      if (rejects === undefined || !skipInvalid) return;
      if (error !== undefined) {
        await (await opening)?.abort();
        return;
      }
      await (writer ?? (await rejectsWriter())).commit();
    },
  });
}

/**
 * Reads a whole record file into memory (see {@link readRecords} for formats and options).
 *
 * @param path - the file to read.
 * @param options - see {@link ReadRecordsOptions}.
 * @returns the records and the final counts.
 * @throws `DataFileError` for a bad line (unless `skipInvalid`) or a missing file.
 * @example
 * ```ts
 * import { readAllRecords } from "@tunekit/instruct/node";
 * const { records, counts } = await readAllRecords("dialogsum.dev.jsonl");
 * console.log(records.length === counts.records); // true
 * ```
 */
export async function readAllRecords(
  path: string,
  options: ReadRecordsOptions = {},
): Promise<{ records: DataRecord[]; counts: ReadCounts }> {
  const reader = readRecords(path, options);
  const records: DataRecord[] = [];
  for await (const { record } of reader) records.push(record);
  return { records, counts: reader.counts };
}

/**
 * Options of {@link openJsonlWriter} and {@link writeJsonl}.
 *
 * @example
 * ```ts
 * import type { JsonlWriterOptions } from "@tunekit/instruct/node";
 * const options: JsonlWriterOptions = { fsync: false, bufferSize: 4 << 20 };
 * ```
 */
export interface JsonlWriterOptions {
  /**
   * Flush the data to disk (fsync) before the rename, so that after a crash the file is
   * either the old one or the complete new one. Default `true`.
   */
  fsync?: boolean;
  /** Bytes buffered before a write to the file (two such buffers alternate). Default 4 MiB. */
  bufferSize?: number;
}

/**
 * A JSONL file being written: lines go to a temporary file beside the target, which
 * `commit` renames into place, so no reader ever sees a half-written file.
 *
 * @example
 * ```ts
 * import { openJsonlWriter } from "@tunekit/instruct/node";
 * const out = await openJsonlWriter("out.jsonl");
 * try {
 *   await out.write({ prompt: "2+2?", completion: "4" });
 *   await out.commit();
 * } catch (e) {
 *   await out.abort();
 *   throw e;
 * }
 * ```
 */
export interface JsonlWriter {
  /** The target path. */
  readonly path: string;
  /** Lines written so far. */
  readonly lines: number;
  /** Appends one record as a JSON line (the text of `JSON.stringify`, see {@link toJsonLine}). */
  write(record: unknown): Promise<void>;
  /** Appends one line of text that is already serialised (without its `\n`). */
  writeLine(line: string): Promise<void>;
  /**
   * Appends UTF-8 bytes that hold `lines` whole JSON lines, each ending in `\n`, already
   * serialised (they are not checked).
   */
  writeBytes(bytes: Uint8Array, lines: number): Promise<void>;
  /** Flushes, optionally fsyncs, closes and renames the file into place. */
  commit(): Promise<void>;
  /** Deletes the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Opens a {@link JsonlWriter}: records are buffered and written to a temporary file in
 * the target's folder (created if missing), then renamed into place on `commit`.
 *
 * @param path - the target file.
 * @param options - see {@link JsonlWriterOptions}.
 * @returns the writer.
 * @throws when the temporary file cannot be created.
 * @example
 * ```ts
 * import { openJsonlWriter } from "@tunekit/instruct/node";
 * const out = await openJsonlWriter("train.jsonl", { fsync: false });
 * await out.write({ text: "hello" });
 * await out.commit();
 * ```
 */
export async function openJsonlWriter(
  path: string,
  options: JsonlWriterOptions = {},
): Promise<JsonlWriter> {
  const { fsync = true, bufferSize = 4 << 20 } = options;
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "w");
  // Lines are encoded straight into a buffer (flat records byte by byte, without an
  // intermediate string); two buffers alternate so that one is written to the file while
  // the other fills.
  const size = Math.max(1024, bufferSize);
  let buffer = Buffer.allocUnsafe(size);
  let spare = Buffer.allocUnsafe(size);
  let inFlight: Promise<void> | undefined;
  let used = 0;
  let lines = 0;
  let state: "open" | "committed" | "aborted" = "open";
  const ensureOpen = () => {
    if (state !== "open") {
      throw new DataFileError("writer_closed", path, 0, `the writer was already ${state}`);
    }
  };
  const flush = async () => {
    if (inFlight) await inFlight;
    inFlight = undefined;
    if (used === 0) return;
    const full = buffer.subarray(0, used);
    inFlight = writeAll(handle, full);
    // Handled here so a failure never goes unobserved; the next flush awaits it and throws.
    inFlight.catch(() => {});
    [buffer, spare] = [spare, buffer];
    used = 0;
  };
  const drain = async () => {
    await flush();
    if (inFlight) await inFlight;
    inFlight = undefined;
  };
  const writeLine = async (line: string) => {
    ensureOpen();
    lines++;
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    const most = line.length * 3 + 1;
    if (used + most > buffer.length) {
      await flush();
      if (most > buffer.length) {
        await drain();
        await writeAll(handle, Buffer.from(`${line}\n`, "utf8"));
        return;
      }
    }
    used += buffer.write(line, used, "utf8");
    buffer[used++] = 10;
  };
  const write = async (record: unknown) => {
    const bound = flatRecordBound(record);
    if (bound >= 0 && bound <= size) {
      ensureOpen();
      if (used + bound > buffer.length) await flush();
      const end = encodeFlatRecord(record as Record<string, unknown>, buffer, used);
      if (end >= 0) {
        used = end;
        lines++;
        return;
      }
    }
    await writeLine(toJsonLine(record));
  };
  const writeBytes = async (bytes: Uint8Array, count: number) => {
    ensureOpen();
    // Copied into the buffers, so that the file write overlaps the caller's next work.
    for (let at = 0; at < bytes.length; ) {
      if (used === buffer.length) await flush();
      const n = Math.min(bytes.length - at, buffer.length - used);
      buffer.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
    }
    lines += count;
  };
  return {
    path,
    get lines() {
      return lines;
    },
    writeLine,
    writeBytes,
    write,
    async commit() {
      ensureOpen();
      state = "committed";
      try {
        await drain();
        if (fsync) await handle.sync();
        await handle.close();
        await rename(temporary, path);
      } catch (error) {
        await handle.close().catch(() => {});
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async abort() {
      if (state !== "open") return;
      state = "aborted";
      used = 0;
      await inFlight?.catch(() => {});
      await handle.close().catch(() => {});
      await rm(temporary, { force: true });
    },
  };
}

/**
 * Writes records to a JSONL file atomically (temporary file, then rename): a failure
 * part-way leaves the old file, if any, untouched.
 *
 * @param path - the target file.
 * @param records - the records, from an array, a generator or an async iterable.
 * @param options - see {@link JsonlWriterOptions}.
 * @returns the number of lines written.
 * @throws whatever the source or the file system throws (the temporary file is removed).
 * @example
 * ```ts
 * import { writeJsonl } from "@tunekit/instruct/node";
 * await writeJsonl("pairs.jsonl", [{ prompt: "2+2?", completion: "4" }]);
 * ```
 */
export async function writeJsonl(
  path: string,
  records: Iterable<unknown> | AsyncIterable<unknown>,
  options: JsonlWriterOptions = {},
): Promise<{ lines: number }> {
  const writer = await openJsonlWriter(path, options);
  try {
    for await (const record of records) await writer.write(record);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { lines: writer.lines };
}

export {
  type FormatJsonlFileCounts,
  type FormatJsonlFileOptions,
  formatJsonlFile,
} from "./format-file";
