import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveForWorkers, splitEvenly } from "../src/cli/workers";
import { runCliCapture } from "./run-cli";

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/eval-rouge/${name}`, import.meta.url));

type Triple = [number, number, number];
type Scores = Record<string, { precision: number; recall: number; fmeasure: number }>;
interface Expected {
  testdata: {
    perExample: Record<"nostem" | "stem", Record<string, Triple>[]>;
    mean_fsum: Record<"nostem" | "stem", Record<string, Triple>>;
  };
  dialogsum: { id: string; nostem: Record<string, Triple>; stem: Record<string, Triple> }[];
}
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Expected;
const TYPES = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"];
const TOLERANCE = 1e-12;

function expectClose(got: Scores, want: Record<string, Triple>, label: string) {
  expect(Object.keys(got)).toEqual(TYPES);
  for (const type of TYPES) {
    const g = [got[type].precision, got[type].recall, got[type].fmeasure];
    for (const [k, value] of g.entries()) {
      const diff = Math.abs(value - want[type][k]);
      expect(diff, `${label} ${type}[${k}]: ${value} vs ${want[type][k]}`).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  }
}

/** The DialogSum sample, its renamed fields, all five fixture types, with the stemmer. */
const DIALOGSUM_STEMMED = [
  fixture("dialogsum-sample.jsonl"),
  "--prediction-key",
  "output",
  "--reference-key",
  "summary",
  "--types",
  TYPES.join(","),
  "--stemmer",
];

const scratch = mkdtempSync(join(tmpdir(), "tunekit-eval-rouge-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The per-example file's lines, parsed. */
function readLines(path: string): Scores[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Scores);
}

async function evalRouge(args: string[]) {
  const run = await runCliCapture(["eval", "rouge", ...args]);
  return { ...run, json: run.code === 0 ? JSON.parse(run.stdout) : undefined };
}

describe("tunekit eval rouge", () => {
  it.each(["nostem", "stem"] as const)(
    "prints the corpus mean of rouge-score's test data (%s), as math.fsum / n",
    async (mode) => {
      const out = join(scratch, `testdata-${mode}.jsonl`);
      const run = await evalRouge([
        fixture("testdata.jsonl"),
        "--types",
        TYPES.join(","),
        ...(mode === "stem" ? ["--stemmer"] : []),
        "--per-example",
        out,
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expectClose(run.json, expected.testdata.mean_fsum[mode], "mean");
      const lines = readLines(out);
      expect(lines).toHaveLength(2);
      for (const [i, scores] of lines.entries()) {
        expectClose(scores, expected.testdata.perExample[mode][i], `line ${i}`);
      }
    },
  );

  it("renames fields, and gives every DialogSum example rouge-score's scores", async () => {
    const out = join(scratch, "dialogsum.jsonl");
    const run = await evalRouge([...DIALOGSUM_STEMMED, "--per-example", out]);
    expect(run.code).toBe(0);
    const lines = readLines(out);
    expect(lines).toHaveLength(expected.dialogsum.length);
    for (const [i, scores] of lines.entries()) {
      expectClose(scores, expected.dialogsum[i].stem, expected.dialogsum[i].id);
    }
  });

  it("scores a list of references as score_multi (an empty decoy first never wins)", async () => {
    const out = join(scratch, "multi.jsonl");
    const run = await evalRouge([
      fixture("dialogsum-multi.jsonl"),
      "--types",
      TYPES.join(","),
      "--per-example",
      out,
    ]);
    expect(run.code).toBe(0);
    for (const [i, scores] of readLines(out).entries()) {
      expectClose(scores, expected.dialogsum[i].nostem, expected.dialogsum[i].id);
    }
  });

  it("defaults to rouge1, rouge2, rougeL, rougeLsum", async () => {
    const run = await evalRouge([fixture("testdata.jsonl")]);
    expect(Object.keys(run.json)).toEqual(["rouge1", "rouge2", "rougeL", "rougeLsum"]);
    expect(run.json.rouge1.fmeasure).toBeCloseTo(expected.testdata.mean_fsum.nostem.rouge1[2], 12);
  });

  it("adds a reproducible bootstrap interval around the mean", async () => {
    const args = [
      fixture("dialogsum-multi.jsonl"),
      "--types",
      "rouge1,rougeL",
      "--bootstrap",
      "200",
    ];
    const first = await evalRouge([...args, "--seed", "7"]);
    const again = await evalRouge([...args, "--seed", "7"]);
    const other = await evalRouge([...args, "--seed", "8"]);
    expect(first.code).toBe(0);
    expect(again.json).toEqual(first.json);
    expect(other.json).not.toEqual(first.json);
    for (const type of ["rouge1", "rougeL"]) {
      const { low, mid, high, fmeasure } = first.json[type];
      expect(low.fmeasure).toBeLessThanOrEqual(mid.fmeasure);
      expect(mid.fmeasure).toBeLessThanOrEqual(high.fmeasure);
      expect(low.fmeasure).toBeLessThan(fmeasure);
      expect(high.fmeasure).toBeGreaterThan(fmeasure);
    }
  });

  it("prints a table with --format table", async () => {
    const run = await runCliCapture([
      "eval",
      "rouge",
      fixture("testdata.jsonl"),
      "--format",
      "table",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0].split(/\s+/)).toEqual([
      "type",
      "precision",
      "recall",
      "fmeasure",
    ]);
    expect(run.stdout).toContain("rougeLsum");
  });

  it("rejects bad calls with exit code 2", async () => {
    for (const args of [
      ["--types", "rouge1,rouge0"],
      ["--types", ","],
      ["--tokenizer", "whitespace"],
      ["--seed", "3"],
      ["--bootstrap", "0"],
      ["--bootstrap", "10", "--confidence", "1.5"],
      ["--workers", "0"],
    ]) {
      const run = await evalRouge([fixture("testdata.jsonl"), ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
    }
  });

  it("fails with the file and line of a bad record, and writes no per-example file", async () => {
    const data = join(scratch, "bad.jsonl");
    writeFileSync(
      data,
      '{"prediction": "a", "reference": "a"}\n{"prediction": 3, "reference": "b"}\n',
    );
    const out = join(scratch, "bad-out.jsonl");
    const run = await evalRouge([data, "--per-example", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${data}:2`);
    expect(existsSync(out)).toBe(false);
    writeFileSync(data, '{"prediction": "a", "reference": "a"}\n{not json\n');
    const invalid = await evalRouge([data]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/bad\.jsonl:2: not valid JSON/);
    writeFileSync(data, '{"prediction": "a", "reference": []}\n');
    expect((await evalRouge([data])).stderr).toMatch(/bad\.jsonl:1: .*non-empty array/);
  });

  it("scores empty texts 0 without failing", async () => {
    const data = join(scratch, "empty.jsonl");
    writeFileSync(
      data,
      '{"prediction": "", "reference": ""}\n{"prediction": "", "reference": "a b"}\n',
    );
    const run = await evalRouge([data]);
    expect(run.code).toBe(0);
    for (const score of Object.values(run.json as Scores)) {
      expect([score.precision, score.recall, score.fmeasure]).toEqual([0, 0, 0]);
    }
  });
});

describe("tunekit eval rouge --workers", () => {
  // Workers load the built package (plain JavaScript), not the TypeScript source.
  const built = existsSync(fileURLToPath(resolveForWorkers("@tunekit/metrics")));

  it("finds the built @tunekit/metrics (run `npx turbo run build --filter=@tunekit/metrics`)", () => {
    expect(built).toBe(true);
  });

  it.runIf(built)("gives the same numbers with 1 and with 3 workers, in input order", async () => {
    const runWith = async (workers: string) => {
      const out = join(scratch, `workers-${workers}.jsonl`);
      const run = await evalRouge([
        ...DIALOGSUM_STEMMED,
        "--bootstrap",
        "100",
        "--workers",
        workers,
        "--per-example",
        out,
      ]);
      expect(run.stderr).toBe("");
      return { result: run.json, text: readFileSync(out, "utf8"), lines: readLines(out) };
    };
    const one = await runWith("1");
    const three = await runWith("3");
    expect(three.result).toEqual(one.result);
    expect(three.text).toBe(one.text);
    for (const [i, scores] of three.lines.entries()) {
      expectClose(scores, expected.dialogsum[i].stem, expected.dialogsum[i].id);
    }
  });
});

describe("splitEvenly", () => {
  it("cuts a range into contiguous, nearly equal, non-empty slices", () => {
    expect(splitEvenly(10, 3)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(splitEvenly(2, 5)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(splitEvenly(0, 4)).toEqual([]);
  });
});
