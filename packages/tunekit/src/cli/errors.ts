/**
 * A mistake in how the command was called (unknown option, missing argument, bad value).
 * The CLI prints it with a pointer to `--help` and exits with code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Reads an option as a string, or throws a usage error naming it. */
export function stringOption(values: Record<string, unknown>, name: string, required: true): string;
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  required?: false,
): string | undefined;
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  required = false,
): string | undefined {
  const value = values[name];
  if (value === undefined) {
    if (required) throw new UsageError(`missing required option --${name}`);
    return undefined;
  }
  if (typeof value !== "string") throw new UsageError(`--${name} takes a value`);
  return value;
}

/** Reads an option as an integer within [min, max], or throws a usage error naming it. */
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  options: { min?: number; max?: number; default?: number } = {},
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return options.default;
  const n = Number(raw);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Reads an option as a finite number, or throws a usage error naming it. */
export function numberOption(
  values: Record<string, unknown>,
  name: string,
  fallback?: number,
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) {
    throw new UsageError(`--${name} must be a number, got "${raw}"`);
  }
  return n;
}

/** Reads an option that must be one of `choices`, or throws a usage error listing them. */
export function choiceOption<T extends string>(
  values: Record<string, unknown>,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}
