import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderTemplate } from "../template";
import { DIALOGSUM } from "./dialogsum";

// The DialogSum dev set (cylnlp/dialogsum, CC BY-NC-SA 4.0), 500 dialogues.
const records = readFileSync(
  new URL("../../test/fixtures/dialogsum/dialogsum.dev.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((line) => line.trim())
  .map(
    (line) =>
      JSON.parse(line) as { fname: string; dialogue: string; summary: string; topic: string },
  );

describe("DialogSum dev set through the DialogSum prompt", () => {
  const rendered = records.map((record, index) =>
    renderTemplate(DIALOGSUM, record, { index, id: record.fname }),
  );

  it("formats all 500 dialogues", () => {
    expect(rendered).toHaveLength(500);
    expect(new Set(rendered.map((r) => r.template))).toEqual(new Set(["dialogsum"]));
  });

  it("renders dev_1 exactly", () => {
    expect(records[1].fname).toBe("dev_1");
    expect(rendered[1].input).toBe(
      "Summarize the following conversation.\n\n" +
        "#Person1#: Hey Jimmy. Let's go workout later today.\n" +
        "#Person2#: Sure. What time do you want to go?\n" +
        "#Person1#: How about at 3:30?\n" +
        "#Person2#: That sounds good. Today we work on Legs and forearm.\n" +
        "#Person1#: Hey. I just played basketball earlier, so my legs are a little sore. Let's work out on arms and stomach today.\n" +
        "#Person2#: I'm on a weekly schedule. You're messing everything up.\n" +
        "#Person1#: C'mon. We're only switching two days. You can do legs on Friday.\n" +
        "#Person2#: Aright. I'll meet you at the gym at 3:30 then.\n\n" +
        "Summary: ",
    );
    expect(rendered[1].target).toBe(
      "#Person1# invites Jimmy to go workout and persuades him into working out on arms and stomach.",
    );
  });

  it("renders the first and last records with the dataset's own spacing", () => {
    // dev_0 keeps the dataset's tokenised apostrophes ("I ' Ve"), untouched.
    expect(
      rendered[0].input.startsWith(
        "Summarize the following conversation.\n\n#Person1#: Hello, how are you doing today?\n#Person2#: I ' Ve been having",
      ),
    ).toBe(true);
    expect(
      rendered[499].input.endsWith(
        "#Person1#: That's not so bad. Sounds like a cool job.\n\nSummary: ",
      ),
    ).toBe(true);
    expect(rendered[499].target).toBe(
      "#Person2# tells #Person1# #Person2# is going to work for a company helping at parties during the summer vacation. #Person1# thinks that's a cool job.",
    );
  });

  it("wraps every dialogue the same way and leaves no placeholder behind", () => {
    for (const [i, r] of rendered.entries()) {
      expect(r.input).toBe(
        `Summarize the following conversation.\n\n${records[i].dialogue}\n\nSummary: `,
      );
      expect(r.target).toBe(records[i].summary);
      expect(r.input + r.target).not.toMatch(/\{[\p{L}\p{N}_]*\}/u);
    }
  });

  it("names the record when a field is missing", () => {
    const { summary, ...noSummary } = records[7];
    expect(() => renderTemplate(DIALOGSUM, noSummary, { index: 7, id: records[7].fname })).toThrow(
      /record 7, id "dev_7": template "dialogsum" needs field "summary"/,
    );
  });
});
