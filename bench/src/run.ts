/**
 * Runs every `*.bench.ts` in this folder in turn (alphabetically), each in this process
 * by dynamic import.
 *
 *   cd bench && node --expose-gc --import tsx src/run.ts [NAME …]
 *
 * With names, only the benches whose file name contains one of them run
 * (`src/run.ts merge rouge`). Benches read their own options from the command line, so
 * the names are removed from `process.argv` before a bench loads and each runs with its
 * defaults. A bench that fails is reported and the others still run; the exit code is 1
 * if any failed.
 */
import { readdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const filters = process.argv.slice(2);
process.argv.splice(2);

const folder = fileURLToPath(new URL(".", import.meta.url));
const benches = readdirSync(folder)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (benches.length === 0) {
  console.error(`no *.bench.ts in ${folder} matches ${filters.join(", ")}`);
  process.exitCode = 1;
}
const failed: string[] = [];
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const start = performance.now();
  try {
    await import(pathToFileURL(`${folder}${file}`).href);
  } catch (error) {
    failed.push(file);
    console.error(`${file} failed:`, error);
  }
  console.log(`=== ${file}: ${((performance.now() - start) / 1000).toFixed(1)} s ===`);
  globalThis.gc?.();
}
if (failed.length > 0) {
  console.error(`\n${failed.length} bench(es) failed: ${failed.join(", ")}`);
  process.exitCode = 1;
}
