import type { CommandSpec } from "../command";

export const rougeCommands: CommandSpec[] = [];
