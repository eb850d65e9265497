/**
 * Reading a ~1 GB safetensors file: the whole file at once (`readSafetensorsFile`) and
 * header-first, tensor by tensor (`openSafetensorsFile` + `tensor()`), against the
 * ceiling of a plain `fs.readFile` of the same file, in one run.
 *
 *   cd bench && node --expose-gc --import tsx src/safetensors-read.bench.ts [--mb 1024] [--rounds 3]
 *
 * The file (64 F32 tensors of 4096 × 1024 by default) is streamed to os.tmpdir() with
 * `createSafetensorsWriter` and deleted at the end. It was just written, so reads come
 * from the page cache: the figures measure the library, not the disk. Peak RSS is the
 * process high-water mark after each phase; phases run from the leanest to the largest
 * so that each peak belongs to its phase.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  createSafetensorsWriter,
  openSafetensorsFile,
  readSafetensorsFile,
} from "@tunekit/tensor/node";

const { values } = parseArgs({
  options: { mb: { type: "string", default: "1024" }, rounds: { type: "string", default: "3" } },
});
const rounds = Number(values.rounds);
const rows = 4096;
const cols = 1024;
const tensorBytes = rows * cols * 4;
const count = Math.max(1, Math.round((Number(values.mb) * 2 ** 20) / tensorBytes));

const mib = (bytes: number) => bytes / 2 ** 20;
const peakRss = () => process.resourceUsage().maxRSS / 1024; // KiB → MiB

const dir = await mkdtemp(join(tmpdir(), "tunekit-bench-"));
const path = join(dir, "model.safetensors");
try {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
  const names = Array.from({ length: count }, (_, i) => `model.layers.${i}.mlp.up_proj.weight`);
  const writeStart = performance.now();
  const writer = await createSafetensorsWriter(
    path,
    names.map((name) => ({ name, dtype: "F32" as const, shape: [rows, cols] })),
  );
  for (const name of names) await writer.write(name, data);
  await writer.commit();
  const writeMs = performance.now() - writeStart;
  const fileBytes = count * tensorBytes;
  console.log(
    `safetensors file: ${count} F32 tensors of ${rows}×${cols}, ${mib(fileBytes).toFixed(0)} MiB; ` +
      `streamed write ${((mib(fileBytes) / writeMs) * 1000).toFixed(0)} MiB/s (incl. fsync)`,
  );
  const baseline = peakRss();
  console.log(
    `peak RSS before reading: ${baseline.toFixed(0)} MiB (includes the 16 MiB source tensor)`,
  );

  async function phase(label: string, run: () => Promise<number>): Promise<void> {
    let best = Number.POSITIVE_INFINITY;
    let checksum = 0;
    for (let r = 0; r < rounds; r++) {
      globalThis.gc?.();
      const start = performance.now();
      checksum = await run();
      best = Math.min(best, performance.now() - start);
    }
    console.log(
      `${label.padEnd(46)} ${((mib(fileBytes) / best) * 1000).toFixed(0).padStart(6)} MiB/s  ` +
        `(${best.toFixed(0)} ms, best of ${rounds})  peak RSS ${peakRss().toFixed(0)} MiB  [check ${checksum.toFixed(3)}]`,
    );
  }

  await phase("tunekit openSafetensorsFile + tensor() each", async () => {
    const file = await openSafetensorsFile(path);
    let sum = 0;
    for (const name of file.names()) {
      const t = await file.tensor(name);
      sum += (t.data as Float32Array)[12345];
    }
    await file.close();
    return sum;
  });
  await phase("tunekit readSafetensorsFile + tensor() each", async () => {
    const file = await readSafetensorsFile(path);
    let sum = 0;
    for (const name of file.names()) sum += (file.tensor(name).data as Float32Array)[12345];
    return sum;
  });
  await phase("fs.readFile (ceiling: bytes only, no parsing)", async () => {
    const bytes = await readFile(path);
    return bytes[bytes.length - 1];
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
