export { TunekitError } from "./errors";
export {
  type OrderedJson,
  type PythonJsonOptions,
  parseOrderedJson,
  toPythonJson,
} from "./python-json";
export { createRng, type Rng } from "./random";
