import { fileURLToPath } from "node:url";
import type { ViteUserConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import sibling packages from their source, not their build, so a test run never
 * depends on (or races with) a `dist/` folder.
 */
export const workspaceAliases = ["tensor", "metrics", "lora", "soft-prompt", "instruct"].flatMap(
  (name) => [
    { find: new RegExp(`^@tunekit/${name}$`), replacement: source(`${name}/src/index.ts`) },
    { find: new RegExp(`^@tunekit/${name}/node$`), replacement: source(`${name}/src/node.ts`) },
  ],
);

/** The vitest configuration every package uses. */
export const sharedTestConfig: ViteUserConfig = {
  resolve: { alias: workspaceAliases },
  test: {
    // CI has two cores shared by every package's test run; parity tests over whole corpora
    // need more than the default 5 s there.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts", "test/**/*.test-d.ts"] },
  },
};
