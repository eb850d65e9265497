import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCsvParser, formatCsv, parseCsv } from "./csv";
import type { ParsedItem } from "./records";

// Field text that stresses the quoting rules: delimiters, quotes, CR, LF, BOM-like characters.
const tricky = fc.string({
  unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\n", "\r", "é", "\t", "😀"),
  maxLength: 8,
});

describe("CSV round trip", () => {
  it("parseCsv(formatCsv(records)) returns the records", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(tricky, { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
        fc.constantFrom(",", ";", "\t"),
        (columns, rows, delimiter) => {
          const records = rows.map((values) =>
            Object.fromEntries(columns.map((c, i) => [c, values[i]])),
          );
          const text = formatCsv(records, { columns, delimiter });
          expect(parseCsv(text, { delimiter })).toEqual(records);
        },
      ),
    );
  });

  it("any split into chunks parses the same", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(tricky, { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        fc.nat(),
        (rows, cutSeed) => {
          const records = rows.map(([x, y]) => ({ x, y }));
          const text = formatCsv(records);
          const cut = text.length === 0 ? 0 : cutSeed % (text.length + 1);
          const parser = createCsvParser();
          const out: ParsedItem[] = [];
          parser.push(text.slice(0, cut), out);
          parser.push(text.slice(cut), out);
          parser.end(out);
          expect(out.map((o) => o.record)).toEqual(records);
        },
      ),
    );
  });
});
