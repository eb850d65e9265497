import { describe, expect, it } from "vitest";
import { createCsvParser, formatCsv, formatCsvRow, parseCsv } from "./csv";
import { type ParsedItem, RecordReader, type RejectedLine } from "./records";

describe("CSV (RFC 4180)", () => {
  it("reads quotes, doubled quotes, embedded line breaks, BOM and CRLF", () => {
    const text = '\ufeffid,text\r\n1,"say ""hi"""\r\n2,"two\r\nlines"\r\n3,plain\r\n';
    expect(parseCsv(text)).toEqual([
      { id: "1", text: 'say "hi"' },
      { id: "2", text: "two\r\nlines" },
      { id: "3", text: "plain" },
    ]);
  });

  it("accepts LF line ends, empty fields, a last line without terminator and skips empty lines", async () => {
    const reader = new RecordReader(['a,b,c\n\n,,\nx,,""\n\ny,z,w'], createCsvParser());
    const rows = [];
    for await (const { record, line } of reader) rows.push([line, record]);
    expect(rows).toEqual([
      [3, { a: "", b: "", c: "" }],
      [4, { a: "x", b: "", c: "" }],
      [6, { a: "y", b: "z", c: "w" }],
    ]);
    expect(reader.counts.blankLines).toBe(2);
  });

  it("gives each record the line it starts on when fields span lines", () => {
    const rejected: RejectedLine[] = [];
    const records = parseCsv('q\n"a\nb\nc"\nd,e\nf\n', {
      skipInvalid: true,
      onReject: (r) => {
        rejected.push(r);
      },
    });
    expect(records).toEqual([{ q: "a\nb\nc" }, { q: "f" }]);
    expect(rejected).toEqual([
      {
        file: "<input>",
        line: 5,
        code: "invalid_csv",
        error: "expected 1 fields (as the header has), got 2",
        text: "d,e",
      },
    ]);
  });

  it("names the line of a stray quote, text after a closing quote, or an open quote", () => {
    expect(() => parseCsv('a,b\n1,x"y\n', { file: "f.csv" })).toThrow(
      /^f\.csv:2: a quote inside an unquoted field \(field 2\)/,
    );
    expect(() => parseCsv('a,b\n1,2\n"x"y,3\n')).toThrow(/:3: text after the closing quote/);
    expect(() => parseCsv('a,b\n1,2\n3,"open\n4,5\n')).toThrow(/:3: a quoted field is still open/);
  });

  it("refuses a header that repeats a column", () => {
    expect(() => parseCsv("a,b,a\n1,2,3\n")).toThrow(/names the column "a" twice/);
  });

  it("reads TSV and headerless files with given columns", () => {
    expect(parseCsv("1\tx\n", { delimiter: "\t", header: false, columns: ["n", "s"] })).toEqual([
      { n: "1", s: "x" },
    ]);
    expect(() => createCsvParser({ header: false })).toThrow(/columns/);
    expect(() => createCsvParser({ delimiter: ";;" })).toThrow(/one character/);
  });

  it("keeps a __proto__ column as data", () => {
    const [record] = parseCsv("__proto__,b\nx,y\n");
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(["__proto__", "b"]);
  });

  it("parses the same whatever the chunking", () => {
    const text = 'a,b\r\n"1,""2""\r\n3",x\r\n4,"y"\r\n';
    const whole = parseCsv(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = createCsvParser();
      const out: ParsedItem[] = [];
      parser.push(text.slice(0, cut), out);
      parser.push(text.slice(cut), out);
      parser.end(out);
      expect(out.map((o) => o.record)).toEqual(whole);
    }
  });

  it("formats rows, quoting only where needed", () => {
    expect(formatCsvRow(["a", 'b"c', "d,e", "f\ng", 1, null])).toBe('a,"b""c","d,e","f\ng",1,');
    expect(formatCsvRow([""])).toBe('""');
    expect(formatCsv([{ q: "x", a: 1 }, { q: "y" }])).toBe("q,a\r\nx,1\r\ny,\r\n");
  });
});
