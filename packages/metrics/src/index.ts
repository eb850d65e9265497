export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
