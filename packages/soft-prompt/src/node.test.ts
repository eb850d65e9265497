import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromArray, TunekitError } from "@tunekit/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePath, fixtureSafetensors, PEFT } from "../test/fixture-files";
import { promptTuningConfig } from "./adapter";
import {
  loadPromptTuningAdapter,
  loadSoftPromptRegistry,
  readEmbeddingMatrix,
  readTokenizerFile,
  savePromptTuningAdapter,
  saveSoftPromptRegistry,
} from "./node";
import { createSoftPrompt } from "./prompt";
import { SoftPromptRegistry } from "./registry";

const scratch = mkdtempSync(join(tmpdir(), "soft-prompt-node-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("/node file helpers", () => {
  it("loads the PEFT adapter folder and saves it back byte for byte", async () => {
    const adapter = await loadPromptTuningAdapter(fixturePath(`${PEFT}/adapter`));
    const io = fixtureSafetensors(`${PEFT}/io.safetensors`);
    expect(adapter.prompt.promptEmbeddings.data).toEqual(io.tensor("prompt").data);
    const out = join(scratch, "copy");
    await savePromptTuningAdapter(out, adapter);
    for (const name of ["adapter_config.json", "adapter_model.safetensors"]) {
      expect(
        readFileSync(join(out, name)).equals(readFileSync(fixturePath(`${PEFT}/adapter/${name}`))),
      ).toBe(true);
    }
    expect(readdirSync(out).sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });

  it("reads the embedding matrix and the model size from base.safetensors", async () => {
    const found = await readEmbeddingMatrix(fixturePath(`${PEFT}/base.safetensors`));
    expect(found.key).toBe("model.embed_tokens.weight");
    expect([found.embeddings.rows, found.embeddings.cols]).toEqual([128, 64]);
    expect(found.dtype).toBe("F32");
    // Tensor sizes from the file's header: 2 × 128·64 + 2 layers × (4·64·64 + 3·96·64 + 2·64) + 64.
    expect(found.modelParameters).toBe(
      2 * 128 * 64 + 2 * (4 * 64 * 64 + 3 * 96 * 64 + 2 * 64) + 64,
    );
    await expect(
      readEmbeddingMatrix(fixturePath(`${PEFT}/base.safetensors`), { key: "nope" }),
    ).rejects.toThrow(/lm_head\.weight \[128, 64\]/);
  });

  it("reads tokenizer.json files and reports missing files", async () => {
    const tokenizer = await readTokenizerFile(fixturePath("word-level/tokenizer.json"));
    expect(tokenizer.encode("summarize the dialogue")).toEqual([1, 3, 4, 5]);
    const missing = await readTokenizerFile(join(scratch, "none.json")).catch((e) => e);
    expect(TunekitError.isInstance(missing) && missing.code).toBe("file_not_found");
    const noAdapter = await loadPromptTuningAdapter(join(scratch, "none")).catch((e) => e);
    expect(TunekitError.isInstance(noAdapter) && noAdapter.code).toBe("file_not_found");
  });

  it("saves a registry as a folder per task and loads it back", async () => {
    const embeddings = fromArray([
      [0, 0],
      [1, 1],
    ]);
    const registry = new SoftPromptRegistry(embeddings);
    const summarize = createSoftPrompt(fromArray([[1, 2]]));
    const classify = createSoftPrompt(
      fromArray([
        [3, 4],
        [5, 6],
      ]),
    );
    registry.add("summarize", summarize, {
      config: promptTuningConfig(summarize, {
        promptTuningInit: "TEXT",
        promptTuningInitText: "Summarize",
      }),
    });
    registry.add("classify", classify);
    const dir = join(scratch, "tasks");
    await saveSoftPromptRegistry(registry, dir);
    expect(readdirSync(dir).sort()).toEqual(["classify", "summarize"]);
    const back = await loadSoftPromptRegistry(dir, embeddings);
    expect(back.list()).toEqual(["classify", "summarize"]);
    expect(back.get("classify").prompt.promptEmbeddings.data).toEqual(
      classify.promptEmbeddings.data,
    );
    expect(back.get("summarize").config.promptTuningInitText).toBe("Summarize");
    back.switch("summarize");
    expect(Array.from(back.prependCausalLm({ inputIds: [[1]] }).inputsEmbeds[0].data)).toEqual([
      1, 2, 1, 1,
    ]);
  });
});
