import type { CommandSpec } from "./command";
import { commands } from "./commands/index";
import { helpFor } from "./help";

/**
 * The CLI reference guide (`docs/guides/cli.md`), generated from the command specs so it
 * can never drift from `--help`. `pnpm --filter tunekit run cli-reference` rewrites it;
 * a test fails when the file is stale.
 */
export function renderCliReference(specs: readonly CommandSpec[] = commands): string {
  const groups = new Map<string, CommandSpec[]>();
  for (const spec of specs) {
    const group = spec.path[0];
    groups.set(group, [...(groups.get(group) ?? []), spec]);
  }
  const out = [
    "# CLI reference",
    "",
    "Every command prints its result as JSON on stdout (`--format table` for people), writes",
    "errors to stderr, and exits with 0 on success, 1 when the work failed and 2 when the call",
    "itself was wrong (an unknown option, a missing argument). Output files are written",
    "atomically: to a temporary file first, then renamed, so a failed run leaves nothing",
    "half-written. Long work shows a progress bar on stderr when stderr is a terminal.",
    "",
    "This page is generated from the commands themselves; `tunekit <command> --help` prints",
    "the same text.",
  ];
  for (const [group, members] of groups) {
    out.push("", `## tunekit ${group}`);
    for (const spec of members) {
      out.push("", `### tunekit ${spec.path.join(" ")}`, "", "```text");
      out.push(helpFor(spec).trimEnd(), "```");
    }
  }
  return `${out.join("\n")}\n`;
}
