import type { CommandSpec } from "../command";

export const safetensorsCommands: CommandSpec[] = [];
