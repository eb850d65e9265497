import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compareCodePoints,
  pythonFloatRepr,
  pythonJsonString,
  pythonSplitWhitespace,
  pythonStringRepr,
  pythonStrip,
} from "./python-text";

// Reference values printed by CPython 3.11 (test/fixtures/jinja2/make_reference.py).
const reference = JSON.parse(
  readFileSync(new URL("../test/fixtures/jinja2/python_text.json", import.meta.url), "utf8"),
) as {
  float_repr: [number, string][];
  str_repr: [string, string][];
  json_string: [string, string, string][];
  strip: [string, string, string, string][];
  split: [string, string[], string[], string[]][];
};

describe("Python text rules", () => {
  it("writes floats as repr() does", () => {
    for (const [x, repr] of reference.float_repr) expect(pythonFloatRepr(x), repr).toBe(repr);
    expect(pythonFloatRepr(Number.NaN)).toBe("nan");
    expect(pythonFloatRepr(-Infinity)).toBe("-inf");
  });

  it("writes strings as repr() does", () => {
    for (const [text, repr] of reference.str_repr) expect(pythonStringRepr(text), repr).toBe(repr);
  });

  it("writes JSON strings as json.dumps does, with and without ensure_ascii", () => {
    for (const [text, plain, ascii] of reference.json_string) {
      expect(pythonJsonString(text, false)).toBe(plain);
      expect(pythonJsonString(text, true)).toBe(ascii);
    }
  });

  it("strips and splits on Python whitespace", () => {
    for (const [text, both, left, right] of reference.strip) {
      expect(pythonStrip(text, undefined, "both")).toBe(both);
      expect(pythonStrip(text, undefined, "left")).toBe(left);
      expect(pythonStrip(text, undefined, "right")).toBe(right);
    }
    for (const [text, all, once, fromRight] of reference.split) {
      expect(pythonSplitWhitespace(text)).toEqual(all);
      expect(pythonSplitWhitespace(text, 1)).toEqual(once);
      expect(pythonSplitWhitespace(text, 1, true)).toEqual(fromRight);
    }
    expect(pythonStrip("xxhixy", "xy", "both")).toBe("hi");
  });

  it("orders strings by code point", () => {
    expect(compareCodePoints("B", "a")).toBeLessThan(0);
    expect(compareCodePoints("\uffff", "😀")).toBeLessThan(0);
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
  });
});
