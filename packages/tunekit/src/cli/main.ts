import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { CommandSpec, OutputFormat } from "./command";
import { commands } from "./commands/index";
import { UsageError } from "./errors";
import { helpFor } from "./help";
import { genericTable } from "./output";
import { createProgress } from "./progress";
import { VERSION } from "./version";

/** Where the CLI writes; tests pass in-memory sinks. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

const commonOptions = {
  help: { type: "boolean", short: "h" },
  format: { type: "string" },
} as const;

function overview(prefix: string[]): string {
  const matching = commands.filter((c) => prefix.every((word, i) => c.path[i] === word));
  const width = Math.max(...matching.map((c) => c.path.join(" ").length));
  const lines = [
    `tunekit ${VERSION} — reference-exact metrics, LoRA and soft-prompt math, instruction data`,
    "",
    `Usage: tunekit ${prefix.length ? `${prefix.join(" ")} ` : ""}<command> [options]`,
    "",
    "Commands:",
    ...matching.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`),
    "",
    "Run `tunekit <command> --help` for a command's options. Results are JSON on stdout.",
  ];
  return `${lines.join("\n")}\n`;
}

function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of commands) {
    if (spec.path.every((word, i) => argv[i] === word)) {
      if (!best || spec.path.length > best.path.length) best = spec;
    }
  }
  return best ? { spec: best, rest: argv.slice(best.path.length) } : undefined;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code:
 * 0 on success, 1 when the work failed, 2 when the call itself was wrong.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout.write(overview([]));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const prefix = argv.filter((a) => !a.startsWith("-"));
    const group = commands.some((c) => c.path[0] === prefix[0]) ? [prefix[0]] : [];
    if (group.length && (argv.includes("--help") || argv.includes("-h") || argv.length === 1)) {
      io.stdout.write(overview(group));
      return argv.length === 1 ? 2 : 0;
    }
    io.stderr.write(`tunekit: unknown command "${argv.join(" ")}"\n\n${overview(group)}`);
    return 2;
  }
  const { spec, rest } = found;
  let values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...spec.options, ...commonOptions },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (error) {
    io.stderr.write(
      `tunekit ${spec.path.join(" ")}: ${(error as Error).message}\nRun \`tunekit ${spec.path.join(" ")} --help\` for usage.\n`,
    );
    return 2;
  }
  if (values.help) {
    io.stdout.write(helpFor(spec));
    return 0;
  }
  const name = `tunekit ${spec.path.join(" ")}`;
  try {
    const format = values.format ?? spec.defaultFormat ?? "json";
    if (format !== "json" && format !== "table") {
      throw new UsageError(`--format must be json or table, got "${String(format)}"`);
    }
    if (positionals.length < spec.positionals.min || positionals.length > spec.positionals.max) {
      const expected =
        spec.positionals.min === spec.positionals.max
          ? `${spec.positionals.min}`
          : `${spec.positionals.min} to ${spec.positionals.max}`;
      throw new UsageError(
        `expected ${expected} positional argument(s), got ${positionals.length}`,
      );
    }
    const result = await spec.run({
      values,
      positionals,
      format: format as OutputFormat,
      log: (message) => io.stderr.write(`${message}\n`),
      progress: (label, total) => createProgress(io.stderr, label, total),
    });
    if (result !== undefined) {
      const text =
        format === "table" ? (spec.table ?? genericTable)(result) : JSON.stringify(result, null, 2);
      io.stdout.write(`${text}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message}\nRun \`${name} --help\` for usage.\n`);
      return 2;
    }
    const e = error as Error & { code?: unknown };
    const code = typeof e.code === "string" ? ` [${e.code}]` : "";
    io.stderr.write(`${name}: error${code}: ${e.message ?? String(error)}\n`);
    if (process.env.TUNEKIT_DEBUG && e.stack) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
