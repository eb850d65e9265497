import { describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { fromArray } from "./matrix";
import {
  matrixFromTensor,
  parseSafetensorsHeader,
  readSafetensors,
  type Tensor,
  tensorFromMatrix,
  tensorToFloat32,
  writeSafetensors,
} from "./safetensors";

const encoder = new TextEncoder();

/** A file from a header given as text (or raw bytes) and a data section, built by hand. */
function file(
  header: string | Uint8Array,
  data: Uint8Array | number = 0,
  lengthOverride?: bigint,
): Uint8Array {
  const text = typeof header === "string" ? encoder.encode(header) : header;
  const body = typeof data === "number" ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

function failure(fn: () => unknown): TunekitError {
  try {
    fn();
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw new Error(`expected a TunekitError, got ${String(error)}`);
  }
  throw new Error("expected a throw");
}

function rejects(bytes: Uint8Array, code: string, ...mentions: (string | RegExp)[]): void {
  const error = failure(() => readSafetensors(bytes, { source: "bad.safetensors" }));
  expect(error.code).toBe(code);
  expect(error.message).toContain("bad.safetensors");
  for (const m of mentions) expect(error.message).toMatch(m);
}

const I32_2x2 = '"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}';

describe("parseSafetensorsHeader validation (as the reference reader)", () => {
  it("accepts a minimal file, whitespace around the JSON, empty tensors and a null __metadata__", () => {
    expect(readSafetensors(file(`{${I32_2x2}}`, 16)).names()).toEqual(["t"]);
    expect(readSafetensors(file("\t\n{}\r ")).names()).toEqual([]);
    const empty = readSafetensors(file('{"e":{"dtype":"I32","shape":[2,0],"data_offsets":[0,0]}}'));
    expect(empty.tensor("e").data.length).toBe(0);
    expect(readSafetensors(file(`{"__metadata__":null,${I32_2x2}}`, 16)).metadata).toEqual({});
    const scalar = readSafetensors(
      file('{"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}', 8),
    );
    expect(scalar.tensor("s").shape).toEqual([]);
  });

  it("rejects bad header lengths", () => {
    rejects(new Uint8Array(5), "safetensors_header", /too short/);
    rejects(file("{}", 0, 100_000_001n), "safetensors_header", /100000000/);
    rejects(file("{}", 0, 1n << 40n), "safetensors_header", /exceeds the limit/);
    rejects(file("{}", 0, 1000n), "safetensors_header", /runs past the end/);
    rejects(file(""), "safetensors_header", /not valid JSON/);
  });

  it("rejects headers that are not UTF-8 JSON objects", () => {
    rejects(file(new Uint8Array([0x7b, 0xff, 0x7d])), "safetensors_header", /UTF-8/);
    rejects(file(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), "safetensors_header", /JSON/);
    rejects(file("{"), "safetensors_header", /JSON/);
    rejects(file(`{${I32_2x2}}x`, 16), "safetensors_header", /trailing characters/);
    rejects(file("[]"), "safetensors_header", /must be a JSON object/);
    rejects(
      file('{"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16],}}', 16),
      "safetensors_header",
      /JSON/,
    );
    rejects(file('{"t":"x"}'), "safetensors_header", /"t"/);
    rejects(file(`{"a":${"[".repeat(200)}${"]".repeat(200)}}`), "safetensors_header", /nesting/);
  });

  it("rejects duplicate names, naming the tensor", () => {
    rejects(file(`{${I32_2x2},${I32_2x2}}`, 16), "safetensors_header", /duplicate key "t"/);
    rejects(
      file('{"t":{"dtype":"I32","dtype":"I32","shape":[],"data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /duplicate/,
    );
  });

  it("rejects unknown and unsupported dtypes", () => {
    rejects(
      file('{"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}', 16),
      "safetensors_dtype",
      /"w"/,
      /F128/,
    );
    rejects(
      file('{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}', 8),
      "safetensors_dtype",
      /format knows/,
    );
    rejects(
      file('{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}', 4),
      "safetensors_dtype",
      /"w"/,
    );
    rejects(
      file('{"w":{"dtype":1,"shape":[1],"data_offsets":[0,4]}}', 4),
      "safetensors_dtype",
      /"w"/,
    );
  });

  it("rejects missing fields and shapes or offsets that are not whole numbers", () => {
    rejects(
      file('{"w":{"shape":[1],"data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /"w" lacks dtype/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /-1/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /1\.0/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /1e0/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}', 4),
      "safetensors_header",
      /"w"/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[-0.5,4]}}', 4),
      "safetensors_offsets",
      /-0\.5/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', 4),
      "safetensors_offsets",
      /length 3/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}', 4),
      "safetensors_offsets",
      /"w"/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}', 4),
      "safetensors_offsets",
      /"w"/,
    );
  });

  it("rejects spans that do not match shape × dtype size", () => {
    rejects(
      file('{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}', 12),
      "safetensors_offsets",
      /"w"/,
      /16 bytes/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[67108864,67108864,67108864],"data_offsets":[0,16]}}', 16),
      "safetensors_offsets",
      /"w"/,
      /too large/,
    );
    rejects(
      file('{"w":{"dtype":"F32","shape":[2,4611686018427387904],"data_offsets":[0,16]}}', 16),
      "safetensors_header",
      /"w"/,
    );
  });

  it("rejects holes, overlaps, reversed spans, trailing bytes and truncation", () => {
    const a = '"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}';
    rejects(
      file(`{${a},"b":{"dtype":"U8","shape":[4],"data_offsets":[6,10]}}`, 10),
      "safetensors_offsets",
      /"b"/,
      /hole/,
    );
    rejects(
      file(`{${a},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}`, 6),
      "safetensors_offsets",
      /"b"/,
      /overlaps/,
    );
    rejects(
      file('{"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}', 6),
      "safetensors_offsets",
      /"b"/,
    );
    rejects(
      file('{"b":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}', 4),
      "safetensors_offsets",
    );
    rejects(file(`{${a}}`, 5), "safetensors_offsets", /1 trailing bytes after tensor "a"/);
    rejects(file(`{${a}}`, 3), "safetensors_offsets", /truncated/);
    rejects(file("{}", 1), "safetensors_offsets", /trailing/);
  });

  it("rejects a __metadata__ that is not a string map", () => {
    rejects(
      file(`{"__metadata__":{"format":1},${I32_2x2}}`, 16),
      "safetensors_metadata",
      /"format"/,
    );
    rejects(file(`{"__metadata__":["pt"],${I32_2x2}}`, 16), "safetensors_metadata");
    rejects(file(`{"__metadata__":"pt",${I32_2x2}}`, 16), "safetensors_metadata");
  });

  it("fails fast on pathological headers (deep nesting, huge strings)", () => {
    rejects(file(`{"a":${"[".repeat(1_000_000)}`), "safetensors_header", /nesting deeper than 128/);
    rejects(
      file(`{"${"x".repeat(5_000_000)}":1}`),
      "safetensors_header",
      /"x{200}"… \(a 5000000-character name\)/,
    );
    rejects(
      file(`{"a":"${"\\u0041".repeat(500_000)}`),
      "safetensors_header",
      /unterminated string/,
    );
  });

  it("reads the header from a prefix when given the file size", () => {
    const bytes = file(`{${I32_2x2}}`, 16);
    const header = parseSafetensorsHeader(bytes.subarray(0, bytes.length - 16), {
      fileSize: bytes.length,
    });
    expect(header.tensors).toEqual([
      { name: "t", dtype: "I32", shape: [2, 2], dataOffsets: [0, 16] },
    ]);
    expect(
      failure(() => parseSafetensorsHeader(bytes.subarray(0, 20), { fileSize: bytes.length })).code,
    ).toBe("safetensors_header");
  });

  it("lists tensors in offset order, whatever the header order", () => {
    const header =
      '{"z":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}';
    const reversed =
      '{"a":{"dtype":"U8","shape":[2],"data_offsets":[1,3]},"z":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
    expect(readSafetensors(file(header, 3)).names()).toEqual(["z", "a"]);
    expect(readSafetensors(file(reversed, 3)).names()).toEqual(["z", "a"]);
  });
});

describe("reading tensors", () => {
  it("returns a zero-copy view when aligned and a copy when not", () => {
    const values = new Float32Array([1.5, -2, 3.25]);
    const bytes = writeSafetensors({ w: { dtype: "F32", shape: [3], data: values } });
    const aligned = readSafetensors(bytes).tensor("w");
    expect(aligned.data.buffer).toBe(bytes.buffer);
    expect(Array.from(aligned.data as Float32Array)).toEqual([1.5, -2, 3.25]);

    // The same file one byte into a larger buffer: every F32 is misaligned.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const copied = readSafetensors(shifted.subarray(1)).tensor("w");
    expect(copied.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(copied.data as Float32Array)).toEqual([1.5, -2, 3.25]);

    // A hand-made file with an F32 right after a 1-byte U8 tensor.
    const data = new Uint8Array(5);
    data[0] = 7;
    new DataView(data.buffer).setFloat32(1, 6.5, true);
    const odd = readSafetensors(
      file(
        '{"u":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"f":{"dtype":"F32","shape":[1],"data_offsets":[1,5]}}',
        data,
      ),
    );
    expect(Array.from(odd.tensor("f").data as Float32Array)).toEqual([6.5]);
    expect(Array.from(odd.tensor("u").data as Uint8Array)).toEqual([7]);
  });

  it("decodes each dtype into its typed array", () => {
    const data = new Uint8Array(8 + 4 + 2 + 2 + 1);
    const view = new DataView(data.buffer);
    view.setBigInt64(0, -3n, true);
    view.setInt32(8, -7, true);
    view.setUint16(12, 0x3c00, true); // F16 1.0
    view.setUint16(14, 0xc000, true); // BF16 -2.0
    data[16] = 1;
    const header =
      '{"i":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"j":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},' +
      '"h":{"dtype":"F16","shape":[1],"data_offsets":[12,14]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[14,16]},' +
      '"m":{"dtype":"BOOL","shape":[1],"data_offsets":[16,17]}}';
    const f = readSafetensors(file(header, data), { source: "typed.safetensors" });
    expect((f.tensor("i").data as BigInt64Array)[0]).toBe(-3n);
    expect((f.tensor("j").data as Int32Array)[0]).toBe(-7);
    expect(Array.from(f.float32("h"))).toEqual([1]);
    expect(Array.from(f.float32("b"))).toEqual([-2]);
    expect(f.tensor("m").data).toBeInstanceOf(Uint8Array);
    const error = failure(() => f.float32("i"));
    expect(error.code).toBe("safetensors_dtype");
    expect(error.message).toMatch(/typed\.safetensors.*"i"/);
    expect(f.matrix("h")).toEqual({ rows: 1, cols: 1, data: new Float32Array([1]) });
    const missing = failure(() => f.tensor("nope"));
    expect(missing.code).toBe("safetensors_missing");
    expect(missing.message).toMatch(/typed\.safetensors.*"nope"/);
    expect(f.has("i")).toBe(true);
    expect(f.has("nope")).toBe(false);
  });
});

describe("writeSafetensors", () => {
  it("writes the reference layout byte for byte", () => {
    // What the reference writer produces for {"test": I32 zeros(2, 2)} with the format tag.
    const expectedHeader =
      '{"__metadata__":{"format":"pt"},"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    const bytes = writeSafetensors({
      test: { dtype: "I32", shape: [2, 2], data: new Int32Array(4) },
    });
    const padded = Math.ceil(expectedHeader.length / 8) * 8;
    expect(new DataView(bytes.buffer).getBigUint64(0, true)).toBe(BigInt(padded));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded))).toBe(
      expectedHeader.padEnd(padded, " "),
    );
    expect(bytes.length).toBe(8 + padded + 16);
  });

  it("sorts by dtype (largest alignment first, the reference's order) then by name", () => {
    const t = (dtype: Tensor["dtype"], data: Tensor["data"]): Tensor => ({
      dtype,
      shape: [data.length],
      data,
    });
    const bytes = writeSafetensors(
      new Map([
        ["b", t("F32", new Float32Array(1))],
        ["a", t("F16", new Uint16Array(1))],
        ["c", t("I64", new BigInt64Array(1))],
        ["10", t("F32", new Float32Array(1))],
        ["2", t("F32", new Float32Array(1))],
        ["m", t("BOOL", new Uint8Array(1))],
        ["é", t("U8", new Uint8Array(1))],
        ["z", t("U8", new Uint8Array(1))],
      ]),
      { metadata: null },
    );
    const f = readSafetensors(bytes);
    expect(f.names()).toEqual(["c", "10", "2", "b", "a", "z", "é", "m"]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.startsWith('{"c":')).toBe(true);
    expect(text).not.toContain("__metadata__");
    expect(n % 8).toBe(0);
  });

  it("writes custom metadata and rejects bad input", () => {
    const w = tensorFromMatrix(fromArray([[1, 2]]));
    expect(
      readSafetensors(writeSafetensors({ w }, { metadata: { a: "1", format: "np" } })).metadata,
    ).toEqual({ a: "1", format: "np" });
    expect(
      failure(() =>
        writeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float64Array(2) } }),
      ).code,
    ).toBe("safetensors_dtype");
    expect(
      failure(() =>
        writeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(2) } }),
      ).code,
    ).toBe("shape_mismatch");
    expect(failure(() => writeSafetensors({ __metadata__: w })).code).toBe("safetensors_header");
    expect(failure(() => writeSafetensors({ "\ud800": w })).code).toBe("safetensors_header");
    expect(
      failure(() => writeSafetensors({ w }, { metadata: { a: 1 as unknown as string } })).code,
    ).toBe("safetensors_metadata");
  });
});

describe("matrix ↔ tensor", () => {
  it("converts through every float dtype", () => {
    const m = fromArray([
      [1, -0.5],
      [65504, 3.140625],
    ]);
    for (const dtype of ["F32", "F64", "F16", "BF16"] as const) {
      const t = tensorFromMatrix(m, dtype);
      expect(t.shape).toEqual([2, 2]);
      const back = matrixFromTensor(t);
      expect(back.rows).toBe(2);
      expect(Array.from(back.data)).toEqual(
        dtype === "BF16" ? [1, -0.5, 65536, 3.140625] : [1, -0.5, 65504, 3.140625],
      );
    }
    expect(tensorFromMatrix(m).data).toBe(m.data);
    expect(matrixFromTensor({ dtype: "F32", shape: [3], data: new Float32Array(3) })).toMatchObject(
      { rows: 1, cols: 3 },
    );
    expect(
      failure(() => matrixFromTensor({ dtype: "F32", shape: [1, 1, 1], data: new Float32Array(1) }))
        .code,
    ).toBe("invalid_shape");
    const short = failure(() =>
      matrixFromTensor({ dtype: "F32", shape: [2, 2], data: new Float32Array(3) }),
    );
    expect(short.message).toMatch(/needs 4 elements but its data holds 3/);
    expect(
      failure(() => tensorToFloat32({ dtype: "U8", shape: [1], data: new Uint8Array(1) })).code,
    ).toBe("safetensors_dtype");
  });
});
