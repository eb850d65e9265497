import { describe, expect, it } from "vitest";
import { alpacaToMessages, messagesToAlpaca } from "./alpaca";
import { detectRecordFormat } from "./detect";
import { alpacaToDolly, dollyToAlpaca, dollyToMessages, messagesToDolly } from "./dolly";
import { checkMessages } from "./messages";
import {
  messagesToPromptCompletion,
  promptCompletionToMessages,
  toPromptCompletion,
} from "./prompt-completion";
import { messagesToShareGpt, shareGptToMessages } from "./sharegpt";

describe("Alpaca and Dolly", () => {
  it("maps fields one to one and keeps the rest", () => {
    const dolly = {
      instruction: "Who?",
      context: "Ada wrote it.",
      response: "Ada",
      category: "closed_qa",
    };
    const alpaca = dollyToAlpaca(dolly);
    expect(alpaca).toEqual({
      instruction: "Who?",
      input: "Ada wrote it.",
      output: "Ada",
      category: "closed_qa",
    });
    expect(alpacaToDolly(alpaca)).toEqual(dolly);
    expect(alpacaToDolly({ instruction: "Hi", output: "Hello" })).toEqual({
      instruction: "Hi",
      context: "",
      response: "Hello",
    });
  });

  it("joins instruction and input in the user turn", () => {
    expect(alpacaToMessages({ instruction: "Add.", input: "2 and 3", output: "5" })).toEqual([
      { role: "user", content: "Add.\n\n2 and 3" },
      { role: "assistant", content: "5" },
    ]);
    expect(
      alpacaToMessages(
        { instruction: "Add.", input: "", output: "5", system: "Be brief." },
        { inputSeparator: "\n" },
      ),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Add." },
      { role: "assistant", content: "5" },
    ]);
    expect(
      dollyToMessages({ instruction: "Who?", context: "Ada.", response: "Ada", category: "x" }),
    ).toEqual([
      { role: "user", content: "Who?\n\nAda." },
      { role: "assistant", content: "Ada" },
    ]);
  });

  it("turns a single exchange back into Alpaca and Dolly", () => {
    const chat = [
      { role: "system", content: "S" },
      { role: "user", content: "U" },
      { role: "assistant", content: "A" },
    ];
    expect(messagesToAlpaca(chat)).toEqual({
      instruction: "U",
      input: "",
      output: "A",
      system: "S",
    });
    expect(messagesToDolly(chat.slice(1))).toEqual({
      instruction: "U",
      context: "",
      response: "A",
    });
    expect(() =>
      messagesToAlpaca([...chat, { role: "user", content: "more" }], { index: 4 }),
    ).toThrow(/record 4: Alpaca holds one user turn.*system, user, assistant, user/);
  });

  it("names the record and the field when a record is malformed", () => {
    expect(() =>
      alpacaToMessages({ instruction: "x", output: 3 as unknown as string }, { index: 2 }),
    ).toThrow(/record 2: field "output" must be a string, got 3/);
  });
});

describe("ShareGPT", () => {
  it("maps speakers to roles and keeps weights and a top-level system prompt", () => {
    const record = {
      system: "Be kind.",
      conversations: [
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Hello", weight: 0 as const },
        { from: "HUMAN", value: "Bye" },
        { from: "chatgpt", value: "Bye!" },
      ],
    };
    expect(shareGptToMessages(record)).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello", weight: 0 },
      { role: "user", content: "Bye" },
      { role: "assistant", content: "Bye!" },
    ]);
  });

  it("refuses unknown speakers and roles instead of guessing", () => {
    expect(() =>
      shareGptToMessages({ conversations: [{ from: "narrator", value: "x" }] }, { index: 9 }),
    ).toThrow(/record 9: conversations\[0\] has speaker "narrator"/);
    expect(() => messagesToShareGpt([{ role: "developer", content: "x" }])).toThrow(
      /role "developer"/,
    );
  });
});

describe("prompt-completion", () => {
  it("splits a chat before its last assistant turn", () => {
    const chat = [
      { role: "user", content: "1?" },
      { role: "assistant", content: "1" },
      { role: "user", content: "2?" },
      { role: "assistant", content: "2", weight: 1 as const },
    ];
    const pair = messagesToPromptCompletion(chat);
    expect(pair.prompt).toEqual(chat.slice(0, 3));
    expect(pair.completion).toEqual([chat[3]]);
    expect(promptCompletionToMessages(pair)).toEqual(chat);
    expect(() => messagesToPromptCompletion(chat.slice(0, 3), { id: "c7" })).toThrow(
      /record id "c7": .*ends with "user"/,
    );
  });

  it("turns a plain pair into two turns and a rendered template into a pair", () => {
    expect(promptCompletionToMessages({ prompt: "2+2?", completion: "4" })).toEqual([
      { role: "user", content: "2+2?" },
      { role: "assistant", content: "4" },
    ]);
    expect(toPromptCompletion({ input: "p", target: "c", template: "t" })).toEqual({
      prompt: "p",
      completion: "c",
    });
  });
});

describe("checkMessages and detectRecordFormat", () => {
  it("validates OpenAI chat turns", () => {
    const ok = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: null, tool_calls: [{ id: "1" }] },
      { role: "assistant", content: "x", weight: 0 },
    ];
    expect(checkMessages(ok)).toBe(ok);
    expect(() => checkMessages([{ role: "user" }], { index: 1 })).toThrow(
      /record 1: messages\[0\] \(user\) has no string "content"/,
    );
    expect(() => checkMessages([{ role: "assistant", content: "x", weight: 0.5 }])).toThrow(
      /weight 0.5/,
    );
    expect(() => checkMessages("nope")).toThrow(/must be a list/);
  });

  it("recognises each layout", () => {
    expect(detectRecordFormat({ messages: [] })).toBe("messages");
    expect(detectRecordFormat({ conversations: [] })).toBe("sharegpt");
    expect(detectRecordFormat({ prompt: "a", completion: "b" })).toBe("prompt-completion");
    expect(detectRecordFormat({ instruction: "a", input: "", output: "b" })).toBe("alpaca");
    expect(detectRecordFormat({ instruction: "a", context: "", response: "b" })).toBe("dolly");
    expect(detectRecordFormat({ text: "a" })).toBe("text");
    expect(detectRecordFormat({ foo: 1 })).toBeUndefined();
  });
});
