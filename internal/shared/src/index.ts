export { TunekitError } from "./errors";
export { createRng, type Rng } from "./random";
