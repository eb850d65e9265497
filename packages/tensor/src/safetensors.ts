import { TunekitError } from "../../../internal/shared/src/index";
import {
  type DType,
  decodeBF16,
  decodeF16,
  dtypeByteSize,
  encodeBF16,
  encodeF16,
  isDType,
  REFERENCE_DTYPE_ORDER,
} from "./dtype";
import { isJsonNumber, isJsonObject, type JsonValue, parseJson } from "./json";
import type { Matrix } from "./matrix";

// The format (github.com/huggingface/safetensors, README "Format"): an unsigned 64-bit
// little-endian header length N, N bytes of UTF-8 JSON, then the raw tensor bytes
// (little-endian, C order). Validation follows the reference reader
// (`SafeTensors::read_metadata` and `Metadata::validate` in safetensors/src/tensor.rs).

/** The reference reader's limit on the header length, in bytes. */
export const MAX_HEADER_SIZE = 100_000_000;

/**
 * The typed array holding a tensor's elements in the storage of its dtype: `F16`, `BF16`
 * and `U16` are `Uint16Array` of raw bits; `U8`, `BOOL`, `F8_E4M3` and `F8_E5M2` are
 * `Uint8Array` of raw bytes.
 *
 * @example
 * ```ts
 * import type { TensorData } from "@tunekit/tensor";
 * const ids: TensorData = new BigInt64Array([1n, 2n, 3n]);
 * ```
 */
export type TensorData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/**
 * A tensor as stored in a safetensors file: dtype, shape, and the elements in the
 * storage of the dtype (see {@link TensorData}).
 *
 * @example
 * ```ts
 * import type { Tensor } from "@tunekit/tensor";
 * const mask: Tensor = { dtype: "BOOL", shape: [1, 3], data: new Uint8Array([1, 1, 0]) };
 * ```
 */
export interface Tensor {
  /** The element type. */
  dtype: DType;
  /** The dimensions; `[]` is a scalar. */
  shape: number[];
  /** `product(shape)` elements. */
  data: TensorData;
}

/**
 * Where one tensor lives in a safetensors file.
 *
 * @example
 * ```ts
 * import type { TensorInfo } from "@tunekit/tensor";
 * const info: TensorInfo = { name: "lm_head.weight", dtype: "F32", shape: [128, 64], dataOffsets: [0, 32768] };
 * ```
 */
export interface TensorInfo {
  /** The tensor's name (its key in the header). */
  name: string;
  /** The element type. */
  dtype: DType;
  /** The dimensions. */
  shape: number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  dataOffsets: [number, number];
}

/**
 * A parsed and validated safetensors header.
 *
 * @example
 * ```ts
 * import { parseSafetensorsHeader, writeSafetensors, zeros, tensorFromMatrix } from "@tunekit/tensor";
 * const bytes = writeSafetensors({ w: tensorFromMatrix(zeros(2, 2)) });
 * const header = parseSafetensorsHeader(bytes);
 * header.tensors[0].dataOffsets; // [0, 16]
 * ```
 */
export interface SafetensorsHeader {
  /** N, the length of the JSON header in bytes. */
  headerSize: number;
  /** Offset of the data section in the file: `8 + N`. */
  dataStart: number;
  /** The `__metadata__` string map (`{}` when absent). */
  metadata: Record<string, string>;
  /** All tensors, in data-offset order. */
  tensors: TensorInfo[];
}

/**
 * Options of {@link parseSafetensorsHeader}.
 *
 * @example
 * ```ts
 * import type { ParseHeaderOptions } from "@tunekit/tensor";
 * const options: ParseHeaderOptions = { source: "model.safetensors", fileSize: 347448 };
 * ```
 */
export interface ParseHeaderOptions {
  /** A name for the bytes (usually the file path), used in error messages. Default `"<bytes>"`. */
  source?: string;
  /**
   * The size of the whole file when `bytes` holds only its beginning (at least the
   * header). Default `bytes.length`.
   */
  fileSize?: number;
}

function fail(code: string, source: string, message: string, cause?: unknown): never {
  throw new TunekitError(
    code,
    `${source}: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

/** How a tensor is named in messages; a corrupt header can hold absurdly long names. */
function tensorLabel(name: string): string {
  if (name.length <= 200) return `tensor ${JSON.stringify(name)}`;
  return `tensor ${JSON.stringify(name.slice(0, 200))}… (a ${name.length}-character name)`;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** A non-negative integer from a JSON number lexeme, as serde reads a `usize`. */
function readSize(value: JsonValue): number | undefined {
  if (!isJsonNumber(value) || !/^(?:-?0|[1-9][0-9]*)$/.test(value.text)) return undefined;
  const n = Number(value.text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function describe(value: JsonValue): string {
  if (isJsonNumber(value)) return value.text;
  if (isJsonObject(value)) return "an object";
  if (Array.isArray(value)) return "an array";
  return JSON.stringify(value);
}

/**
 * Parses and validates the header of a safetensors file, as the reference reader does:
 * the length is at most 100,000,000 and fits in the file, the header is UTF-8 JSON
 * holding an object, every dtype is known, every shape and offset is a whole number, each
 * tensor's byte span equals its element count × dtype size, the spans are contiguous from
 * 0 without holes or overlaps and end exactly at the end of the file, `__metadata__` maps
 * strings to strings, and no name appears twice.
 *
 * @param bytes - the file, or at least its first `8 + N` bytes.
 * @param options - `source` (used in messages), `fileSize` (when `bytes` is a prefix).
 * @returns the header, tensors in data-offset order.
 * @throws TunekitError `safetensors_header` (length, UTF-8, JSON, structure, duplicate
 *   names), `safetensors_dtype`, `safetensors_offsets`, `safetensors_metadata`; each
 *   message names the source and the tensor.
 *
 * @example
 * ```ts
 * import { parseSafetensorsHeader } from "@tunekit/tensor";
 * declare const prefix: Uint8Array; // the first bytes of a file
 * const header = parseSafetensorsHeader(prefix, { source: "model.safetensors", fileSize: 347448 });
 * for (const t of header.tensors) console.log(t.name, t.dtype, t.shape);
 * ```
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  options: ParseHeaderOptions = {},
): SafetensorsHeader {
  const source = options.source ?? "<bytes>";
  const fileSize = options.fileSize ?? bytes.length;
  const H = "safetensors_header";
  if (fileSize < 8) {
    fail(
      H,
      source,
      `the file is ${fileSize} bytes, too short for the 8-byte header length; it is not a safetensors file`,
    );
  }
  if (bytes.length < 8) {
    fail(
      H,
      source,
      `only ${bytes.length} bytes were given; pass at least the 8-byte header length and the header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const high = view.getUint32(4, true);
  const headerSize = high * 4294967296 + view.getUint32(0, true);
  if (high !== 0 || headerSize > MAX_HEADER_SIZE) {
    fail(
      H,
      source,
      `the header length ${headerSize} exceeds the limit of ${MAX_HEADER_SIZE} bytes; the file is corrupt or not a safetensors file`,
    );
  }
  const dataStart = 8 + headerSize;
  if (dataStart > fileSize) {
    fail(
      H,
      source,
      `the header length ${headerSize} runs past the end of the ${fileSize}-byte file; the file is truncated or not a safetensors file`,
    );
  }
  if (bytes.length < dataStart) {
    fail(
      H,
      source,
      `only ${bytes.length} bytes were given but the header ends at byte ${dataStart}; pass at least the whole header`,
    );
  }
  let text: string;
  try {
    text = utf8Decoder.decode(bytes.subarray(8, dataStart));
  } catch (error) {
    return fail(H, source, "the header is not valid UTF-8; the file is corrupt", error);
  }
  let json: JsonValue;
  try {
    json = parseJson(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(H, source, `the header is not valid JSON: ${message}`, error);
  }
  if (!isJsonObject(json)) {
    fail(H, source, `the header must be a JSON object of tensors, found ${describe(json)}`);
  }

  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, value] of json.entries) {
    if (name === "__metadata__") {
      metadata = readMetadata(value, source);
      continue;
    }
    tensors.push(readTensorInfo(name, value, source));
  }

  tensors.sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let expected = 0;
  for (const info of tensors) {
    const [begin, end] = info.dataOffsets;
    const label = tensorLabel(info.name);
    if (begin !== expected) {
      const problem =
        begin > expected
          ? `a hole of ${begin - expected} bytes before it`
          : "it overlaps the tensor before it";
      fail(
        "safetensors_offsets",
        source,
        `${label} starts at data byte ${begin} but the previous tensor ends at ${expected} (${problem}); the header's data_offsets are corrupt`,
      );
    }
    if (end < begin) {
      fail(
        "safetensors_offsets",
        source,
        `${label} has data_offsets [${begin}, ${end}] that end before they begin`,
      );
    }
    let elements = 1;
    for (const d of info.shape) elements *= d;
    const size = elements * dtypeByteSize(info.dtype);
    if (!Number.isSafeInteger(size)) {
      fail(
        "safetensors_offsets",
        source,
        `${label} with shape [${info.shape.join(", ")}] is too large to address`,
      );
    }
    if (end - begin !== size) {
      fail(
        "safetensors_offsets",
        source,
        `${label} is ${info.dtype} with shape [${info.shape.join(", ")}], which is ${size} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
      );
    }
    expected = end;
  }
  if (dataStart + expected !== fileSize) {
    const last =
      tensors.length > 0 ? `after ${tensorLabel(tensors[tensors.length - 1].name)} ` : "";
    const problem =
      dataStart + expected < fileSize
        ? `${fileSize - dataStart - expected} trailing bytes ${last}that no tensor covers`
        : `the tensors need ${dataStart + expected - fileSize} more bytes than the file has (truncated file)`;
    fail(
      "safetensors_offsets",
      source,
      `the data section is ${fileSize - dataStart} bytes but the tensors cover ${expected}: ${problem}`,
    );
  }
  return { headerSize, dataStart, metadata, tensors };
}

function readMetadata(value: JsonValue, source: string): Record<string, string> {
  if (value === null) return {};
  if (!isJsonObject(value)) {
    fail(
      "safetensors_metadata",
      source,
      `__metadata__ must be an object of strings, found ${describe(value)}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, v] of value.entries) {
    if (typeof v !== "string") {
      fail(
        "safetensors_metadata",
        source,
        `__metadata__ entry ${JSON.stringify(key)} must be a string, found ${describe(v)}`,
      );
    }
    Object.defineProperty(out, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function readTensorInfo(name: string, value: JsonValue, source: string): TensorInfo {
  const label = tensorLabel(name);
  const H = "safetensors_header";
  if (!isJsonObject(value)) {
    fail(
      H,
      source,
      `${label} must be an object with dtype, shape and data_offsets, found ${describe(value)}`,
    );
  }
  const dtype = value.entries.get("dtype");
  const shape = value.entries.get("shape");
  const offsets = value.entries.get("data_offsets");
  if (dtype === undefined || shape === undefined || offsets === undefined) {
    const missing = ["dtype", "shape", "data_offsets"].filter((k) => !value.entries.has(k));
    fail(H, source, `${label} lacks ${missing.join(", ")}`);
  }
  if (typeof dtype !== "string") {
    fail(
      "safetensors_dtype",
      source,
      `${label} has dtype ${describe(dtype)}; it must be a string such as "F32"`,
    );
  }
  if (!isDType(dtype)) {
    const known = REFERENCE_DTYPE_ORDER.includes(dtype);
    fail(
      "safetensors_dtype",
      source,
      known
        ? `${label} has dtype ${dtype}, which the safetensors format knows but tunekit does not read`
        : `${label} has unknown dtype ${JSON.stringify(dtype)}`,
    );
  }
  if (!Array.isArray(shape)) {
    fail(H, source, `${label} has shape ${describe(shape)}; it must be an array of whole numbers`);
  }
  const dims: number[] = [];
  for (const d of shape) {
    const size = readSize(d);
    if (size === undefined) {
      fail(
        H,
        source,
        `${label} has shape entry ${describe(d)}; dimensions must be whole numbers from 0 to 2^53 − 1`,
      );
    }
    dims.push(size);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    fail(
      "safetensors_offsets",
      source,
      `${label} has data_offsets ${Array.isArray(offsets) ? `of length ${offsets.length}` : describe(offsets)}; it must be [begin, end]`,
    );
  }
  const begin = readSize(offsets[0]);
  const end = readSize(offsets[1]);
  if (begin === undefined || end === undefined) {
    fail(
      "safetensors_offsets",
      source,
      `${label} has data_offsets [${describe(offsets[0])}, ${describe(offsets[1])}]; offsets must be whole numbers from 0 to 2^53 − 1`,
    );
  }
  return { name, dtype, shape: dims, dataOffsets: [begin, end] };
}

// ---------------------------------------------------------------------------------------
// Tensor data

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedArrayClass = {
  new (length: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
};

const STORAGE: Readonly<Record<DType, TypedArrayClass>> = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U64: BigUint64Array,
  U32: Uint32Array,
  U16: Uint16Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
  F8_E4M3: Uint8Array,
  F8_E5M2: Uint8Array,
};

/** The typed array class that stores elements of `dtype`. */
export function storageClassOf(dtype: DType): TypedArrayClass {
  return STORAGE[dtype];
}

/**
 * The elements of `bytes` (little-endian) as the storage of `dtype`: a view when the
 * bytes are aligned for the element size, else a copy.
 */
export function tensorDataFromBytes(bytes: Uint8Array, dtype: DType): TensorData {
  const Storage = STORAGE[dtype];
  const size = Storage.BYTES_PER_ELEMENT;
  const count = bytes.length / size;
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    return new Storage(bytes.buffer, bytes.byteOffset, count);
  }
  const copy = new Storage(count);
  const target = new Uint8Array(copy.buffer);
  target.set(bytes);
  if (!LITTLE_ENDIAN) swapBytes(target, size);
  return copy;
}

/** The bytes of `data` in little-endian order (a view on little-endian hosts). */
export function tensorDataBytes(data: TensorData): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A tensor's elements as float32: `F32` as is (no copy), `F64` rounded, `F16` and `BF16`
 * decoded exactly.
 *
 * @param t - the tensor.
 * @returns the values.
 * @throws TunekitError `safetensors_dtype` for integer, boolean and 8-bit float dtypes.
 *
 * @example
 * ```ts
 * import { tensorToFloat32 } from "@tunekit/tensor";
 * tensorToFloat32({ dtype: "BF16", shape: [2], data: new Uint16Array([0x3f80, 0xc000]) }); // [1, -2]
 * ```
 */
export function tensorToFloat32(t: Tensor): Float32Array {
  switch (t.dtype) {
    case "F32":
      return t.data as Float32Array;
    case "F64":
      return Float32Array.from(t.data as Float64Array);
    case "F16":
      return decodeF16(t.data as Uint16Array);
    case "BF16":
      return decodeBF16(t.data as Uint16Array);
    default:
      throw new TunekitError(
        "safetensors_dtype",
        `a ${t.dtype} tensor has no float32 reading; only F32, F64, F16 and BF16 tensors do`,
      );
  }
}

/**
 * A tensor as a float32 {@link Matrix}: 2-D tensors as they are, 1-D tensors as one row.
 *
 * @param t - an `F32`, `F64`, `F16` or `BF16` tensor of rank 1 or 2.
 * @returns the matrix (sharing `t.data` when the dtype is `F32`).
 * @throws TunekitError `invalid_shape` for other ranks or a data length that does not match
 *   the shape; `safetensors_dtype` for other dtypes.
 *
 * @example
 * ```ts
 * import { matrixFromTensor } from "@tunekit/tensor";
 * const m = matrixFromTensor({ dtype: "F32", shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) });
 * m.rows; // 2
 * ```
 */
export function matrixFromTensor(t: Tensor): Matrix<Float32Array> {
  if (t.shape.length !== 1 && t.shape.length !== 2) {
    throw new TunekitError(
      "invalid_shape",
      `a tensor of shape [${t.shape.join(", ")}] is not a matrix; only 1-D and 2-D tensors are`,
    );
  }
  const data = tensorToFloat32(t);
  const rows = t.shape.length === 2 ? t.shape[0] : 1;
  const cols = t.shape[t.shape.length - 1];
  if (data.length !== rows * cols) {
    throw new TunekitError(
      "invalid_shape",
      `a tensor of shape [${t.shape.join(", ")}] needs ${rows * cols} elements but its data holds ${data.length}`,
    );
  }
  return { rows, cols, data };
}

/**
 * A matrix as a tensor of shape `[rows, cols]`, stored as `F32` (default), `F64`, `F16`
 * or `BF16` (the last two rounded to nearest even).
 *
 * @param m - the matrix.
 * @param dtype - the storage dtype. Default `"F32"`.
 * @returns the tensor; it shares `m.data` when the storage already matches.
 *
 * @example
 * ```ts
 * import { identity, tensorFromMatrix } from "@tunekit/tensor";
 * const t = tensorFromMatrix(identity(4), "BF16"); // { dtype: "BF16", shape: [4, 4], data: Uint16Array }
 * ```
 */
export function tensorFromMatrix(m: Matrix, dtype: "F32" | "F64" | "F16" | "BF16" = "F32"): Tensor {
  const shape = [m.rows, m.cols];
  switch (dtype) {
    case "F32":
      return {
        dtype,
        shape,
        data: m.data instanceof Float32Array ? m.data : Float32Array.from(m.data),
      };
    case "F64":
      return {
        dtype,
        shape,
        data: m.data instanceof Float64Array ? m.data : Float64Array.from(m.data),
      };
    case "F16":
      return { dtype, shape, data: encodeF16(m.data) };
    case "BF16":
      return { dtype, shape, data: encodeBF16(m.data) };
    default:
      throw new TunekitError(
        "safetensors_dtype",
        `a matrix can be stored as F32, F64, F16 or BF16, not ${String(dtype)}`,
      );
  }
}

// ---------------------------------------------------------------------------------------
// Reading from bytes

/**
 * A safetensors file held in memory: the header is parsed up front, tensors are
 * decoded only when asked for.
 *
 * @example
 * ```ts
 * import { readSafetensors } from "@tunekit/tensor";
 * declare const bytes: Uint8Array;
 * const file = readSafetensors(bytes, { source: "adapter_model.safetensors" });
 * const a = file.matrix("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
 * ```
 */
export interface SafetensorsFile {
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
  /**
   * A tensor's data: a zero-copy view of the file's bytes when aligned, else a copy.
   * Writing into a view changes the bytes the file was read from; copy first to keep them.
   */
  tensor(name: string): Tensor;
  /** A float tensor's values as float32 (`safetensors_dtype` for other dtypes). */
  float32(name: string): Float32Array;
  /** A 1-D or 2-D float tensor as a float32 matrix (1-D as one row); F32 data is a view, as with `tensor`. */
  matrix(name: string): Matrix<Float32Array>;
}

/**
 * Options of {@link readSafetensors}.
 *
 * @example
 * ```ts
 * import type { ReadSafetensorsOptions } from "@tunekit/tensor";
 * const options: ReadSafetensorsOptions = { source: "model.safetensors" };
 * ```
 */
export interface ReadSafetensorsOptions {
  /** A name for the bytes, used in error messages. Default `"<bytes>"`. */
  source?: string;
}

/** Name → info lookup shared by the in-memory and the on-disk readers. */
export function indexTensors(header: SafetensorsHeader, source: string) {
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  return {
    names: (): string[] => header.tensors.map((t) => t.name),
    has: (name: string): boolean => byName.has(name),
    info(name: string): TensorInfo {
      const found = byName.get(name);
      if (found === undefined) {
        const known = header.tensors.length;
        fail(
          "safetensors_missing",
          source,
          `no ${tensorLabel(name)} among its ${known} tensors; check the name (list them with names())`,
        );
      }
      return found;
    },
  };
}

/**
 * Reads a whole safetensors file from memory. The header is validated at once; each
 * tensor is sliced out on demand (a zero-copy view when its bytes are aligned for its
 * element size, else a copy).
 *
 * @param bytes - the complete file.
 * @param options - `source`: a name for error messages (default `"<bytes>"`).
 * @returns the file.
 * @throws TunekitError as {@link parseSafetensorsHeader}; `safetensors_missing` from
 *   `info`/`tensor` for an unknown name.
 *
 * @example
 * ```ts
 * import { readSafetensors, writeSafetensors, fromArray, tensorFromMatrix } from "@tunekit/tensor";
 * const bytes = writeSafetensors({ w: tensorFromMatrix(fromArray([[1, 2], [3, 4]])) });
 * const file = readSafetensors(bytes);
 * file.float32("w"); // Float32Array [1, 2, 3, 4]
 * ```
 */
export function readSafetensors(
  bytes: Uint8Array,
  options: ReadSafetensorsOptions = {},
): SafetensorsFile {
  const source = options.source ?? "<bytes>";
  const header = parseSafetensorsHeader(bytes, { source });
  const index = indexTensors(header, source);
  const tensor = (name: string): Tensor => {
    const info = index.info(name);
    const [begin, end] = info.dataOffsets;
    const slice = bytes.subarray(header.dataStart + begin, header.dataStart + end);
    return {
      dtype: info.dtype,
      shape: [...info.shape],
      data: tensorDataFromBytes(slice, info.dtype),
    };
  };
  return {
    header,
    metadata: header.metadata,
    ...index,
    tensor,
    float32: (name) => floatOf(tensor(name), name, source),
    matrix: (name) => matrixOf(tensor(name), name, source),
  };
}

/** {@link tensorToFloat32} with the tensor and file named in errors. */
export function floatOf(t: Tensor, name: string, source: string): Float32Array {
  try {
    return tensorToFloat32(t);
  } catch (error) {
    if (TunekitError.isInstance(error))
      fail(error.code, source, `${tensorLabel(name)}: ${error.message}`);
    throw error;
  }
}

/** {@link matrixFromTensor} with the tensor and file named in errors. */
export function matrixOf(t: Tensor, name: string, source: string): Matrix<Float32Array> {
  try {
    return matrixFromTensor(t);
  } catch (error) {
    if (TunekitError.isInstance(error))
      fail(error.code, source, `${tensorLabel(name)}: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Writing

/**
 * Options of {@link writeSafetensors}.
 *
 * @example
 * ```ts
 * import type { WriteSafetensorsOptions } from "@tunekit/tensor";
 * const options: WriteSafetensorsOptions = { metadata: { format: "pt", note: "merged" } };
 * ```
 */
export interface WriteSafetensorsOptions {
  /** The `__metadata__` string map; `null` writes none. Default `{ format: "pt" }`. */
  metadata?: Record<string, string> | null;
}

/** A tensor's place in a file being written. */
export interface PlannedTensor {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/** The header bytes (length prefix included) and layout of a file to write. */
export interface SafetensorsPlan {
  /** `8 + N` bytes: the length and the space-padded JSON header. */
  headerBytes: Uint8Array;
  /** Tensors in file order with their data offsets. */
  tensors: PlannedTensor[];
  /** Total file size. */
  fileSize: number;
}

const LONE_SURROGATE = /\p{Cs}/u;

function compareUtf8(a: string, b: string): number {
  // Code point order equals UTF-8 byte order, which is how the reference sorts names.
  const x = utf8Encoder.encode(a);
  const y = utf8Encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Lays out a file: validates names, shapes and metadata, orders tensors as the reference
 * writer does (larger-alignment dtypes first, then by name), and builds the header.
 */
export function planSafetensors(
  entries: readonly { name: string; dtype: DType; shape: readonly number[] }[],
  metadata: Record<string, string> | null | undefined,
  source: string,
): SafetensorsPlan {
  const seen = new Set<string>();
  for (const e of entries) {
    const label = tensorLabel(e.name);
    if (typeof e.name !== "string" || e.name === "__metadata__" || LONE_SURROGATE.test(e.name)) {
      fail(
        "safetensors_header",
        source,
        `${label} cannot be stored: names must be valid Unicode and not "__metadata__"`,
      );
    }
    if (seen.has(e.name))
      fail("safetensors_header", source, `${label} appears twice; names must be unique`);
    seen.add(e.name);
    if (!isDType(e.dtype))
      fail("safetensors_dtype", source, `${label} has unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(
        "invalid_shape",
        source,
        `${label} has shape ${JSON.stringify(e.shape)}; dimensions must be whole numbers from 0 to 2^53 − 1`,
      );
    }
  }
  const meta = metadata === undefined ? { format: "pt" } : metadata;
  if (meta !== null) {
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== "string" || LONE_SURROGATE.test(k) || LONE_SURROGATE.test(v)) {
        fail(
          "safetensors_metadata",
          source,
          `metadata entry ${JSON.stringify(k)} must be a string of valid Unicode`,
        );
      }
    }
  }
  const rank = (d: DType) => REFERENCE_DTYPE_ORDER.indexOf(d);
  const ordered = [...entries].sort(
    (a, b) => rank(b.dtype) - rank(a.dtype) || compareUtf8(a.name, b.name),
  );
  const tensors: PlannedTensor[] = [];
  // Built by hand: a JS object would move integer-like names ("0", "12") to the front.
  const parts: string[] = [];
  if (meta !== null) {
    const fields = Object.entries(meta).map(
      ([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`,
    );
    parts.push(`"__metadata__":{${fields.join(",")}}`);
  }
  let offset = 0;
  for (const e of ordered) {
    const size = elementCount(e.shape) * dtypeByteSize(e.dtype);
    if (!Number.isSafeInteger(offset + size)) {
      fail(
        "safetensors_offsets",
        source,
        `${tensorLabel(e.name)} makes the file too large to address`,
      );
    }
    tensors.push({
      name: e.name,
      dtype: e.dtype,
      shape: [...e.shape],
      begin: offset,
      end: offset + size,
    });
    parts.push(
      `${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(",")}],"data_offsets":[${offset},${offset + size}]}`,
    );
    offset += size;
  }
  const text = utf8Encoder.encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(text.length / 8) * 8;
  if (padded > MAX_HEADER_SIZE) {
    fail(
      "safetensors_header",
      source,
      `the header would be ${padded} bytes, over the ${MAX_HEADER_SIZE}-byte limit readers accept`,
    );
  }
  const headerBytes = new Uint8Array(8 + padded).fill(0x20, 8 + text.length);
  const view = new DataView(headerBytes.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  headerBytes.set(text, 8);
  return { headerBytes, tensors, fileSize: 8 + padded + offset };
}

/** Throws unless `data` is the storage of `dtype` and holds `product(shape)` elements. */
export function checkTensorData(
  name: string,
  dtype: DType,
  shape: readonly number[],
  data: unknown,
  source: string,
): asserts data is TensorData {
  const Storage = STORAGE[dtype];
  const label = tensorLabel(name);
  if (!(data instanceof Storage)) {
    const got = typeof data === "object" && data !== null ? data.constructor.name : typeof data;
    fail(
      "safetensors_dtype",
      source,
      `${label} is ${dtype}, whose data must be a ${Storage.name}, but got ${got}`,
    );
  }
  const expected = elementCount(shape);
  if ((data as TensorData).length !== expected) {
    fail(
      "shape_mismatch",
      source,
      `${label} has shape [${shape.join(", ")}] (${expected} elements) but its data holds ${(data as TensorData).length}`,
    );
  }
}

/** Tensors given as a record or a map, as entries. */
export function tensorEntries(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
): [string, Tensor][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

/**
 * Serialises tensors to safetensors bytes, as the reference writer lays them out: the
 * header JSON padded with spaces to a multiple of 8 bytes, tensors sorted by dtype
 * (larger alignment first, the reference's order) then by name, packed without gaps.
 *
 * @param tensors - name → tensor, as a record or a map.
 * @param options - `metadata`: the `__metadata__` map (default `{ format: "pt" }`;
 *   `null` for none).
 * @returns the file's bytes.
 * @throws TunekitError `safetensors_dtype` when data is not the storage of its dtype,
 *   `shape_mismatch` when it has the wrong length, `safetensors_header` for a name that
 *   cannot be stored, `safetensors_metadata` for a non-string metadata value.
 *
 * @example
 * ```ts
 * import { fromArray, tensorFromMatrix, writeSafetensors } from "@tunekit/tensor";
 * const bytes = writeSafetensors({
 *   "layer.weight": tensorFromMatrix(fromArray([[1, 2], [3, 4]])),
 *   "layer.mask": { dtype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) },
 * });
 * ```
 */
export function writeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const source = "<writeSafetensors>";
  const entries = tensorEntries(tensors);
  const byName = new Map<string, Tensor>();
  for (const [name, t] of entries) {
    checkTensorData(name, t.dtype, t.shape, t.data, source);
    byName.set(name, t);
  }
  const plan = planSafetensors(
    entries.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape })),
    options.metadata,
    source,
  );
  const out = new Uint8Array(plan.fileSize);
  out.set(plan.headerBytes, 0);
  const start = plan.headerBytes.length;
  for (const p of plan.tensors) {
    out.set(tensorDataBytes(byName.get(p.name)!.data), start + p.begin);
  }
  return out;
}
