import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTemplate, withoutOptions } from "./template";

const PLACEHOLDER = /\{[\p{L}\p{N}_]*\}/u;
const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
// Literal text without braces, and with a few characters that matter to templates.
const literal = fc
  .array(fc.constantFrom("a", "b", " ", "\n", "#", ":", "é", "😀", "%s", "$1"), { maxLength: 12 })
  .map((chars) => chars.join(""));
const braceFreeValue = fc
  .string({ unit: "grapheme", maxLength: 20 })
  .map((s) => s.replace(/[{}]/g, ""));

describe("template properties", () => {
  it("a rendered template is its literals and values in order, with no placeholder left", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(literal, fieldName), { maxLength: 6 }),
        literal,
        fc.dictionary(fieldName, braceFreeValue),
        (pieces, tail, values) => {
          const record: Record<string, string> = { ...values };
          for (const [, name] of pieces) record[name] ??= "v";
          const pattern = pieces.map(([text, name]) => `${text}{${name}}`).join("") + tail;
          const expected = pieces.map(([text, name]) => text + record[name]).join("") + tail;
          const out = renderTemplate({ name: "p", input: pattern, target: pattern }, record);
          expect(out.input).toBe(expected);
          expect(out.target).toBe(expected);
          expect(PLACEHOLDER.test(out.input)).toBe(false);
        },
      ),
    );
  });

  it("values are never re-expanded, whatever they contain", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const out = renderTemplate({ name: "p", input: "[{a}|{b}]", target: "{b}" }, { a, b });
        expect(out.input).toBe(`[${a}|${b}]`);
        expect(out.target).toBe(b);
      }),
    );
  });

  it("a no-options variant has no {options_} and keeps every other placeholder", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("{a}", "{options_}", "\n", "\n\n", "x", "{b}"), { maxLength: 10 }),
        (parts) => {
          const input = parts.join("");
          const stripped = withoutOptions({ name: "t", input, target: "" }).input;
          expect(stripped.includes("{options_}")).toBe(false);
          for (const field of ["{a}", "{b}"]) {
            expect(stripped.split(field).length).toBe(input.split(field).length);
          }
        },
      ),
    );
  });
});
