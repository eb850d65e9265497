import type { CommandSpec } from "../command";

export const sacrebleuCommands: CommandSpec[] = [];
