// Runs every example script in this folder, one after another, and fails if any fails.
// The examples import the built packages, so run `pnpm build` first.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const scripts = readdirSync(here)
  .filter((name) => name.endsWith(".ts"))
  .sort();
let failed = 0;
for (const script of scripts) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", script], {
    cwd: here,
    encoding: "utf8",
    timeout: 5 * 60 * 1000,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`ok    ${script} (${seconds}s)`);
  } else {
    failed += 1;
    console.log(`FAIL  ${script} (${seconds}s)\n${run.stdout}\n${run.stderr}`);
  }
}
console.log(`${scripts.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
