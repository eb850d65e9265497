import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../src/cli/commands/index";
import { renderCliReference } from "../src/cli/reference";

describe("docs/guides/cli.md", () => {
  it("is up to date with the commands (regenerate: pnpm --filter tunekit run cli-reference)", () => {
    const onDisk = readFileSync(
      join(__dirname, "..", "..", "..", "docs", "guides", "cli.md"),
      "utf8",
    );
    expect(onDisk).toBe(renderCliReference());
  });

  it("documents every command", () => {
    const text = renderCliReference();
    for (const spec of commands) expect(text).toContain(`### tunekit ${spec.path.join(" ")}`);
  });
});
