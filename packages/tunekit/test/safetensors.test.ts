import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliCapture } from "./run-cli";

const fixture = (name: string) =>
  new URL(`./fixtures/safetensors/${name}`, import.meta.url).pathname;

describe("tunekit safetensors inspect", () => {
  it("reports the PEFT adapter's tensors, parameter counts, sizes and metadata as JSON", async () => {
    const { code, stdout, stderr } = await runCliCapture([
      "safetensors",
      "inspect",
      fixture("adapter_model.safetensors"),
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.file).toBe(fixture("adapter_model.safetensors"));
    expect(result.fileBytes).toBe(17416);
    expect(result.headerBytes).toBe(1024);
    expect(result.dataBytes).toBe(16384);
    expect(result.metadata).toEqual({ format: "pt" });
    expect(result.tensorCount).toBe(8);
    // 2 layers × (q_proj, v_proj) × (A 8×64 + B 64×8) = 4 × 1,024 parameters.
    expect(result.parameters).toBe(4096);
    expect(result.byDtype).toEqual({ F32: { tensors: 8, parameters: 4096, bytes: 16384 } });
    expect(result.tensors[0]).toEqual({
      name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      dtype: "F32",
      shape: [8, 64],
      parameters: 512,
      bytes: 2048,
      dataOffsets: [0, 2048],
    });
    expect(result.tensors[1].shape).toEqual([64, 8]);
  });

  it("counts the base model's 86,336 parameters and shows no metadata, as a table", async () => {
    const { code, stdout } = await runCliCapture([
      "safetensors",
      "inspect",
      fixture("base.safetensors"),
      "--format",
      "table",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("tensors     21");
    // 2 × 128×64 (embeddings, head) + 2 layers × (4 × 64×64 + 3 × 64×96 + 2 × 64) + 64.
    expect(stdout).toContain("parameters  86,336\n");
    expect(stdout).toContain("metadata    (none)");
    expect(stdout).toMatch(/F32\s+21\s+86,336\s+337\.\d KiB/);
    expect(stdout).toMatch(/lm_head\.weight\s+F32\s+128×64\s+8,192\s+32\.0 KiB/);
    expect(stdout).toMatch(/model\.norm\.weight\s+F32\s+64\s+64\s+256 B/);
    const json = JSON.parse(
      (await runCliCapture(["safetensors", "inspect", fixture("base.safetensors")])).stdout,
    );
    expect(json.parameters).toBe(86336);
  });

  it.each([
    ["truncated.safetensors", "safetensors_offsets", /more bytes than the file has/],
    ["bad-header.safetensors", "safetensors_header", /not valid JSON/],
  ])("fails with exit code 1 and names the file for %s", async (name, code, reason) => {
    const run = await runCliCapture(["safetensors", "inspect", fixture(name)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(fixture(name));
    expect(run.stderr).toContain(code);
    expect(run.stderr).toMatch(reason);
  });

  it("fails with exit code 1 for a missing file and 2 for a missing argument", async () => {
    const missing = await runCliCapture(["safetensors", "inspect", fixture("nope.safetensors")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.safetensors");
    expect((await runCliCapture(["safetensors", "inspect"])).code).toBe(2);
  });

  it("reads only the header of a multi-gigabyte (sparse) file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tunekit-inspect-"));
    try {
      const path = join(dir, "big.safetensors");
      // 20 BF16 tensors of 8192 × 8192: 1,342,177,280 parameters, 2.5 GiB of data.
      const layer = 8192 * 8192 * 2;
      const entries = Array.from(
        { length: 20 },
        (_, i) =>
          `"w${String(i).padStart(2, "0")}":{"dtype":"BF16","shape":[8192,8192],"data_offsets":[${i * layer},${(i + 1) * layer}]}`,
      );
      const header = Buffer.from(`{"__metadata__":{"format":"pt"},${entries.join(",")}}`);
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64LE(BigInt(header.length));
      await writeFile(path, Buffer.concat([prefix, header]));
      await truncate(path, 8 + header.length + 20 * layer);
      const { code, stdout } = await runCliCapture([
        "safetensors",
        "inspect",
        path,
        "--format",
        "table",
      ]);
      expect(code).toBe(0);
      expect(stdout).toContain("parameters  1.34 B (1,342,177,280)");
      expect(stdout).toMatch(/BF16\s+20\s+1,342,177,280\s+2\.50 GiB/);
      expect(stdout).toMatch(/w19\s+BF16\s+8192×8192\s+67,108,864\s+128\.0 MiB/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
