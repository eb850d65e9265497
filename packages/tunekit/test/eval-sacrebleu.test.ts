import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveForWorkers } from "../src/cli/workers";
import { runCliCapture } from "./run-cli";

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/eval-sacrebleu/${name}`, import.meta.url));

/** BLEU as sacrebleu's fixture stores it. */
interface SacrebleuBleu {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
  signature?: string;
}
interface Expected {
  corpus_bleu: (SacrebleuBleu & {
    params: { tokenize: string; smooth_method: string; lowercase: boolean };
    signature: string;
  })[];
  corpus_chrf: {
    params: { word_order?: number; lowercase?: boolean };
    score: number;
    signature: string;
    char_order: number;
    word_order: number;
    beta: number;
  }[];
  corpus_ter: {
    params: { case_sensitive?: boolean };
    score: number;
    num_edits: number;
    ref_length: number;
    signature: string;
  }[];
  sentence: {
    index: number;
    id: string;
    bleu: SacrebleuBleu;
    bleu_lowercase: SacrebleuBleu;
    chrf: number;
    chrfpp: number;
    ter: { score: number; num_edits: number; ref_length: number };
  }[];
}
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Expected;
const DATA = fixture("dialogsum-dev.jsonl");
const TOLERANCE = 1e-9;
const BLEU_KEYS = [
  "score",
  "counts",
  "totals",
  "precisions",
  "bp",
  "sysLen",
  "refLen",
  "signature",
];

interface CliBleu {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
  signature: string;
}

const scratch = mkdtempSync(join(tmpdir(), "tunekit-eval-sacrebleu-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function evalCli(args: string[]) {
  const run = await runCliCapture(["eval", ...args]);
  return { ...run, json: run.code === 0 ? JSON.parse(run.stdout) : undefined };
}

function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as T);
}

const withoutVersion = (signature: string) => signature.replace(/\|version:[^|]*$/, "");

/** Differences between a CLI BLEU result and sacrebleu's (counts and totals exactly). */
function bleuDifferences(label: string, got: CliBleu, want: SacrebleuBleu): string[] {
  const out: string[] = [];
  if (!(Math.abs(got.score - want.score) <= TOLERANCE)) out.push(`${label} score ${got.score}`);
  if (JSON.stringify(got.counts) !== JSON.stringify(want.counts)) out.push(`${label} counts`);
  if (JSON.stringify(got.totals) !== JSON.stringify(want.totals)) out.push(`${label} totals`);
  if (got.sysLen !== want.sys_len || got.refLen !== want.ref_len) out.push(`${label} lengths`);
  if (!(Math.abs(got.bp - want.bp) <= TOLERANCE)) out.push(`${label} bp`);
  want.precisions.forEach((p, n) => {
    if (!(Math.abs(got.precisions[n] - p) <= TOLERANCE)) out.push(`${label} precision ${n + 1}`);
  });
  if (want.signature && withoutVersion(got.signature) !== withoutVersion(want.signature)) {
    out.push(`${label} signature ${got.signature}`);
  }
  return out;
}

describe("tunekit eval bleu (numbers from sacrebleu 2.6.0 on DialogSum dev)", () => {
  it("prints exactly DESIGN's fields, equal to corpus_bleu with the defaults", async () => {
    const run = await evalCli(["bleu", DATA]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(Object.keys(run.json)).toEqual(BLEU_KEYS);
    const defaults = expected.corpus_bleu.find(
      (r) => r.params.tokenize === "13a" && r.params.smooth_method === "exp" && !r.params.lowercase,
    );
    expect(bleuDifferences("default", run.json, defaults!)).toEqual([]);
    expect(run.json.signature).toMatch(
      /^nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:tunekit-metrics-/,
    );
  });

  it("follows --tokenize, --smooth and --lowercase for every combination", async () => {
    expect(expected.corpus_bleu).toHaveLength(40);
    const mismatches: string[] = [];
    for (const record of expected.corpus_bleu) {
      const { tokenize, smooth_method, lowercase } = record.params;
      const args = ["bleu", DATA, "--tokenize", tokenize, "--smooth", smooth_method];
      if (lowercase) args.push("--lowercase");
      const run = await evalCli(args);
      expect(run.code, run.stderr).toBe(0);
      mismatches.push(...bleuDifferences(args.slice(2).join(" "), run.json, record));
    }
    expect(mismatches).toEqual([]);
  });

  it("writes sentence BLEU per line with --per-example, as sentence_bleu", async () => {
    const out = join(scratch, "bleu.jsonl");
    const outLower = join(scratch, "bleu-lc.jsonl");
    expect((await evalCli(["bleu", DATA, "--per-example", out])).code).toBe(0);
    expect((await evalCli(["bleu", DATA, "--lowercase", "--per-example", outLower])).code).toBe(0);
    const lines = readJsonLines<CliBleu>(out);
    const lower = readJsonLines<CliBleu>(outLower);
    expect(lines).toHaveLength(500);
    expect(Object.keys(lines[0])).toEqual(BLEU_KEYS);
    expect(lines[0].signature).toMatch(/\|eff:yes\|/);
    const mismatches = expected.sentence.flatMap((s) => [
      ...bleuDifferences(s.id, lines[s.index], s.bleu),
      ...bleuDifferences(`${s.id} lowercase`, lower[s.index], s.bleu_lowercase),
    ]);
    expect(mismatches).toEqual([]);
  });

  it("reads renamed fields with --prediction-key and --reference-key", async () => {
    const out = join(scratch, "renamed.jsonl");
    const args = ["--prediction-key", "output", "--reference-key", "summary", "--per-example", out];
    const run = await evalCli(["bleu", fixture("dialogsum-renamed.jsonl"), ...args]);
    expect(run.code, run.stderr).toBe(0);
    const lines = readJsonLines<CliBleu>(out);
    expect(
      lines.flatMap((line, i) => bleuDifferences(`line ${i}`, line, expected.sentence[i].bleu)),
    ).toEqual([]);
  });

  it("rejects bad flags with exit 2 and bad data with exit 1, writing nothing", async () => {
    const tokenizer = await evalCli(["bleu", DATA, "--tokenize", "spm"]);
    expect(tokenizer.code).toBe(2);
    expect(tokenizer.stderr).toMatch(/--tokenize must be one of 13a, intl, char, zh, none/);
    const smooth = await evalCli(["bleu", DATA, "--smooth-value", "0.2"]);
    expect(smooth.code).toBe(2);
    expect(smooth.stderr).toMatch(/--smooth-value only applies/);
    const bad = join(scratch, "bad.jsonl");
    writeFileSync(
      bad,
      '{"prediction": "a", "reference": "a"}\n{"prediction": 3, "reference": "b"}\n',
    );
    const out = join(scratch, "never.jsonl");
    const data = await evalCli(["bleu", bad, "--per-example", out]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/bad\.jsonl:2: "prediction" must be a string/);
    expect(existsSync(out)).toBe(false);
  });

  it("prints a table with --format table", async () => {
    const run = await runCliCapture(["eval", "bleu", DATA, "--format", "table"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^BLEU\s+precisions/);
    expect(run.stdout).toContain("24.9/11.7/6.1/1.6");
  });
});

describe("tunekit eval chrf and ter (numbers from sacrebleu 2.6.0 on DialogSum dev)", () => {
  it("equals corpus chrF and chrF++, mixed case and lowercased", async () => {
    for (const record of expected.corpus_chrf) {
      const args = ["chrf", DATA, "--word-order", String(record.params.word_order ?? 0)];
      if (record.params.lowercase) args.push("--lowercase");
      const run = await evalCli(args);
      expect(run.code, run.stderr).toBe(0);
      expect(Math.abs(run.json.score - record.score), args.join(" ")).toBeLessThanOrEqual(
        TOLERANCE,
      );
      expect(withoutVersion(run.json.signature)).toBe(withoutVersion(record.signature));
      expect([run.json.charOrder, run.json.wordOrder, run.json.beta]).toEqual([
        record.char_order,
        record.word_order,
        record.beta,
      ]);
    }
  });

  it("writes sentence chrF and chrF++ per line", async () => {
    const chrf = join(scratch, "chrf.jsonl");
    const chrfpp = join(scratch, "chrfpp.jsonl");
    expect((await evalCli(["chrf", DATA, "--per-example", chrf])).code).toBe(0);
    expect((await evalCli(["chrf", DATA, "--word-order", "2", "--per-example", chrfpp])).code).toBe(
      0,
    );
    const one = readJsonLines<{ score: number }>(chrf);
    const two = readJsonLines<{ score: number; name: string }>(chrfpp);
    expect(two[0].name).toBe("chrF2++");
    const off = expected.sentence.filter(
      (s) =>
        !(Math.abs(one[s.index].score - s.chrf) <= TOLERANCE) ||
        !(Math.abs(two[s.index].score - s.chrfpp) <= TOLERANCE),
    );
    expect(off.map((s) => s.id)).toEqual([]);
  });

  it("equals corpus TER (lowercased by default, and --case-sensitive) and sentence TER", async () => {
    for (const record of expected.corpus_ter) {
      const args = ["ter", DATA, ...(record.params.case_sensitive ? ["--case-sensitive"] : [])];
      const run = await evalCli(args);
      expect(run.code, run.stderr).toBe(0);
      expect(Object.keys(run.json)).toEqual(["score", "numEdits", "refLength", "signature"]);
      expect([run.json.numEdits, run.json.refLength]).toEqual([
        record.num_edits,
        record.ref_length,
      ]);
      expect(Math.abs(run.json.score - record.score)).toBeLessThanOrEqual(TOLERANCE);
      expect(withoutVersion(run.json.signature)).toBe(withoutVersion(record.signature));
    }
    const out = join(scratch, "ter.jsonl");
    expect((await evalCli(["ter", DATA, "--per-example", out])).code).toBe(0);
    const lines = readJsonLines<{ numEdits: number; refLength: number }>(out);
    const off = expected.sentence.filter(
      (s) =>
        lines[s.index].numEdits !== s.ter.num_edits ||
        lines[s.index].refLength !== s.ter.ref_length,
    );
    expect(off.map((s) => s.id)).toEqual([]);
  });
});

describe("tunekit eval bleu / chrf --workers", () => {
  // Workers load the built package (plain JavaScript), not the TypeScript source.
  const built = existsSync(fileURLToPath(resolveForWorkers("@tunekit/metrics")));

  it("finds the built @tunekit/metrics (run `npx turbo run build --filter=@tunekit/metrics`)", () => {
    expect(built).toBe(true);
  });

  it.runIf(built).each(["bleu", "chrf"])(
    "%s gives the same result and per-example file with 1 and 3 workers",
    async (metric) => {
      const runWith = async (workers: string, perExample: boolean) => {
        const out = join(scratch, `${metric}-workers-${workers}-${perExample}.jsonl`);
        const args = [
          metric,
          DATA,
          "--workers",
          workers,
          ...(perExample ? ["--per-example", out] : []),
        ];
        const run = await evalCli(args);
        expect(run.stderr).toBe("");
        return { result: run.json, text: perExample ? readFileSync(out, "utf8") : "" };
      };
      const one = await runWith("1", true);
      const three = await runWith("3", true);
      expect(three.result).toEqual(one.result);
      expect(three.text).toBe(one.text);
      expect((await runWith("3", false)).result).toEqual(one.result);
    },
  );
});

describe("tunekit eval exact-match, accuracy and squad (hand-computed)", () => {
  it("exact-match applies HF evaluate's options in its order", async () => {
    // HF evaluate's example: only "theater" matches as is (1 of 4). Removing "the ", "yell"
    // and "YELL", then lowercasing and dropping punctuation, leaves "cat"/"cat",
    // "theater"/"theater", "ing"/"ing", "agent"/"agent007" (3 of 4); dropping digits too
    // makes all 4 match.
    const data = fixture("exact-match.jsonl");
    expect((await evalCli(["exact-match", data])).json).toEqual({
      exactMatch: 0.25,
      matches: 1,
      total: 4,
    });
    const options = ["--ignore-case", "--ignore-punctuation"];
    const regexes = [
      "--regex-to-ignore",
      "the ",
      "--regex-to-ignore",
      "yell",
      "--regex-to-ignore",
      "YELL",
    ];
    expect((await evalCli(["exact-match", data, ...options, ...regexes])).json.exactMatch).toBe(
      0.75,
    );
    expect(
      (await evalCli(["exact-match", data, ...options, ...regexes, "--ignore-numbers"])).json
        .exactMatch,
    ).toBe(1);
  });

  it("accuracy compares labels exactly and skips blank lines", async () => {
    // positive=positive, negative≠positive, neutral=neutral, Positive≠positive: 2 of 4.
    const run = await evalCli(["accuracy", fixture("labels.jsonl")]);
    expect(run.json).toEqual({ accuracy: 0.5, correct: 2, total: 4 });
    const lists = await evalCli(["accuracy", fixture("qa.jsonl")]);
    expect(lists.code).toBe(1);
    expect(lists.stderr).toMatch(/record 1 has a list of references/);
  });

  it("squad scores v1.1 and, with --v2, unanswerable questions", async () => {
    // 1. "1976" vs ["1976", "in 1976"]: EM 1, F1 1.
    // 2. "the big cat" → "big cat" vs "a cat" → "cat": EM 0, F1 2·(1/2)·1/(3/2) = 2/3.
    // 3. "Dog." → "dog" vs "the dog" → "dog": EM 1, F1 1.
    // 4. "" vs "": v1.1 EM 1 (both normalise to ""), F1 0 (no common token);
    //    v2 (unanswerable): EM 1, F1 1 (both empty).
    // 5. "Paris" vs "": EM 0, F1 0 in both.
    const data = fixture("qa.jsonl");
    const v1 = (await evalCli(["squad", data])).json;
    expect(v1.total).toBe(5);
    expect(v1.exactMatch).toBeCloseTo(60, 12);
    expect(v1.f1).toBeCloseTo((100 * (1 + 2 / 3 + 1)) / 5, 12);
    const v2 = (await evalCli(["squad", data, "--v2"])).json;
    expect(v2.exactMatch).toBeCloseTo(60, 12);
    expect(v2.f1).toBeCloseTo((100 * (1 + 2 / 3 + 1 + 1)) / 5, 12);
    expect(v2.hasAnswer.total).toBe(3);
    expect(v2.hasAnswer.f1).toBeCloseTo((100 * (8 / 3)) / 3, 12);
    expect(v2.noAnswer).toEqual({ exactMatch: 50, f1: 50, total: 2 });
  });
});
