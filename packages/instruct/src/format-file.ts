// Node-only: formats a JSONL file through a template in batches, optionally on worker
// threads. Imported by node.ts only.
import { existsSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { TunekitError } from "../../../internal/shared/src/index";
import { type BatchResult, type BatchSettings, formatBatch } from "./format-batch";
import { type JsonlWriter, openJsonlWriter } from "./node";
import { mapOrdered } from "./ordered-map";
import { DataFileError, type RejectedLine } from "./records";
import type { AnswerOptionsMode, PromptTemplate, TemplateSet } from "./template";

/**
 * Options of {@link formatJsonlFile}.
 *
 * @example
 * ```ts
 * import type { FormatJsonlFileOptions } from "@tunekit/instruct/node";
 * const options: FormatJsonlFileOptions = { workers: 2, fsync: false };
 * ```
 */
export interface FormatJsonlFileOptions {
  /**
   * Worker threads that parse, render and serialise batches while this thread reads and
   * writes. Default `0`: everything runs in this thread. Output is the same either way.
   * Workers load `format-worker.js` beside the built module; when it is absent (running
   * the TypeScript source), batches are formatted in this thread.
   */
  workers?: number;
  /** What to do with `{options_}` (see {@link AnswerOptionsMode}). Default `"auto"`. */
  answerOptions?: AnswerOptionsMode;
  /**
   * Set bad lines aside instead of failing: lines that are not JSON objects and records
   * the template cannot render. Default `false`: the first one throws. When `true`,
   * `onReject` is required.
   */
  skipInvalid?: boolean;
  /** Receives every line set aside (awaited, in file order). */
  onReject?: (rejected: RejectedLine) => void | Promise<void>;
  /** Flush the output to disk before it is renamed into place. Default `true`. */
  fsync?: boolean;
  /** Input bytes per batch (a batch always holds whole lines). Default 1 MiB. */
  batchSize?: number;
  /** Called after each batch is written, with the input bytes formatted so far. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * What {@link formatJsonlFile} did.
 *
 * @example
 * ```ts
 * import type { FormatJsonlFileCounts } from "@tunekit/instruct/node";
 * const counts: FormatJsonlFileCounts = { records: 498, invalid: 2, blankLines: 0 };
 * ```
 */
export interface FormatJsonlFileCounts {
  /** Output lines written. */
  records: number;
  /** Lines set aside (with `skipInvalid`). */
  invalid: number;
  /** Blank input lines, skipped. */
  blankLines: number;
}

interface BatchJob {
  bytes: Uint8Array;
  /** Whether this is the first batch of the file (which may open with a byte-order mark). */
  first: boolean;
}

/**
 * Formats batches on worker threads; `run` resolves with a batch's result. Memory is
 * recycled rather than left to the garbage collector (which a thread that allocates
 * little runs rarely): `allocate` hands out input buffers the workers gave back, and
 * `recycle` gives a result's buffer back to its worker once it has been written.
 */
export interface FormatWorkers {
  run(job: BatchJob): Promise<BatchResult>;
  allocate(size: number): Buffer;
  recycle(result: BatchResult): void;
  close(): Promise<void>;
}

/** The built worker script beside this module, or undefined when running from source. */
function workerScript(): string | undefined {
  const commonJs = typeof __dirname === "string";
  const here = commonJs ? __dirname : dirname(fileURLToPath(import.meta.url));
  const script = join(here, commonJs ? "format-worker.cjs" : "format-worker.js");
  return existsSync(script) ? script : undefined;
}

/**
 * Starts `count` workers running `script` (the built format-worker). Jobs go round-robin;
 * their input bytes are transferred, not copied, and so are the results.
 */
export function startFormatWorkers(
  count: number,
  settings: BatchSettings,
  script: string,
): FormatWorkers {
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: settings }));
  const waiting = new Map<
    number,
    { resolve: (result: BatchResult) => void; reject: (error: unknown) => void }
  >();
  const producer = new WeakMap<BatchResult, Worker>();
  const inputs: ArrayBuffer[] = [];
  let failure: unknown;
  let closing = false;
  const failAll = (error: unknown) => {
    failure ??= error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };
  for (const worker of workers) {
    type Reply = { id: number; result?: BatchResult; input?: ArrayBuffer; error?: unknown };
    worker.on("message", (message: Reply) => {
      if (message.input !== undefined && inputs.length < 2 * count) inputs.push(message.input);
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      if (message.result !== undefined) {
        producer.set(message.result, worker);
        entry.resolve(message.result);
      } else entry.reject(message.error);
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => {
      if (!closing) failAll(new Error(`a formatting worker stopped early (exit code ${code})`));
    });
  }
  let next = 0;
  return {
    run(job) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = next++;
      return new Promise<BatchResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % count].postMessage({ id, ...job }, [job.bytes.buffer as ArrayBuffer]);
      });
    },
    allocate(size) {
      const reused = inputs.pop();
      if (reused !== undefined && reused.byteLength >= size) return Buffer.from(reused, 0, size);
      // Room to spare for a line carried over, so that the buffer can be reused later.
      return Buffer.from(new ArrayBuffer(size + (size >> 4)), 0, size);
    },
    recycle(result) {
      const buffer = result.bytes.buffer as ArrayBuffer;
      producer.get(result)?.postMessage({ spare: buffer }, [buffer]);
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

async function openInput(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") {
      throw new DataFileError("file_not_found", path, 0, "file not found; check the path", {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The file in batches of whole lines (the last one may lack its line feed). Each batch
 * owns its memory, so it can be transferred to a worker.
 */
async function* fileBatches(
  path: string,
  size: number,
  allocate: (size: number) => Buffer,
): AsyncGenerator<BatchJob> {
  const handle = await openInput(path);
  try {
    let carry: Uint8Array = new Uint8Array(0);
    let first = true;
    for (;;) {
      const buffer = allocate(carry.length + size);
      buffer.set(carry, 0);
      const { bytesRead } = await handle.read(buffer, carry.length, size, null);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buffer.subarray(0, filled), first };
        return;
      }
      const cut = buffer.lastIndexOf(10, filled - 1);
      if (cut === -1) {
        carry = buffer.subarray(0, filled); // a line longer than a batch: read on
        continue;
      }
      carry = Uint8Array.prototype.slice.call(buffer, cut + 1, filled);
      yield { bytes: buffer.subarray(0, cut + 1), first };
      first = false;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Formats a JSONL file through a template into `{"prompt", "completion"}` JSONL — the
 * same lines as reading it with {@link readRecords}, rendering each record with
 * `renderTemplate` and writing `{ prompt: input, completion: target }` with
 * {@link openJsonlWriter} — but in batches, so that with `workers` the parsing, rendering
 * and serialising run on other threads. At most two batches per worker (one without
 * workers) are held at a time, so memory stays flat whatever the file size. The output
 * is written atomically (temporary file, then rename).
 *
 * A template set picks the first template whose condition the record meets (as
 * `choose: "first"`); rotation and random choice need each record's position in the
 * whole file, so use {@link readRecords} and `renderTemplate` for those.
 *
 * @param input - the JSONL file to read (UTF-8, `\n` or `\r\n` line ends).
 * @param output - the JSONL file to write.
 * @param template - a template or a template set.
 * @param options - workers, bad-line handling and writing; see {@link FormatJsonlFileOptions}.
 * @returns how many records were written, set aside and skipped as blank.
 * @throws `DataFileError` naming the file and line of the first line that is not a
 *   JSON object or that the template cannot render (unless `skipInvalid`), or
 *   `file_not_found`; {@link TunekitError} `rejects_required` when `skipInvalid` comes
 *   without `onReject`. The output file is left untouched on failure.
 * @example
 * ```ts
 * import { getTemplate } from "@tunekit/instruct";
 * import { formatJsonlFile } from "@tunekit/instruct/node";
 * const counts = await formatJsonlFile("dialogues.jsonl", "pairs.jsonl", getTemplate("dialogsum"), {
 *   workers: 2,
 * });
 * console.log(counts.records);
 * ```
 */
export async function formatJsonlFile(
  input: string,
  output: string,
  template: PromptTemplate | TemplateSet,
  options: FormatJsonlFileOptions = {},
): Promise<FormatJsonlFileCounts> {
  const {
    workers = 0,
    answerOptions = "auto",
    skipInvalid = false,
    onReject,
    fsync = true,
    batchSize = 1 << 20,
    onProgress,
  } = options;
  if (skipInvalid && !onReject) {
    throw new TunekitError(
      "rejects_required",
      "skipInvalid needs onReject so that skipped lines are kept somewhere; pass one",
    );
  }
  const settings: BatchSettings = { template, answerOptions };
  const script = workers > 0 ? workerScript() : undefined;
  const pool = script ? startFormatWorkers(workers, settings, script) : undefined;
  const run = pool
    ? pool.run
    : async (job: BatchJob) => formatBatch(job.bytes, settings, job.first);
  const counts: FormatJsonlFileCounts = { records: 0, invalid: 0, blankLines: 0 };
  let writer: JsonlWriter | undefined;
  try {
    writer = await openJsonlWriter(output, { fsync });
    let lineOffset = 0;
    let bytesRead = 0;
    const allocate = pool ? pool.allocate : (n: number) => Buffer.allocUnsafeSlow(n);
    const batches = fileBatches(input, Math.max(1, batchSize), allocate);
    for await (const result of mapOrdered(batches, run, pool ? 2 * workers : 1)) {
      for (const rejected of result.rejected) {
        const line = lineOffset + rejected.line;
        if (!skipInvalid) {
          throw new DataFileError(
            rejected.code,
            input,
            line,
            `${rejected.message} — fix it, or pass skipInvalid with onReject to set it aside`,
          );
        }
        counts.invalid++;
        await onReject!({
          file: input,
          line,
          code: rejected.code,
          error: rejected.message,
          text: rejected.text,
        });
      }
      await writer.writeBytes(result.bytes, result.records);
      pool?.recycle(result);
      counts.records += result.records;
      counts.blankLines += result.blankLines;
      lineOffset += result.lines;
      bytesRead += result.inputBytes;
      onProgress?.(bytesRead);
    }
    await writer.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await pool?.close();
  }
  return counts;
}
