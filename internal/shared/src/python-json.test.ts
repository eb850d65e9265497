import { describe, expect, it } from "vitest";
import { parseOrderedJson, toPythonJson } from "./python-json";

describe("parseOrderedJson", () => {
  it("keeps object keys in file order, integer-like ones included", () => {
    const value = parseOrderedJson('{"q_proj": 4, "10": 2, "1": 3}') as Map<string, unknown>;
    expect([...value.keys()]).toEqual(["q_proj", "10", "1"]);
  });

  it("keeps a repeated key at its first position with its last value, as a Python dict", () => {
    const value = parseOrderedJson('{"a": 1, "b": 2, "a": 3}') as Map<string, unknown>;
    expect([...value.entries()]).toEqual([
      ["a", 3],
      ["b", 2],
    ]);
  });

  it("accepts NaN and Infinity like json.loads", () => {
    expect(parseOrderedJson("[NaN, Infinity, -Infinity]")).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
    ]);
  });

  it("names the line and column of a syntax error", () => {
    expect(() => parseOrderedJson('{\n  "r": 8,\n  "x": }', "cfg.json")).toThrow(
      /cfg\.json: .* line 3, column 8/,
    );
  });
});

describe("toPythonJson", () => {
  it("writes what json.dumps(indent=2, sort_keys=True) writes", () => {
    const value = {
      b: 1,
      a: { z: [], y: {} },
      c: [1, 2.5, "é"],
      d: 1e-5,
      e: 0.0001,
      f: 1e16,
      g: null,
      h: true,
      "0": 0,
      "10": 1.5e-7,
      "2": 123456789012345.6,
    };
    // Python 3: json.dumps(value, indent=2, sort_keys=True) with "0" holding the float 0.0.
    const python = `{
  "0": 0.0,
  "10": 1.5e-07,
  "2": 123456789012345.6,
  "a": {
    "y": {},
    "z": []
  },
  "b": 1,
  "c": [
    1,
    2.5,
    "\\u00e9"
  ],
  "d": 1e-05,
  "e": 0.0001,
  "f": 1e+16,
  "g": null,
  "h": true
}`;
    expect(toPythonJson(value, { floatKeys: new Set(["0"]) })).toBe(python);
  });
});
