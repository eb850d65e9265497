export {
  createSafetensorsWriter,
  openSafetensorsFile,
  readSafetensorsFile,
  type SafetensorsEntry,
  type SafetensorsFileReader,
  type SafetensorsStreamWriter,
  writeSafetensorsFile,
} from "./safetensors-node";
