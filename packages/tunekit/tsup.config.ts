import { defineConfig } from "tsup";
import { preset } from "../../tsup.preset";

export default defineConfig([
  preset({ index: "src/index.ts" }),
  // The command line is an ESM-only executable; it has no types to ship.
  preset(
    { cli: "src/cli/main.ts" },
    { format: ["esm"], dts: false, clean: false, banner: { js: "#!/usr/bin/env node" } },
  ),
]);
