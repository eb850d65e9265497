import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createJsonlParser, formatJsonl, quoteJsonString, toJsonLine } from "./jsonl";
import type { ParsedItem } from "./records";

// Strings that exercise every escaping path: quotes, backslashes, all control
// characters, U+2028, lone and paired surrogates, non-ASCII.
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '"',
      "\\",
      "\n",
      "\r",
      "\t",
      "\u0000",
      "\u001f",
      "\u2028",
      "\ud800",
      "\udc00",
      "😀",
      "é",
      "a",
      " ",
    ),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 30,
});

describe("JSON line serialisation", () => {
  it("quoteJsonString equals JSON.stringify on any string", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(quoteJsonString(s)).toBe(JSON.stringify(s));
      }),
      {
        numRuns: 2000,
      },
    );
  });

  it("toJsonLine equals JSON.stringify on records and any JSON value", () => {
    const flat = fc.dictionary(
      nasty,
      fc.oneof(
        nasty,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
      ),
    );
    fc.assert(
      fc.property(flat, (r) => {
        expect(toJsonLine(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(toJsonLine(v)).toBe(JSON.stringify(v));
      }),
    );
    expect(toJsonLine({ d: new Date(0), n: -0, i: Number.NaN })).toBe(
      JSON.stringify({ d: new Date(0), n: -0, i: Number.NaN }),
    );
  });

  it("bytes parsed in any chunking give back the records", () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(nasty, nasty), { maxLength: 5 }),
        fc.nat(),
        (records, seed) => {
          const bytes = new TextEncoder().encode(formatJsonl(records));
          const cut = seed % (bytes.length + 1);
          const parser = createJsonlParser();
          const out: ParsedItem[] = [];
          parser.pushBytes!(bytes.subarray(0, cut), out);
          parser.pushBytes!(bytes.subarray(cut), out);
          parser.end(out);
          // lone surrogates do not survive UTF-8; compare with what a UTF-8 round trip gives
          const expected = records.map((r) =>
            JSON.parse(new TextDecoder().decode(new TextEncoder().encode(JSON.stringify(r)))),
          );
          expect(out.map((o) => o.record)).toEqual(expected);
        },
      ),
    );
  });
});

describe("without String.prototype.isWellFormed", () => {
  it("finds lone surrogates with the fallback expression", async () => {
    const { vi } = await import("vitest");
    const proto = String.prototype as { isWellFormed?: unknown };
    const saved = proto.isWellFormed;
    delete proto.isWellFormed;
    try {
      vi.resetModules();
      const fresh = await import("./jsonl");
      for (const s of ["a\ud800b", "\udc00", "ok 😀", "x\ud83d", "\ude00y", "plain"]) {
        expect(fresh.quoteJsonString(s)).toBe(JSON.stringify(s));
      }
    } finally {
      proto.isWellFormed = saved;
    }
  });
});
