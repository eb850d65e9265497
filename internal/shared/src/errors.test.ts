import { describe, expect, it, vi } from "vitest";
import { TunekitError } from "./errors";

// A second, separately defined class with the same brand, as another bundled copy is.
async function loadSecondCopy(): Promise<typeof TunekitError> {
  vi.resetModules();
  const module = await import("./errors");
  return module.TunekitError as typeof TunekitError;
}

describe("TunekitError", () => {
  it("carries a code, a message and a cause", () => {
    const cause = new Error("disk");
    const error = new TunekitError("file_io", "cannot write out.jsonl", { cause });
    expect(error.code).toBe("file_io");
    expect(error.message).toBe("cannot write out.jsonl");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("TunekitError");
    expect(error).toBeInstanceOf(Error);
  });

  it("is recognised across copies by isInstance and by instanceof", async () => {
    const Other = await loadSecondCopy();
    expect(Other).not.toBe(TunekitError);
    const fromOther = new Other("x", "from the other copy");
    expect(TunekitError.isInstance(fromOther)).toBe(true);
    expect(fromOther instanceof TunekitError).toBe(true);
    expect(new TunekitError("x", "y") instanceof Other).toBe(true);
  });

  it("rejects what is not a tunekit error", () => {
    for (const value of [new Error("plain"), null, undefined, "text", { code: "x" }]) {
      expect(TunekitError.isInstance(value)).toBe(false);
      expect(value instanceof TunekitError).toBe(false);
    }
  });

  it("keeps the prototype check for subclasses", () => {
    class DataError extends TunekitError {}
    expect(new DataError("a", "b") instanceof DataError).toBe(true);
    expect(new DataError("a", "b") instanceof TunekitError).toBe(true);
    expect(new TunekitError("a", "b") instanceof DataError).toBe(false);
  });
});
