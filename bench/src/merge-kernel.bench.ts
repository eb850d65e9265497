/**
 * The LoRA merge kernel W += s·B·A for a 4096 × 4096 f32 weight and rank 16, tunekit
 * against ml-matrix on the same data in one run.
 *
 *   cd bench && node --expose-gc --import tsx src/merge-kernel.bench.ts [--size 4096] [--rank 16] [--rounds 10]
 *
 * tunekit: `addScaledProduct(W, s, B, A)` in place (WebAssembly SIMD kernel).
 * ml-matrix: `W.add(B.mmul(A).mul(s))`, its fastest form for this (mmul, then an in-place
 * scale and an in-place add; ml-matrix stores rows as Float64Array).
 * Each side reports the best and the median of its rounds (the machine is shared, so the
 * best is the least disturbed). When python3 with numpy is installed, numpy's
 * `W += s * (B @ A)` is timed as a reference point on its own random data of the same shape.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { addScaledProduct, type Matrix, maxAbsDiff, randomNormal } from "@tunekit/tensor";
import { Matrix as MlMatrix } from "ml-matrix";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "4096" },
    rank: { type: "string", default: "16" },
    rounds: { type: "string", default: "10" },
  },
});
const size = Number(values.size);
const rank = Number(values.rank);
const rounds = Number(values.rounds);
const scaling = 16 / rank; // alpha / r with alpha = 16

const w = randomNormal(size, size, { seed: 1, std: 0.02 });
const b = randomNormal(size, rank, { seed: 2 });
const a = randomNormal(rank, size, { seed: 3 });

function toMl(m: Matrix): MlMatrix {
  const rows: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return new MlMatrix(rows);
}

function time(label: string, count: number, run: () => void): { best: number; median: number } {
  const samples: number[] = [];
  run(); // warm-up (JIT, WebAssembly compile)
  for (let r = 0; r < count; r++) {
    globalThis.gc?.();
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((x, y) => x - y);
  const best = samples[0];
  const median = samples[Math.floor(samples.length / 2)];
  console.log(
    `${label.padEnd(40)} best ${best.toFixed(1).padStart(8)} ms   median ${median.toFixed(1).padStart(8)} ms`,
  );
  return { best, median };
}

console.log(
  `LoRA merge W += s·B·A: W ${size}×${size} f32, B ${size}×${rank}, A ${rank}×${size}, s = ${scaling}`,
);

// Same numbers on both sides: check the results agree before timing.
const wTunekit: Matrix = { ...w, data: w.data.slice() };
addScaledProduct(wTunekit, scaling, b, a);
const wMl = toMl(w);
const bMl = toMl(b);
const aMl = toMl(a);
wMl.add(bMl.mmul(aMl).mul(scaling));
const mlResult: Matrix = { rows: size, cols: size, data: Float64Array.from(wMl.to1DArray()) };
console.log(
  `results agree: max |tunekit − ml-matrix| = ${maxAbsDiff(wTunekit, mlResult).toExponential(2)}`,
);

const scratch: Matrix = { ...w, data: w.data.slice() };
const tunekit = time("tunekit addScaledProduct (wasm SIMD)", rounds, () => {
  addScaledProduct(scratch, scaling, b, a);
});
const mlScratch = toMl(w);
const ml = time("ml-matrix W.add(B.mmul(A).mul(s))", Math.max(3, Math.ceil(rounds / 3)), () => {
  mlScratch.add(bMl.mmul(aMl).mul(scaling));
});
console.log(
  `ratio: tunekit is ${(ml.best / tunekit.best).toFixed(1)}× faster than ml-matrix (best), ` +
    `${(ml.median / tunekit.median).toFixed(1)}× (median)`,
);

const numpy = spawnSync(
  "python3",
  [
    "-c",
    `import time, numpy as np
rng = np.random.default_rng(0)
w = rng.standard_normal((${size}, ${size}), dtype=np.float32)
b = rng.standard_normal((${size}, ${rank}), dtype=np.float32)
a = rng.standard_normal((${rank}, ${size}), dtype=np.float32)
w += ${scaling} * (b @ a)
ts = []
for _ in range(${rounds}):
    t = time.perf_counter(); w += ${scaling} * (b @ a); ts.append((time.perf_counter() - t) * 1000)
ts.sort(); print(ts[0], ts[len(ts) // 2], np.__version__)`,
  ],
  { encoding: "utf8" },
);
if (numpy.status === 0) {
  const [best, median, version] = numpy.stdout.trim().split(" ");
  console.log(
    `${`numpy ${version} w += s*(b @ a) (reference)`.padEnd(40)} best ${Number(best).toFixed(1).padStart(8)} ms   median ${Number(median).toFixed(1).padStart(8)} ms` +
      `   → tunekit / numpy = ${(tunekit.best / Number(best)).toFixed(2)} (best)`,
  );
} else {
  console.log("numpy reference: skipped (python3 with numpy not found)");
}
