import { TunekitError } from "@tunekit/tensor";

/**
 * The `code` of the TunekitError `run` throws; `undefined` when it does not throw, and a
 * description (which no test expects) when it throws something else.
 */
export function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return TunekitError.isInstance(error) ? error.code : `not a TunekitError: ${String(error)}`;
  }
  return undefined;
}
