import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decontaminate } from "../src/decontaminate";
import { dedupRecords } from "../src/dedup";
import { jaccard, shingleHashes } from "../src/minhash";
import { readAllRecords } from "../src/node";
import { splitDataset } from "../src/split";

// DialogSum dev (500 dialogues) and test (500) — see test/fixtures/dataset-ops/README.md.
const devPath = fileURLToPath(new URL("./fixtures/dialogsum/dialogsum.dev.jsonl", import.meta.url));
const testPath = fileURLToPath(
  new URL("./fixtures/dataset-ops/dialogsum.test.jsonl", import.meta.url),
);
const reference = JSON.parse(
  readFileSync(new URL("./fixtures/dataset-ops/reference.json", import.meta.url), "utf8"),
) as {
  exactDuplicates: { removed: string; kept: string }[];
  jaccardPairs: { a: string; b: string; jaccard: number }[];
  overlaps13: { fname: string; ngrams: number; evalIds: string[]; example: string }[];
};

type Row = { fname: string; dialogue: string; summary: string; topic: string };

async function load(path: string): Promise<Row[]> {
  return (await readAllRecords(path)).records as Row[];
}

describe("DialogSum dev: splits", () => {
  it("reads 500 records and splits them 400/50/50, a partition, stable per seed", async () => {
    const dev = await load(devPath);
    expect(dev).toHaveLength(500);
    const a = splitDataset(dev, { ratios: [0.8, 0.1, 0.1], seed: 13 });
    expect(a.report.sizes).toEqual({ train: 400, validation: 50, test: 50 });
    const all = Object.values(a.indices)
      .flat()
      .sort((x, y) => x - y);
    expect(all).toEqual(dev.map((_, i) => i));
    expect(splitDataset(dev, { seed: 13 }).indices).toEqual(a.indices);
    expect(splitDataset(dev, { seed: 14 }).indices.test).not.toEqual(a.indices.test);
  });

  it("keeps each topic in one split when grouped, and each within ±1 of its share when stratified", async () => {
    const dev = await load(devPath);
    const grouped = splitDataset(dev, { group: "topic", seed: 1 });
    const home = new Map<string, string>();
    for (const [name, rows] of Object.entries(grouped.splits)) {
      for (const row of rows) {
        expect(home.get(row.topic) ?? name).toBe(name);
        home.set(row.topic, name);
      }
    }
    // 455 topics; "job interview" (11 records) is the largest group
    expect(Object.values(grouped.report.groups!).reduce((a, b) => a + b, 0)).toBe(455);
    for (const [name, size] of Object.entries(grouped.report.sizes)) {
      expect(Math.abs(size - grouped.report.targets[name])).toBeLessThanOrEqual(11);
    }
    const stratified = splitDataset(dev, { stratify: "topic", seed: 1 });
    expect(stratified.report.sizes).toEqual({ train: 400, validation: 50, test: 50 });
    expect(stratified.report.strata!["job interview"].train).toBeGreaterThanOrEqual(8); // 8.8
    expect(stratified.report.strata!["job interview"].train).toBeLessThanOrEqual(9);
  });
});

describe("DialogSum dev: dedup against an independent Python reference", () => {
  it("finds the two dialogues that repeat up to trailing spaces", async () => {
    const dev = await load(devPath);
    const { removed, report } = dedupRecords(dev, { fields: ["dialogue"], id: "fname" });
    expect(removed.map((m) => ({ removed: m.id, kept: m.keptId }))).toEqual(
      reference.exactDuplicates,
    );
    expect(report.kept).toBe(498);
  });

  it("computes the same word 5-gram Jaccard similarities as the reference", async () => {
    const dev = await load(devPath);
    const sets = dev.map((r) => new Set(shingleHashes(r.dialogue)));
    const found: { a: string; b: string; jaccard: number }[] = [];
    for (let i = 0; i < dev.length; i++) {
      for (let j = i + 1; j < dev.length; j++) {
        let common = 0;
        for (const h of sets[i]) if (sets[j].has(h)) common++;
        const similarity = common / (sets[i].size + sets[j].size - common);
        if (similarity >= 0.3)
          found.push({ a: dev[i].fname, b: dev[j].fname, jaccard: similarity });
      }
    }
    expect(found.map((p) => [p.a, p.b])).toEqual(reference.jaccardPairs.map((p) => [p.a, p.b]));
    found.forEach((p, k) => {
      expect(p.jaccard).toBeCloseTo(reference.jaccardPairs[k].jaccard, 12);
    });
    // the library's own exact Jaccard agrees on the closest non-identical pair
    const [x, y] = ["dev_262", "dev_407"].map((f) => dev.find((r) => r.fname === f)!.dialogue);
    expect(jaccard(shingleHashes(x), shingleHashes(y))).toBeCloseTo(
      reference.jaccardPairs.find((p) => p.a === "dev_262")!.jaccard,
      12,
    );
  });

  it("removes near-duplicates as MinHash + LSH allows at threshold 0.8", async () => {
    const dev = await load(devPath);
    const { removed } = dedupRecords(dev, { fields: ["dialogue"], id: "fname", near: true });
    const removedPairs = new Set(removed.map((m) => `${m.keptId}|${m.id}`));
    const numPerm = 128;
    for (const { a, b, jaccard: j } of reference.jaccardPairs) {
      const se = Math.sqrt((j * (1 - j)) / numPerm);
      // Probability that LSH with 16 bands × 8 rows proposes the pair at all.
      const candidate = 1 - (1 - j ** 8) ** 16;
      const pair = `${a}|${b}`;
      if (j - 4.5 * se >= 0.8 && candidate > 0.999) expect(removedPairs.has(pair)).toBe(true);
      if (j + 4.5 * se < 0.8) expect(removedPairs.has(pair)).toBe(false);
    }
    // Every removal pairs records the reference knows as similar (or exact duplicates).
    const known = new Set(reference.jaccardPairs.map((p) => `${p.a}|${p.b}`));
    for (const pair of removedPairs) expect(known.has(pair)).toBe(true);
  });
});

describe("DialogSum: decontaminating dev against test with 13-grams", () => {
  it("flags exactly the dev dialogues the reference finds, with the same test items and counts", async () => {
    const dev = await load(devPath);
    const test = await load(testPath);
    const { contaminated, report } = decontaminate(dev, test, {
      fields: ["dialogue"],
      id: "fname",
      evalId: "fname",
    });
    expect(
      contaminated.map((c) => ({
        fname: c.id,
        ngrams: c.ngrams,
        evalIds: c.evalIds,
        example: c.example,
      })),
    ).toEqual(reference.overlaps13);
    expect(report.contaminated).toBe(14);
  });
});

describe("DialogSum dev: length statistics against NumPy", () => {
  it("matches len(), len(str.split()) and numpy.percentile for every field", async () => {
    const { datasetStats } = await import("../src/stats");
    const stats = datasetStats(await load(devPath));
    const expected = (reference as unknown as { stats: Record<string, Record<string, number>> })
      .stats;
    for (const [key, numbers] of Object.entries(expected)) {
      const [field, unit] = key.split(".") as [string, "chars" | "words"];
      const d = stats.fields[field][unit]!;
      expect(d.count).toBe(numbers.count);
      expect(d.min).toBe(numbers.min);
      expect(d.max).toBe(numbers.max);
      for (const name of ["mean", "p50", "p90", "p95", "p99"] as const) {
        expect(d[name]).toBeCloseTo(numbers[name], 9);
      }
    }
  });
});
