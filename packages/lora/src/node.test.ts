import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { maxAbsDiff, readSafetensors, writeSafetensors } from "@tunekit/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { extractAdapterFiles, mergeAdapterFile, readAdapterDir, writeAdapterDir } from "./node";

const fixtures = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tunekit-lora-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("mergeAdapterFile", () => {
  it("streams the merge of the peft fixture: within 1e-5 of peft's merged file, with progress", async () => {
    const out = join(work, "merged.safetensors");
    const progress: number[] = [];
    const report = await mergeAdapterFile(
      join(fixtures, "llama-lora-basic/base.safetensors"),
      join(fixtures, "llama-lora-basic/adapter"),
      out,
      { onProgress: (p) => progress.push(p.bytesDone / p.bytesTotal) },
    );
    expect(report.merged.length).toBe(4);
    expect(progress.length).toBe(21);
    expect(progress.at(-1)).toBe(1);
    const merged = readSafetensors(new Uint8Array(readFileSync(out)));
    const peft = readSafetensors(
      new Uint8Array(readFileSync(join(fixtures, "llama-lora-basic/merged.safetensors"))),
    );
    for (const name of peft.names())
      expect(maxAbsDiff(merged.matrix(name), peft.matrix(name))).toBeLessThanOrEqual(1e-5);
  });

  it("leaves nothing behind when the adapter does not fit the base", async () => {
    const dir = join(work, "fail");
    const out = join(dir, "merged.safetensors");
    await writeAdapterDir(dir, await readAdapterDir(join(fixtures, "llama-lora-basic/adapter")));
    // A base from another model: it has none of the adapted layers.
    const base = readSafetensors(
      new Uint8Array(readFileSync(join(fixtures, "llama-lora-basic/base.safetensors"))),
    );
    writeFileSync(
      join(dir, "base.safetensors"),
      writeSafetensors({ "lm_head.weight": base.tensor("lm_head.weight") }),
    );
    await expect(mergeAdapterFile(join(dir, "base.safetensors"), dir, out)).rejects.toThrow(
      /module model\.layers\.0\.self_attn\.q_proj/,
    );
    expect(readdirSync(dir).sort()).toEqual([
      "adapter_config.json",
      "adapter_model.safetensors",
      "base.safetensors",
    ]);
  });
});

describe("adapter folders", () => {
  it("round-trips an adapter folder byte for byte", async () => {
    const adapter = await readAdapterDir(join(fixtures, "llama-lora-f16-adapter/adapter"));
    const dir = join(work, "copy");
    await writeAdapterDir(dir, adapter);
    for (const file of ["adapter_config.json", "adapter_model.safetensors"]) {
      expect(
        readFileSync(join(dir, file)).equals(
          readFileSync(join(fixtures, "llama-lora-f16-adapter/adapter", file)),
        ),
      ).toBe(true);
    }
  });

  it("explains a folder without safetensors weights", async () => {
    const dir = join(work, "pickle");
    await writeAdapterDir(dir, await readAdapterDir(join(fixtures, "llama-lora-basic/adapter")));
    rmSync(join(dir, "adapter_model.safetensors"));
    writeFileSync(join(dir, "adapter_model.bin"), "");
    await expect(readAdapterDir(dir)).rejects.toThrow(/adapter_model\.bin \(a pickle\)/);
    await expect(readAdapterDir(join(work, "nowhere"))).rejects.toThrow(
      /cannot read the adapter config/,
    );
  });
});

describe("extractAdapterFiles", () => {
  it("extracts the fixture's adapter from base and merged files", async () => {
    const { adapter, report } = await extractAdapterFiles(
      join(fixtures, "llama-lora-basic/base.safetensors"),
      join(fixtures, "llama-lora-basic/merged.safetensors"),
      { rank: 8 },
    );
    expect(adapter.modules.length).toBe(4);
    expect(report.length).toBe(4);
    for (const r of report) expect(r.relativeError).toBeLessThan(1e-5);
  });
});
