import { describe, expect, it } from "vitest";
import { createJsonArrayParser, createJsonRecordsParser, parseJsonArray } from "./json-array";
import { RecordReader, type RejectedLine } from "./records";

describe("JSON array", () => {
  it("streams elements with their start lines, across any chunking", async () => {
    const text = '[\n  {"a": "[,]"},\n  {"a": "\\"}"},\n  {"a": {"n": [1, 2]}}\n]\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const reader = new RecordReader(
        [text.slice(0, cut), text.slice(cut)],
        createJsonArrayParser("a.json"),
      );
      const seen = [];
      for await (const { record, line } of reader) seen.push([line, record.a]);
      expect(seen).toEqual([
        [2, "[,]"],
        [3, '"}'],
        [4, { n: [1, 2] }],
      ]);
    }
  });

  it("reads an empty array", () => {
    expect(parseJsonArray(" [ ] ")).toEqual([]);
  });

  it("reports a bad element by line and can skip it", () => {
    const text = '[{"a":1},\n{"a":},\n3,\n{"a":2}]';
    expect(() => parseJsonArray(text, { file: "x.json" })).toThrow(/^x\.json:2: /);
    const rejected: RejectedLine[] = [];
    const records = parseJsonArray(text, {
      skipInvalid: true,
      onReject: (r) => {
        rejected.push(r);
      },
    });
    expect(records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(rejected.map((r) => [r.line, r.code])).toEqual([
      [2, "invalid_json"],
      [3, "invalid_record"],
    ]);
  });

  it("fails on a broken array as a whole", () => {
    expect(() => parseJsonArray('{"a":1}')).toThrow(/starting with \[/);
    expect(() => parseJsonArray('[{"a":1}')).toThrow(/ends before the closing \]/);
    expect(() => parseJsonArray('[{"a":1}] x')).toThrow(/after the closing \]/);
    expect(() => parseJsonArray('[{"a":1},]')).toThrow(/trailing comma/);
    expect(() => parseJsonArray("  ")).toThrow(/empty/);
  });

  it("tells arrays from JSON Lines by the first character", async () => {
    for (const text of ['\n [{"a":1},{"a":2}]', '{"a":1}\n{"a":2}\n']) {
      const reader = new RecordReader([text.slice(0, 1), text.slice(1)], createJsonRecordsParser());
      const values = [];
      for await (const { record } of reader) values.push(record.a);
      expect(values).toEqual([1, 2]);
    }
  });
});
