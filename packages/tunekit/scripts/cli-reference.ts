// Rewrites docs/guides/cli.md from the command specs:
//   node --import tsx scripts/cli-reference.ts
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCliReference } from "../src/cli/reference";

const target = join(import.meta.dirname, "..", "..", "..", "docs", "guides", "cli.md");
await writeFile(target, renderCliReference());
console.log(`wrote ${target}`);
