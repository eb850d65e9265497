import type { Progress } from "./progress";

/** How a command's result is printed on stdout. */
export type OutputFormat = "json" | "table";

/** One option a command accepts, in `node:util` `parseArgs` terms plus help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  /** Accept the option several times; its value is then an array. */
  multiple?: boolean;
  short?: string;
  /** Shown in `--help`; name the default when there is one. */
  description: string;
  /** Placeholder for the value in `--help`, e.g. `N` or `OUT.jsonl`. */
  valueName?: string;
}

/** What a command's `run` receives. */
export interface CommandContext {
  /** Parsed option values, keyed by option name (without dashes). */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  /** Positional arguments after the command words. */
  positionals: string[];
  format: OutputFormat;
  /** Writes a line to stderr (for notes and warnings, never results). */
  log(message: string): void;
  /** A progress bar on stderr; it draws nothing unless stderr is a TTY. */
  progress(label: string, total: number): Progress;
}

/**
 * A command of the `tunekit` CLI. `run` returns the result as plain data: the router
 * prints it as JSON (default) or, with `--format table`, through `table` when given, else
 * as a generic table. Returning `undefined` prints nothing.
 */
export interface CommandSpec {
  /** The command words, e.g. `["eval", "rouge"]`. */
  path: string[];
  summary: string;
  /** Usage line(s) after `tunekit`, e.g. `eval rouge DATA.jsonl [options]`. */
  usage: string;
  /** Extra help text shown after the options. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Number of positional arguments accepted. */
  positionals: { min: number; max: number };
  run(context: CommandContext): Promise<unknown> | unknown;
  /** The format when `--format` is not given. Default `"json"`. */
  defaultFormat?: OutputFormat;
  /** Renders the result for `--format table`. */
  table?(result: unknown): string;
}
