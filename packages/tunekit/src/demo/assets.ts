import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Paths of the model files the demo ships with (see `scripts/make-demo-assets.ts`). */
export interface DemoAssets {
  base: string;
  adapter: string;
  tokenizer: string;
}

/**
 * Finds the package's `demo/` folder, walking up from this module: it sits beside `dist/`
 * in the published package and beside `src/` in the repository.
 */
export function findDemoAssets(): DemoAssets {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "demo");
    if (existsSync(join(candidate, "base.safetensors"))) {
      return {
        base: join(candidate, "base.safetensors"),
        adapter: join(candidate, "adapter"),
        tokenizer: join(candidate, "tokenizer.json"),
      };
    }
    dir = dirname(dir);
  }
  throw new Error("the demo's model files were not found (expected a demo/ folder beside dist/)");
}
