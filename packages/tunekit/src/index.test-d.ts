import { describe, expectTypeOf, it } from "vitest";
import * as tunekit from "./index";

describe("the tunekit surface", () => {
  it("re-exports every package as a namespace", () => {
    expectTypeOf(tunekit.metrics.rouge).toBeFunction();
    expectTypeOf(tunekit.tensor.matmul).toBeFunction();
    expectTypeOf(tunekit.lora.mergeLora).toBeFunction();
    expectTypeOf(tunekit.softPrompt.prependCausalLm).toBeFunction();
    expectTypeOf(tunekit.instruct.renderTemplate).toBeFunction();
  });

  it("exports the most used functions at the top level, identical to the namespaced ones", () => {
    expectTypeOf(tunekit.rouge).toEqualTypeOf(tunekit.metrics.rouge);
    expectTypeOf(tunekit.corpusBleu).toEqualTypeOf(tunekit.metrics.corpusBleu);
    expectTypeOf(tunekit.mergeLora).toEqualTypeOf(tunekit.lora.mergeLora);
    expectTypeOf(tunekit.loraBudget).toEqualTypeOf(tunekit.lora.loraBudget);
    expectTypeOf(tunekit.readSafetensors).toEqualTypeOf(tunekit.tensor.readSafetensors);
    expectTypeOf(tunekit.textSoftPrompt).toEqualTypeOf(tunekit.softPrompt.textSoftPrompt);
    expectTypeOf(tunekit.renderTemplate).toEqualTypeOf(tunekit.instruct.renderTemplate);
  });

  it("types results precisely", () => {
    const scores = tunekit.rouge("a b", "a b", { types: ["rouge1", "rougeL"] });
    expectTypeOf(scores).toHaveProperty("rouge1");
    expectTypeOf(scores.rougeL.fmeasure).toBeNumber();
    expectTypeOf(tunekit.corpusBleu(["a"], ["a"]).score).toBeNumber();
    expectTypeOf<tunekit.Matrix["data"]>().toEqualTypeOf<Float32Array | Float64Array>();
  });

  it("brands every error with one class", () => {
    expectTypeOf(tunekit.TunekitError.isInstance).guards.toEqualTypeOf<tunekit.TunekitError>();
    expectTypeOf(new tunekit.TunekitError("code", "message").code).toBeString();
  });
});
