import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

/** Runs `tunekit` on a command line; each interpolated value stays one argument ("" none). */
function cli(words: TemplateStringsArray, ...values: string[]) {
  const argv: string[] = [];
  words.forEach((text, i) => {
    argv.push(...text.split(/\s+/).filter(Boolean));
    if (i < values.length && values[i] !== "") argv.push(values[i]);
  });
  return runCliCapture(argv);
}

const here = (path: string) =>
  fileURLToPath(new URL(`./fixtures/data-format/${path}`, import.meta.url));
// The tokenizer files are the instruct package's fixtures (4 MB), not copied a second time.
const tokenizer = (name: string) =>
  fileURLToPath(
    new URL(`../../instruct/test/fixtures/tokenizers/${name}/tokenizer.json`, import.meta.url),
  );
// Every scratch folder a test makes is removed when the suite ends.
const scratchDirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "tunekit-data-format-"));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});
const lines = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

interface Pair {
  prompt: string;
  completion: string;
}
interface Example {
  input_ids: number[];
  attention_mask: number[];
  labels: number[];
}

describe("tunekit data format --template", () => {
  it("formats the DialogSum dev set with the DialogSum prompt", async () => {
    const out = join(scratch(), "dialogsum.pairs.jsonl");
    const run =
      await cli`data format ${here("dialogsum.dev.jsonl")} --template dialogsum --out ${out}`;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      records: 500,
      out,
      template: "dialogsum",
      templates: { dialogsum: 500 },
    });
    const pairs = lines<Pair>(out);
    expect(pairs).toHaveLength(500);
    expect(pairs[1]).toEqual({
      prompt:
        "Summarize the following conversation.\n\n#Person1#: Hey Jimmy. Let's go workout later today.\n#Person2#: Sure. What time do you want to go?\n#Person1#: How about at 3:30?\n#Person2#: That sounds good. Today we work on Legs and forearm.\n#Person1#: Hey. I just played basketball earlier, so my legs are a little sore. Let's work out on arms and stomach today.\n#Person2#: I'm on a weekly schedule. You're messing everything up.\n#Person1#: C'mon. We're only switching two days. You can do legs on Friday.\n#Person2#: Aright. I'll meet you at the gym at 3:30 then.\n\nSummary: ",
      completion:
        "#Person1# invites Jimmy to go workout and persuades him into working out on arms and stomach.",
    });
    for (const pair of pairs)
      expect(pair.prompt + pair.completion).not.toMatch(/\{[\p{L}\p{N}_]*\}/u);
  });

  it("gives the same lines on worker threads (--workers)", async () => {
    const dir = scratch();
    const single = join(dir, "single.jsonl");
    const parallel = join(dir, "parallel.jsonl");
    await cli`data format ${here("dialogsum.dev.jsonl")} --template dialogsum --out ${single}`;
    const run =
      await cli`data format ${here("dialogsum.dev.jsonl")} --template dialogsum --workers 2 --out ${parallel}`;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      records: 500,
      out: parallel,
      template: "dialogsum",
      workers: 2,
    });
    expect(readFileSync(parallel, "utf8")).toBe(readFileSync(single, "utf8"));
    const refused =
      await cli`data format ${here("dialogsum.dev.jsonl")} --template dialogsum --workers 2 --text --out ${parallel}`;
    expect(refused.code).toBe(2);
  });

  it("then tokenises it with FLAN-T5: prompt masked, EOS once, prompt ids as the reference gives", async () => {
    const dir = scratch();
    const pairs = join(dir, "pairs.jsonl");
    const tokens = join(dir, "tokens.jsonl");
    await cli`data format ${here("dialogsum.dev.jsonl")} --template dialogsum --out ${pairs}`;
    const run =
      await cli`data tokenize ${pairs} --tokenizer ${tokenizer("flan-t5")} --max-length 512 --out ${tokens}`;
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ records: 500, promptCompletion: 500, text: 0, maxLength: 512 });
    expect(summary.longest).toBe(512);
    const examples = lines<Example>(tokens);
    expect(examples).toHaveLength(500);
    // tokenizers 0.23 ids of "Summarize the following conversation.\n\n#Person1#:" (expected/tokenize.jsonl).
    const start = [12198, 1635, 1737, 8, 826, 3634, 5, 1713, 345, 13515, 536, 4663];
    let truncated = 0;
    let fullyMasked = 0;
    for (const e of examples) {
      expect(e.input_ids.slice(0, 12)).toEqual(start);
      expect(e.attention_mask).toEqual(e.input_ids.map(() => 1));
      const firstTrained = e.labels.findIndex((l) => l !== -100);
      if (firstTrained < 0) fullyMasked++;
      else {
        expect(firstTrained).toBeGreaterThan(12);
        expect(e.labels.slice(firstTrained)).toEqual(e.input_ids.slice(firstTrained));
      }
      // T5's EOS (id 1) ends every example that was not cut, exactly once.
      if (e.input_ids.length === 512 && e.input_ids.at(-1) !== 1) truncated++;
      else expect(e.input_ids.filter((id) => id === 1)).toEqual([1]);
    }
    // Some dialogues are longer than 512 tokens on their own: their completion is cut away.
    expect(summary.fullyMasked).toBe(fullyMasked);
    expect(fullyMasked).toBeGreaterThan(0);
    expect(summary.truncated).toBe(truncated);
  });

  it("writes prompt + completion as one text with --text", async () => {
    const out = join(scratch(), "text.jsonl");
    const run =
      await cli`data format ${here("nli.jsonl")} --template ${here("nli-template.json")} --text --out ${out}`;
    expect(run.code).toBe(0);
    expect(lines<{ text: string }>(out)[1]).toEqual({
      text: "The cat sleeps.\nQuestion: The cat runs?no",
    });
  });

  it("reads a template file, renders {options_} or drops it, and rotates", async () => {
    const out = join(scratch(), "nli.out.jsonl");
    const run =
      await cli`data format ${here("nli.jsonl")} --template ${here("nli-template.json")} --choose rotate --out ${out}`;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).templates).toEqual({ a: 2, b: 1, "b/no-options": 1 });
    expect(lines<Pair>(out)).toEqual([
      {
        prompt: "It rains.\nQuestion: The street is wet?\n\nOPTIONS:\n- yes\n- no",
        completion: "yes",
      },
      { prompt: "Premise: The cat sleeps.\nHypothesis: The cat runs\nAnswer:", completion: " no" },
      {
        prompt: "Snow is white.\nQuestion: Snow has a colour?\n\nOPTIONS:\n- yes\n- no",
        completion: "yes",
      },
      {
        prompt:
          "Premise: A man sings.\nHypothesis: Someone makes a sound\nOPTIONS:\n- yes\n- no\nAnswer:",
        completion: " yes",
      },
    ]);
  });

  it("draws templates with a seed, the same way every run", async () => {
    const dir = scratch();
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    const bad =
      await cli`data format ${here("dialogsum.dev.jsonl")} --template flan/summarization --choose random --seed 3 --out ${a}`;
    // DialogSum has "dialogue", not "document": the error names the file, the line and the field.
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /dialogsum\.dev\.jsonl:1: record 0: template "flan\/summarization-\d" needs field "document"/,
    );
    expect(existsSync(a)).toBe(false);
    const docs = join(dir, "docs.jsonl");
    writeFileSync(
      docs,
      [1, 2, 3, 4, 5, 6]
        .map((i) => JSON.stringify({ document: `d${i}`, summary: `s${i}` }))
        .join("\n"),
    );
    await cli`data format ${docs} --template flan/summarization --choose random --seed 3 --out ${a}`;
    await cli`data format ${docs} --template flan/summarization --choose random --seed 3 --out ${b}`;
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(new Set(lines<Pair>(a).map((p) => p.prompt.replace(/d\d/, "")))).not.toEqual(
      new Set([lines<Pair>(a)[0].prompt.replace(/d\d/, "")]),
    );
  });

  it("sets unformattable records aside with --skip-invalid and counts them", async () => {
    const dir = scratch();
    const input = join(dir, "mixed.jsonl");
    writeFileSync(
      input,
      '{"dialogue": "a", "summary": "b"}\n{oops\n{"dialogue": "c"}\n{"dialogue": "d", "summary": "e"}\n',
    );
    const out = join(dir, "out.jsonl");
    const rejects = join(dir, "rejects.jsonl");
    const run =
      await cli`data format ${input} --template dialogsum --out ${out} --skip-invalid --rejects ${rejects}`;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 2, invalid: 2, rejects });
    const set = lines<{ line: number; code: string }>(rejects);
    expect(set.map((r) => [r.line, r.code])).toEqual([
      [2, "invalid_json"],
      [3, "template_missing_field"],
    ]);
    const failed =
      await cli`data format ${input} --template dialogsum --out ${join(dir, "x.jsonl")}`;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/mixed\.jsonl:2/);
  });

  it("rejects contradictory or unknown options", async () => {
    const out = join(scratch(), "x.jsonl");
    const both =
      await cli`data format ${here("nli.jsonl")} --template dialogsum --chat-template ${here("chat/qwen2.5")} --out ${out}`;
    expect(both.code).toBe(2);
    const neither = await cli`data format ${here("nli.jsonl")} --out ${out}`;
    expect(neither.code).toBe(2);
    const unknown = await cli`data format ${here("nli.jsonl")} --template no-such --out ${out}`;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/built-in: alpaca, alpaca-input/);
    const misplaced =
      await cli`data format ${here("nli.jsonl")} --template dialogsum --add-generation-prompt --out ${out}`;
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/--add-generation-prompt is only used with --chat-template/);
  });
});

describe("tunekit data format --chat-template", () => {
  const expected = lines<{
    family: string;
    conversation_id: string;
    add_generation_prompt: boolean;
    rendered: string;
  }>(here("chats.expected.jsonl"));
  for (const family of ["qwen2.5", "zephyr"]) {
    for (const agp of [false, true]) {
      it(`renders ${family} as transformers 5.17 does (generation prompt ${agp})`, async () => {
        const out = join(scratch(), "texts.jsonl");
        const flag = agp ? "--add-generation-prompt" : "";
        const run =
          await cli`data format ${here("chats.jsonl")} --chat-template ${here(`chat/${family}`)} ${flag} --out ${out}`;
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ records: 13, addGenerationPrompt: agp });
        const texts = lines<{ text: string }>(out).map((l) => l.text);
        const want = expected
          .filter((e) => e.family === family && e.add_generation_prompt === agp)
          .map((e) => e.rendered);
        expect(texts).toEqual(want);
      });
    }
  }

  it("prefers a folder's chat_template.jinja; a config file given directly uses its own template", async () => {
    const dir = scratch();
    const input = join(dir, "one.jsonl");
    writeFileSync(input, `${JSON.stringify({ messages: [{ role: "user", content: "hi" }] })}\n`);
    const fromDir = join(dir, "a.jsonl");
    const runDir =
      await cli`data format ${input} --chat-template ${here("chat/both")} --out ${fromDir}`;
    expect(JSON.parse(runDir.stdout).chatTemplate).toMatch(/chat_template\.jinja$/);
    expect(lines<{ text: string }>(fromDir)).toEqual([{ text: "JINJA:<s>hi" }]);
    const fromFile = join(dir, "b.jsonl");
    await cli`data format ${input} --chat-template ${here("chat/both/tokenizer_config.json")} --out ${fromFile}`;
    expect(lines<{ text: string }>(fromFile)).toEqual([{ text: "CONFIG:hi" }]);
  });

  it("fails naming the file and line when a template refuses a conversation", async () => {
    const out = join(scratch(), "gemma.jsonl");
    const run =
      await cli`data format ${here("chats.jsonl")} --chat-template ${here("chat/gemma-2")} --out ${out}`;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /chats\.jsonl:1: record 0, id "system_user": the chat template refused the conversation: "System role not supported"/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("passes template kwargs and refuses bad JSON", async () => {
    const dir = scratch();
    const input = join(dir, "one.jsonl");
    writeFileSync(input, `${JSON.stringify({ messages: [{ role: "user", content: "hi" }] })}\n`);
    const tmpl = join(dir, "t.jinja");
    writeFileSync(tmpl, "{{ greeting }} {{ messages[0].content }}");
    const out = join(dir, "o.jsonl");
    const run =
      await cli`data format ${input} --chat-template ${tmpl} --template-kwargs ${'{"greeting": "Hello"}'} --out ${out}`;
    expect(run.code).toBe(0);
    expect(lines<{ text: string }>(out)).toEqual([{ text: "Hello hi" }]);
    const bad =
      await cli`data format ${input} --chat-template ${tmpl} --template-kwargs {nope --out ${out}`;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--template-kwargs must be a JSON object/);
  });

  it("tokenises chat text as Hugging Face does, and chats through the template without a double BOS", async () => {
    const dir = scratch();
    const input = join(dir, "chat.jsonl");
    writeFileSync(
      input,
      `${JSON.stringify({ messages: [{ role: "user", content: "grabbed" }] })}\n`,
    );
    const texts = join(dir, "texts.jsonl");
    await cli`data format ${input} --chat-template ${here("chat/bos-template")} --out ${texts}`;
    expect(lines<{ text: string }>(texts)).toEqual([{ text: "<s><|user|>\ngrabbed</s>\n" }]);
    // A text line gets the tokenizer's BOS in front of the template's, exactly as tokenizer(text) does.
    const exact = join(dir, "exact.jsonl");
    const run =
      await cli`data tokenize ${texts} --tokenizer ${tokenizer("zephyr-7b-beta")} --out ${exact}`;
    expect(JSON.parse(run.stdout)).toMatchObject({
      records: 1,
      text: 1,
      doubleBos: 1,
      dedupeBos: false,
    });
    expect(run.stderr).toMatch(/1 example\(s\) start with two BOS tokens/);
    expect(lines<Example>(exact)[0].input_ids.slice(0, 2)).toEqual([1, 1]);
    const deduped = join(dir, "deduped.jsonl");
    await cli`data tokenize ${texts} --tokenizer ${tokenizer("zephyr-7b-beta")} --dedupe-bos --out ${deduped}`;
    expect(lines<Example>(deduped)[0].input_ids).toEqual(
      lines<Example>(exact)[0].input_ids.slice(1),
    );
    // The messages themselves, through --chat-template: one BOS, as apply_chat_template(tokenize=True).
    const chat = join(dir, "chat.tokens.jsonl");
    const viaChat =
      await cli`data tokenize ${input} --tokenizer ${tokenizer("zephyr-7b-beta")} --chat-template ${here("chat/bos-template")} --out ${chat}`;
    expect(JSON.parse(viaChat.stdout)).toMatchObject({ records: 1, chat: 1, doubleBos: 0 });
    expect(lines<Example>(chat)[0].input_ids).toEqual(
      lines<Example>(deduped)[0].input_ids.slice(0),
    );
  });
});

describe("tunekit data tokenize", () => {
  it("gives the reference ids, mask and labels for prompt-completion lines", async () => {
    const out = join(scratch(), "masking.out.jsonl");
    const run =
      await cli`data tokenize ${here("masking.jsonl")} --tokenizer ${tokenizer("flan-t5")} --out ${out}`;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      records: 5,
      promptCompletion: 5,
      truncated: 0,
      trainOnInputs: false,
    });
    const reference = lines<Example>(here("masking_convention.jsonl")).map(
      ({ input_ids, attention_mask, labels }) => ({
        input_ids,
        attention_mask,
        labels,
      }),
    );
    expect(lines<Example>(out)).toEqual(reference);
  });

  it("gives the reference ids for text lines", async () => {
    const out = join(scratch(), "texts.out.jsonl");
    const run =
      await cli`data tokenize ${here("texts.jsonl")} --tokenizer ${tokenizer("flan-t5")} --out ${out}`;
    expect(run.code).toBe(0);
    const reference = lines<{ input_ids: number[] }>(here("tokenize.jsonl"));
    const got = lines<Example>(out);
    expect(got.map((e) => e.input_ids)).toEqual(reference.map((r) => r.input_ids));
    expect(got.map((e) => e.labels)).toEqual(reference.map((r) => r.input_ids));
  });

  it("truncates to --max-length, trains on inputs on request, and counts", async () => {
    const dir = scratch();
    const out = join(dir, "t.jsonl");
    const run =
      await cli`data tokenize ${here("masking.jsonl")} --tokenizer ${tokenizer("flan-t5")} --max-length 20 --train-on-inputs --out ${out}`;
    const summary = JSON.parse(run.stdout);
    const reference = lines<Example>(here("masking_convention.jsonl"));
    expect(summary.truncated).toBe(reference.filter((r) => r.input_ids.length > 20).length);
    const got = lines<Example>(out);
    for (const [i, e] of got.entries()) {
      expect(e.input_ids).toEqual(reference[i].input_ids.slice(0, 20));
      expect(e.labels).toEqual(e.input_ids);
    }
  });

  it("names the file and line of a line it cannot tokenise", async () => {
    const out = join(scratch(), "x.jsonl");
    const run =
      await cli`data tokenize ${here("chats.jsonl")} --tokenizer ${tokenizer("flan-t5")} --out ${out}`;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /chats\.jsonl:1: record 0: tokenize reads lines with "text".*"messages" when --chat-template is given/,
    );
    expect(existsSync(out)).toBe(false);
    const missing =
      await cli`data tokenize ${here("texts.jsonl")} --tokenizer ${here("nope.json")} --out ${out}`;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });
});
