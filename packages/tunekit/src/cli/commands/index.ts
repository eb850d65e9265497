import type { CommandSpec } from "../command";
import { dataCommands } from "./data";
import { demoCommands } from "./demo";
import { evalCommands } from "./eval";
import { loraCommands } from "./lora";
import { promptCommands } from "./prompt";
import { safetensorsCommands } from "./safetensors";

/** Every command of the CLI, in the order `tunekit --help` lists them. */
export const commands: CommandSpec[] = [
  ...evalCommands,
  ...loraCommands,
  ...promptCommands,
  ...dataCommands,
  ...safetensorsCommands,
  ...demoCommands,
];
