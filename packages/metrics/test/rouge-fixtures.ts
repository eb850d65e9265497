import { readFixture, readFixtureText } from "./read-fixtures";

/** `[precision, recall, fmeasure]`, as the rouge-score fixtures store a score. */
export type Triple = [number, number, number];
export type FixtureScores = Record<"rouge1" | "rouge2" | "rouge3" | "rougeL" | "rougeLsum", Triple>;

/** One pair scored by rouge-score 0.1.2: its texts and its scores without and with stemming. */
export interface ParityCase {
  id: string;
  target: string;
  prediction: string;
  nostem: FixtureScores;
  stem: FixtureScores;
}

interface Aggregates {
  n: number;
  bootstrap_seed0: Record<string, { low: Triple; mid: Triple; high: Triple }>;
  mean_seq: Record<string, Triple>;
  mean_fsum: Record<string, Triple>;
  mean_np: Record<string, Triple>;
}

interface RougeFixture<R> {
  meta: {
    rouge_types: string[];
    aggregates: Record<string, { nostem: Aggregates; stem: Aggregates }>;
    inputs: { sha256: unknown };
  };
  records: R[];
}

export interface TestdataRecord extends ParityCase {
  tokens_nostem: { target: string[]; prediction: string[] };
  tokens_stem: { target: string[]; prediction: string[] };
}

/** rouge-score's own test data (google-research rouge/testdata): two lines and the whole files. */
export function testdataFixture(): RougeFixture<TestdataRecord> {
  return readFixture("rouge/rouge_testdata.json");
}

interface DialogsumRecord {
  id: string;
  pair: "summary_vs_dialogue_first3" | "summary_vs_dialogue_full";
  nostem: FixtureScores;
  stem: FixtureScores;
}

export interface DialogsumExample {
  fname: string;
  dialogue: string;
  summary: string;
}

/** The DialogSum dev set, one object per line (CC BY-NC-SA 4.0; tests only). */
export function dialogsumCorpus(): DialogsumExample[] {
  return readFixtureText("rouge/corpus/dialogsum.dev.jsonl")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as DialogsumExample);
}

/**
 * The DialogSum pairs exactly as the fixture's `meta.pairs` describes them: target = summary,
 * prediction = the whole dialogue, or its first three lines (Python's
 * `"\n".join(dialogue.split("\n")[:3])`).
 */
export function dialogsumFixture(): {
  fixture: RougeFixture<DialogsumRecord>;
  cases: (ParityCase & { pair: DialogsumRecord["pair"] })[];
} {
  const fixture = readFixture<RougeFixture<DialogsumRecord>>("rouge/rouge_dialogsum_dev.json");
  const byName = new Map(dialogsumCorpus().map((example) => [example.fname, example]));
  const cases = fixture.records.map((record) => {
    const example = byName.get(record.id);
    if (!example) throw new Error(`no DialogSum example named ${record.id}`);
    const prediction =
      record.pair === "summary_vs_dialogue_full"
        ? example.dialogue
        : example.dialogue.split("\n").slice(0, 3).join("\n");
    return { ...record, target: example.summary, prediction };
  });
  return { fixture, cases };
}
