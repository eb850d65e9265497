import { defineConfig } from "tsup";
import { preset } from "../../tsup.preset";

export default defineConfig(
  preset({
    index: "src/index.ts",
    node: "src/node.ts",
    // Loaded by formatJsonlFile as a worker thread; not part of the public surface.
    "format-worker": "src/format-worker.ts",
  }),
);
