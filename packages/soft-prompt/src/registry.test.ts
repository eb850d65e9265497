import { fromArray, zeros } from "@tunekit/tensor";
import { describe, expect, it } from "vitest";
import { errorCode } from "../test/error-code";
import { promptTuningConfig } from "./adapter";
import { createSoftPrompt } from "./prompt";
import { SoftPromptRegistry } from "./registry";

const embeddings = fromArray([
  [0, 0],
  [1, 1],
  [2, 2],
]);
const sentiment = createSoftPrompt(fromArray([[10, 10]]));
const topic = createSoftPrompt(
  fromArray([
    [20, 20],
    [21, 21],
  ]),
);

describe("SoftPromptRegistry", () => {
  it("switches the task with one call: the same batch gets the other prompt", () => {
    const registry = new SoftPromptRegistry(embeddings);
    registry.add("sentiment", sentiment);
    registry.add("topic", topic);
    expect(registry.active?.name).toBe("sentiment");
    const batch = { inputIds: [[2]] };
    expect(Array.from(registry.prependCausalLm(batch).inputsEmbeds[0].data)).toEqual([
      10, 10, 2, 2,
    ]);
    registry.switch("topic");
    expect(Array.from(registry.prependCausalLm(batch).inputsEmbeds[0].data)).toEqual([
      20, 20, 21, 21, 2, 2,
    ]);
    // A named task is used without switching.
    expect(registry.prependCausalLm(batch, { task: "sentiment" }).inputsEmbeds[0].rows).toBe(2);
    expect(registry.active?.name).toBe("topic");
  });

  it("adds, gets, lists and removes tasks", () => {
    const registry = new SoftPromptRegistry(embeddings);
    const config = { ...promptTuningConfig(topic), baseModelNameOrPath: "tiny" };
    registry.add("topic", topic, { config });
    registry.add("sentiment", sentiment);
    expect(registry.list()).toEqual(["topic", "sentiment"]);
    expect(registry.get("topic").config.baseModelNameOrPath).toBe("tiny");
    expect(registry.get("sentiment").config.numVirtualTokens).toBe(1);
    expect(registry.has("topic")).toBe(true);
    expect(registry.remove("topic")).toBe(true);
    expect(registry.remove("topic")).toBe(false);
    expect(registry.list()).toEqual(["sentiment"]);
    expect(registry.active).toBeUndefined();
    expect(errorCode(() => registry.prependCausalLm({ inputIds: [[1]] }))).toBe("task_not_found");
  });

  it("refuses prompts that do not fit the model, duplicate names and bad names", () => {
    const registry = new SoftPromptRegistry(embeddings);
    expect(errorCode(() => registry.add("wide", createSoftPrompt(zeros(1, 3))))).toBe(
      "token_dim_mismatch",
    );
    registry.add("a", sentiment);
    expect(errorCode(() => registry.add("a", topic))).toBe("task_exists");
    registry.add("a", topic, { replace: true });
    expect(registry.get("a").prompt).toBe(topic);
    expect(errorCode(() => registry.add("../x", topic))).toBe("invalid_task_name");
    expect(errorCode(() => registry.add("", topic))).toBe("invalid_task_name");
    expect(errorCode(() => registry.switch("missing"))).toBe("task_not_found");
    expect(() => registry.get("missing")).toThrow(/registered: a/);
  });

  it("prepends seq2seq batches with the active prompt", () => {
    const registry = new SoftPromptRegistry(embeddings);
    registry.add(
      "t5",
      createSoftPrompt(
        fromArray([
          [5, 5],
          [6, 6],
        ]),
        { numTransformerSubmodules: 2 },
      ),
    );
    const out = registry.prependSeq2Seq({ inputIds: [[1]] });
    expect(Array.from(out.inputsEmbeds[0].data)).toEqual([5, 5, 1, 1]);
  });
});
