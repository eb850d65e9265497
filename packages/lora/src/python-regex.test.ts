import { TunekitError } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { pythonReFullMatch, pythonReMatch, translatePythonRegex } from "./python-regex";

// Expected results are Python 3's `re` on the same pattern and text (re.match / re.fullmatch).
describe("Python regex translation", () => {
  const cases: [
    pattern: string,
    text: string,
    mode: "match" | "fullmatch",
    python: string | null,
  ][] = [
    ["(?P<layer>\\d+)\\.q_proj", "7.q_proj", "match", "7.q_proj"],
    ["a$", "a\n", "match", "a"], // $ also matches before a final newline
    ["a\\Z", "a\n", "match", null],
    [".", "\n", "match", null], // . excludes only \n
    [".", "\r", "match", "\r"], // … not \r, which JavaScript's . excludes
    ["(?s).", "\n", "match", "\n"],
    ["(?s:.)", "\n", "fullmatch", "\n"],
    ["\\w+", "héllo_1", "fullmatch", "héllo_1"],
    ["\\d", "٣", "fullmatch", "٣"], // Unicode digits
    ["(?a)\\d", "٣", "fullmatch", null],
    ["\\s", "\x1c", "fullmatch", "\x1c"], // str.isspace() whitespace
    ["\\s", "\ufeff", "fullmatch", null],
    ["[]a]+", "]a]", "fullmatch", "]a]"], // a leading ] is literal
    ["[^]a]", "b", "fullmatch", "b"],
    ["a{,2}", "aa", "fullmatch", "aa"],
    ["a{,2}", "aaa", "fullmatch", null],
    ["a{", "a{", "fullmatch", "a{"], // not a repeat: literal
    ["a{1,x}", "a{1,x}", "fullmatch", "a{1,x}"],
    ["a}", "a}", "fullmatch", "a}"],
    ["a]", "a]", "fullmatch", "a]"],
    ["\\-", "-", "fullmatch", "-"],
    ["(?i)Q_PROJ", "q_proj", "fullmatch", "q_proj"],
    ["(?P<x>a)(?P=x)", "aa", "fullmatch", "aa"],
    ["(a)\\1", "aa", "fullmatch", "aa"],
    ["(a)\\10", "a\b", "fullmatch", null], // \10 is a reference to group 10, which does not exist
    ["\\101", "A", "fullmatch", "A"], // three octal digits
    ["\\x41\\u0042\\U00000043", "ABC", "fullmatch", "ABC"],
    ["[\\w.]+", "a.b", "fullmatch", "a.b"],
    ["[^\\W\\d]+", "abc", "fullmatch", "abc"],
    ["[^\\W\\d]+", "ab1", "fullmatch", null],
    ["[a\\W]+", "a-a", "fullmatch", "a-a"],
    ["x\\b", "x q", "match", "x"],
    ["\\bq", "x q", "match", null],
    ["(?x) a  b # comment\n c", "abc", "fullmatch", "abc"],
    ["a(?#comment)b", "ab", "fullmatch", "ab"],
    ["(?m)a$\\nb", "a\nb", "fullmatch", "a\nb"],
  ];
  for (const [pattern, text, mode, python] of cases) {
    it(`${mode}(${JSON.stringify(pattern)}, ${JSON.stringify(text)})`, () => {
      if (pattern === "(a)\\10") {
        expect(() => pythonReFullMatch(pattern, text)).toThrow(/invalid group reference 10/);
        return;
      }
      const m = mode === "match" ? pythonReMatch(pattern, text) : pythonReFullMatch(pattern, text);
      expect(m === null ? null : m[0]).toBe(python);
    });
  }

  it("translates named groups to JavaScript's syntax", () => {
    const { source, flags, groupNames } = translatePythonRegex("(?P<layer>\\d+)");
    expect(groupNames).toEqual(["layer"]);
    expect(new RegExp(source, flags).exec("12")?.groups?.layer).toBe("12");
  });

  it("rejects what JavaScript cannot express, naming the construct", () => {
    for (const [pattern, what] of [
      ["a*+", "possessive"],
      ["(?>a)", "atomic"],
      ["(?(1)a|b)", "conditional"],
      ["\\N{DIGIT ONE}", "\\N"],
      ["(?i:a)", "case-insensitive"],
    ]) {
      try {
        translatePythonRegex(pattern);
        expect.unreachable(pattern);
      } catch (error) {
        expect(TunekitError.isInstance(error)).toBe(true);
        expect((error as TunekitError).code).toBe("python_regex_unsupported");
        expect((error as Error).message).toContain(what);
        expect((error as Error).message).toContain(JSON.stringify(pattern));
      }
    }
  });

  it("rejects what Python rejects", () => {
    for (const [pattern, message] of [
      ["a(?i)", "global flags not at the start"],
      ["(", "missing )"],
      [")", "unbalanced parenthesis"],
      ["a**", "multiple repeat"],
      ["*a", "nothing to repeat"],
      ["\\q", "bad escape \\q"],
      ["[a", "unterminated character set"],
      ["(?<x>a)", "unknown extension"],
      ["[z-a]", "bad character range"],
      ["a{3,2}", "min repeat greater than max repeat"],
      ["(a)(?P=x)", "unknown group name"],
    ]) {
      try {
        translatePythonRegex(pattern);
        expect.unreachable(pattern);
      } catch (error) {
        expect((error as TunekitError).code).toBe("python_regex");
        expect((error as Error).message).toContain(message);
      }
    }
  });
});
