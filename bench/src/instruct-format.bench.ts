/**
 * Streaming instruction formatting: read a ~1 GB JSONL file of dialogue/summary records,
 * render the DialogSum prompt for each, write {"prompt", "completion"} JSONL — tunekit
 * against the equivalent Python `json` + `str.format` loop (instruct-format.py), side by
 * side on the same file in one run.
 *
 *   cd bench && node --expose-gc --import tsx src/instruct-format.bench.ts [--mb 1024] [--rounds 2] [--workers 2]
 *
 * tunekit: `formatJsonlFile(input, output, DIALOGSUM, { workers })` — the file in 1 MiB
 * batches of whole lines, each parsed, rendered and serialised (on `workers` worker
 * threads; `--workers 0` keeps it all in one thread), written in order through a buffered
 * temporary file + fsync + rename. Its CPU time counts every thread. Python: `for line in f`,
 * `json.loads`, `str.format(**record)`, `json.dumps(pair)` with its defaults (its fastest
 * form), temporary file + fsync + `os.replace`. Both outputs are read back and checked to
 * hold the same records (json.dumps puts a space after separators, so the bytes differ).
 * Throughput is input megabytes (10⁶ bytes) per second, both per wall-clock second and
 * per CPU second (user + system of the process: less disturbed by other work on a shared
 * machine); each side's best round is reported. Memory: tunekit's RSS is
 * sampled every 50 ms during its runs (peak, and the spread after the first 10% of the
 * file, to show it stays flat); Python reports its peak RSS from getrusage.
 *
 * Input: the DialogSum dev set (fixtures/dialogsum, CC BY-NC-SA 4.0) cycled with a copy
 * number in `fname` until the file reaches the requested size. Temporary files live in
 * os.tmpdir() and are deleted at the end.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DIALOGSUM } from "@tunekit/instruct";
import { formatJsonlFile, readRecords } from "@tunekit/instruct/node";

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "1024" },
    rounds: { type: "string", default: "2" },
    workers: { type: "string", default: "2" },
  },
});
const targetBytes = Number(values.mb) * 1024 * 1024;
const rounds = Number(values.rounds);
const workers = Number(values.workers);

const dir = await mkdtemp(join(tmpdir(), "tunekit-instruct-bench-"));
const input = join(dir, "dialogues.jsonl");
const nodeOut = join(dir, "tunekit.jsonl");
const pythonOut = join(dir, "python.jsonl");
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function generate(): Promise<{ bytes: number; records: number }> {
  const corpus = readFileSync(
    new URL("../fixtures/dialogsum/dialogsum.dev.jsonl", import.meta.url),
    "utf8",
  )
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, string>);
  const file = await open(input, "w");
  let bytes = 0;
  let records = 0;
  let batch = "";
  while (bytes < targetBytes) {
    const source = corpus[records % corpus.length];
    const copy = Math.floor(records / corpus.length);
    const line = `${JSON.stringify({ ...source, fname: `${source.fname}#${copy}` })}\n`;
    batch += line;
    bytes += Buffer.byteLength(line);
    records++;
    if (batch.length > 1 << 22) {
      await file.write(batch);
      batch = "";
    }
  }
  await file.write(batch);
  await file.close();
  return { bytes, records };
}

/** Reads both outputs side by side and checks that every line holds the same record. */
async function sameRecords(a: string, b: string): Promise<number> {
  const left = readRecords(a)[Symbol.asyncIterator]();
  const right = readRecords(b)[Symbol.asyncIterator]();
  let count = 0;
  for (;;) {
    const [x, y] = await Promise.all([left.next(), right.next()]);
    if (x.done || y.done) {
      if (x.done !== y.done) throw new Error("the outputs have different numbers of lines");
      return count;
    }
    const p = x.value.record;
    const q = y.value.record;
    if (p.prompt !== q.prompt || p.completion !== q.completion || Object.keys(p).length !== 2) {
      throw new Error(`the outputs differ at line ${x.value.line}; the comparison is void`);
    }
    count++;
  }
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  records: number;
  peakRss: number;
  /** RSS spread (max − min) after the first 10% of the input: flat memory means small. */
  rssSpread?: number;
  /** RSS when 10%, 50% and 90% of the input had been read. */
  rssAt?: number[];
}

async function runTunekit(inputBytes: number): Promise<Run> {
  globalThis.gc?.();
  const samples: { at: number; rss: number }[] = [];
  let bytesRead = 0;
  const sampler = setInterval(() => {
    samples.push({ at: bytesRead, rss: process.memoryUsage.rss() });
  }, 50);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let records: number;
  try {
    ({ records } = await formatJsonlFile(input, nodeOut, DIALOGSUM, {
      workers,
      onProgress: (bytes) => {
        bytesRead = bytes;
      },
    }));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  samples.push({ at: inputBytes, rss: process.memoryUsage.rss() });
  const steady = samples.filter((s) => s.at >= inputBytes * 0.1).map((s) => s.rss);
  const rssAt = [0.1, 0.5, 0.9].map((f) => samples.find((s) => s.at >= inputBytes * f)?.rss ?? 0);
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    records,
    peakRss: Math.max(...samples.map((s) => s.rss)),
    rssSpread: Math.max(...steady) - Math.min(...steady),
    rssAt,
  };
}

function runPython(): Run {
  const script = fileURLToPath(new URL("./instruct-format.py", import.meta.url));
  const result = spawnSync("python3", [script, input, pythonOut], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as {
    seconds: number;
    cpuSeconds: number;
    records: number;
    peakRssBytes: number;
  };
  return {
    seconds: report.seconds,
    cpuSeconds: report.cpuSeconds,
    records: report.records,
    peakRss: report.peakRssBytes,
  };
}

try {
  const generated = await generate();
  const inputBytes = (await stat(input)).size;
  const python = spawnSync("python3", ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(
    `input: ${generated.records.toLocaleString("en")} records, ${mib(inputBytes)} (${(inputBytes / 1e6).toFixed(0)} MB) in ${dir}`,
  );
  console.log(
    `node ${process.version}, ${python}, tunekit with ${workers} worker thread(s), ${rounds} round(s) each, best reported\n`,
  );
  const tunekitRuns: Run[] = [];
  const pythonRuns: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate the sides so neither always runs on a warmer machine.
    tunekitRuns.push(await runTunekit(inputBytes));
    pythonRuns.push(runPython());
    const [t, p] = [tunekitRuns[r], pythonRuns[r]];
    console.log(
      `round ${r + 1}: tunekit ${(inputBytes / 1e6 / t.seconds).toFixed(1)} MB/s (${(inputBytes / 1e6 / t.cpuSeconds).toFixed(1)} per CPU s), python ${(inputBytes / 1e6 / p.seconds).toFixed(1)} MB/s (${(inputBytes / 1e6 / p.cpuSeconds).toFixed(1)} per CPU s)`,
    );
  }
  const checked = await sameRecords(nodeOut, pythonOut);
  const outputBytes = (await stat(nodeOut)).size;
  const fastest = (runs: Run[], key: "seconds" | "cpuSeconds") =>
    runs.reduce((a, b) => (b[key] < a[key] ? b : a));
  const mb = inputBytes / 1e6;
  const t = fastest(tunekitRuns, "seconds");
  const p = fastest(pythonRuns, "seconds");
  const tc = fastest(tunekitRuns, "cpuSeconds");
  const pc = fastest(pythonRuns, "cpuSeconds");
  console.log("");
  console.log("side                     wall s   MB/s   CPU s   MB/CPU-s   records/s   peak RSS");
  for (const [name, run, cpuRun] of [
    ["tunekit (node)", t, tc],
    ["python json+str.format", p, pc],
  ] as const) {
    console.log(
      `${name.padEnd(24)} ${run.seconds.toFixed(2).padStart(6)} ${(mb / run.seconds).toFixed(1).padStart(6)} ${cpuRun.cpuSeconds.toFixed(2).padStart(7)} ${(mb / cpuRun.cpuSeconds).toFixed(1).padStart(10)} ${Math.round(
        run.records / run.seconds,
      )
        .toLocaleString("en")
        .padStart(
          11,
        )}   ${mib(Math.max(...(name.startsWith("tunekit") ? tunekitRuns : pythonRuns).map((x) => x.peakRss)))}`,
    );
  }
  console.log(
    `\nratio tunekit / python: ${(p.seconds / t.seconds).toFixed(2)}× wall clock, ${(pc.cpuSeconds / tc.cpuSeconds).toFixed(2)}× per CPU second`,
  );
  console.log(
    `tunekit RSS at 10% / 50% / 90% of the input: ${t.rssAt!.map(mib).join(" / ")}; after the first 10% it varied by at most ${mib(Math.max(...tunekitRuns.map((x) => x.rssSpread ?? 0)))}; output ${mib(outputBytes)}; all ${checked.toLocaleString("en")} output records equal on both sides`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
