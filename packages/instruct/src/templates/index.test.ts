import { describe, expect, it } from "vitest";
import { lintTemplate, renderTemplate, type TemplateSet } from "../template";
import { getTemplate, listTemplates } from "./index";

// The Stanford Alpaca prompts as they appear in tatsu-lab/stanford_alpaca train.py
// (PROMPT_DICT), written out here independently of the library constants.
const ALPACA_WITH_INPUT =
  "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\nAdd the numbers.\n\n### Input:\n2 and 3\n\n### Response:";
const ALPACA_WITHOUT_INPUT =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nSay hello.\n\n### Response:";

describe("built-in templates", () => {
  it("reproduces the Stanford Alpaca prompts exactly", () => {
    const alpaca = getTemplate("alpaca");
    const withInput = renderTemplate(alpaca, {
      instruction: "Add the numbers.",
      input: "2 and 3",
      output: "5",
    });
    expect(withInput).toEqual({ input: ALPACA_WITH_INPUT, target: "5", template: "alpaca-input" });
    for (const input of [undefined, ""]) {
      const out = renderTemplate(alpaca, { instruction: "Say hello.", input, output: "Hello!" });
      expect(out).toEqual({
        input: ALPACA_WITHOUT_INPUT,
        target: "Hello!",
        template: "alpaca-no-input",
      });
    }
  });

  it("reproduces the Dolly training text (prompt + completion)", () => {
    const dolly = getTemplate("dolly");
    const withContext = renderTemplate(dolly, {
      instruction: "Who wrote it?",
      context: "Ada wrote the note.",
      response: "Ada",
    });
    expect(withContext.input + withContext.target).toBe(
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nWho wrote it?\n\nInput:\nAda wrote the note.\n\n### Response:\nAda\n\n### End",
    );
    const plain = renderTemplate(dolly, {
      instruction: "Name a colour.",
      context: "",
      response: "Blue",
    });
    expect(plain.input + plain.target).toBe(
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nName a colour.\n\n### Response:\nBlue\n\n### End",
    );
  });

  it("renders the DialogSum prompt with its trailing space", () => {
    const out = renderTemplate(getTemplate("dialogsum"), {
      dialogue: "#Person1#: Hi.\n#Person2#: Hello.",
      summary: "They greet.",
    });
    expect(out.input).toBe(
      "Summarize the following conversation.\n\n#Person1#: Hi.\n#Person2#: Hello.\n\nSummary: ",
    );
    expect(out.target).toBe("They greet.");
  });

  it("has several templates per FLAN-style task, each using the task's fields", () => {
    const fields: Record<string, string[]> = {
      "flan/summarization": ["document", "summary"],
      "flan/qa": ["context", "question", "answer", "options"],
      "flan/nli": ["premise", "hypothesis", "options", "answer"],
      "flan/sentiment": ["text", "options", "answer"],
      "flan/translation": ["source_language", "target_language", "source", "translation"],
    };
    for (const [name, known] of Object.entries(fields)) {
      const set = getTemplate(name) as TemplateSet;
      expect(set.templates.length).toBeGreaterThanOrEqual(4);
      expect(lintTemplate(set, known).issues).toEqual([]);
      const inverted = getTemplate(`${name}-inverted`) as TemplateSet;
      expect(lintTemplate(inverted, known).issues).toEqual([]);
      expect(new Set(set.templates.map((t) => t.input)).size).toBe(set.templates.length);
    }
  });

  it("renders every template of every set without leaving placeholders", () => {
    const record = {
      document: "D",
      summary: "S",
      context: "C",
      question: "Q",
      answer: "A",
      options: ["A", "B"],
      premise: "P",
      hypothesis: "H",
      text: "T",
      source_language: "English",
      target_language: "French",
      source: "Hi",
      translation: "Salut",
      instruction: "I",
      input: "In",
      output: "O",
      response: "R",
      dialogue: "DL",
    };
    for (const name of listTemplates()) {
      const entry = getTemplate(name);
      const templates = "templates" in entry ? entry.templates : [entry];
      for (const [index] of templates.entries()) {
        const out = renderTemplate(entry, record, { choose: "rotate", index });
        expect(out.input + out.target).not.toMatch(/\{[\p{L}\p{N}_]*\}/u);
      }
    }
  });

  it("names the available templates when one is unknown", () => {
    expect(() => getTemplate("nope")).toThrow(/no built-in template "nope"; available: alpaca/);
  });
});
