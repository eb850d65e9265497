import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJsonlWriter, readAllRecords, readRecords, writeJsonl } from "./node";
import { DataFileError } from "./records";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "instruct-node-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readRecords", () => {
  it("reads JSONL, JSON arrays, CSV and TSV by extension", async () => {
    await writeFile(join(dir, "a.jsonl"), '{"q":"x"}\n{"q":"y"}\n');
    await writeFile(join(dir, "b.json"), '[{"q":"x"},\n{"q":"y"}]');
    await writeFile(join(dir, "c.csv"), 'q\r\nx\r\n"y"\r\n');
    await writeFile(join(dir, "d.tsv"), "q\tn\nx\t1\ny\t2\n");
    for (const name of ["a.jsonl", "b.json", "c.csv", "d.tsv"]) {
      const { records } = await readAllRecords(join(dir, name));
      expect(records.map((r) => r.q)).toEqual(["x", "y"]);
    }
  });

  it("streams in small chunks with file and line on each record", async () => {
    const path = join(dir, "big.jsonl");
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ i, t: "é".repeat(i % 7) }),
    );
    await writeFile(path, `${lines.join("\n")}\n`);
    const reader = readRecords(path, { chunkSize: 97 });
    let expected = 0;
    for await (const { record, line, file } of reader) {
      expect(record.i).toBe(expected);
      expect(line).toBe(expected + 1);
      expect(file).toBe(path);
      expected++;
    }
    expect(reader.counts.records).toBe(2000);
    expect(reader.counts.bytesRead).toBe((await readFile(path)).length);
  });

  it("fails with file and line, or writes rejects and counts them", async () => {
    const path = join(dir, "bad.jsonl");
    await writeFile(path, '{"a":1}\n{"a":\n{"a":3}\n[4]\n');
    await expect(readAllRecords(path)).rejects.toThrow(`${path}:2: not valid JSON`);

    const rejects = join(dir, "out", "rejects.jsonl");
    const { records, counts } = await readAllRecords(path, { skipInvalid: true, rejects });
    expect(records).toEqual([{ a: 1 }, { a: 3 }]);
    expect(counts).toMatchObject({ records: 2, invalid: 2 });
    const written = (await readFile(rejects, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(written.map((r) => [r.file, r.line, r.code, r.text])).toEqual([
      [path, 2, "invalid_json", '{"a":'],
      [path, 4, "invalid_record", "[4]"],
    ]);
  });

  it("writes an empty rejects file when nothing was rejected, and none when reading failed", async () => {
    const good = join(dir, "good.jsonl");
    await writeFile(good, '{"a":1}\n');
    const rejects = join(dir, "r.jsonl");
    await readAllRecords(good, { skipInvalid: true, rejects });
    expect(await readFile(rejects, "utf8")).toBe("");

    const broken = join(dir, "broken.json");
    await writeFile(broken, '[{"a":1}, {"a":');
    const rejects2 = join(dir, "r2.jsonl");
    await expect(readAllRecords(broken, { skipInvalid: true, rejects: rejects2 })).rejects.toThrow(
      /ends before the closing/,
    );
    expect(await readdir(dir)).not.toContain("r2.jsonl");
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("says when the file does not exist", async () => {
    const missing = join(dir, "nope.jsonl");
    await expect(readAllRecords(missing)).rejects.toThrow(DataFileError);
    await expect(readAllRecords(missing)).rejects.toMatchObject({ code: "file_not_found" });
  });
});

describe("JSONL writers", () => {
  it("write atomically: nothing at the target until commit", async () => {
    const path = join(dir, "sub", "out.jsonl");
    const writer = await openJsonlWriter(path, { bufferSize: 16 });
    for (let i = 0; i < 50; i++) await writer.write({ i });
    expect(await readdir(join(dir, "sub"))).not.toContain("out.jsonl");
    await writer.commit();
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.length).toBe(50);
    expect(JSON.parse(lines[49])).toEqual({ i: 49 });
    await expect(writer.write({})).rejects.toThrow(/already committed/);
  });

  it("leave the old file in place when the source fails", async () => {
    const path = join(dir, "keep.jsonl");
    await writeFile(path, "old\n");
    async function* failing() {
      yield { a: 1 };
      throw new Error("source broke");
    }
    await expect(writeJsonl(path, failing())).rejects.toThrow("source broke");
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["keep.jsonl"]);
  });

  it("round-trip records through writeJsonl and readRecords", async () => {
    const path = join(dir, "rt.jsonl");
    const records = [{ t: "line\nbreak" }, { t: "\u2028 and \u2029" }, { n: 1.5, z: null }];
    expect(await writeJsonl(path, records, { fsync: false })).toEqual({ lines: 3 });
    expect((await readAllRecords(path)).records).toEqual(records);
  });
});

describe("JSONL writer bytes", () => {
  it("writes exactly JSON.stringify's text for flat and nested records, any buffer size", async () => {
    const fc = (await import("fast-check")).default;
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          '"',
          "\\",
          "\n",
          "\r",
          "\t",
          "\b",
          "\f",
          "\u0000",
          "\u001f",
          "\u007f",
          "\u2028",
          "\ud800",
          "\udfff",
          "\ufffd",
          "😀",
          "é",
          "a",
        ),
        fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      ),
      maxLength: 40,
    });
    const record = fc.oneof(
      fc.dictionary(
        text,
        fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
      ),
      fc.dictionary(text, fc.jsonValue()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 20 }),
        fc.integer({ min: 1, max: 300 }),
        async (records, bufferSize) => {
          const path = join(dir, "w.jsonl");
          const writer = await openJsonlWriter(path, { fsync: false, bufferSize });
          for (const r of records) await writer.write(r);
          await writer.commit();
          const expected = records.map((r) => `${JSON.stringify(r)}\n`).join("");
          expect((await readFile(path)).equals(Buffer.from(expected, "utf8"))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
