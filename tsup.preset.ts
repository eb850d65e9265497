import type { Options } from "tsup";

/**
 * The one build preset every package uses: ESM + CJS with separate type files
 * (`.d.ts` for import, `.d.cts` for require), so each package passes `attw --pack`
 * in all four resolution modes. Source under `internal/shared` is imported by relative
 * path, so it is bundled into each package (code and types) and never published alone. Moving to another bundler means changing this file.
 */
export function preset(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    splitting: true,
    treeshake: true,
    ...overrides,
  };
}
