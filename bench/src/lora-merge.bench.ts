/**
 * Merging a whole LoRA adapter into a ~1 GiB base safetensors file: tunekit's streaming
 * `mergeAdapterFile` against a streaming numpy script (lora-merge.py: memory-mapped input,
 * `W += s·(B @ A)` on OpenBLAS, one tensor written at a time), side by side on the same
 * files in one run.
 *
 *   cd bench && node --expose-gc --import tsx src/lora-merge.bench.ts [--layers 16] [--hidden 2048] [--rank 16] [--rounds 2]
 *
 * The base is a Llama-shaped stack of `--layers` layers with q/k/v/o projections of
 * hidden × hidden float32 (16 × 4 × 2048² × 4 bytes = 1 GiB by default); the adapter targets
 * q_proj and v_proj at `--rank` with lora_alpha = 2·rank. Each side runs in its own child
 * process, so its peak RSS (getrusage maxrss) is its own; each reports its best round (the
 * machine is shared). Throughput is base-file megabytes (10⁶ bytes) per second. Before the
 * timing is trusted, the two outputs are compared tensor by tensor: merged weights within
 * 1e-5, all other tensors bit-equal. Files live in os.tmpdir() and are deleted at the end.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLoraConfig, createLoraModule, type LoraAdapter } from "@tunekit/lora";
import { mergeAdapterFile, writeAdapterDir } from "@tunekit/lora/node";
import { createRng, maxAbsDiff, randomNormal } from "@tunekit/tensor";
import { createSafetensorsWriter, openSafetensorsFile } from "@tunekit/tensor/node";

const { values } = parseArgs({
  options: {
    layers: { type: "string", default: "16" },
    hidden: { type: "string", default: "2048" },
    rank: { type: "string", default: "16" },
    rounds: { type: "string", default: "2" },
    child: { type: "string" },
    base: { type: "string" },
    adapter: { type: "string" },
    out: { type: "string" },
  },
});

// Child mode: one timed tunekit merge, reported as JSON on stdout.
if (values.child === "tunekit") {
  const start = performance.now();
  await mergeAdapterFile(values.base as string, values.adapter as string, values.out as string);
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }));
  process.exit(0);
}

const layers = Number(values.layers);
const hidden = Number(values.hidden);
const rank = Number(values.rank);
const rounds = Number(values.rounds);
const projections = ["q_proj", "k_proj", "v_proj", "o_proj"];
const dir = await mkdtemp(join(tmpdir(), "tunekit-lora-merge-bench-"));
const basePath = join(dir, "base.safetensors");
const adapterDir = join(dir, "adapter");
const here = fileURLToPath(new URL(".", import.meta.url));

try {
  // One buffer of normal draws, reused for every tensor: generating a gigabyte of fresh
  // draws would take longer than the merge being measured.
  const rng = createRng(1);
  const pattern = new Float32Array(hidden * hidden);
  for (let i = 0; i < pattern.length; i++) pattern[i] = 0.02 * rng.normal();
  const names = [];
  for (let l = 0; l < layers; l++)
    for (const p of projections) names.push(`model.layers.${l}.self_attn.${p}.weight`);
  const writer = await createSafetensorsWriter(
    basePath,
    names.map((name) => ({ name, dtype: "F32", shape: [hidden, hidden] })),
    { metadata: { format: "pt" } },
  );
  for (const name of names) await writer.write(name, pattern);
  await writer.commit();
  const baseBytes = (await stat(basePath)).size;

  const config = createLoraConfig({
    r: rank,
    lora_alpha: 2 * rank,
    target_modules: ["q_proj", "v_proj"],
  });
  const adapter: LoraAdapter = { config, modules: [], extraTensors: new Map() };
  let seed = 10;
  for (let l = 0; l < layers; l++) {
    for (const p of ["q_proj", "v_proj"]) {
      adapter.modules.push(
        createLoraModule(config, `model.layers.${l}.self_attn.${p}`, {
          a: randomNormal(rank, hidden, { seed: seed++, std: 0.02 }),
          b: randomNormal(hidden, rank, { seed: seed++, std: 0.02 }),
        }),
      );
    }
  }
  await writeAdapterDir(adapterDir, adapter);
  console.log(
    `base ${(baseBytes / 2 ** 30).toFixed(2)} GiB: ${names.length} tensors of ${hidden}×${hidden} f32; adapter r = ${rank} on ${adapter.modules.length} modules (q_proj, v_proj)`,
  );

  type Run = { seconds: number; maxRssKiB: number };
  const runSide = (side: "tunekit" | "numpy", out: string): Run => {
    const result =
      side === "tunekit"
        ? spawnSync(
            process.execPath,
            [
              "--import",
              "tsx",
              fileURLToPath(import.meta.url),
              "--child",
              "tunekit",
              "--base",
              basePath,
              "--adapter",
              adapterDir,
              "--out",
              out,
            ],
            { encoding: "utf8" },
          )
        : spawnSync("python3", [join(here, "lora-merge.py"), basePath, adapterDir, out], {
            encoding: "utf8",
          });
    if (result.status !== 0) throw new Error(`${side} failed:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Run;
  };

  const tunekitOut = join(dir, "tunekit.safetensors");
  const numpyOut = join(dir, "numpy.safetensors");
  const best = { tunekit: undefined as Run | undefined, numpy: undefined as Run | undefined };
  for (let round = 0; round < rounds; round++) {
    for (const side of ["tunekit", "numpy"] as const) {
      const run = runSide(side, side === "tunekit" ? tunekitOut : numpyOut);
      if (best[side] === undefined || run.seconds < (best[side] as Run).seconds) best[side] = run;
    }
  }

  // The outputs must agree before the timings mean anything.
  const ours = await openSafetensorsFile(tunekitOut);
  const theirs = await openSafetensorsFile(numpyOut);
  let worst = 0;
  for (const name of ours.names()) {
    const diff = maxAbsDiff(await ours.matrix(name), await theirs.matrix(name));
    if (name.includes("q_proj") || name.includes("v_proj")) worst = Math.max(worst, diff);
    else if (diff !== 0) throw new Error(`${name} differs between the outputs`);
  }
  await ours.close();
  await theirs.close();
  if (worst > 1e-5) throw new Error(`merged weights differ by ${worst}`);
  console.log(
    `outputs agree: merged weights within ${worst.toExponential(2)}, other tensors bit-equal`,
  );

  const mb = baseBytes / 1e6;
  const line = (label: string, run: Run) =>
    `${label.padEnd(34)} ${run.seconds.toFixed(2).padStart(7)} s  ${(mb / run.seconds).toFixed(0).padStart(6)} MB/s  peak RSS ${(run.maxRssKiB / 1024).toFixed(0).padStart(5)} MiB`;
  const t = best.tunekit as Run;
  const n = best.numpy as Run;
  console.log(line("tunekit mergeAdapterFile (stream)", t));
  console.log(line("numpy + OpenBLAS (stream, memmap)", n));
  console.log(
    `ratio (numpy time / tunekit time): ${(n.seconds / t.seconds).toFixed(2)}×; peak RSS ratio (tunekit / numpy): ${(t.maxRssKiB / n.maxRssKiB).toFixed(2)}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
