import { renderDemoReport } from "../../demo/report";
import { type DemoResult, runDemo } from "../../demo/run-demo";
import type { CommandSpec } from "../command";

/** `tunekit demo`: the end-to-end walk-through on the shipped sample data. */
export const demoCommands: CommandSpec[] = [
  {
    path: ["demo"],
    summary: "walk through formatting, evaluation, LoRA and soft prompts on built-in sample data",
    usage: "demo [--format table|json]",
    details:
      "Uses only data shipped with the package: twelve short dialogues with summaries and\npredictions, a tiny base model, a LoRA adapter for it and a word-level tokenizer.",
    options: {},
    positionals: { min: 0, max: 0 },
    defaultFormat: "table",
    run: () => runDemo(),
    table: (result) => renderDemoReport(result as DemoResult),
  },
];
