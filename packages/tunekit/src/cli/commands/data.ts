import type { CommandSpec } from "../command";
import { dataFormatCommands } from "./data-format";
import { dataOpsCommands } from "./data-ops";

/** `tunekit data …`: instruction-dataset preparation. */
export const dataCommands: CommandSpec[] = [...dataFormatCommands, ...dataOpsCommands];
