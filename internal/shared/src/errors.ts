const marker = Symbol.for("tunekit.error");

/**
 * The base of every error tunekit throws. Each error carries a stable string `code`
 * (for programs) and a message that says what was wrong, where, and what to do
 * (for people). The optional `cause` keeps the underlying error.
 *
 * `TunekitError.isInstance(e)` — and `e instanceof TunekitError` — work even when two
 * copies of the class are loaded (ESM and CJS side by side, or the copy each package
 * bundles), because both check a `Symbol.for` brand rather than the prototype chain.
 * Subclasses keep the ordinary prototype check for `instanceof`.
 *
 * @example
 * ```ts
 * import { TunekitError } from "@tunekit/tensor"; // or any tunekit package
 * try {
 *   throw new TunekitError("shape_mismatch", "A is 2×3 but B is 4×5");
 * } catch (e) {
 *   if (TunekitError.isInstance(e)) console.log(e.code); // "shape_mismatch"
 * }
 * ```
 */
export class TunekitError extends Error {
  /** A stable machine-readable code, such as `"shape_mismatch"` or `"safetensors_header"`. */
  readonly code: string;
  /**
   * @param code - a stable machine-readable code.
   * @param message - what was wrong, where, and what to do.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TunekitError";
    this.code = code;
    Object.defineProperty(this, marker, { value: true });
  }

  /**
   * Whether `error` is a tunekit error from any copy of any tunekit package.
   *
   * @param error - anything that was thrown.
   * @returns true when `error` carries the tunekit brand.
   */
  static isInstance(error: unknown): error is TunekitError {
    return (
      typeof error === "object" &&
      error !== null &&
      (error as Record<symbol, unknown>)[marker] === true
    );
  }

  /**
   * Makes `instanceof TunekitError` recognise every copy of the class by its brand;
   * for a subclass, `instanceof` stays the ordinary prototype check.
   *
   * @param value - the left operand of `instanceof`.
   * @returns whether `value` is an instance.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, which may be a subclass.
    if (this !== TunekitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return TunekitError.isInstance(value);
  }
}
