import { describe, expect, it } from "vitest";
import * as tunekit from "../src/index";

describe("the tunekit umbrella", () => {
  it("exposes the same functions at the top level and in the namespaces", () => {
    expect(tunekit.rouge).toBe(tunekit.metrics.rouge);
    expect(tunekit.mergeLora).toBe(tunekit.lora.mergeLora);
    expect(tunekit.readSafetensors).toBe(tunekit.tensor.readSafetensors);
    expect(tunekit.prependCausalLm).toBe(tunekit.softPrompt.prependCausalLm);
    expect(tunekit.renderTemplate).toBe(tunekit.instruct.renderTemplate);
  });

  it("recognises errors from every package with one check", () => {
    for (const thrower of [
      () => tunekit.metrics.rouge(1 as unknown as string, "a"),
      () => tunekit.tensor.readSafetensors(new Uint8Array(3)),
      () => tunekit.instruct.renderTemplate(tunekit.getTemplate("dialogsum"), {}),
    ]) {
      let caught: unknown;
      try {
        thrower();
      } catch (error) {
        caught = error;
      }
      expect(tunekit.TunekitError.isInstance(caught)).toBe(true);
    }
  });
});
