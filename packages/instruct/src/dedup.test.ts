import { describe, expect, it } from "vitest";
import { Deduplicator, dedupRecords, recordText } from "./dedup";

const dialogue =
  "#Person1#: Hello, how are you doing today? #Person2#: I have been having trouble breathing lately. " +
  "#Person1#: Have you had any type of cold lately? #Person2#: No, I have not had a cold. " +
  "I just have a heavy feeling in my chest when I try to breathe.";

describe("Deduplicator", () => {
  it("keeps the first and reports later exact duplicates after normalisation", () => {
    const dedup = new Deduplicator();
    expect(dedup.add("Hello  world", "a")).toBeUndefined();
    expect(dedup.add("ＨＥＬＬＯ world ", "b")).toEqual({
      index: 1,
      id: "b",
      keptIndex: 0,
      keptId: "a",
      kind: "exact",
      similarity: 1,
    });
    expect(dedup.add("Hello, world", "c")).toBeUndefined(); // punctuation kept by default
    expect(dedup.report()).toEqual({ total: 3, kept: 2, removed: 1, exact: 1, near: 0 });
  });

  it("removes near-duplicates only with near, naming the most similar kept twin", () => {
    // 200 distinct words; changing the 100th changes the 5 word 5-grams that hold it,
    // so the exact Jaccard similarity is (196 − 5) / (196 + 5) = 191 / 201 ≈ 0.950.
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    const longText = words.join(" ");
    const edited = words.map((w, i) => (i === 100 ? "changed" : w)).join(" ");
    const other =
      "#Person1#: Let's go workout later today. #Person2#: Sure. What time do you want to go?";
    const exactOnly = new Deduplicator();
    for (const t of [longText, dialogue, other, edited]) exactOnly.add(t);
    expect(exactOnly.report().removed).toBe(0);

    const near = new Deduplicator({ near: true });
    expect(near.add(longText, "long")).toBeUndefined();
    expect(near.add(dialogue, "d")).toBeUndefined();
    expect(near.add(other, "o")).toBeUndefined();
    const match = near.add(edited, "e");
    expect(match).toMatchObject({ kind: "near", keptId: "long", keptIndex: 0 });
    const exact = 191 / 201;
    expect(Math.abs(match!.similarity - exact)).toBeLessThan(
      4.5 * Math.sqrt((exact * (1 - exact)) / 128),
    );
    expect(near.report()).toMatchObject({
      near: 1,
      settings: { bands: 16, rows: 8, numPerm: 128 },
    });
  });

  it("validates the threshold", () => {
    expect(() => new Deduplicator({ threshold: 0 })).toThrow(/threshold/);
    expect(new Deduplicator({ near: true, threshold: 1 }).add("x")).toBeUndefined();
  });
});

describe("dedupRecords", () => {
  it("compares chosen fields or the whole record regardless of key order", () => {
    const records = [
      { id: "a", q: "What is 2+2?", a: "4" },
      { id: "b", q: "what is 2+2?", a: "four" },
      { a: "4", q: "What is 2+2?", id: "a" },
    ];
    const byQuestion = dedupRecords(records, { fields: ["q"], id: "id" });
    expect(byQuestion.kept.map((r) => r.a)).toEqual(["4"]);
    expect(byQuestion.removed.map((m) => [m.id, m.keptId])).toEqual([
      ["b", "a"],
      ["a", "a"],
    ]);
    const whole = dedupRecords(records);
    expect(whole.removed.map((m) => [m.index, m.keptIndex])).toEqual([[2, 0]]);
  });

  it("builds the compared text", () => {
    expect(recordText({ instruction: "Add", input: "2+2" }, ["instruction", "input"])).toBe(
      "Add\n2+2",
    );
    expect(recordText({ x: [1], y: null }, ["x", "y", "z"])).toBe("[1]\n\n");
    expect(recordText({ b: { d: 1, c: 2 }, a: 2 })).toBe('{"a":2,"b":{"c":2,"d":1}}');
  });
});
