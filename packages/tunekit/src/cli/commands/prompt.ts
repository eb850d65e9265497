import { dirname, join } from "node:path";
import {
  ADAPTER_CONFIG_NAME,
  ADAPTER_WEIGHTS_NAME,
  initTextTokenIds,
  nearestTokens,
  type PromptTuningConfig,
  type PromptTuningInit,
  promptBudget,
  promptTuningConfig,
  randomSoftPrompt,
  type SoftPrompt,
  sampleVocabTokenIds,
  softPromptFromTokenIds,
  type VirtualTokenNeighbours,
  writePromptTuningAdapter,
} from "@tunekit/soft-prompt";
import {
  loadPromptTuningAdapter,
  readEmbeddingMatrix,
  readTokenizerFile,
} from "@tunekit/soft-prompt/node";
import type { CommandSpec } from "../command";
import { integerOption, stringOption, UsageError } from "../errors";
import { writeFileAtomic } from "../files";

const embeddingOptions = {
  embeddings: {
    type: "string",
    valueName: "BASE.safetensors",
    description:
      "the frozen model's weights; its input embedding matrix is found by name (model.embed_tokens, shared, wte, word_embeddings, …)",
  },
  "embedding-key": {
    type: "string",
    valueName: "KEY",
    description: "name of the embedding tensor, when it is not found automatically",
  },
} as const;

async function embeddingsFrom(values: Record<string, unknown>) {
  const path = stringOption(values, "embeddings", true);
  return readEmbeddingMatrix(path, { key: stringOption(values, "embedding-key") });
}

/** The budget block both commands print. */
function budgetOf(prompt: SoftPrompt, modelParameters: number) {
  return promptBudget({
    numVirtualTokens: prompt.numVirtualTokens,
    tokenDim: prompt.tokenDim,
    numTransformerSubmodules: prompt.numTransformerSubmodules,
    modelParameters,
  });
}

const initCommand: CommandSpec = {
  path: ["prompt", "init"],
  summary: "create a PEFT prompt-tuning adapter from text, random values or sampled tokens",
  usage:
    'prompt init --embeddings BASE.safetensors --num-virtual-tokens N (--text "…" --tokenizer tokenizer.json | --random [--seed S] | --sample-vocab [--seed S]) --out ADAPTER_DIR',
  details: [
    "TEXT: the init text is encoded with the tokenizer's special tokens (as PEFT's",
    'tokenizer(text)["input_ids"]), cut to N × submodules ids or repeated whole and cut, and',
    "the embedding rows of those ids become the prompt. RANDOM: N(0, 1) values from the",
    "seeded generator. SAMPLE_VOCAB: rows of token ids drawn uniformly with replacement.",
    "Writes ADAPTER_DIR/adapter_config.json and adapter_model.safetensors as PEFT does.",
  ].join("\n"),
  options: {
    ...embeddingOptions,
    "num-virtual-tokens": {
      type: "string",
      valueName: "N",
      description: "virtual tokens per transformer submodule",
    },
    "num-transformer-submodules": {
      type: "string",
      valueName: "1|2",
      description: "2 for encoder–decoder models (default 1)",
    },
    text: { type: "string", valueName: "TEXT", description: "initialise from this text (TEXT)" },
    tokenizer: {
      type: "string",
      valueName: "tokenizer.json",
      description: "the model's tokenizer, needed with --text",
    },
    random: { type: "boolean", description: "initialise with N(0, 1) values (RANDOM)" },
    "sample-vocab": {
      type: "boolean",
      description: "initialise from randomly drawn vocabulary tokens (SAMPLE_VOCAB)",
    },
    seed: {
      type: "string",
      valueName: "S",
      description: "seed for --random / --sample-vocab (default 0)",
    },
    "task-type": {
      type: "string",
      valueName: "TYPE",
      description: "task_type to record (default CAUSAL_LM, or SEQ_2_SEQ_LM with 2 submodules)",
    },
    "base-model": {
      type: "string",
      valueName: "NAME",
      description: "base_model_name_or_path to record (default null)",
    },
    out: { type: "string", valueName: "ADAPTER_DIR", description: "the adapter folder to write" },
  },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    const numVirtualTokens = integerOption(values, "num-virtual-tokens", { min: 1 });
    if (numVirtualTokens === undefined)
      throw new UsageError("missing required option --num-virtual-tokens");
    const numTransformerSubmodules = integerOption(values, "num-transformer-submodules", {
      min: 1,
      max: 2,
      default: 1,
    })!;
    const out = stringOption(values, "out", true);
    const text = stringOption(values, "text");
    const tokenizerPath = stringOption(values, "tokenizer");
    const modes = [text !== undefined, values.random === true, values["sample-vocab"] === true];
    if (modes.filter(Boolean).length !== 1) {
      throw new UsageError("give exactly one of --text, --random and --sample-vocab");
    }
    if (text !== undefined && tokenizerPath === undefined) {
      throw new UsageError(
        "--text needs --tokenizer tokenizer.json to turn the text into token ids",
      );
    }
    if (text === undefined && tokenizerPath !== undefined) {
      throw new UsageError("--tokenizer is only used with --text");
    }
    const seed = integerOption(values, "seed", {
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    });
    if (seed !== undefined && text !== undefined) {
      throw new UsageError("--seed is only used with --random or --sample-vocab");
    }
    const size = { numVirtualTokens, numTransformerSubmodules };

    const { key, embeddings, modelParameters } = await embeddingsFrom(values);
    let prompt: SoftPrompt;
    let init: PromptTuningInit;
    let tokenIds: number[] | null = null;
    const fields: Partial<PromptTuningConfig> = {};
    if (text !== undefined) {
      const tokenizer = await readTokenizerFile(tokenizerPath!);
      tokenIds = initTextTokenIds(tokenizer, text, size);
      prompt = softPromptFromTokenIds(embeddings, tokenIds, { numTransformerSubmodules });
      init = "TEXT";
      fields.promptTuningInitText = text;
      // PEFT records the tokenizer's folder, which AutoTokenizer.from_pretrained accepts.
      fields.tokenizerNameOrPath = dirname(tokenizerPath!);
    } else if (values.random === true) {
      prompt = randomSoftPrompt({ ...size, tokenDim: embeddings.cols }, { seed: seed ?? 0 });
      init = "RANDOM";
    } else {
      tokenIds = sampleVocabTokenIds(embeddings.rows, size, { seed: seed ?? 0 });
      prompt = softPromptFromTokenIds(embeddings, tokenIds, { numTransformerSubmodules });
      init = "SAMPLE_VOCAB";
    }
    const taskType = stringOption(values, "task-type");
    const config = promptTuningConfig(prompt, {
      ...fields,
      promptTuningInit: init,
      ...(taskType !== undefined ? { taskType } : {}),
      baseModelNameOrPath: stringOption(values, "base-model") ?? null,
    });
    const files = writePromptTuningAdapter({ prompt, config });
    await writeFileAtomic(join(out, ADAPTER_WEIGHTS_NAME), files.weights);
    await writeFileAtomic(join(out, ADAPTER_CONFIG_NAME), files.config);
    return {
      out,
      promptTuningInit: init,
      numVirtualTokens: prompt.numVirtualTokens,
      numTransformerSubmodules: prompt.numTransformerSubmodules,
      tokenDim: prompt.tokenDim,
      embeddingKey: key,
      tokenIds,
      budget: budgetOf(prompt, modelParameters),
    };
  },
};

interface InspectResult {
  adapter: string;
  peftType: string;
  taskType: string | null;
  promptTuningInit: PromptTuningInit;
  promptTuningInitText: string | null;
  numVirtualTokens: number;
  numTransformerSubmodules: number;
  tokenDim: number;
  embeddingKey: string;
  virtualTokens: VirtualTokenNeighbours[];
  budget: ReturnType<typeof promptBudget>;
  note: string;
}

function formatTable(result: unknown): string {
  const r = result as InspectResult;
  const lines = [
    `${r.adapter}: ${r.numVirtualTokens} virtual tokens × ${r.numTransformerSubmodules} × ${r.tokenDim} = ${r.budget.trainableParameters} parameters` +
      (r.budget.modelParameters === null
        ? ""
        : ` (${((r.budget.fractionOfModel ?? 0) * 100).toPrecision(3)}% of ${r.budget.modelParameters})`),
    "",
    "index  nearest tokens (cosine)",
  ];
  for (const v of r.virtualTokens) {
    const cells = v.neighbours.map((n) => `${n.token ?? `#${n.id}`} (${n.cosine.toFixed(3)})`);
    lines.push(`${String(v.index).padStart(5)}  ${cells.join(", ")}`);
  }
  lines.push("", r.note);
  return lines.join("\n");
}

const inspectCommand: CommandSpec = {
  path: ["prompt", "inspect"],
  summary:
    "read a prompt-tuning adapter: nearest vocabulary tokens of each virtual token, and its budget",
  usage:
    "prompt inspect ADAPTER_DIR --embeddings BASE.safetensors [--tokenizer tokenizer.json] [--top-k 5]",
  details: [
    "For each virtual token, the vocabulary tokens whose input embeddings are nearest by",
    "cosine similarity (Lester et al. 2021, §7). A hint, not a translation: a virtual token",
    "can sit far from every real token and still steer the model.",
  ].join("\n"),
  options: {
    ...embeddingOptions,
    tokenizer: {
      type: "string",
      valueName: "tokenizer.json",
      description: "decode neighbour ids to tokens (without it, token is null)",
    },
    "top-k": {
      type: "string",
      valueName: "K",
      description: "neighbours per virtual token (default 5)",
    },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }) {
    const dir = positionals[0];
    const topK = integerOption(values, "top-k", { min: 1, max: 1000, default: 5 })!;
    stringOption(values, "embeddings", true);
    const tokenizerPath = stringOption(values, "tokenizer");
    const { config, prompt } = await loadPromptTuningAdapter(dir);
    const { key, embeddings, modelParameters } = await embeddingsFrom(values);
    const tokenizer =
      tokenizerPath === undefined ? undefined : await readTokenizerFile(tokenizerPath);
    const result: InspectResult = {
      adapter: dir,
      peftType: config.peftType,
      taskType: config.taskType,
      promptTuningInit: config.promptTuningInit,
      promptTuningInitText: config.promptTuningInitText,
      numVirtualTokens: prompt.numVirtualTokens,
      numTransformerSubmodules: prompt.numTransformerSubmodules,
      tokenDim: prompt.tokenDim,
      embeddingKey: key,
      virtualTokens: nearestTokens(prompt, embeddings, { topK, tokenizer }),
      budget: budgetOf(prompt, modelParameters),
      note: "Nearest tokens are a hint, not a translation: a virtual token can be far from every vocabulary token (low cosine) and still steer the model.",
    };
    return result;
  },
  table: formatTable,
};

export const promptCommands: CommandSpec[] = [initCommand, inspectCommand];
