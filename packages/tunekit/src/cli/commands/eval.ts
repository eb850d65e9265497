import type { CommandSpec } from "../command";
import { rougeCommands } from "./eval-rouge";
import { sacrebleuCommands } from "./eval-sacrebleu";

/** `tunekit eval …`: corpus metrics over a JSONL file of predictions and references. */
export const evalCommands: CommandSpec[] = [...rougeCommands, ...sacrebleuCommands];
