import type { CommandSpec } from "../command";

export const promptCommands: CommandSpec[] = [];
