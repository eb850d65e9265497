import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readSafetensors } from "@tunekit/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

const fixtures = fileURLToPath(new URL("./fixtures/prompt/", import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const scratch = mkdtempSync(join(tmpdir(), "tunekit-prompt-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tensorRows(path: string, name: string): number[][] {
  const bytes = readFileSync(path);
  const file = readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const m = file.matrix(name);
  return Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
}

const vocabulary = [
  "<unk>",
  "<s>",
  "</s>",
  "summarize",
  "the",
  "dialogue",
  "classify",
  "sentiment",
  "of",
  "this",
  "review",
  "translate",
  "to",
  "french",
  "positive",
  "negative",
];

describe("tunekit prompt init --text", () => {
  const out = join(scratch, "summarize");

  it("writes a PEFT adapter whose rows are the embeddings of the text's ids, BOS included", async () => {
    const run = await runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("embeddings.safetensors"),
      "--num-virtual-tokens",
      "6",
      "--text",
      "Summarize the dialogue",
      "--tokenizer",
      fixture("tokenizer.json"),
      "--out",
      out,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    // <s> summarize the dialogue = [1, 3, 4, 5], repeated whole and cut to 6.
    expect(result.tokenIds).toEqual([1, 3, 4, 5, 1, 3]);
    expect(result).toMatchObject({
      promptTuningInit: "TEXT",
      numVirtualTokens: 6,
      tokenDim: 8,
      embeddingKey: "model.embed_tokens.weight",
      budget: { trainableParameters: 48, modelParameters: 16 * 8 * 2 + 8 },
    });

    const vocab = tensorRows(fixture("embeddings.safetensors"), "model.embed_tokens.weight");
    const prompt = tensorRows(join(out, "adapter_model.safetensors"), "prompt_embeddings");
    expect(prompt).toEqual([1, 3, 4, 5, 1, 3].map((id) => vocab[id]));

    const config = JSON.parse(readFileSync(join(out, "adapter_config.json"), "utf8"));
    expect(config).toMatchObject({
      peft_type: "PROMPT_TUNING",
      task_type: "CAUSAL_LM",
      num_virtual_tokens: 6,
      num_transformer_submodules: 1,
      token_dim: 8,
      prompt_tuning_init: "TEXT",
      prompt_tuning_init_text: "Summarize the dialogue",
      tokenizer_name_or_path: fixtures.replace(/\/$/, ""),
      inference_mode: true,
    });
  });

  it("inspect finds each init token first, decoded through the vocabulary", async () => {
    const run = await runCliCapture([
      "prompt",
      "inspect",
      out,
      "--embeddings",
      fixture("embeddings.safetensors"),
      "--tokenizer",
      fixture("tokenizer.json"),
      "--top-k",
      "3",
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.virtualTokens).toHaveLength(6);
    [1, 3, 4, 5, 1, 3].forEach((id, index) => {
      const row = result.virtualTokens[index];
      expect(row.index).toBe(index);
      expect(row.neighbours).toHaveLength(3);
      expect(row.neighbours[0].id).toBe(id);
      expect(row.neighbours[0].token).toBe(vocabulary[id]);
      expect(row.neighbours[0].cosine).toBeCloseTo(1, 6);
      expect(row.neighbours[1].cosine).toBeLessThan(row.neighbours[0].cosine);
    });
    expect(result.budget).toMatchObject({ trainableParameters: 48, modelParameters: 264 });
    expect(result.promptTuningInitText).toBe("Summarize the dialogue");
  });
});

describe("tunekit prompt inspect on the PEFT 0.21 adapter", () => {
  const dir = fixture("peft-llama-prompt-tuning-random");

  it("gives the cosine neighbours an independent float64 computation gives", async () => {
    const run = await runCliCapture([
      "prompt",
      "inspect",
      join(dir, "adapter"),
      "--embeddings",
      join(dir, "base.safetensors"),
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    const expected: { neighbours: { id: number; cosine: number }[] }[] = JSON.parse(
      readFileSync(join(dir, "peft-nearest-neighbours.json"), "utf8"),
    );
    expect(result.virtualTokens).toHaveLength(8);
    result.virtualTokens.forEach(
      (row: { neighbours: { id: number; token: null; cosine: number }[] }, i: number) => {
        expect(row.neighbours.map((n) => n.id)).toEqual(expected[i].neighbours.map((n) => n.id));
        row.neighbours.forEach((n, j) => {
          expect(n.cosine).toBeCloseTo(expected[i].neighbours[j].cosine, 6);
          expect(n.token).toBeNull();
        });
      },
    );
    // 8 × 64 prompt values; the base model's tensors hold 86,336 values.
    expect(result.budget).toMatchObject({
      trainableParameters: 512,
      modelParameters: 86336,
      fractionOfModel: 512 / 86336,
    });
    expect(result.embeddingKey).toBe("model.embed_tokens.weight");
  });

  it("prints a table with --format table", async () => {
    const run = await runCliCapture([
      "prompt",
      "inspect",
      join(dir, "adapter"),
      "--embeddings",
      join(dir, "base.safetensors"),
      "--top-k",
      "2",
      "--format",
      "table",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("8 virtual tokens × 1 × 64 = 512 parameters");
    expect(run.stdout).toMatch(/\n {4}0 {2}#16 \(0\.293\), #66 \(0\.241\)\n/);
  });

  it("fails with token_dim_mismatch against another model's embeddings", async () => {
    const run = await runCliCapture([
      "prompt",
      "inspect",
      join(dir, "adapter"),
      "--embeddings",
      fixture("embeddings.safetensors"),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[token_dim_mismatch]");
    expect(run.stderr).toContain("token_dim 64");
  });
});

describe("tunekit prompt init --random / --sample-vocab", () => {
  const init = (out: string, ...extra: string[]) =>
    runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("embeddings.safetensors"),
      "--num-virtual-tokens",
      "3",
      "--out",
      join(scratch, out),
      ...extra,
    ]);

  it("is reproducible for a seed and differs between seeds", async () => {
    expect((await init("r1", "--random", "--seed", "7")).code).toBe(0);
    expect((await init("r2", "--random", "--seed", "7")).code).toBe(0);
    expect((await init("r3", "--random", "--seed", "8")).code).toBe(0);
    const weights = (d: string) => readFileSync(join(scratch, d, "adapter_model.safetensors"));
    expect(weights("r1").equals(weights("r2"))).toBe(true);
    expect(weights("r1").equals(weights("r3"))).toBe(false);
    expect(
      tensorRows(join(scratch, "r1", "adapter_model.safetensors"), "prompt_embeddings"),
    ).toHaveLength(3);
    const config = JSON.parse(readFileSync(join(scratch, "r1", "adapter_config.json"), "utf8"));
    expect(config.prompt_tuning_init).toBe("RANDOM");
  });

  it("samples vocabulary rows from a BF16 GPT-2-style checkpoint (wte)", async () => {
    const run = await runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("gpt2-style.safetensors"),
      "--num-virtual-tokens",
      "2",
      "--num-transformer-submodules",
      "2",
      "--sample-vocab",
      "--seed",
      "3",
      "--out",
      join(scratch, "sv"),
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.embeddingKey).toBe("transformer.wte.weight");
    expect(result.tokenIds).toHaveLength(4);
    // wte row i, column c is (c − i) / 4 + 0.5 (see make_fixtures.py).
    const rows = tensorRows(join(scratch, "sv", "adapter_model.safetensors"), "prompt_embeddings");
    expect(rows).toEqual(
      result.tokenIds.map((i: number) => Array.from({ length: 8 }, (_, c) => (c - i) / 4 + 0.5)),
    );
    const config = JSON.parse(readFileSync(join(scratch, "sv", "adapter_config.json"), "utf8"));
    expect(config).toMatchObject({ task_type: "SEQ_2_SEQ_LM", num_transformer_submodules: 2 });
  });
});

describe("tunekit prompt errors", () => {
  it("lists the file's tensors when no embedding matrix is found, and writes nothing", async () => {
    const out = join(scratch, "none");
    const run = await runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("no-embeddings.safetensors"),
      "--num-virtual-tokens",
      "2",
      "--random",
      "--out",
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[embedding_not_found]");
    expect(run.stderr).toContain("encoder.proj.weight [16, 8], encoder.proj.bias [8]");
    expect(existsSync(out)).toBe(false);
  });

  it("uses --embedding-key when given", async () => {
    const run = await runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("no-embeddings.safetensors"),
      "--embedding-key",
      "encoder.proj.weight",
      "--num-virtual-tokens",
      "2",
      "--random",
      "--out",
      join(scratch, "keyed"),
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).embeddingKey).toBe("encoder.proj.weight");
  });

  it("rejects an empty init text with empty_init_text and writes nothing", async () => {
    const out = join(scratch, "empty");
    const run = await runCliCapture([
      "prompt",
      "init",
      "--embeddings",
      fixture("embeddings.safetensors"),
      "--num-virtual-tokens",
      "2",
      "--text",
      "",
      "--tokenizer",
      fixture("tokenizer.json"),
      "--out",
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[empty_init_text]");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 for calls that mix or miss the init options", async () => {
    const base = [
      "prompt",
      "init",
      "--embeddings",
      fixture("embeddings.safetensors"),
      "--out",
      join(scratch, "x"),
    ];
    const cases: [string[], RegExp][] = [
      [[...base, "--num-virtual-tokens", "2", "--random", "--sample-vocab"], /exactly one of/],
      [[...base, "--num-virtual-tokens", "2"], /exactly one of/],
      [[...base, "--num-virtual-tokens", "2", "--text", "hi"], /--text needs --tokenizer/],
      [[...base, "--random"], /--num-virtual-tokens/],
      [[...base, "--num-virtual-tokens", "0", "--random"], /--num-virtual-tokens must be/],
      [
        [...base, "--num-virtual-tokens", "2", "--random", "--num-transformer-submodules", "3"],
        /submodules/,
      ],
    ];
    for (const [argv, message] of cases) {
      const run = await runCliCapture(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(join(scratch, "x"))).toBe(false);
    const noDir = await runCliCapture([
      "prompt",
      "inspect",
      "--embeddings",
      fixture("embeddings.safetensors"),
    ]);
    expect(noDir.code).toBe(2);
  });

  it("prints help", async () => {
    const run = await runCliCapture(["prompt", "init", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--num-virtual-tokens N");
    expect(run.stdout).toContain("--embedding-key KEY");
  });
});
