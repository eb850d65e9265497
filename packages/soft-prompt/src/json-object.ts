import { TunekitError } from "@tunekit/tensor";

/**
 * Takes a JSON file's text or its already-parsed value and returns it as an object.
 *
 * @param json - text or parsed value.
 * @param code - the error code to throw with.
 * @param source - names the file in error messages.
 * @returns the object.
 * @throws TunekitError `code` when the text is not JSON or the value is not an object.
 */
export function jsonObject(
  json: string | object,
  code: string,
  source: string,
): Record<string, unknown> {
  let parsed: unknown = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new TunekitError(code, `${source} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TunekitError(code, `${source} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
