export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
export type { Matrix, MatrixData } from "./matrix";
