import { describe, expect, it } from "vitest";
import { createJsonlParser, formatJsonl, parseJsonl } from "./jsonl";
import { DataFileError, type ParsedItem, RecordReader, type RejectedLine } from "./records";

async function collect(chunks: string[], options = {}) {
  const rejected: RejectedLine[] = [];
  const reader = new RecordReader(chunks, createJsonlParser(), {
    file: "t.jsonl",
    onReject: (r) => {
      rejected.push(r);
    },
    ...options,
  });
  const items = [];
  for await (const item of reader) items.push(item);
  return { items, counts: reader.counts, rejected };
}

describe("JSONL", () => {
  it("reads records across chunk boundaries with their lines", async () => {
    const { items, counts } = await collect(['{"a":1}\n{"a"', ':2}\r\n\n  \n{"a":3}']);
    expect(items.map((i) => [i.line, i.index, i.record.a])).toEqual([
      [1, 0, 1],
      [2, 1, 2],
      [5, 2, 3],
    ]);
    expect(counts).toMatchObject({ records: 3, invalid: 0, blankLines: 2 });
  });

  it("strips a byte-order mark and decodes UTF-8 split inside a character", async () => {
    const bytes = new TextEncoder().encode('\ufeff{"t":"é😀"}\n');
    const reader = new RecordReader(
      [bytes.subarray(0, 11), bytes.subarray(11)],
      createJsonlParser(),
      { file: "b.jsonl" },
    );
    const out = [];
    for await (const item of reader) out.push(item.record.t);
    expect(out).toEqual(["é😀"]);
    expect(reader.counts.bytesRead).toBe(bytes.length);
  });

  it("names file and line for a bad line", async () => {
    const run = collect(['{"a":1}\n{"a":2,}\n']);
    await expect(run).rejects.toThrow(DataFileError);
    await expect(run).rejects.toThrow(/^t\.jsonl:2: not valid JSON/);
    await expect(run).rejects.toMatchObject({ code: "invalid_json", file: "t.jsonl", line: 2 });
  });

  it("rejects valid JSON that is not an object", async () => {
    await expect(collect(['{"a":1}\n[1,2]\n'])).rejects.toMatchObject({
      code: "invalid_record",
      line: 2,
    });
    await expect(collect(["null\n"])).rejects.toThrow(/holds null/);
  });

  it("sets bad lines aside and counts them with skipInvalid", async () => {
    const { items, counts, rejected } = await collect(['{"a":1}\n{oops\n"str"\n{"a":2}\n'], {
      skipInvalid: true,
    });
    expect(items.map((i) => i.record.a)).toEqual([1, 2]);
    expect(counts).toMatchObject({ records: 2, invalid: 2 });
    expect(rejected.map((r) => [r.line, r.code, r.text])).toEqual([
      [2, "invalid_json", "{oops"],
      [3, "invalid_record", '"str"'],
    ]);
  });

  it("refuses skipInvalid without a place for the rejects", () => {
    expect(() => new RecordReader([], createJsonlParser(), { skipInvalid: true })).toThrow(
      /onReject/,
    );
  });

  it("can be iterated only once", async () => {
    const reader = new RecordReader(['{"a":1}\n'], createJsonlParser());
    for await (const _ of reader) {
    }
    await expect(async () => {
      for await (const _ of reader) {
      }
    }).rejects.toThrow(/already been iterated/);
  });

  it("parses and formats whole texts", () => {
    const records = [{ a: "x\ny" }, { b: [1, 2], c: null }];
    expect(parseJsonl(formatJsonl(records))).toEqual(records);
    expect(formatJsonl([])).toBe("");
  });

  it("parses a line split anywhere the same as whole", () => {
    const text = '{"k":"αβγ"}\n{"k":"\\u2028"}\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = createJsonlParser();
      const out: ParsedItem[] = [];
      parser.push(text.slice(0, cut), out);
      parser.push(text.slice(cut), out);
      parser.end(out);
      expect(out.map((o) => o.record?.k)).toEqual(["αβγ", "\u2028"]);
    }
  });
});

describe("bytes in, lines out", () => {
  it("reads byte chunks split anywhere, inside characters and across CRLF", async () => {
    const text = '\ufeff{"k":"é😀"}\r\n\r\n{"k":"b"}\n{"k":"c"}';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const second of [cut, Math.min(bytes.length, cut + 3)]) {
        const reader = new RecordReader(
          [bytes.subarray(0, cut), bytes.subarray(cut, second), bytes.subarray(second)],
          createJsonlParser(),
        );
        const seen = [];
        for await (const { record, line } of reader) seen.push([line, record.k]);
        expect(seen).toEqual([
          [1, "é😀"],
          [3, "b"],
          [4, "c"],
        ]);
        expect(reader.counts.blankLines).toBe(1);
      }
    }
  });

  it("uses the decoder it is given", async () => {
    const calls: number[] = [];
    const decoder = new TextDecoder();
    const parser = createJsonlParser({
      decode: (b, s, e) => {
        calls.push(e - s);
        return decoder.decode(b.subarray(s, e));
      },
    });
    const reader = new RecordReader([new TextEncoder().encode('{"a":1}\n{"a":22}\n')], parser);
    for await (const _ of reader) {
    }
    expect(calls).toEqual([7, 8]);
  });
});
