import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TunekitError } from "../../../internal/shared/src/index";
import type { DType } from "./dtype";
import type { Matrix } from "./matrix";
import {
  checkTensorData,
  floatOf,
  indexTensors,
  MAX_HEADER_SIZE,
  matrixOf,
  parseSafetensorsHeader,
  planSafetensors,
  readSafetensors,
  type SafetensorsFile,
  type SafetensorsHeader,
  storageClassOf,
  type Tensor,
  type TensorData,
  type TensorInfo,
  tensorDataBytes,
  tensorEntries,
  type WriteSafetensorsOptions,
} from "./safetensors";

/** Largest single read; `fs` reads take at most 2 GiB − 1 bytes at a time. */
const READ_CHUNK = 1 << 30;

function ioError(path: string, action: string, error: unknown): TunekitError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TunekitError("file_io", `${path}: cannot ${action}: ${reason}`, { cause: error });
}

async function openFile(path: string, flags: string, action: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (error) {
    throw ioError(path, action, error);
  }
}

/** Fills `target` from `position`, looping over short reads; throws if the file ends first. */
async function readFully(
  handle: FileHandle,
  path: string,
  target: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(READ_CHUNK, target.length - done);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, done, length, position + done));
    } catch (error) {
      throw ioError(path, "read", error);
    }
    if (bytesRead === 0) {
      throw new TunekitError(
        "safetensors_offsets",
        `${path}: the file ended at byte ${position + done} while ${target.length - done} more bytes were expected; was it changed while being read?`,
      );
    }
    done += bytesRead;
  }
}

async function fileSizeOf(handle: FileHandle, path: string): Promise<number> {
  try {
    return (await handle.stat()).size;
  } catch (error) {
    throw ioError(path, "stat", error);
  }
}

/**
 * Reads a whole safetensors file into memory and validates its header. Tensors are then
 * views into that one buffer (see {@link readSafetensors}). For files larger than memory,
 * or when only some tensors are needed, use {@link openSafetensorsFile}.
 *
 * @param path - the file.
 * @returns the file.
 * @throws TunekitError `file_io` when the file cannot be read; the codes of
 *   {@link parseSafetensorsHeader} when it is not a valid safetensors file.
 *
 * @example
 * ```ts
 * import { readSafetensorsFile } from "@tunekit/tensor/node";
 * const base = await readSafetensorsFile("base.safetensors");
 * const q = base.matrix("model.layers.0.self_attn.q_proj.weight"); // 64×64
 * ```
 */
export async function readSafetensorsFile(path: string): Promise<SafetensorsFile> {
  const handle = await openFile(path, "r", "open it for reading");
  try {
    const size = await fileSizeOf(handle, path);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(size);
    } catch (error) {
      throw new TunekitError(
        "file_io",
        `${path}: the file is ${size} bytes, too large to hold in memory at once; use openSafetensorsFile to read it tensor by tensor`,
        { cause: error },
      );
    }
    await readFully(handle, path, bytes, 0);
    return readSafetensors(bytes, { source: path });
  } finally {
    await handle.close();
  }
}

/**
 * An open safetensors file of which only the header has been read; tensors are read from
 * disk on demand, each into its own buffer. Call `close()` when done.
 *
 * @example
 * ```ts
 * import { openSafetensorsFile } from "@tunekit/tensor/node";
 * const file = await openSafetensorsFile("model.safetensors");
 * try {
 *   for (const name of file.names()) console.log(name, file.info(name).shape);
 * } finally {
 *   await file.close();
 * }
 * ```
 */
export interface SafetensorsFileReader {
  /** The file path. */
  readonly path: string;
  /** The parsed header. */
  readonly header: SafetensorsHeader;
  /** The `__metadata__` map (`{}` when absent). */
  readonly metadata: Record<string, string>;
  /** Tensor names in data-offset order. */
  names(): string[];
  /** Whether a tensor of that name exists. */
  has(name: string): boolean;
  /** Where a tensor lives; throws `safetensors_missing` for an unknown name. */
  info(name: string): TensorInfo;
  /** Reads one tensor from disk. */
  tensor(name: string): Promise<Tensor>;
  /** Reads one float tensor as float32. */
  float32(name: string): Promise<Float32Array>;
  /** Reads one 1-D or 2-D float tensor as a float32 matrix. */
  matrix(name: string): Promise<Matrix<Float32Array>>;
  /** Closes the file; later reads fail. */
  close(): Promise<void>;
}

/**
 * Opens a safetensors file and reads and validates only its header, so listing the
 * tensors of a multi-gigabyte file is instant. Tensors are read when asked for.
 *
 * @param path - the file.
 * @returns the open reader.
 * @throws TunekitError `file_io` when the file cannot be opened or read; the codes of
 *   {@link parseSafetensorsHeader} for an invalid header.
 *
 * @example
 * ```ts
 * import { openSafetensorsFile } from "@tunekit/tensor/node";
 * const file = await openSafetensorsFile("adapter_model.safetensors");
 * const names = file.names();
 * const a = await file.matrix(names[0]);
 * await file.close();
 * ```
 */
export async function openSafetensorsFile(path: string): Promise<SafetensorsFileReader> {
  const handle = await openFile(path, "r", "open it for reading");
  let header: SafetensorsHeader;
  try {
    const fileSize = await fileSizeOf(handle, path);
    const lengthBytes = new Uint8Array(Math.min(8, fileSize));
    await readFully(handle, path, lengthBytes, 0);
    // Check the length before allocating the header buffer it asks for.
    let prefix = lengthBytes;
    if (fileSize >= 8) {
      const view = new DataView(lengthBytes.buffer);
      const n = view.getUint32(4, true) * 4294967296 + view.getUint32(0, true);
      if (n <= MAX_HEADER_SIZE && 8 + n <= fileSize) {
        prefix = new Uint8Array(8 + n);
        prefix.set(lengthBytes);
        await readFully(handle, path, prefix.subarray(8), 8);
      }
    }
    header = parseSafetensorsHeader(prefix, { source: path, fileSize });
  } catch (error) {
    await handle.close();
    throw error;
  }

  const index = indexTensors(header, path);
  let closed = false;
  const tensor = async (name: string): Promise<Tensor> => {
    const info = index.info(name);
    if (closed)
      throw new TunekitError(
        "file_io",
        `${path}: cannot read tensor ${JSON.stringify(name)}: the file was closed`,
      );
    const [begin, end] = info.dataOffsets;
    const Storage = storageClassOf(info.dtype);
    let data: TensorData;
    try {
      data = new Storage((end - begin) / Storage.BYTES_PER_ELEMENT);
    } catch (error) {
      throw new TunekitError(
        "file_io",
        `${path}: tensor ${JSON.stringify(name)} is ${end - begin} bytes, too large for one typed array here`,
        { cause: error },
      );
    }
    await readFully(handle, path, new Uint8Array(data.buffer), header.dataStart + begin);
    return { dtype: info.dtype, shape: [...info.shape], data: littleEndianToHost(data) };
  };
  return {
    path,
    header,
    metadata: header.metadata,
    ...index,
    tensor,
    float32: async (name) => floatOf(await tensor(name), name, path),
    matrix: async (name) => matrixOf(await tensor(name), name, path),
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/** The file's bytes are little-endian; on a big-endian host, swap in place. */
function littleEndianToHost(data: TensorData): TensorData {
  const bytes = tensorDataBytes(data);
  if (bytes.buffer !== data.buffer) new Uint8Array(data.buffer).set(bytes);
  return data;
}

function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
}

/** A temporary sibling file that becomes `path` on commit, or disappears on abort. */
async function openAtomic(
  path: string,
): Promise<{ handle: FileHandle; commit(): Promise<void>; abort(): Promise<void> }> {
  const temp = tempPathFor(path);
  const handle = await openFile(temp, "wx", `create a temporary file next to it (${temp})`);
  let finished = false;
  return {
    handle,
    async commit() {
      finished = true;
      try {
        await handle.sync();
        await handle.close();
        await rename(temp, path);
      } catch (error) {
        await handle.close().catch(() => {});
        await unlink(temp).catch(() => {});
        throw ioError(path, "write", error);
      }
    },
    async abort() {
      if (finished) return;
      finished = true;
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
    },
  };
}

async function writeAt(
  handle: FileHandle,
  path: string,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const length = Math.min(READ_CHUNK, bytes.length - done);
    try {
      const { bytesWritten } = await handle.write(bytes, done, length, position + done);
      done += bytesWritten;
    } catch (error) {
      throw ioError(path, "write", error);
    }
  }
}

/**
 * Writes tensors to a safetensors file atomically: the file is written to a temporary
 * sibling and renamed into place, so `path` is never left half-written. The layout is
 * that of `writeSafetensors`; tensor data is written straight from its arrays,
 * without building the whole file in memory.
 *
 * @param path - the file to create or replace.
 * @param tensors - name → tensor, as a record or a map.
 * @param options - `metadata` (default `{ format: "pt" }`; `null` for none).
 * @returns a promise that settles when the file is in place.
 * @throws TunekitError as `writeSafetensors`; `file_io` when writing fails.
 *
 * @example
 * ```ts
 * import { randomNormal, tensorFromMatrix } from "@tunekit/tensor";
 * import { writeSafetensorsFile } from "@tunekit/tensor/node";
 * await writeSafetensorsFile("out.safetensors", { w: tensorFromMatrix(randomNormal(4, 4, { seed: 0 })) });
 * ```
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  const entries = tensorEntries(tensors);
  const byName = new Map<string, Tensor>();
  for (const [name, t] of entries) {
    checkTensorData(name, t.dtype, t.shape, t.data, path);
    byName.set(name, t);
  }
  const writer = await createSafetensorsWriter(
    path,
    entries.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape })),
    options,
  );
  try {
    for (const [name, t] of byName) await writer.write(name, t.data);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * A safetensors file being written tensor by tensor; see {@link createSafetensorsWriter}.
 *
 * @example
 * ```ts
 * import { createSafetensorsWriter } from "@tunekit/tensor/node";
 * const writer = await createSafetensorsWriter("big.safetensors", [{ name: "w", dtype: "F32", shape: [2] }]);
 * await writer.write("w", new Float32Array([1, 2]));
 * await writer.commit();
 * ```
 */
export interface SafetensorsStreamWriter {
  /** Writes one declared tensor (any order, each exactly once). */
  write(name: string, data: TensorData): Promise<void>;
  /** Checks every tensor was written, then moves the file into place. */
  commit(): Promise<void>;
  /** Discards the temporary file; `path` is left as it was. */
  abort(): Promise<void>;
}

/**
 * Declaration of one tensor for {@link createSafetensorsWriter}.
 *
 * @example
 * ```ts
 * import type { SafetensorsEntry } from "@tunekit/tensor/node";
 * const entry: SafetensorsEntry = { name: "lm_head.weight", dtype: "BF16", shape: [32000, 4096] };
 * ```
 */
export interface SafetensorsEntry {
  /** The tensor's name. */
  name: string;
  /** Its element type. */
  dtype: DType;
  /** Its dimensions. */
  shape: number[];
}

/**
 * Starts writing a safetensors file whose tensors are declared up front, so the header
 * is fixed and each tensor's data can be written as soon as it exists, in any order,
 * with memory bounded by the largest tensor. Nothing appears at `path` until `commit()`.
 *
 * @param path - the file to create or replace.
 * @param entries - every tensor's name, dtype and shape.
 * @param options - `metadata` (default `{ format: "pt" }`; `null` for none).
 * @returns the writer.
 * @throws TunekitError as `writeSafetensors` for bad declarations; `file_io` when
 *   the temporary file cannot be created. The writer's methods throw
 *   `safetensors_missing` (undeclared name), `safetensors_write` (written twice, not
 *   all written, already finished), `safetensors_dtype` and `shape_mismatch` (data
 *   that does not match the declaration).
 *
 * @example
 * ```ts
 * import { createSafetensorsWriter } from "@tunekit/tensor/node";
 * const writer = await createSafetensorsWriter("merged.safetensors", [
 *   { name: "a", dtype: "F32", shape: [2, 2] },
 *   { name: "b", dtype: "F16", shape: [3] },
 * ]);
 * try {
 *   await writer.write("b", new Uint16Array([0x3c00, 0x4000, 0x4200]));
 *   await writer.write("a", new Float32Array([1, 2, 3, 4]));
 *   await writer.commit();
 * } catch (error) {
 *   await writer.abort();
 *   throw error;
 * }
 * ```
 */
export async function createSafetensorsWriter(
  path: string,
  entries: SafetensorsEntry[],
  options: WriteSafetensorsOptions = {},
): Promise<SafetensorsStreamWriter> {
  const plan = planSafetensors(entries, options.metadata, path);
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const written = new Set<string>();
  const target = await openAtomic(path);
  let state: "open" | "committed" | "aborted" = "open";
  const pending = new Set<Promise<void>>();
  let failed = false;
  const checkOpen = (action: string) => {
    if (state !== "open") {
      throw new TunekitError(
        "safetensors_write",
        `${path}: cannot ${action}: the writer was already ${state}`,
      );
    }
  };
  try {
    await writeAt(target.handle, path, plan.headerBytes, 0);
  } catch (error) {
    await target.abort();
    throw error;
  }
  return {
    async write(name, data) {
      checkOpen(`write tensor ${JSON.stringify(name)}`);
      const planned = byName.get(name);
      if (planned === undefined) {
        throw new TunekitError(
          "safetensors_missing",
          `${path}: tensor ${JSON.stringify(name)} was not declared when the writer was created`,
        );
      }
      if (written.has(name)) {
        throw new TunekitError(
          "safetensors_write",
          `${path}: tensor ${JSON.stringify(name)} was already written; write each tensor once`,
        );
      }
      checkTensorData(name, planned.dtype, planned.shape, data, path);
      written.add(name);
      const job = writeAt(
        target.handle,
        path,
        tensorDataBytes(data),
        plan.headerBytes.length + planned.begin,
      );
      pending.add(job);
      try {
        await job;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        pending.delete(job);
      }
    },
    async commit() {
      checkOpen("commit");
      await Promise.allSettled([...pending]);
      if (failed) {
        throw new TunekitError(
          "safetensors_write",
          `${path}: a tensor failed to write; abort() and try again`,
        );
      }
      const missing = plan.tensors.filter((t) => !written.has(t.name)).map((t) => t.name);
      if (missing.length > 0) {
        const shown = missing
          .slice(0, 5)
          .map((n) => JSON.stringify(n))
          .join(", ");
        throw new TunekitError(
          "safetensors_write",
          `${path}: ${missing.length} declared tensor(s) were never written (${shown}${missing.length > 5 ? ", …" : ""}); write them or abort()`,
        );
      }
      state = "committed";
      await target.commit();
    },
    async abort() {
      if (state !== "open") return;
      state = "aborted";
      await Promise.allSettled([...pending]);
      await target.abort();
    },
  };
}
