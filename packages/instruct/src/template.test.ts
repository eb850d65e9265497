import { describe, expect, it } from "vitest";
import { createRng, TunekitError } from "../../../internal/shared/src/index";
import {
  chooseTemplate,
  formatOptions,
  invertTemplate,
  lintTemplate,
  type PromptTemplate,
  renderTemplate,
  type TemplateSet,
  templateFields,
  withoutOptions,
} from "./template";

const nli: PromptTemplate = {
  name: "nli",
  input: "{premise}\nQuestion: {hypothesis}?\n\n{options_}",
  target: "{answer}",
};

describe("renderTemplate", () => {
  it("fills placeholders verbatim and does not re-scan values", () => {
    const t: PromptTemplate = { name: "t", input: "Q: {q}\nA:", target: " {a}" };
    const out = renderTemplate(t, { q: "What is {a}?", a: "{q}" });
    expect(out).toEqual({ input: "Q: What is {a}?\nA:", target: " {q}", template: "t" });
  });

  it("renders numbers and booleans as text", () => {
    const t: PromptTemplate = { name: "t", input: "{n} {b}", target: "" };
    expect(renderTemplate(t, { n: 3.5, b: false }).input).toBe("3.5 false");
  });

  it("treats {{ and }} as literal braces, as str.format does", () => {
    const t: PromptTemplate = { name: "t", input: '{{"q": "{q}"}} {{q}}', target: "" };
    expect(renderTemplate(t, { q: "x" }).input).toBe('{"q": "x"} {q}');
  });

  it("keeps format specs, attribute and index syntax as plain text", () => {
    const t: PromptTemplate = { name: "t", input: "{a:>5} {a.b} {a[0]} {a!r} {a}", target: "" };
    expect(renderTemplate(t, { a: "v" }).input).toBe("{a:>5} {a.b} {a[0]} {a!r} v");
  });

  it("accepts non-ASCII field names like Python's \\w", () => {
    const t: PromptTemplate = { name: "t", input: "{résumé}/{名前}", target: "" };
    expect(renderTemplate(t, { résumé: "r", 名前: "n" }).input).toBe("r/n");
  });

  it("names the field, the template and the record when a field is missing", () => {
    const t: PromptTemplate = { name: "qa-2", input: "{question}", target: "{answer}" };
    let caught: unknown;
    try {
      renderTemplate(t, { question: "Why?" }, { index: 41, id: "dev_41" });
    } catch (e) {
      caught = e;
    }
    expect(TunekitError.isInstance(caught)).toBe(true);
    const error = caught as TunekitError;
    expect(error.code).toBe("template_missing_field");
    expect(error.message).toContain('"answer"');
    expect(error.message).toContain('"qa-2"');
    expect(error.message).toContain("record 41");
    expect(error.message).toContain('"dev_41"');
  });

  it("uses the record's own id in errors when none is given", () => {
    const t: PromptTemplate = { name: "t", input: "{x}", target: "" };
    expect(() => renderTemplate(t, { id: "abc" })).toThrow(/record id "abc"/);
  });

  it("rejects null, lists and objects as field values", () => {
    const t: PromptTemplate = { name: "t", input: "{x}", target: "" };
    expect(() => renderTemplate(t, { x: null })).toThrow(/sets to null/);
    expect(() => renderTemplate(t, { x: ["a"] })).toThrow(/a list, not text/);
    expect(() => renderTemplate(t, { x: { a: 1 } })).toThrow(/an object, not text/);
  });

  it("rejects an empty placeholder", () => {
    const t: PromptTemplate = { name: "t", input: "a {} b", target: "" };
    expect(() => renderTemplate(t, {})).toThrow(/empty placeholder \{\} at offset 2/);
  });
});

describe("answer options", () => {
  it("renders {options_} as FLAN does", () => {
    expect(formatOptions(["yes", "it is not possible to tell", "no"])).toBe(
      "OPTIONS:\n- yes\n- it is not possible to tell\n- no",
    );
    const out = renderTemplate(nli, {
      premise: "It rains.",
      hypothesis: "The street is wet",
      options: ["yes", "no"],
      answer: "yes",
    });
    expect(out.input).toBe("It rains.\nQuestion: The street is wet?\n\nOPTIONS:\n- yes\n- no");
  });

  it("uses a precomputed options_ string when the record has one", () => {
    const out = renderTemplate(nli, {
      premise: "p",
      hypothesis: "h",
      options_: "OPTIONS:\n- a",
      answer: "a",
    });
    expect(out.input).toBe("p\nQuestion: h?\n\nOPTIONS:\n- a");
  });

  it("falls back to the no-options variant when a record has no options", () => {
    const record = { premise: "p", hypothesis: "h", answer: "yes" };
    const out = renderTemplate(nli, record);
    expect(out.input).toBe("p\nQuestion: h?");
    expect(out.template).toBe("nli/no-options");
    expect(renderTemplate(nli, { ...record, options: [] }).input).toBe("p\nQuestion: h?");
  });

  it("omits or requires options on request", () => {
    const record = { premise: "p", hypothesis: "h", options: ["a"], answer: "a" };
    expect(renderTemplate(nli, record, { answerOptions: "omit" }).input).toBe("p\nQuestion: h?");
    expect(() =>
      renderTemplate(nli, { ...record, options: undefined }, { answerOptions: "require" }),
    ).toThrow(/no "options" list/);
  });

  it("reads options from another field when told", () => {
    const out = renderTemplate(
      nli,
      { premise: "p", hypothesis: "h", choices: ["x", "y"], answer: "x" },
      { optionsField: "choices" },
    );
    expect(out.input.endsWith("OPTIONS:\n- x\n- y")).toBe(true);
  });

  it("removes the options with FLAN's newline rule", () => {
    const cases: [string, string][] = [
      ["{a}\n\n{options_}", "{a}"],
      ["{a}\n{options_}\nA:", "{a}\nA:"],
      ["{options_} {a}", " {a}"],
      ["{a}", "{a}"],
    ];
    for (const [input, expected] of cases) {
      expect(withoutOptions({ name: "t", input, target: "{b}" }).input).toBe(expected);
    }
  });
});

describe("template sets", () => {
  const set: TemplateSet = {
    name: "s",
    templates: [
      { name: "a", input: "A {x}", target: "{y}" },
      { name: "b", input: "B {x}", target: "{y}" },
      { name: "c", input: "C {x}", target: "{y}", when: { nonEmpty: ["z"] } },
    ],
  };
  const record = { x: "1", y: "2" };

  it("takes the first applicable template by default", () => {
    expect(renderTemplate(set, record).template).toBe("a");
  });

  it("rotates over the applicable templates by record index", () => {
    const names = [0, 1, 2, 3].map(
      (index) => chooseTemplate(set, record, { choose: "rotate", index }).name,
    );
    expect(names).toEqual(["a", "b", "a", "b"]);
    const withZ = { ...record, z: "!" };
    const more = [0, 1, 2, 3].map(
      (index) => chooseTemplate(set, withZ, { choose: "rotate", index }).name,
    );
    expect(more).toEqual(["a", "b", "c", "a"]);
  });

  it("draws with a seeded generator: same seed, same choices", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 40 }, () => chooseTemplate(set, record, { choose: rng }).name);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(new Set(draw(7))).toEqual(new Set(["a", "b"]));
    // rng.int(2) decides each draw, so the sequence is fixed by the documented PRNG.
    const rng = createRng(7);
    const expected = Array.from({ length: 40 }, () => ["a", "b"][rng.int(2)]);
    expect(draw(7)).toEqual(expected);
  });

  it("says which conditions failed when nothing applies", () => {
    const strict: TemplateSet = {
      name: "strict",
      templates: [{ name: "only", input: "{x}", target: "", when: { empty: ["x"] } }],
    };
    expect(() => renderTemplate(strict, { x: "v" }, { index: 3 })).toThrow(
      /record 3: no template of "strict" applies/,
    );
  });
});

describe("lintTemplate", () => {
  it("lists the fields and reports unknown ones before use", () => {
    const report = lintTemplate(nli, ["premise", "hypothesis", "answer"]);
    expect(report.fields).toEqual(["premise", "hypothesis", "options", "answer"]);
    expect(report.ok).toBe(false);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({
      kind: "unknown_field",
      field: "options",
      part: "input",
    });
    expect(lintTemplate(nli, ["premise", "hypothesis", "options", "answer"]).ok).toBe(true);
  });

  it("flags empty placeholders, stray braces and format specs", () => {
    const kinds = (input: string) =>
      lintTemplate({ name: "t", input, target: "" }).issues.map((i) => i.kind);
    expect(kinds("{} x")).toEqual(["empty_placeholder"]);
    expect(kinds("a } b")).toEqual(["stray_brace"]);
    expect(kinds("{a:>3}")).toEqual(["format_spec"]);
    expect(kinds("{{ok}} {a}")).toEqual([]);
  });

  it("lists the fields of a pattern", () => {
    expect(templateFields("{a} {b} {a} {{c}}")).toEqual(["a", "b"]);
  });
});

describe("invertTemplate", () => {
  it("asks for the original input given the original target", () => {
    const inverted = invertTemplate(
      { name: "qa", input: "Question: {question}", target: "{answer}" },
      "Write the question.",
    );
    expect(inverted).toEqual({
      name: "qa/inverted",
      input: "{answer}\n\nWrite the question.",
      target: "Question: {question}",
    });
    expect(renderTemplate(inverted, { question: "Why?", answer: "Because." })).toEqual({
      input: "Because.\n\nWrite the question.",
      target: "Question: Why?",
      template: "qa/inverted",
    });
  });
});
