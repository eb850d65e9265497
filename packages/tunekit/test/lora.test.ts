import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { maxAbsDiff, readSafetensors } from "@tunekit/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

const fixtures = fileURLToPath(new URL("./fixtures/lora/", import.meta.url));
const basic = join(fixtures, "llama-lora-basic");
const f16 = join(fixtures, "llama-lora-f16-adapter-adapter");
const work = mkdtempSync(join(tmpdir(), "tunekit-cli-lora-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (path: string) => readSafetensors(new Uint8Array(readFileSync(path)));

function expectMergedLikePeft(path: string): void {
  const ours = read(path);
  const peft = read(join(basic, "merged.safetensors"));
  expect(ours.names().sort()).toEqual(peft.names().sort());
  for (const name of peft.names())
    expect(maxAbsDiff(ours.matrix(name), peft.matrix(name))).toBeLessThanOrEqual(1e-5);
}

describe("tunekit lora inspect", () => {
  it("prints the config, modules and budget as JSON", async () => {
    const run = await runCliCapture(["lora", "inspect", join(basic, "adapter")]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.config).toMatchObject({
      r: 8,
      lora_alpha: 16,
      use_rslora: false,
      peft_version: "0.21.0",
    });
    expect(out.modules).toHaveLength(4);
    expect(out.modules[0]).toMatchObject({
      name: "model.layers.0.self_attn.q_proj",
      r: 8,
      scaling: 2,
      shape: [64, 64],
    });
    // Four 64 × 64 weights (16,384 values) train 4 · (8·64 + 64·8) = 4,096.
    expect(out.budget).toMatchObject({ frozen: 16384, trainable: 4096, reductionPercent: 75 });
  });

  it("checks the adapter against the base and counts the model's parameters", async () => {
    const run = await runCliCapture([
      "lora",
      "inspect",
      join(basic, "adapter"),
      "--base",
      join(basic, "base.safetensors"),
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    const base = read(join(basic, "base.safetensors"));
    const parameters = base
      .names()
      .reduce((s, n) => s + base.info(n).shape.reduce((p, d) => p * d, 1), 0);
    expect(out.base.parameters).toBe(parameters);
    expect(out.base.trainablePercentOfModel).toBeCloseTo((100 * 4096) / parameters, 10);
  });

  it("renders the budget table with --format table", async () => {
    const run = await runCliCapture([
      "lora",
      "inspect",
      join(basic, "adapter"),
      "--format",
      "table",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("model.layers.1.self_attn.v_proj");
    expect(run.stdout).toMatch(/total\s+16,384\s+2,048\s+2,048\s+4,096\s+−75%/);
  });

  it("fails on a folder that is not an adapter", async () => {
    const run = await runCliCapture(["lora", "inspect", fixtures]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("adapter_config.json");
  });
});

describe("tunekit lora merge", () => {
  it("writes peft's merged weights", async () => {
    const out = join(work, "merged.safetensors");
    const run = await runCliCapture([
      "lora",
      "merge",
      "--base",
      join(basic, "base.safetensors"),
      "--adapter",
      join(basic, "adapter"),
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).merged).toHaveLength(4);
    expectMergedLikePeft(out);
  });

  it("exits 2 without --out and 1 when the adapter does not fit", async () => {
    const usage = await runCliCapture([
      "lora",
      "merge",
      "--base",
      join(basic, "base.safetensors"),
      "--adapter",
      join(basic, "adapter"),
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--out");
    const missing = await runCliCapture([
      "lora",
      "merge",
      "--base",
      join(f16, "adapter_model.safetensors"),
      "--adapter",
      join(basic, "adapter"),
      "--out",
      join(work, "y.safetensors"),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /\[merge_module_missing\].*module model\.layers\.0\.self_attn\.q_proj/,
    );
  });
});

describe("tunekit lora extract", () => {
  it("extracts the adapter from base and merged weights; merging it back gives peft's merge", async () => {
    const dir = join(work, "extracted");
    const run = await runCliCapture([
      "lora",
      "extract",
      "--base",
      join(basic, "base.safetensors"),
      "--tuned",
      join(basic, "merged.safetensors"),
      "--rank",
      "8",
      "--out",
      dir,
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.modules).toHaveLength(4);
    for (const m of out.modules) expect(m.relativeError).toBeLessThan(1e-5);
    const merged = join(work, "remerged.safetensors");
    const back = await runCliCapture([
      "lora",
      "merge",
      "--base",
      join(basic, "base.safetensors"),
      "--adapter",
      dir,
      "--out",
      merged,
    ]);
    expect(back.code).toBe(0);
    expectMergedLikePeft(merged);
  });

  it("needs --rank", async () => {
    const run = await runCliCapture([
      "lora",
      "extract",
      "--base",
      "a",
      "--tuned",
      "b",
      "--out",
      "c",
    ]);
    expect(run.code).toBe(2);
  });
});

describe("tunekit lora combine", () => {
  it("cat: rank 8 + 2, the union of targets, scaling 1", async () => {
    const dir = join(work, "combined");
    const run = await runCliCapture([
      "lora",
      "combine",
      "--adapter",
      join(basic, "adapter"),
      "--adapter",
      f16,
      "--weights",
      "0.7,0.3",
      "--method",
      "cat",
      "--out",
      dir,
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.config).toMatchObject({
      r: 10,
      lora_alpha: 10,
      target_modules: ["v_proj", "q_proj"],
    });
    const config = JSON.parse(readFileSync(join(dir, "adapter_config.json"), "utf8"));
    expect([config.r, config.lora_alpha, config.rank_pattern]).toEqual([10, 10, {}]);
    const inspect = await runCliCapture(["lora", "inspect", dir]);
    expect(
      JSON.parse(inspect.stdout).modules.every(
        (m: { r: number; scaling: number }) => m.r === 10 && m.scaling === 1,
      ),
    ).toBe(true);
  });

  it("refuses linear for adapters of different ranks, and mismatched weights", async () => {
    const linear = await runCliCapture([
      "lora",
      "combine",
      "--adapter",
      join(basic, "adapter"),
      "--adapter",
      f16,
      "--method",
      "linear",
      "--out",
      join(work, "l"),
    ]);
    expect(linear.code).toBe(1);
    expect(linear.stderr).toContain("one rank");
    const weights = await runCliCapture([
      "lora",
      "combine",
      "--adapter",
      join(basic, "adapter"),
      "--adapter",
      f16,
      "--weights",
      "1",
      "--method",
      "cat",
      "--out",
      join(work, "w"),
    ]);
    expect(weights.code).toBe(2);
  });
});
