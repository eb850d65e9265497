import { TunekitError } from "../../../internal/shared/src/index";

/**
 * An element type of a safetensors tensor, spelled as in the file header.
 *
 * | dtype | bytes | read as |
 * |---|---|---|
 * | `F64` / `F32` | 8 / 4 | `Float64Array` / `Float32Array` |
 * | `F16` / `BF16` | 2 | `Uint16Array` of raw bits (decode with {@link decodeF16} / {@link decodeBF16}) |
 * | `I64` / `U64` | 8 | `BigInt64Array` / `BigUint64Array` |
 * | `I32` / `U32` / `I16` / `U16` / `I8` | 4 / 4 / 2 / 2 / 1 | the matching typed array |
 * | `U8` / `BOOL` / `F8_E4M3` / `F8_E5M2` | 1 | `Uint8Array` (raw bytes) |
 *
 * @example
 * ```ts
 * import { dtypeByteSize, type DType } from "@tunekit/tensor";
 * const dtype: DType = "BF16";
 * dtypeByteSize(dtype); // 2
 * ```
 */
export type DType =
  | "F64"
  | "F32"
  | "F16"
  | "BF16"
  | "I64"
  | "I32"
  | "I16"
  | "I8"
  | "U64"
  | "U32"
  | "U16"
  | "U8"
  | "BOOL"
  | "F8_E4M3"
  | "F8_E5M2";

const BYTE_SIZES: Readonly<Record<DType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/**
 * The safetensors reference's dtype order (`safetensors::Dtype`, increasing alignment);
 * the writer puts larger ones first. Also lists the dtypes the format knows but tunekit
 * does not read, so that they get a precise error.
 */
export const REFERENCE_DTYPE_ORDER: readonly string[] = [
  "BOOL",
  "F4",
  "F6_E2M3",
  "F6_E3M2",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "F8_E8M0",
  "F8_E4M3FNUZ",
  "F8_E5M2FNUZ",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "C64",
  "F64",
  "I64",
  "U64",
];

/**
 * Whether `value` names a {@link DType} tunekit reads.
 *
 * @param value - any string.
 * @returns true for the fifteen supported dtype names.
 *
 * @example
 * ```ts
 * import { isDType } from "@tunekit/tensor";
 * isDType("BF16"); // true
 * isDType("bf16"); // false: names are case-sensitive, as in the file format
 * ```
 */
export function isDType(value: string): value is DType {
  return Object.hasOwn(BYTE_SIZES, value);
}

/**
 * Bytes per element of a dtype.
 *
 * @param dtype - the dtype.
 * @returns 1, 2, 4 or 8.
 * @throws TunekitError `safetensors_dtype` for a name that is not a {@link DType}.
 *
 * @example
 * ```ts
 * import { dtypeByteSize } from "@tunekit/tensor";
 * dtypeByteSize("F32"); // 4
 * ```
 */
export function dtypeByteSize(dtype: DType): number {
  if (!isDType(dtype)) {
    throw new TunekitError("safetensors_dtype", `unknown dtype "${String(dtype)}"`);
  }
  return BYTE_SIZES[dtype];
}

// ---------------------------------------------------------------------------------------
// Scalar codecs. Decoding is exact; encoding rounds once, to nearest with ties to even,
// from the full double value.

/** 2^e for integer e in the double range, exactly. */
function pow2(e: number): number {
  return 2 ** e;
}

/** Rounds a non-negative double to an integer, ties to even. */
function roundHalfEven(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The binary exponent e with 2^e ≤ a < 2^(e+1), for finite a > 0. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  return e;
}

/**
 * Encodes a number into a binary floating-point format with `mantissaBits` stored
 * fraction bits and exponent `bias`; returns the unsigned magnitude bits, or -1 when it
 * rounds past the largest finite value.
 */
function encodeMagnitude(a: number, mantissaBits: number, bias: number): number {
  const minNormalExp = 1 - bias;
  if (a < pow2(minNormalExp)) {
    // Subnormal range: one quantum is 2^(minNormalExp − mantissaBits); a carry into the
    // exponent field yields the smallest normal, which is the right encoding.
    return roundHalfEven(a * pow2(mantissaBits - minNormalExp));
  }
  let e = exponentOf(a);
  let m = roundHalfEven(a * pow2(mantissaBits - e));
  if (m === pow2(mantissaBits + 1)) {
    e++;
    m = pow2(mantissaBits);
  }
  const field = e + bias;
  if (field >= 2 * bias + 1) return -1;
  return field * pow2(mantissaBits) + (m - pow2(mantissaBits));
}

function decodeScalar(bits: number, mantissaBits: number, bias: number, signBit: number): number {
  const sign = bits & signBit ? -1 : 1;
  const expMask = signBit - 1 - (pow2(mantissaBits) - 1);
  const field = (bits & expMask) / pow2(mantissaBits);
  const fraction = bits & (pow2(mantissaBits) - 1);
  if (field === 2 * bias + 1) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (field === 0) return sign * fraction * pow2(1 - bias - mantissaBits);
  return sign * (pow2(mantissaBits) + fraction) * pow2(field - bias - mantissaBits);
}

/**
 * The value of IEEE 754 binary16 (half precision) bits, exactly.
 *
 * @param bits - the 16 bits, 0 … 65535.
 * @returns the number (NaN for any NaN pattern).
 *
 * @example
 * ```ts
 * import { f16BitsToNumber } from "@tunekit/tensor";
 * f16BitsToNumber(0x3c00); // 1
 * f16BitsToNumber(0x7bff); // 65504, the largest finite half
 * ```
 */
export function f16BitsToNumber(bits: number): number {
  return decodeScalar(bits & 0xffff, 10, 15, 0x8000);
}

/**
 * The binary16 bits nearest to `x`, ties to even, rounded once from the full double.
 * Values beyond the range become ±Infinity; NaN becomes the quiet NaN `0x7e00`; the sign
 * of zero is kept.
 *
 * @param x - any number.
 * @returns the 16 bits.
 *
 * @example
 * ```ts
 * import { numberToF16Bits } from "@tunekit/tensor";
 * numberToF16Bits(1); // 0x3c00
 * numberToF16Bits(65520); // 0x7c00: halfway to the next binade rounds to even, Infinity
 * ```
 */
export function numberToF16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Number.POSITIVE_INFINITY) return sign | 0x7c00;
  const magnitude = encodeMagnitude(a, 10, 15);
  return sign | (magnitude < 0 ? 0x7c00 : magnitude);
}

/**
 * The value of bfloat16 bits (the top half of a binary32), exactly.
 *
 * @param bits - the 16 bits, 0 … 65535.
 * @returns the number (NaN for any NaN pattern).
 *
 * @example
 * ```ts
 * import { bf16BitsToNumber } from "@tunekit/tensor";
 * bf16BitsToNumber(0x3f80); // 1
 * bf16BitsToNumber(0x4049); // 3.140625
 * ```
 */
export function bf16BitsToNumber(bits: number): number {
  return decodeScalar(bits & 0xffff, 7, 127, 0x8000);
}

/**
 * The bfloat16 bits nearest to `x`, ties to even, rounded once from the full double.
 * For values that are already float32 this equals torch's float32 → bfloat16 conversion.
 * NaN becomes `0x7fc0`; the sign of zero is kept.
 *
 * @param x - any number.
 * @returns the 16 bits.
 *
 * @example
 * ```ts
 * import { numberToBF16Bits } from "@tunekit/tensor";
 * numberToBF16Bits(Math.PI); // 0x4049 (3.140625)
 * ```
 */
export function numberToBF16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Number.POSITIVE_INFINITY) return sign | 0x7f80;
  const magnitude = encodeMagnitude(a, 7, 127);
  return sign | (magnitude < 0 ? 0x7f80 : magnitude);
}

// ---------------------------------------------------------------------------------------
// Array codecs. Float32Array inputs and outputs go through their bit patterns, so NaN
// payloads survive a round trip and no value passes through a double.

/** binary32 bits → binary16 bits, round to nearest even. */
function f32BitsToF16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00;
    const payload = mant >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const e = exp - 112; // rebias 127 → 15
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const m = mant | 0x800000;
    const shift = 14 - e;
    let h = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa moves into the exponent: 65520 and above become Infinity.
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
  return sign | h;
}

let f16Table: Float32Array | undefined;

/** All 65,536 binary16 values as float32 bit patterns (built once, 256 KiB). */
function f16DecodeTable(): Float32Array {
  if (f16Table) return f16Table;
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0x1f) {
      bits[h] = sign | 0x7f800000 | (mant << 13);
    } else if (exp === 0) {
      // Subnormal (or zero): exact as a float32 number, so store the value.
      table[h] = (sign ? -1 : 1) * mant * 2 ** -24;
    } else {
      bits[h] = sign | ((exp + 112) << 23) | (mant << 13);
    }
  }
  f16Table = table;
  return table;
}

/**
 * Decodes binary16 bits to float32 (exact: every half is a float).
 *
 * @param bits - raw half-precision bits, e.g. the data of an `F16` tensor.
 * @returns a new array of the values; NaN payloads are kept.
 *
 * @example
 * ```ts
 * import { decodeF16 } from "@tunekit/tensor";
 * decodeF16(new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 * ```
 */
export function decodeF16(bits: Uint16Array): Float32Array {
  const table = new Uint32Array(f16DecodeTable().buffer);
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outBits[i] = table[bits[i]];
  return out;
}

/**
 * Encodes numbers as binary16 bits, round to nearest even (Infinity past ±65504,
 * NaN kept). A `Float32Array` is converted through its bit patterns (NaN payloads kept);
 * other inputs are rounded once from their double value.
 *
 * @param values - the numbers.
 * @returns a new array of bits.
 *
 * @example
 * ```ts
 * import { encodeF16 } from "@tunekit/tensor";
 * encodeF16([1, 0.1, 1e6]); // Uint16Array [0x3c00, 0x2e66, 0x7c00]
 * ```
 */
export function encodeF16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  if (values instanceof Float32Array) {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < out.length; i++) out[i] = f32BitsToF16Bits(bits[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = numberToF16Bits(values[i]);
  }
  return out;
}

/**
 * Decodes bfloat16 bits to float32 (exact: bfloat16 is the top half of a float32).
 *
 * @param bits - raw bfloat16 bits, e.g. the data of a `BF16` tensor.
 * @returns a new array of the values; NaN payloads are kept.
 *
 * @example
 * ```ts
 * import { decodeBF16 } from "@tunekit/tensor";
 * decodeBF16(new Uint16Array([0x3f80, 0x4049])); // Float32Array [1, 3.140625]
 * ```
 */
export function decodeBF16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outBits[i] = bits[i] << 16;
  return out;
}

/**
 * Encodes numbers as bfloat16 bits, round to nearest even (NaN kept). A `Float32Array`
 * is converted through its bit patterns, exactly as torch's `tensor.to(torch.bfloat16)`;
 * other inputs are rounded once from their double value.
 *
 * @param values - the numbers.
 * @returns a new array of bits.
 *
 * @example
 * ```ts
 * import { encodeBF16 } from "@tunekit/tensor";
 * encodeBF16(new Float32Array([1, Math.PI])); // Uint16Array [0x3f80, 0x4049]
 * ```
 */
export function encodeBF16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  if (values instanceof Float32Array) {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < out.length; i++) {
      const x = bits[i];
      if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) {
        const h = x >>> 16;
        out[i] = (h & 0x7f) === 0 ? h | 0x40 : h; // a NaN stays a NaN
      } else {
        out[i] = (x + 0x7fff + ((x >>> 16) & 1)) / 65536;
      }
    }
  } else {
    for (let i = 0; i < out.length; i++) out[i] = numberToBF16Bits(values[i]);
  }
  return out;
}
