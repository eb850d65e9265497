import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Matrix, type Tensor, TunekitError, tensorToFloat32 } from "@tunekit/tensor";
import {
  createSafetensorsWriter,
  openSafetensorsFile,
  readSafetensorsFile,
  type SafetensorsFileReader,
  writeSafetensorsFile,
} from "@tunekit/tensor/node";
import {
  adapterTensors,
  type LoraAdapter,
  type LoraModuleKind,
  loadAdapter,
  type SaveAdapterOptions,
} from "./adapter";
import { serializeLoraConfig } from "./config";
import {
  assembleExtractedAdapter,
  type ExtractAdapterOptions,
  type ExtractedAdapter,
  extractModule,
  type ModuleExtraction,
} from "./extract";
import {
  type MergeAdapterOptions,
  type MergeReport,
  mergeBaseTensor,
  mergeReport,
  planAdapterMerge,
  sizeOf,
} from "./merge";

/**
 * The file names of a peft adapter folder.
 *
 * @example
 * ```ts
 * import { join } from "node:path";
 * import { ADAPTER_FILES } from "@tunekit/lora/node";
 * join("./my-adapter", ADAPTER_FILES.weights); // "my-adapter/adapter_model.safetensors"
 * ```
 */
export const ADAPTER_FILES = {
  config: "adapter_config.json",
  weights: "adapter_model.safetensors",
} as const;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a peft adapter folder: `adapter_config.json` and `adapter_model.safetensors`.
 *
 * @param dir - the adapter folder.
 * @returns the adapter (see `loadAdapter` for the checks).
 * @throws TunekitError `file_io` when a file is missing or unreadable (a folder holding only
 *   the pickle `adapter_model.bin` is named as such), and the codes of `loadAdapter`.
 * @example
 * ```ts
 * import { readAdapterDir } from "@tunekit/lora/node";
 * const adapter = await readAdapterDir("./my-adapter");
 * console.log(adapter.config.r, adapter.modules.length);
 * ```
 */
export async function readAdapterDir(dir: string): Promise<LoraAdapter> {
  const configPath = join(dir, ADAPTER_FILES.config);
  const weightsPath = join(dir, ADAPTER_FILES.weights);
  let configText: string;
  try {
    configText = await readFile(configPath, "utf8");
  } catch (error) {
    throw new TunekitError(
      "file_io",
      `${configPath}: cannot read the adapter config (${(error as Error).message}); is ${dir} a peft adapter folder?`,
      { cause: error },
    );
  }
  if (!(await exists(weightsPath))) {
    const pickled = await exists(join(dir, "adapter_model.bin"));
    throw new TunekitError(
      "file_io",
      pickled
        ? `${dir} has adapter_model.bin (a pickle) but no adapter_model.safetensors; re-save it with peft's save_pretrained(safe_serialization=True)`
        : `${weightsPath} does not exist; an adapter folder needs adapter_model.safetensors`,
    );
  }
  const weights = await readSafetensorsFile(weightsPath);
  return loadAdapter(configText, weights, { source: dir });
}

/**
 * Writes an adapter folder peft's `PeftModel.from_pretrained` loads. The folder is
 * created if needed; each file is written to a temporary name and renamed into place,
 * weights first, so a reader never sees a half-written file or a config without weights.
 *
 * @param dir - the folder to write.
 * @param adapter - the adapter.
 * @param options - the tensor dtype; see `SaveAdapterOptions`.
 * @returns a promise that settles when both files are in place.
 * @throws TunekitError `file_io` when writing fails.
 * @example
 * ```ts
 * import { readAdapterDir, writeAdapterDir } from "@tunekit/lora/node";
 * const adapter = await readAdapterDir("./my-adapter");
 * await writeAdapterDir("./my-adapter-bf16", adapter, { dtype: "BF16" });
 * ```
 */
export async function writeAdapterDir(
  dir: string,
  adapter: LoraAdapter,
  options: SaveAdapterOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeSafetensorsFile(join(dir, ADAPTER_FILES.weights), adapterTensors(adapter, options), {
    metadata: { format: "pt" },
  });
  const configPath = join(dir, ADAPTER_FILES.config);
  const temporary = join(
    dirname(configPath),
    `.${basename(configPath)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, serializeLoraConfig(adapter.config));
    await rename(temporary, configPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new TunekitError(
      "file_io",
      `${configPath}: cannot write the adapter config (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Merges an adapter into a base safetensors file and writes the merged model, streaming:
 * the base is read one tensor at a time and each merged tensor is written as soon as it is
 * ready, so memory stays near the largest tensor (plus its float32 copy while merging)
 * whatever the file's size (the next tensor is read while the current one is merged and
 * written, so two tensors are in memory at the peak). The plan is checked before anything is written, and the output
 * appears only when complete (temporary file + rename).
 *
 * @param basePath - the base model's `.safetensors` file.
 * @param adapter - an adapter folder, or a loaded adapter.
 * @param outPath - where to write the merged file.
 * @param options - `safeMerge`, `baseKey`, `onProgress`; see `MergeAdapterOptions`.
 * @returns what the merge did.
 * @throws TunekitError as `planAdapterMerge` (naming the module) and `file_io`; on failure
 *   `outPath` is left as it was.
 * @example
 * ```ts
 * import { mergeAdapterFile } from "@tunekit/lora/node";
 * const report = await mergeAdapterFile("base/model.safetensors", "./my-adapter", "merged.safetensors", {
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * });
 * ```
 */
export async function mergeAdapterFile(
  basePath: string,
  adapter: string | LoraAdapter,
  outPath: string,
  options: MergeAdapterOptions = {},
): Promise<MergeReport> {
  const loaded = typeof adapter === "string" ? await readAdapterDir(adapter) : adapter;
  const base = await openSafetensorsFile(basePath);
  try {
    const plan = planAdapterMerge(base, loaded, options);
    const names = base.names();
    const entries = names.map((name) => {
      const info = base.info(name);
      return { name, dtype: info.dtype, shape: info.shape };
    });
    const metadata = Object.keys(base.metadata).length > 0 ? base.metadata : null;
    const writer = await createSafetensorsWriter(outPath, entries, { metadata });
    let next: Promise<Tensor> | undefined;
    try {
      const bytesTotal = names.reduce((s, n) => s + sizeOf(base.info(n)), 0);
      let bytesDone = 0;
      // Read the next tensor while this one is merged and written: two tensors in flight.
      next = names.length > 0 ? base.tensor(names[0]) : undefined;
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        const tensor = await (next as Promise<Tensor>);
        next = i + 1 < names.length ? base.tensor(names[i + 1]) : undefined;
        const merged = mergeBaseTensor(name, tensor, plan, { ...options, reuseInput: true });
        await writer.write(name, merged.data);
        bytesDone += sizeOf(base.info(name));
        options.onProgress?.({
          done: i + 1,
          total: names.length,
          tensor: name,
          bytesDone,
          bytesTotal,
        });
      }
      await writer.commit();
    } catch (error) {
      // Let a read still in flight settle before the file is closed under it.
      await next?.catch(() => {});
      await writer.abort();
      throw error;
    }
    return mergeReport(plan);
  } finally {
    await base.close();
  }
}

/**
 * Options for {@link extractAdapterFiles}.
 *
 * @example
 * ```ts
 * import type { ExtractAdapterFilesOptions } from "@tunekit/lora/node";
 * const options: ExtractAdapterFilesOptions = {
 *   rank: 16,
 *   include: (name) => name.includes("self_attn"),
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * };
 * ```
 */
export interface ExtractAdapterFilesOptions extends ExtractAdapterOptions {
  /**
   * Which base tensors to consider. Default: every 2-D float tensor whose name ends in
   * `.weight` and whose values differ between the two files.
   */
  include?: (tensorName: string) => boolean;
  /**
   * Which modules are embeddings (stored as `lora_embedding_A/B`). Default: names whose
   * last segments contain `embed`, `wte` or `wpe`.
   */
  isEmbedding?: (moduleName: string) => boolean;
  /** Called after each base tensor is compared. */
  onProgress?: (progress: { done: number; total: number; tensor: string }) => void;
}

function defaultIsEmbedding(name: string): boolean {
  return /(^|\.)(embed_tokens|embed_in|word_embeddings|embeddings|wte|wpe|[a-z_]*embed[a-z_]*)$/.test(
    name,
  );
}

async function readMatrix(
  file: SafetensorsFileReader,
  name: string,
): Promise<Matrix<Float32Array>> {
  const tensor: Tensor = await file.tensor(name);
  const values = tensorToFloat32(tensor);
  const [rows, cols] = tensor.shape;
  return { rows, cols, data: values === tensor.data ? values.slice() : values };
}

/**
 * Extracts a LoRA adapter from a base and a fine-tuned safetensors file (see
 * `extractAdapter`), reading one tensor pair at a time.
 *
 * @param basePath - the base model's `.safetensors`.
 * @param tunedPath - the fine-tuned model's `.safetensors` (same tensor names).
 * @param options - `rank` / `energy`, `split`, `include`, `isEmbedding`, `onProgress`;
 *   see {@link ExtractAdapterFilesOptions}.
 * @returns the adapter and the per-module reconstruction report.
 * @throws TunekitError `shape_mismatch` naming the tensor when the files disagree;
 *   `extract_nothing` when no included weight changed; `file_io`.
 * @example
 * ```ts
 * import { extractAdapterFiles, writeAdapterDir } from "@tunekit/lora/node";
 * const { adapter, report } = await extractAdapterFiles("base.safetensors", "tuned.safetensors", { rank: 16 });
 * await writeAdapterDir("./extracted", adapter);
 * ```
 */
export async function extractAdapterFiles(
  basePath: string,
  tunedPath: string,
  options: ExtractAdapterFilesOptions,
): Promise<ExtractedAdapter> {
  const base = await openSafetensorsFile(basePath);
  try {
    const tuned = await openSafetensorsFile(tunedPath);
    try {
      const names = base.names();
      const isEmbedding = options.isEmbedding ?? defaultIsEmbedding;
      const include =
        options.include ??
        ((name: string) => {
          const info = base.info(name);
          return (
            name.endsWith(".weight") &&
            info.shape.length === 2 &&
            ["F32", "F16", "BF16", "F64"].includes(info.dtype)
          );
        });
      const extractions: ModuleExtraction[] = [];
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (include(name)) {
          if (!tuned.has(name)) {
            throw new TunekitError(
              "extract_missing",
              `${tunedPath} has no tensor "${name}", which ${basePath} has`,
            );
          }
          const b = await readMatrix(base, name);
          const t = await readMatrix(tuned, name);
          if (b.rows !== t.rows || b.cols !== t.cols || tuned.info(name).shape.length !== 2) {
            throw new TunekitError(
              "shape_mismatch",
              `tensor "${name}" is ${b.rows}×${b.cols} in ${basePath} but [${tuned.info(name).shape.join(", ")}] in ${tunedPath}`,
            );
          }
          let changed = false;
          for (let k = 0; k < b.data.length && !changed; k++) changed = b.data[k] !== t.data[k];
          if (changed) {
            const module = name.slice(0, -".weight".length);
            const kind: LoraModuleKind = isEmbedding(module) ? "embedding" : "linear";
            extractions.push(extractModule({ name: module, base: b, tuned: t, kind }, options));
          }
        }
        options.onProgress?.({ done: i + 1, total: names.length, tensor: name });
      }
      return assembleExtractedAdapter(extractions, options);
    } finally {
      await tuned.close();
    }
  } finally {
    await base.close();
  }
}
