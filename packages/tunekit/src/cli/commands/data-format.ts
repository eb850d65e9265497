import type { CommandSpec } from "../command";

export const dataFormatCommands: CommandSpec[] = [];
