import { createRng, type Rng } from "../../../internal/shared/src/index";
import { type Matrix, type MatrixDType, zeros } from "./matrix";

/**
 * Where random numbers come from: a `seed` (a new generator, see `createRng`), or an
 * existing `rng` to continue its sequence. `rng` wins when both are given; the default is
 * seed 0. Elements are drawn in row-major order, one draw (uniform) or one normal per
 * element, so the same seed gives the same matrix on every platform.
 *
 * @example
 * ```ts
 * import { createRng, randomNormal, type RandomSource } from "@tunekit/tensor";
 * const source: RandomSource = { rng: createRng(7) };
 * const a = randomNormal(2, 2, source);
 * ```
 */
export interface RandomSource {
  /** Seed of a fresh generator. Default 0. */
  seed?: number;
  /** A generator to draw from (advanced by the draws). */
  rng?: Rng;
  /** Storage type of the result. Default `"f32"`. */
  dtype?: MatrixDType;
}

/**
 * Options of {@link randomNormal}.
 *
 * @example
 * ```ts
 * import { randomNormal, type RandomNormalOptions } from "@tunekit/tensor";
 * const options: RandomNormalOptions = { seed: 1, std: 0.02 };
 * const w = randomNormal(4, 4, options);
 * ```
 */
export interface RandomNormalOptions extends RandomSource {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation. Default 1. */
  std?: number;
}

/**
 * Options of {@link randomUniform}.
 *
 * @example
 * ```ts
 * import { randomUniform, type RandomUniformOptions } from "@tunekit/tensor";
 * const options: RandomUniformOptions = { seed: 1, low: -1, high: 1 };
 * const w = randomUniform(4, 4, options);
 * ```
 */
export interface RandomUniformOptions extends RandomSource {
  /** Lower bound (inclusive). Default 0. */
  low?: number;
  /** Upper bound (exclusive). Default 1. */
  high?: number;
}

/**
 * Options of {@link kaimingUniform}.
 *
 * @example
 * ```ts
 * import { kaimingUniform, type KaimingUniformOptions } from "@tunekit/tensor";
 * const options: KaimingUniformOptions = { seed: 3, a: 0 };
 * const w = kaimingUniform(8, 64, options);
 * ```
 */
export interface KaimingUniformOptions extends RandomSource {
  /** The negative slope of the rectifier after the layer. Default `√5` (torch's `nn.Linear`). */
  a?: number;
}

function sourceOf(options: RandomSource): Rng {
  return options.rng ?? createRng(options.seed ?? 0);
}

/**
 * A matrix of independent normal draws `N(mean, std²)`.
 *
 * @param rows - number of rows.
 * @param cols - number of columns.
 * @param options - `seed` (default 0) or `rng`, `mean` (default 0), `std` (default 1),
 *   `dtype` (default `"f32"`).
 * @returns a new matrix.
 * @throws TunekitError `invalid_shape` for a bad dimension; RangeError for a seed that is
 *   not a safe integer.
 *
 * @example
 * ```ts
 * import { randomNormal } from "@tunekit/tensor";
 * const a = randomNormal(8, 64, { seed: 42 });
 * const b = randomNormal(8, 64, { seed: 42 }); // identical to a
 * ```
 */
export function randomNormal(
  rows: number,
  cols: number,
  options: RandomNormalOptions = {},
): Matrix {
  const m = zeros(rows, cols, { dtype: options.dtype });
  const rng = sourceOf(options);
  const { mean = 0, std = 1 } = options;
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * rng.normal();
  return m;
}

/**
 * A matrix of independent uniform draws from `[low, high)`.
 *
 * @param rows - number of rows.
 * @param cols - number of columns.
 * @param options - `seed` (default 0) or `rng`, `low` (default 0), `high` (default 1),
 *   `dtype` (default `"f32"`).
 * @returns a new matrix.
 * @throws TunekitError `invalid_shape` for a bad dimension; RangeError for a seed that is
 *   not a safe integer.
 *
 * @example
 * ```ts
 * import { randomUniform } from "@tunekit/tensor";
 * const u = randomUniform(3, 3, { seed: 0, low: -0.5, high: 0.5 });
 * ```
 */
export function randomUniform(
  rows: number,
  cols: number,
  options: RandomUniformOptions = {},
): Matrix {
  const m = zeros(rows, cols, { dtype: options.dtype });
  const rng = sourceOf(options);
  const { low = 0, high = 1 } = options;
  fillUniform(m, rng, low, high);
  return m;
}

function fillUniform(m: Matrix, rng: Rng, low: number, high: number): void {
  const d = m.data;
  const width = high - low;
  for (let i = 0; i < d.length; i++) d[i] = low + width * rng.float();
}

/**
 * Kaiming (He) uniform initialisation of a `rows × cols` weight, as torch's
 * `nn.init.kaiming_uniform_(w, a)` with its defaults (`fan_in` mode, leaky-ReLU gain):
 * `fan_in = cols`, `gain = √(2 / (1 + a²))`, `bound = gain · √(3 / fan_in)`, draws from
 * `U(−bound, bound)` (He et al. 2015, §2.2). With the default `a = √5` this is
 * `U(−1/√cols, 1/√cols)`, how torch initialises `nn.Linear` weights and PEFT's LoRA A.
 *
 * @param rows - number of rows (out features).
 * @param cols - number of columns (in features, the fan-in).
 * @param options - `seed` (default 0) or `rng`, `a` (default √5), `dtype` (default `"f32"`).
 * @returns a new matrix.
 * @throws TunekitError `invalid_shape` for a bad dimension; RangeError for a seed that is
 *   not a safe integer.
 *
 * @example
 * ```ts
 * import { kaimingUniform } from "@tunekit/tensor";
 * const loraA = kaimingUniform(8, 4096, { seed: 0 }); // values in ±1/64
 * ```
 */
export function kaimingUniform(
  rows: number,
  cols: number,
  options: KaimingUniformOptions = {},
): Matrix {
  const m = zeros(rows, cols, { dtype: options.dtype });
  if (cols === 0) return m;
  const a = options.a ?? Math.sqrt(5);
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / cols);
  fillUniform(m, sourceOf(options), -bound, bound);
  return m;
}
