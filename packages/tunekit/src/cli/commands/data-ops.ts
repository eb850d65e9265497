import type { CommandSpec } from "../command";

export const dataOpsCommands: CommandSpec[] = [];
