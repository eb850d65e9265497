import type { CommandSpec } from "./command";

/** The `--help` text of a command: usage, summary, options, details. */
export function helpFor(spec: CommandSpec): string {
  const lines = [`tunekit ${spec.usage}`, "", spec.summary, "", "Options:"];
  const entries = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
    return [flag, o.description];
  });
  entries.push([
    "--format json|table",
    `how to print the result (default ${spec.defaultFormat ?? "json"})`,
  ]);
  entries.push(["-h, --help", "show this help"]);
  const width = Math.max(...entries.map(([f]) => f.length));
  for (const [flag, text] of entries) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  if (spec.details) lines.push("", spec.details);
  return `${lines.join("\n")}\n`;
}
