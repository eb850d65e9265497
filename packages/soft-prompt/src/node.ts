/**
 * Node.js helpers of `@tunekit/soft-prompt`: reading and writing adapter folders,
 * tokenizer files and embedding matrices. The core package works on bytes and objects
 * and runs anywhere; this subpath adds the file system.
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Matrix, TunekitError } from "@tunekit/tensor";
import { openSafetensorsFile } from "@tunekit/tensor/node";
import {
  ADAPTER_CONFIG_NAME,
  ADAPTER_WEIGHTS_NAME,
  type PromptTuningAdapter,
  readPromptTuningAdapter,
  writePromptTuningAdapter,
} from "./adapter";
import { countParameters } from "./budget";
import { findEmbeddingKey } from "./embedding-key";
import { SoftPromptRegistry } from "./registry";
import { loadTokenizer, type PromptTokenizer } from "./tokenizer";

async function readExisting(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new TunekitError("file_not_found", `${what} not found: ${path}`, { cause: error });
    }
    throw error;
  }
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Loads a tokenizer from a `tokenizer.json` file. A `tokenizer_config.json` beside it is
 * read too, as `AutoTokenizer.from_pretrained` reads a folder.
 *
 * @param path - path of `tokenizer.json`.
 * @returns the tokenizer.
 * @throws TunekitError `file_not_found`, `tokenizer_invalid`.
 * @example
 * ```ts
 * import { readTokenizerFile } from "@tunekit/soft-prompt/node";
 * const tokenizer = await readTokenizerFile("models/tiny/tokenizer.json");
 * console.log(tokenizer.encode("Summarize the dialogue"));
 * ```
 */
export async function readTokenizerFile(path: string): Promise<PromptTokenizer> {
  const json = (await readExisting(path, "tokenizer file")).toString("utf8");
  let tokenizerConfig: Record<string, unknown> | undefined;
  const configPath = join(dirname(path), "tokenizer_config.json");
  try {
    tokenizerConfig = JSON.parse(await readFile(configPath, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new TunekitError(
        "tokenizer_invalid",
        `${configPath} could not be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return loadTokenizer(json, { source: path, tokenizerConfig });
}

/**
 * The input embedding matrix of a checkpoint, found by {@link readEmbeddingMatrix}.
 *
 * @example
 * ```ts
 * import { type EmbeddingMatrix, readEmbeddingMatrix } from "@tunekit/soft-prompt/node";
 * const found: EmbeddingMatrix = await readEmbeddingMatrix("model.safetensors");
 * console.log(found.key, found.dtype, found.modelParameters);
 * ```
 */
export interface EmbeddingMatrix {
  /** The tensor name it was read from. */
  key: string;
  /** The matrix, `vocab × hidden`, decoded to f32. */
  embeddings: Matrix<Float32Array>;
  /** The safetensors dtype it was stored in (`F32`, `F16`, `BF16`, …). */
  dtype: string;
  /** Parameters of every tensor in the file (the frozen model's size, for budgets). */
  modelParameters: number;
}

/**
 * Reads the input embedding matrix of a model from a safetensors file, reading only the
 * header and that tensor. The tensor is found by
 * `findEmbeddingKey` unless `key` names it.
 *
 * @param path - a `.safetensors` file.
 * @param options - `key`: the tensor name to use.
 * @returns the matrix, its name and dtype, and the file's parameter count.
 * @throws TunekitError `embedding_not_found` listing the file's tensors, and the
 * safetensors reader's errors.
 * @example
 * ```ts
 * import { readEmbeddingMatrix } from "@tunekit/soft-prompt/node";
 * const { key, embeddings } = await readEmbeddingMatrix("model.safetensors");
 * console.log(key, embeddings.rows, embeddings.cols);
 * ```
 */
export async function readEmbeddingMatrix(
  path: string,
  options: { key?: string } = {},
): Promise<EmbeddingMatrix> {
  await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") {
      throw new TunekitError("file_not_found", `safetensors file not found: ${path}`, {
        cause: error,
      });
    }
    throw error;
  });
  const reader = await openSafetensorsFile(path);
  try {
    const tensors = reader.header.tensors;
    const key = findEmbeddingKey(tensors, { key: options.key, source: path });
    const embeddings = await reader.matrix(key);
    return {
      key,
      embeddings,
      dtype: reader.info(key).dtype,
      modelParameters: countParameters(tensors),
    };
  } finally {
    await reader.close();
  }
}

/**
 * Loads a PEFT prompt-tuning adapter folder (`adapter_config.json` +
 * `adapter_model.safetensors`).
 *
 * @param dir - the adapter folder.
 * @returns the adapter.
 * @throws TunekitError `file_not_found`, `adapter_config`, `adapter_weights`, and the
 * safetensors reader's errors.
 * @example
 * ```ts
 * import { loadPromptTuningAdapter } from "@tunekit/soft-prompt/node";
 * const { config, prompt } = await loadPromptTuningAdapter("adapters/sentiment");
 * console.log(config.numVirtualTokens, prompt.tokenDim);
 * ```
 */
export async function loadPromptTuningAdapter(dir: string): Promise<PromptTuningAdapter> {
  const config = (await readExisting(join(dir, ADAPTER_CONFIG_NAME), "adapter config")).toString(
    "utf8",
  );
  const weights = await readExisting(join(dir, ADAPTER_WEIGHTS_NAME), "adapter weights");
  return readPromptTuningAdapter(
    { config, weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) },
    dir,
  );
}

/**
 * Saves a prompt-tuning adapter folder as PEFT does, each file written atomically
 * (temporary file, then rename). The folder is created when missing.
 *
 * @param dir - the adapter folder.
 * @param adapter - the prompt and its configuration.
 * @returns nothing; resolves once both files are in place.
 * @example
 * ```ts
 * import { promptTuningConfig, randomSoftPrompt } from "@tunekit/soft-prompt";
 * import { savePromptTuningAdapter } from "@tunekit/soft-prompt/node";
 * const prompt = randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 }, { seed: 1 });
 * await savePromptTuningAdapter("adapters/sentiment", { prompt, config: promptTuningConfig(prompt) });
 * ```
 */
export async function savePromptTuningAdapter(
  dir: string,
  adapter: PromptTuningAdapter,
): Promise<void> {
  const files = writePromptTuningAdapter(adapter);
  await writeAtomic(join(dir, ADAPTER_WEIGHTS_NAME), files.weights);
  await writeAtomic(join(dir, ADAPTER_CONFIG_NAME), files.config);
}

/**
 * Loads every adapter folder inside `dir` (each subfolder holding an
 * `adapter_config.json`) into a registry for one frozen model, named by folder, in name
 * order. The first becomes active.
 *
 * @param dir - the folder of task folders.
 * @param embeddings - the frozen model's input embedding matrix.
 * @returns the registry.
 * @throws TunekitError `file_not_found` when `dir` does not exist, the adapter errors,
 * and `token_dim_mismatch` when a prompt does not fit the model.
 * @example
 * ```ts
 * import { loadSoftPromptRegistry, readEmbeddingMatrix } from "@tunekit/soft-prompt/node";
 * const { embeddings } = await readEmbeddingMatrix("model.safetensors");
 * const registry = await loadSoftPromptRegistry("prompts", embeddings);
 * registry.switch("summarize");
 * ```
 */
export async function loadSoftPromptRegistry(
  dir: string,
  embeddings: Matrix,
): Promise<SoftPromptRegistry> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new TunekitError("file_not_found", `soft prompt folder not found: ${dir}`, {
        cause: error,
      });
    }
    throw error;
  }
  const registry = new SoftPromptRegistry(embeddings);
  for (const name of names) {
    const configPath = join(dir, name, ADAPTER_CONFIG_NAME);
    const isAdapter = await stat(configPath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isAdapter) continue;
    const { prompt, config } = await loadPromptTuningAdapter(join(dir, name));
    registry.add(name, prompt, { config });
  }
  return registry;
}

/**
 * Saves every task of a registry as an adapter folder `dir/<task>/`. Folders of other
 * tasks already in `dir` are left alone.
 *
 * @param registry - the registry.
 * @param dir - the folder of task folders (created when missing).
 * @returns nothing; resolves once every task is saved.
 * @example
 * ```ts
 * import { SoftPromptRegistry, randomSoftPrompt } from "@tunekit/soft-prompt";
 * import { saveSoftPromptRegistry } from "@tunekit/soft-prompt/node";
 * import { randomNormal } from "@tunekit/tensor";
 * const registry = new SoftPromptRegistry(randomNormal(128, 64, { seed: 0 }));
 * registry.add("sentiment", randomSoftPrompt({ numVirtualTokens: 8, tokenDim: 64 }));
 * await saveSoftPromptRegistry(registry, "prompts");
 * ```
 */
export async function saveSoftPromptRegistry(
  registry: SoftPromptRegistry,
  dir: string,
): Promise<void> {
  for (const name of registry.list()) {
    const { prompt, config } = registry.get(name);
    await savePromptTuningAdapter(join(dir, name), { prompt, config });
  }
}
