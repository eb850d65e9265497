import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { type DType, dtypeByteSize } from "./dtype";
import { readSafetensors, type Tensor, writeSafetensors } from "./safetensors";

const DTYPES: DType[] = [
  "F64",
  "F32",
  "F16",
  "BF16",
  "I64",
  "I32",
  "I16",
  "I8",
  "U64",
  "U32",
  "U16",
  "U8",
  "BOOL",
  "F8_E4M3",
  "F8_E5M2",
];

const CLASSES = {
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
} as const;

/** A tensor with arbitrary bytes (any bit pattern, NaNs included) for its dtype and shape. */
const tensorArb: fc.Arbitrary<Tensor> = fc
  .record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  })
  .chain(({ dtype, shape }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc
      .uint8Array({
        minLength: count * dtypeByteSize(dtype),
        maxLength: count * dtypeByteSize(dtype),
      })
      .map((bytes) => {
        const data = new CLASSES[dtype](count);
        new Uint8Array(data.buffer).set(bytes);
        return { dtype, shape, data };
      });
  });

const nameArb = fc.string({ unit: "grapheme", maxLength: 12 }).filter((n) => n !== "__metadata__");

function bytesOf(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/** Runs the reader; anything it throws must be a TunekitError. */
function readOrTypedError(bytes: Uint8Array): void {
  try {
    const f = readSafetensors(bytes, { source: "fuzz.safetensors" });
    for (const name of f.names()) f.tensor(name);
  } catch (error) {
    if (!TunekitError.isInstance(error)) throw error;
    expect(error.message).toContain("fuzz.safetensors");
  }
}

describe("safetensors properties", () => {
  it("write then read is the identity on tensor sets and metadata", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([name]) => name, maxLength: 8 }),
        fc.option(
          fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
          { nil: null },
        ),
        (entries, metadata) => {
          const bytes = writeSafetensors(new Map(entries), { metadata });
          const f = readSafetensors(bytes);
          expect(f.names().sort()).toEqual(entries.map(([n]) => n).sort());
          expect(f.metadata).toEqual(metadata ?? {});
          for (const [name, t] of entries) {
            const back = f.tensor(name);
            expect(back.dtype).toBe(t.dtype);
            expect(back.shape).toEqual(t.shape);
            expect(back.data.constructor).toBe(t.data.constructor);
            expect(bytesOf(back)).toEqual(bytesOf(t));
          }
          const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
          expect(n % 8).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random bytes never throw anything but TunekitError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => readOrTypedError(bytes)),
      { numRuns: 2000 },
    );
  });

  it("random JSON headers never throw anything but TunekitError", () => {
    const headerArb = fc.oneof(
      fc.json(),
      fc
        .dictionary(
          fc.oneof(fc.constant("__metadata__"), fc.string({ maxLength: 4 })),
          fc.oneof(
            fc.record(
              {
                dtype: fc.oneof(fc.constantFrom(...DTYPES, "C64", "F4", "x"), fc.integer()),
                shape: fc.oneof(
                  fc.array(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double())),
                  fc.string(),
                ),
                data_offsets: fc.array(
                  fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double(), fc.string()),
                  { maxLength: 3 },
                ),
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
          { maxKeys: 4 },
        )
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(headerArb, fc.integer({ min: 0, max: 64 }), (header, dataLength) => {
        const text = new TextEncoder().encode(header);
        const bytes = new Uint8Array(8 + text.length + dataLength);
        new DataView(bytes.buffer).setUint32(0, text.length, true);
        bytes.set(text, 8);
        readOrTypedError(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it("mutated valid files never throw anything but TunekitError", () => {
    const valid = writeSafetensors({
      a: { dtype: "F32", shape: [2, 3], data: new Float32Array(6) },
      b: { dtype: "BF16", shape: [3], data: new Uint16Array(3) },
      c: { dtype: "I64", shape: [1], data: new BigInt64Array(1) },
    });
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant("flip" as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("grow" as const), at: fc.integer({ min: 1, max: 16 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let bytes = valid.slice();
        for (const m of mutations) {
          if (m.kind === "flip" && bytes.length > 0) bytes[m.at % bytes.length] = m.value;
          else if (m.kind === "cut") bytes = bytes.slice(0, m.at % (bytes.length + 1));
          else if (m.kind === "grow") bytes = Uint8Array.from([...bytes, ...new Uint8Array(m.at)]);
        }
        readOrTypedError(bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
