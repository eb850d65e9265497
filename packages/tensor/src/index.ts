export { TunekitError } from "./errors";
export type { Matrix, MatrixData } from "./matrix";
