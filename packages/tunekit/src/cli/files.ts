import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `data` to `path` atomically: to a temporary file beside it, then a rename, so a
 * reader never sees a half-written file and a failure leaves the old file untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A line-by-line writer whose output appears at `path` only when `commit` succeeds. */
export interface AtomicLineWriter {
  write(line: string): Promise<void>;
  /** Finishes the file and renames it into place. */
  commit(): Promise<void>;
  /** Throws away what was written. */
  abort(): Promise<void>;
}

/** Opens an {@link AtomicLineWriter} for `path` (JSONL and other line formats). */
export async function openAtomicLineWriter(path: string): Promise<AtomicLineWriter> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  const stream = createWriteStream(temporary);
  let failed: Error | undefined;
  stream.on("error", (error) => {
    failed = error;
  });
  const close = () =>
    new Promise<void>((resolve, reject) => {
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  return {
    async write(line) {
      if (failed) throw failed;
      if (!stream.write(`${line}\n`)) {
        await new Promise<void>((resolve) => stream.once("drain", resolve));
      }
    },
    async commit() {
      await close();
      if (failed) throw failed;
      await rename(temporary, path);
    },
    async abort() {
      stream.destroy();
      await rm(temporary, { force: true });
    },
  };
}

/** Writes one JSON line per value to `path` atomically (nothing is left behind on failure). */
export async function writeJsonLinesAtomic(path: string, values: Iterable<unknown>): Promise<void> {
  const writer = await openAtomicLineWriter(path);
  try {
    for (const value of values) await writer.write(JSON.stringify(value));
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Reads a whole text file as UTF-8, with a clear message when it does not exist. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`file not found: ${path}`, { cause: error });
    }
    throw error;
  }
}

/** Streams the lines of a text file with their 1-based line numbers. */
export async function* readLines(path: string): AsyncGenerator<{ line: string; number: number }> {
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      yield { line, number };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`file not found: ${path}`, { cause: error });
    }
    throw error;
  }
}
