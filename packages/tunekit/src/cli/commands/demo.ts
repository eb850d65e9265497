import type { CommandSpec } from "../command";

export const demoCommands: CommandSpec[] = [];
