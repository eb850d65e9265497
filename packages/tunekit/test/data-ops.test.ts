import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/data-ops/${name}`, import.meta.url));
const sample = fixture("dialogsum-sample.jsonl"); // 57 DialogSum dev records, see README
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tunekit-data-ops-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function jsonl(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

async function run(argv: string[]) {
  const result = await runCliCapture(argv);
  const table = argv.includes("--format");
  const json = result.code === 0 && result.stdout && !table ? JSON.parse(result.stdout) : undefined;
  return { ...result, json };
}

describe("tunekit data split", () => {
  it("writes train/validation/test by largest-remainder ratios, a partition of the input", async () => {
    const out = join(dir, "splits");
    const { code, json, stderr } = await run([
      "data",
      "split",
      sample,
      "--ratios",
      "0.8,0.1,0.1",
      "--seed",
      "3",
      "--out-dir",
      out,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // 57 records: quotas 45.6 / 5.7 / 5.7 → 45 / 6 / 6
    expect(json.splits.map((s: { records: number }) => s.records)).toEqual([45, 6, 6]);
    expect(json).toMatchObject({ total: 57, seed: 3, method: "random" });
    expect((await readdir(out)).sort()).toEqual(["test.jsonl", "train.jsonl", "validation.jsonl"]);
    const parts = await Promise.all(
      ["train", "validation", "test"].map((n) => jsonl(join(out, `${n}.jsonl`))),
    );
    expect(parts.map((p) => p.length)).toEqual([45, 6, 6]);
    const input = await jsonl(sample);
    const names = parts.flat().map((r) => r.fname as string);
    expect(new Set(names).size).toBe(57);
    expect([...names].sort()).toEqual(input.map((r) => r.fname as string).sort());
    // each split keeps the input order
    for (const part of parts) {
      const order = part.map((r) => input.findIndex((x) => x.fname === r.fname));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("gives the same files for the same seed and different ones for another", async () => {
    const read = async (seed: string, name: string) => {
      await run(["data", "split", sample, "--seed", seed, "--out-dir", join(dir, name)]);
      return readFile(join(dir, name, "test.jsonl"), "utf8");
    };
    expect(await read("9", "a")).toBe(await read("9", "b"));
    expect(await read("10", "c")).not.toBe(await read("9", "a"));
  });

  it("keeps every topic in one split with --group and prints a table on request", async () => {
    const out = join(dir, "g");
    const { code, stdout } = await run([
      "data",
      "split",
      sample,
      "--seed",
      "1",
      "--group",
      "topic",
      "--out-dir",
      out,
      "--format",
      "table",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^name\s+records\s+target\s+file/);
    expect(stdout).toContain("57 records, grouped, seed 1");
    const home = new Map<unknown, string>();
    for (const name of ["train", "validation", "test"]) {
      for (const record of await jsonl(join(out, `${name}.jsonl`))) {
        expect(home.get(record.topic) ?? name).toBe(name);
        home.set(record.topic, name);
      }
    }
  });

  it("stratifies, takes counts with rest, and reads CSV", async () => {
    const stratified = await run([
      "data",
      "split",
      fixture("small.csv"),
      "--counts",
      "rest,1,1",
      "--seed",
      "2",
      "--stratify",
      "topic",
      "--out-dir",
      join(dir, "csv"),
    ]);
    expect(stratified.code).toBe(0);
    expect(stratified.json.splits.map((s: { records: number }) => s.records)).toEqual([2, 1, 1]);
    expect(Object.keys(stratified.json.strata)).toEqual(["math", "chat", "geo"]);
    const all = (
      await Promise.all(
        ["train", "validation", "test"].map((n) => jsonl(join(dir, "csv", `${n}.jsonl`))),
      )
    ).flat();
    expect(all.map((r) => r.question).sort()).toEqual([
      "Capital of France?",
      'Say "hi"',
      "Two\r\nlines",
      "What is 2+2?",
    ]);
  });

  it("reports bad lines by file and line, or sets them aside with --skip-invalid --rejects", async () => {
    const bad = fixture("bad.jsonl");
    const failed = await run(["data", "split", bad, "--seed", "1", "--out-dir", join(dir, "x")]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`[invalid_json]: ${bad}:2: not valid JSON`);
    expect(await readdir(dir)).toEqual([]); // nothing written

    const rejects = join(dir, "rejects.jsonl");
    const ok = await run([
      "data",
      "split",
      bad,
      "--seed",
      "1",
      "--out-dir",
      join(dir, "y"),
      "--skip-invalid",
      "--rejects",
      rejects,
    ]);
    expect(ok.code).toBe(0);
    // lines 1, 4 and 6 are records; 2 is broken JSON, 3 is blank, 5 is an array
    expect(ok.json).toMatchObject({ total: 3, invalid: 2, rejects });
    expect((await jsonl(rejects)).map((r) => [r.line, r.code])).toEqual([
      [2, "invalid_json"],
      [5, "invalid_record"],
    ]);
  });

  it("refuses bad calls with exit code 2", async () => {
    const cases = [
      ["data", "split", sample, "--out-dir", dir],
      ["data", "split", sample, "--seed", "1", "--out-dir", dir, "--ratios", "0.5,0.4"],
      ["data", "split", sample, "--seed", "1", "--out-dir", dir, "--skip-invalid"],
      ["data", "split", sample, "--seed", "1", "--out-dir", dir, "--stratify", "a", "--group", "b"],
    ];
    const messages = [/--seed/, /sum to 1/, /needs --rejects/, /not both/];
    for (const [i, argv] of cases.entries()) {
      const { code, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stderr).toMatch(messages[i]);
    }
    const missing = await run([
      "data",
      "split",
      sample,
      "--seed",
      "1",
      "--group",
      "nope",
      "--out-dir",
      dir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${sample}:1: the record has no "nope" field`);
  });
});

describe("tunekit data mix", () => {
  it("gives each task min(n, cap) at temperature 1 and tags the task", async () => {
    const out = join(dir, "mix.jsonl");
    const { code, json } = await run([
      "data",
      "mix",
      "--task",
      `dialogsum=${sample}`,
      "--task",
      `qa=${fixture("qa.jsonl")}`,
      "--cap",
      "10",
      "--seed",
      "1",
      "--out",
      out,
    ]);
    expect(code).toBe(0);
    expect(json.tasks.map((t: { count: number }) => t.count)).toEqual([10, 6]);
    expect(json.tasks[0]).toMatchObject({ task: "dialogsum", available: 57, capped: 10 });
    expect(json.tasks[1].rate).toBeCloseTo(6 / 16, 12);
    const lines = await jsonl(out);
    expect(lines).toHaveLength(16);
    const qa = lines.filter((r) => r.task === "qa").map((r) => r.answer);
    expect(qa.sort()).toEqual(["0", "10", "2", "4", "6", "8"]);
    expect(new Set(lines.filter((r) => r.task === "dialogsum").map((r) => r.fname)).size).toBe(10);
  });

  it("tempers rates and hits an exact total; samples in sample mode", async () => {
    const tempered = await run([
      "data",
      "mix",
      "--task",
      `dialogsum=${sample}`,
      "--task",
      `qa=${fixture("qa.jsonl")}`,
      "--cap",
      "10",
      "--temperature",
      "2",
      "--total",
      "40",
      "--seed",
      "1",
      "--out",
      join(dir, "t.jsonl"),
    ]);
    // rates ∝ √10 : √6 = 0.5635 : 0.4365 → 22.54 / 17.46 of 40 → 23 / 17
    expect(tempered.json.tasks.map((t: { count: number }) => t.count)).toEqual([23, 17]);
    expect(tempered.json.tasks[0].rate).toBeCloseTo(
      Math.sqrt(10) / (Math.sqrt(10) + Math.sqrt(6)),
      12,
    );
    expect(await jsonl(join(dir, "t.jsonl"))).toHaveLength(40);

    const sampled = await run([
      "data",
      "mix",
      "--task",
      `a=${sample}`,
      "--task",
      `b=${fixture("qa.jsonl")}`,
      "--mode",
      "sample",
      "--total",
      "100",
      "--seed",
      "5",
      "--out",
      join(dir, "s.jsonl"),
      "--format",
      "table",
    ]);
    expect(sampled.code).toBe(0);
    expect(sampled.stdout).toContain("100 examples, sample, cap 3000, T 1, seed 5");
    expect(await jsonl(join(dir, "s.jsonl"))).toHaveLength(100);
  });

  it("refuses a repeated task and a malformed --task", async () => {
    const repeated = await run([
      "data",
      "mix",
      "--task",
      `a=${sample}`,
      "--task",
      `a=${sample}`,
      "--seed",
      "1",
      "--out",
      join(dir, "m"),
    ]);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain('task "a" is given twice');
    const malformed = await run([
      "data",
      "mix",
      "--task",
      "nofile",
      "--seed",
      "1",
      "--out",
      join(dir, "m"),
    ]);
    expect(malformed.stderr).toContain("--task takes NAME=FILE");
  });
});

describe("tunekit data dedup", () => {
  it("removes the DialogSum dialogues that repeat up to trailing spaces, naming their twins", async () => {
    const out = join(dir, "dedup.jsonl");
    const removed = join(dir, "removed.jsonl");
    const { code, json } = await run([
      "data",
      "dedup",
      sample,
      "--out",
      out,
      "--field",
      "dialogue",
      "--id",
      "fname",
      "--removed",
      removed,
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ total: 57, kept: 55, removed: 2, exact: 2, near: 0 });
    expect(await jsonl(removed)).toEqual([
      {
        line: 51,
        keptLine: 44,
        index: 50,
        keptIndex: 43,
        id: "dev_116",
        keptId: "dev_43",
        kind: "exact",
        similarity: 1,
      },
      {
        line: 53,
        keptLine: 52,
        index: 52,
        keptIndex: 51,
        id: "dev_191",
        keptId: "dev_164",
        kind: "exact",
        similarity: 1,
      },
    ]);
    expect(await jsonl(out)).toHaveLength(55);
  });

  it("also removes near duplicates with --near", async () => {
    const removed = join(dir, "removed.jsonl");
    const { json } = await run([
      "data",
      "dedup",
      sample,
      "--out",
      join(dir, "o.jsonl"),
      "--field",
      "dialogue",
      "--id",
      "fname",
      "--near",
      "--removed",
      removed,
    ]);
    expect(json.settings).toEqual({ threshold: 0.8, numPerm: 128, bands: 16, rows: 8 });
    const pairs = (await jsonl(removed)).map((r) => [r.keptId, r.id, r.kind]);
    // exact Jaccard of the word 5-gram sets: dev_262/dev_407 0.872, dev_113/dev_434 0.819
    expect(pairs).toEqual([
      ["dev_43", "dev_116", "exact"],
      ["dev_164", "dev_191", "exact"],
      ["dev_262", "dev_407", "near"],
      ["dev_113", "dev_434", "near"],
    ]);
  });
});

describe("tunekit data decontaminate", () => {
  it("drops dev dialogues sharing 13-grams with DialogSum test items", async () => {
    const out = join(dir, "clean.jsonl");
    const report = join(dir, "contaminated.jsonl");
    const { code, json } = await run([
      "data",
      "decontaminate",
      sample,
      "--eval",
      fixture("dialogsum-test-eval.jsonl"),
      "--field",
      "dialogue",
      "--id",
      "fname",
      "--eval-id",
      "fname",
      "--out",
      out,
      "--contaminated",
      report,
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      n: 13,
      total: 57,
      clean: 55,
      contaminated: 2,
      evalItems: 3,
      shortEvalItems: 0,
    });
    // counts from the independent Python reference (instruct's test/fixtures/dataset-ops)
    expect((await jsonl(report)).map((r) => [r.id, r.evalIds, r.evalLines, r.ngrams])).toEqual([
      ["dev_40", ["test_63"], [2], 122],
      ["dev_41", ["test_170"], [3], 93],
    ]);
    expect((await jsonl(out)).map((r) => r.fname)).not.toContain("dev_40");
  });
});

describe("tunekit data stats", () => {
  it("matches Python's len() and str.split() with NumPy percentiles", async () => {
    const { code, json } = await run(["data", "stats", sample, "--field", "dialogue"]);
    expect(code).toBe(0);
    expect(json.records).toBe(57);
    const { chars, words } = json.fields.dialogue;
    // numpy.percentile(..., [50, 90, 95, 99]) on the 57 dialogues
    expect([chars.min, chars.max, chars.p50]).toEqual([230, 1521, 646]);
    expect(chars.mean).toBeCloseTo(698.1578947368421, 9);
    expect(chars.p90).toBeCloseTo(1194.8, 9);
    expect(chars.p99).toBeCloseTo(1454.92, 9);
    expect([words.min, words.max, words.p50]).toEqual([40, 280, 117]);
    expect(words.p95).toBeCloseTo(225.8, 9);
  });

  it("draws ASCII histograms with --format table and writes an HTML page", async () => {
    const html = join(dir, "stats.html");
    const { code, stdout } = await run([
      "data",
      "stats",
      sample,
      "--format",
      "table",
      "--html",
      html,
      "--bins",
      "5",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("records: 57");
    expect(stdout).toContain("dialogue: present 57, missing 0, empty 0 (string 57)");
    expect(stdout).toMatch(/│█+/);
    const page = await readFile(html, "utf8");
    expect(page).toContain("<svg");
    expect(page).toContain("<title>dialogsum-sample.jsonl</title>");
  });
});
