/**
 * Shared pieces of the metric benches: DialogSum-sized pairs and a best-of-rounds timer.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

interface DialogsumExample {
  dialogue: string;
  summary: string;
}

/**
 * `count` pairs with prediction = dialogue and reference = summary, from the DialogSum dev
 * set (fixtures/dialogsum/dialogsum.dev.jsonl) cycled to the requested count.
 */
export function dialogsumPairs(count: number): { predictions: string[]; references: string[] } {
  const corpus = readFileSync(
    new URL("../fixtures/dialogsum/dialogsum.dev.jsonl", import.meta.url),
    "utf8",
  )
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as DialogsumExample);
  const predictions: string[] = [];
  const references: string[] = [];
  for (let i = 0; i < count; i++) {
    const example = corpus[i % corpus.length];
    predictions.push(example.dialogue);
    references.push(example.summary);
  }
  return { predictions, references };
}

/**
 * Runs `run` `rounds` times over `pairs` pairs and returns the best wall-clock rate and the
 * best rate per second of this process's CPU time, in pairs per second. Other work on a
 * shared machine slows the wall clock by taking turns on the cores; CPU time counts only
 * this process's turns, so it is the steadier figure there. `checksum` is the last run's
 * return value (printed, so the work cannot be optimised away).
 */
export function bestRate(
  pairs: number,
  rounds: number,
  run: () => number,
): { wall: number; cpu: number; checksum: number } {
  let fastestWall = Number.POSITIVE_INFINITY;
  let fastestCpu = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    checksum = run();
    fastestWall = Math.min(fastestWall, performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    fastestCpu = Math.min(fastestCpu, (cpu.user + cpu.system) / 1000);
  }
  return { wall: pairs / (fastestWall / 1000), cpu: pairs / (fastestCpu / 1000), checksum };
}
