import type { CommandSpec } from "../command";

export const dataCommands: CommandSpec[] = [];
