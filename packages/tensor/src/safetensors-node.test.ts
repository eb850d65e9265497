import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TunekitError } from "../../../internal/shared/src/index";
import { readSafetensors, writeSafetensors } from "./safetensors";
import {
  createSafetensorsWriter,
  openSafetensorsFile,
  readSafetensorsFile,
  writeSafetensorsFile,
} from "./safetensors-node";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tunekit-tensor-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<TunekitError> {
  try {
    await promise;
  } catch (error) {
    if (TunekitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

const tensors = {
  w: { dtype: "F32" as const, shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
  ids: { dtype: "I64" as const, shape: [3], data: new BigInt64Array([5n, -6n, 7n]) },
  h: { dtype: "F16" as const, shape: [1], data: new Uint16Array([0x3c00]) },
};

describe("safetensors files", () => {
  it("writes atomically the same bytes as writeSafetensors, and reads them back whole or lazily", async () => {
    const path = join(dir, "a.safetensors");
    await writeSafetensorsFile(path, tensors, { metadata: { format: "pt", note: "x" } });
    const onDisk = new Uint8Array(await readFile(path));
    expect(onDisk).toEqual(writeSafetensors(tensors, { metadata: { format: "pt", note: "x" } }));
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);

    const whole = await readSafetensorsFile(path);
    expect(whole.metadata).toEqual({ format: "pt", note: "x" });
    expect(Array.from(whole.float32("w"))).toEqual([1, 2, 3, 4]);

    const lazy = await openSafetensorsFile(path);
    expect(lazy.path).toBe(path);
    expect(lazy.names()).toEqual(whole.names());
    expect(lazy.info("ids")).toEqual(whole.info("ids"));
    expect(Array.from((await lazy.tensor("ids")).data as BigInt64Array)).toEqual([5n, -6n, 7n]);
    expect(await lazy.matrix("w")).toEqual({
      rows: 2,
      cols: 2,
      data: new Float32Array([1, 2, 3, 4]),
    });
    expect(Array.from(await lazy.float32("h"))).toEqual([1]);
    expect((await failure(lazy.tensor("nope"))).code).toBe("safetensors_missing");
    await lazy.close();
    expect((await failure(lazy.tensor("w"))).message).toMatch(/closed/);
    await lazy.close(); // closing twice is harmless
  });

  it("names the file in errors for missing and corrupt files", async () => {
    const missing = join(dir, "missing.safetensors");
    const error = await failure(readSafetensorsFile(missing));
    expect(error.code).toBe("file_io");
    expect(error.message).toContain(missing);

    const corrupt = join(dir, "corrupt.safetensors");
    const bytes = writeSafetensors(tensors);
    await writeFile(corrupt, bytes.subarray(0, bytes.length - 3));
    for (const read of [readSafetensorsFile, openSafetensorsFile]) {
      const e = await failure(read(corrupt));
      expect(e.code).toBe("safetensors_offsets");
      expect(e.message).toContain(corrupt);
    }
  });

  it("does not allocate a header buffer for an absurd header length", async () => {
    const path = join(dir, "huge-header.safetensors");
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 1n << 60n, true);
    await writeFile(path, bytes);
    expect((await failure(openSafetensorsFile(path))).code).toBe("safetensors_header");
    const tooShort = join(dir, "short.safetensors");
    await writeFile(tooShort, new Uint8Array(3));
    expect((await failure(openSafetensorsFile(tooShort))).message).toMatch(/too short/);
  });

  it("streams tensors in any order and commits only when all were written", async () => {
    const path = join(dir, "stream.safetensors");
    const writer = await createSafetensorsWriter(path, [
      { name: "b", dtype: "F32", shape: [2] },
      { name: "a", dtype: "U8", shape: [3] },
      { name: "c", dtype: "F64", shape: [1] },
    ]);
    await writer.write("a", new Uint8Array([1, 2, 3]));
    await writer.write("c", new Float64Array([0.25]));
    expect((await failure(writer.write("a", new Uint8Array(3)))).code).toBe("safetensors_write");
    expect((await failure(writer.write("zz", new Uint8Array(3)))).code).toBe("safetensors_missing");
    expect((await failure(writer.write("b", new Float64Array(2)))).code).toBe("safetensors_dtype");
    expect((await failure(writer.write("b", new Float32Array(3)))).code).toBe("shape_mismatch");
    const early = await failure(writer.commit());
    expect(early.code).toBe("safetensors_write");
    expect(early.message).toContain('"b"');
    await expect(readFile(path)).rejects.toThrow();
    await writer.write("b", new Float32Array([1, 2]));
    await writer.commit();
    const f = readSafetensors(new Uint8Array(await readFile(path)));
    expect(f.names()).toEqual(["c", "b", "a"]);
    expect(Array.from(f.float32("b"))).toEqual([1, 2]);
    expect(Array.from(f.tensor("a").data as Uint8Array)).toEqual([1, 2, 3]);
    expect((await failure(writer.write("b", new Float32Array(2)))).code).toBe("safetensors_write");
  });

  it("abort leaves the old file and no temporary file", async () => {
    const path = join(dir, "keep.safetensors");
    await writeFile(path, "old");
    const writer = await createSafetensorsWriter(path, [{ name: "x", dtype: "F32", shape: [1] }]);
    await writer.write("x", new Float32Array([1]));
    await writer.abort();
    expect(await readFile(path, "utf8")).toBe("old");
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});
