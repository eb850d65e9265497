import { TunekitError } from "../../../internal/shared/src/index";

/**
 * The element storage a {@link Matrix} may use.
 *
 * @example
 * ```ts
 * import type { MatrixData } from "@tunekit/tensor";
 * const data: MatrixData = new Float32Array(6);
 * ```
 */
export type MatrixData = Float32Array | Float64Array;

/**
 * The element type of a new matrix: `"f32"` stores `Float32Array`, `"f64"` stores
 * `Float64Array`.
 *
 * @example
 * ```ts
 * import { zeros, type MatrixDType } from "@tunekit/tensor";
 * const dtype: MatrixDType = "f64";
 * const m = zeros(2, 2, { dtype });
 * ```
 */
export type MatrixDType = "f32" | "f64";

/**
 * Options of the constructors that allocate a new matrix.
 *
 * @example
 * ```ts
 * import { zeros, type MatrixOptions } from "@tunekit/tensor";
 * const options: MatrixOptions = { dtype: "f64" };
 * const m = zeros(3, 3, options);
 * ```
 */
export interface MatrixOptions {
  /** Storage type of the new matrix. Default `"f32"`. */
  dtype?: MatrixDType;
}

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

/** Throws unless `n` is a usable matrix dimension. */
export function checkDimension(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TunekitError(
      "invalid_shape",
      `${what} must be a whole number ≥ 0, got ${n}; pass the matrix size as non-negative integers`,
    );
  }
}

/** Allocates zeroed storage of the given element type. */
export function allocate(dtype: MatrixDType, length: number): MatrixData {
  return dtype === "f64" ? new Float64Array(length) : new Float32Array(length);
}

/** The {@link MatrixDType} of existing storage. */
export function dtypeOf(data: MatrixData): MatrixDType {
  return data instanceof Float64Array ? "f64" : "f32";
}

/** `rows×cols`, the way every shape in an error message is written. */
export function shapeText(m: { rows: number; cols: number }): string {
  return `${m.rows}×${m.cols}`;
}

/**
 * Creates a `rows × cols` matrix of zeros.
 *
 * @param rows - number of rows (a whole number ≥ 0).
 * @param cols - number of columns (a whole number ≥ 0).
 * @param options - `dtype`: `"f32"` (default) or `"f64"`.
 * @returns a new matrix filled with 0.
 * @throws TunekitError `invalid_shape` when a dimension is not a whole number ≥ 0.
 *
 * @example
 * ```ts
 * import { zeros } from "@tunekit/tensor";
 * const w = zeros(512, 64); // Float32Array storage
 * ```
 */
export function zeros(rows: number, cols: number, options: MatrixOptions = {}): Matrix {
  checkDimension(rows, "rows");
  checkDimension(cols, "cols");
  return { rows, cols, data: allocate(options.dtype ?? "f32", rows * cols) };
}

/**
 * Creates a matrix from nested arrays, one inner array per row.
 *
 * @param rows - the rows; every row must have the same length.
 * @param options - `dtype`: `"f32"` (default) or `"f64"`.
 * @returns a new matrix holding a copy of the numbers.
 * @throws TunekitError `invalid_shape` when rows have different lengths.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tunekit/tensor";
 * const m = fromArray([
 *   [1, 2, 3],
 *   [4, 5, 6],
 * ]); // 2×3
 * ```
 */
export function fromArray(
  rows: readonly (readonly number[])[],
  options: MatrixOptions = {},
): Matrix {
  const n = rows.length;
  const cols = n === 0 ? 0 : rows[0].length;
  const data = allocate(options.dtype ?? "f32", n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== cols) {
      throw new TunekitError(
        "invalid_shape",
        `row ${i} has ${row.length} values but row 0 has ${cols}; every row must have the same length`,
      );
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
  }
  return { rows: n, cols, data };
}

/**
 * Wraps an existing typed array as a matrix without copying it.
 *
 * @param data - `rows × cols` elements in row-major order.
 * @param rows - number of rows.
 * @param cols - number of columns.
 * @returns a matrix that shares `data`.
 * @throws TunekitError `invalid_shape` when `data.length !== rows * cols`.
 *
 * @example
 * ```ts
 * import { fromTypedArray } from "@tunekit/tensor";
 * const m = fromTypedArray(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3);
 * ```
 */
export function fromTypedArray<D extends MatrixData>(
  data: D,
  rows: number,
  cols: number,
): Matrix<D> {
  checkDimension(rows, "rows");
  checkDimension(cols, "cols");
  if (data.length !== rows * cols) {
    throw new TunekitError(
      "invalid_shape",
      `a ${rows}×${cols} matrix needs ${rows * cols} elements but the array has ${data.length}`,
    );
  }
  return { rows, cols, data };
}

/**
 * Creates the `n × n` identity matrix.
 *
 * @param n - the size.
 * @param options - `dtype`: `"f32"` (default) or `"f64"`.
 * @returns a new matrix with ones on the diagonal.
 * @throws TunekitError `invalid_shape` when `n` is not a whole number ≥ 0.
 *
 * @example
 * ```ts
 * import { identity } from "@tunekit/tensor";
 * const eye = identity(3, { dtype: "f64" });
 * ```
 */
export function identity(n: number, options: MatrixOptions = {}): Matrix {
  const m = zeros(n, n, options);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Copies a matrix into nested arrays, one per row.
 *
 * @param m - the matrix.
 * @returns `m.rows` arrays of `m.cols` numbers.
 *
 * @example
 * ```ts
 * import { identity, toArray } from "@tunekit/tensor";
 * toArray(identity(2)); // [[1, 0], [0, 1]]
 * ```
 */
export function toArray(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * Row `i` of a matrix as a view that shares its storage (writes go through).
 *
 * @param m - the matrix.
 * @param i - the row index, `0 ≤ i < m.rows`.
 * @returns a `subarray` of `m.data` of length `m.cols`.
 * @throws TunekitError `index_out_of_range` when `i` is not a valid row index.
 *
 * @example
 * ```ts
 * import { fromArray, getRow } from "@tunekit/tensor";
 * const m = fromArray([[1, 2], [3, 4]]);
 * getRow(m, 1); // Float32Array [3, 4]
 * ```
 */
export function getRow<D extends MatrixData>(m: Matrix<D>, i: number): D {
  if (!Number.isInteger(i) || i < 0 || i >= m.rows) {
    throw new TunekitError(
      "index_out_of_range",
      `row ${i} is outside a ${shapeText(m)} matrix; use 0 ≤ i < ${m.rows}`,
    );
  }
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as D;
}
