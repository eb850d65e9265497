import type { CommandSpec } from "../command";

export const loraCommands: CommandSpec[] = [];
