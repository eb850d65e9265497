import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AlpacaRecord, alpacaToMessages, messagesToAlpaca } from "./alpaca";
import { alpacaToDolly, type DollyRecord, dollyToAlpaca } from "./dolly";
import type { ChatMessage } from "./messages";
import { messagesToPromptCompletion, promptCompletionToMessages } from "./prompt-completion";
import { messagesToShareGpt, type ShareGptRecord, shareGptToMessages } from "./sharegpt";

const text = fc.string({ maxLength: 40 });
const weight = fc.option(fc.constantFrom(0 as const, 1 as const), { nil: undefined });
const withWeight = <T extends object>(value: T, w: 0 | 1 | undefined) =>
  w === undefined ? value : { ...value, weight: w };

const message = fc
  .tuple(fc.constantFrom("system", "user", "assistant", "tool"), text, weight)
  .map(([role, content, w]) => withWeight({ role, content }, w) as ChatMessage);
const chat = fc.array(message, { maxLength: 8 });
const alpaca = fc.record(
  { instruction: text, input: text, output: text, category: text },
  { requiredKeys: ["instruction", "input", "output"] },
) as fc.Arbitrary<AlpacaRecord>;
const dolly = fc.record(
  { instruction: text, context: text, response: text, category: text },
  { requiredKeys: ["instruction", "context", "response"] },
) as fc.Arbitrary<DollyRecord>;
const shareGpt = fc
  .array(fc.tuple(fc.constantFrom("human", "gpt", "system", "tool"), text, weight), {
    maxLength: 8,
  })
  .map(
    (turns) =>
      ({
        conversations: turns.map(([from, value, w]) => withWeight({ from, value }, w)),
      }) as ShareGptRecord,
  );

describe("format round trips", () => {
  it("Alpaca → Dolly → Alpaca and Dolly → Alpaca → Dolly are the identity", () => {
    fc.assert(
      fc.property(alpaca, (a) => {
        expect(dollyToAlpaca(alpacaToDolly(a))).toEqual(a);
      }),
    );
    fc.assert(
      fc.property(dolly, (d) => {
        expect(alpacaToDolly(dollyToAlpaca(d))).toEqual(d);
      }),
    );
  });

  it("ShareGPT ↔ messages round-trips, weights included", () => {
    fc.assert(
      fc.property(chat, (m) => {
        expect(shareGptToMessages(messagesToShareGpt(m))).toEqual(m);
      }),
    );
    fc.assert(
      fc.property(shareGpt, (s) => {
        expect(messagesToShareGpt(shareGptToMessages(s))).toEqual(s);
      }),
    );
  });

  it("messages → prompt-completion → messages is the identity for chats ending in a reply", () => {
    const reply = fc
      .tuple(chat, text, weight)
      .map(([m, c, w]) => [...m, withWeight({ role: "assistant", content: c }, w) as ChatMessage]);
    fc.assert(
      fc.property(reply, (m) => {
        expect(promptCompletionToMessages(messagesToPromptCompletion(m))).toEqual(m);
      }),
    );
  });

  it("Alpaca → messages → Alpaca keeps the prompt text", () => {
    fc.assert(
      fc.property(alpaca, (a) => {
        const { category, ...plain } = a;
        const there = alpacaToMessages(plain);
        const back = messagesToAlpaca(there);
        // A chat cannot tell instruction from input, so the round trip is exact on the
        // chat side, and exact on the Alpaca side when there is no input.
        expect(alpacaToMessages(back)).toEqual(there);
        if (a.input === "") expect(back).toEqual(plain);
      }),
    );
  });
});
