import { describe, expect, it } from "vitest";
import {
  bf16BitsToNumber,
  decodeBF16,
  decodeF16,
  dtypeByteSize,
  encodeBF16,
  encodeF16,
  f16BitsToNumber,
  isDType,
  numberToBF16Bits,
  numberToF16Bits,
} from "./dtype";

// Independent decoders written from the IEEE 754 definitions (sign, biased exponent,
// fraction with an implicit leading 1 for normal numbers) with Math.pow.
function referenceDecode(bits: number, expBits: number, fracBits: number): number {
  const sign = bits >> (expBits + fracBits) ? -1 : 1;
  const exp = (bits >> fracBits) & ((1 << expBits) - 1);
  const frac = bits & ((1 << fracBits) - 1);
  const bias = (1 << (expBits - 1)) - 1;
  if (exp === (1 << expBits) - 1) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exp === 0) return sign * 2 ** (1 - bias) * (frac / 2 ** fracBits);
  return sign * 2 ** (exp - bias) * (1 + frac / 2 ** fracBits);
}
const refF16 = (bits: number) => referenceDecode(bits, 5, 10);
const refBF16 = (bits: number) => referenceDecode(bits, 8, 7);

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);
const isNaNBits = (bits: number, expMask: number, fracMask: number) =>
  (bits & expMask) === expMask && (bits & fracMask) !== 0;

function f32Bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

describe.each([
  {
    name: "F16",
    decode: decodeF16,
    encode: encodeF16,
    toNumber: f16BitsToNumber,
    fromNumber: numberToF16Bits,
    ref: refF16,
    expMask: 0x7c00,
    fracMask: 0x3ff,
  },
  {
    name: "BF16",
    decode: decodeBF16,
    encode: encodeBF16,
    toNumber: bf16BitsToNumber,
    fromNumber: numberToBF16Bits,
    ref: refBF16,
    expMask: 0x7f80,
    fracMask: 0x7f,
  },
])(
  "$name, all 65,536 bit patterns",
  ({ decode, encode, toNumber, fromNumber, ref, expMask, fracMask }) => {
    const decoded = decode(ALL);

    it("decodes every pattern exactly (array and scalar) as the IEEE definition says", () => {
      const same = (a: number, b: number) =>
        Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
      const wrong: number[] = [];
      for (let h = 0; h < 65536; h++) {
        const expected = ref(h);
        if (!same(decoded[h], expected) || !same(toNumber(h), expected)) wrong.push(h);
      }
      expect(wrong).toEqual([]);
    });

    it("round-trips every pattern bit-exactly through Float32Array, NaN payloads included", () => {
      expect(Array.from(encode(decoded))).toEqual(Array.from(ALL));
    });

    it("round-trips every non-NaN pattern through plain numbers; NaN stays NaN", () => {
      const numbers = Array.from(ALL, (h) => toNumber(h));
      const back = encode(numbers);
      const wrong: number[] = [];
      let nans = 0;
      for (let h = 0; h < 65536; h++) {
        if (isNaNBits(h, expMask, fracMask)) {
          nans++;
          if (!isNaNBits(back[h], expMask, fracMask) || !Number.isNaN(toNumber(back[h])))
            wrong.push(h);
        } else if (back[h] !== h || fromNumber(numbers[h]) !== h) {
          wrong.push(h);
        }
      }
      expect(wrong).toEqual([]);
      expect(nans).toBe(2 * fracMask); // 2 signs × (2^fraction bits − 1) payloads
    });

    it("rounds to nearest with ties to even between every pair of neighbours", () => {
      // For each positive finite x and its successor y: the midpoint (exact in binary32 and
      // binary64) goes to whichever has an even fraction; points just off it go to the nearer.
      const top = expMask; // first non-finite pattern
      const mids: number[] = [];
      const below: number[] = [];
      const above: number[] = [];
      const expected: number[][] = [];
      for (let h = 0; h + 1 < top; h++) {
        const x = ref(h);
        const y = ref(h + 1);
        const mid = (x + y) / 2;
        const even = h % 2 === 0 ? h : h + 1;
        mids.push(mid);
        below.push(mid - (y - x) / 1024);
        above.push(mid + (y - x) / 1024);
        expected.push([even, h, h + 1]);
      }
      const viaF32 = [
        encode(Float32Array.from(mids)),
        encode(Float32Array.from(below)),
        encode(Float32Array.from(above)),
      ];
      const viaNumbers = [encode(mids), encode(below), encode(above)];
      const inputs = [mids, below, above];
      const wrong: string[] = [];
      for (let i = 0; i < mids.length; i++) {
        for (let k = 0; k < 3; k++) {
          const want = expected[i][k];
          // Negative values mirror positive ones with the sign bit set.
          if (
            viaNumbers[k][i] !== want ||
            viaF32[k][i] !== want ||
            fromNumber(-inputs[k][i]) !== (want | 0x8000)
          ) {
            wrong.push(`${inputs[k][i]}`);
          }
        }
      }
      expect(mids.length).toBe(expMask - 1);
      expect(wrong).toEqual([]);
    });

    it("overflows to Infinity at and beyond the midpoint above the largest finite value", () => {
      const largest = ref(expMask - 1);
      const next = ref(expMask - 2);
      const overflowAt = largest + (largest - next) / 2;
      expect(fromNumber(overflowAt)).toBe(expMask);
      expect(fromNumber(-overflowAt)).toBe(expMask | 0x8000);
      expect(fromNumber(overflowAt * 0.9999999)).toBe(expMask - 1);
      expect(fromNumber(1e300)).toBe(expMask);
      expect(encode(new Float32Array([overflowAt, -1e38 * 3]))[0]).toBe(expMask);
      expect(fromNumber(Number.POSITIVE_INFINITY)).toBe(expMask);
      expect(fromNumber(Number.NEGATIVE_INFINITY)).toBe(expMask | 0x8000);
    });

    it("keeps the sign of zero and flushes values below half the smallest subnormal to zero", () => {
      const tiny = ref(1);
      expect(fromNumber(0)).toBe(0);
      expect(fromNumber(-0)).toBe(0x8000);
      expect(fromNumber(tiny / 2)).toBe(0); // tie to even: zero
      expect(fromNumber(tiny * 0.5000001)).toBe(1);
      expect(fromNumber(-tiny / 4)).toBe(0x8000);
      expect(Array.from(encode(new Float32Array([tiny / 2, -tiny / 4, 1e-45])))).toEqual([
        0, 0x8000, 0,
      ]);
      expect(Number.isNaN(toNumber(fromNumber(Number.NaN)))).toBe(true);
    });
  },
);

describe("known constants", () => {
  it("matches published encodings", () => {
    // IEEE 754 binary16 examples (Wikipedia "Half-precision floating-point format").
    expect(numberToF16Bits(1)).toBe(0x3c00);
    expect(numberToF16Bits(65504)).toBe(0x7bff);
    expect(numberToF16Bits(2 ** -14)).toBe(0x0400);
    expect(numberToF16Bits(2 ** -24)).toBe(0x0001);
    expect(numberToF16Bits(1 / 3)).toBe(0x3555);
    expect(numberToF16Bits(-2)).toBe(0xc000);
    expect(numberToF16Bits(0.1)).toBe(0x2e66);
    // bfloat16: π rounds to 0x4049 (3.140625), 1/3 to 0x3eab.
    expect(numberToBF16Bits(Math.PI)).toBe(0x4049);
    expect(numberToBF16Bits(1 / 3)).toBe(0x3eab);
    expect(Array.from(encodeBF16(new Float32Array([Math.PI, 1 / 3])))).toEqual([0x4049, 0x3eab]);
  });

  it("rounds once from the double, not through float32", () => {
    // 1 + 2^-11 + 2^-30 lies above the F16 midpoint between 1 and 1 + 2^-10; rounding it to
    // float32 first would land exactly on the midpoint and then tie down to 1.
    const x = 1 + 2 ** -11 + 2 ** -30;
    expect(Math.fround(x)).toBe(1 + 2 ** -11);
    expect(numberToF16Bits(x)).toBe(0x3c01);
    expect(encodeF16(new Float32Array([x]))[0]).toBe(0x3c00);
  });

  it("turns float32 NaNs into NaNs, never infinities", () => {
    const nans = new Float32Array(3);
    f32Bits(nans).set([0x7f800001, 0xff800100, 0x7fc00000]);
    for (const h of encodeF16(nans)) expect(isNaNBits(h, 0x7c00, 0x3ff)).toBe(true);
    for (const h of encodeBF16(nans)) expect(isNaNBits(h, 0x7f80, 0x7f)).toBe(true);
  });

  it("knows byte sizes and rejects unknown names", () => {
    expect(dtypeByteSize("F64")).toBe(8);
    expect(dtypeByteSize("BF16")).toBe(2);
    expect(dtypeByteSize("F8_E4M3")).toBe(1);
    expect(dtypeByteSize("U64")).toBe(8);
    expect(isDType("F32")).toBe(true);
    expect(isDType("f32")).toBe(false);
    expect(isDType("toString")).toBe(false);
    expect(() => dtypeByteSize("F128" as "F64")).toThrow(/unknown dtype/);
  });
});
