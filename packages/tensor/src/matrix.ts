/** The element storage a {@link Matrix} may use. */
export type MatrixData = Float32Array | Float64Array;

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`. The layout is
 * torch's, so a linear layer's weight is `out × in`.
 *
 * It is plain data: functions operate on it, and it can be built by hand.
 *
 * @example
 * ```ts
 * import type { Matrix } from "@tunekit/tensor";
 * const m: Matrix = { rows: 2, cols: 2, data: new Float32Array([1, 2, 3, 4]) };
 * ```
 */
export interface Matrix<D extends MatrixData = MatrixData> {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** `rows × cols` elements, row-major. */
  readonly data: D;
}
