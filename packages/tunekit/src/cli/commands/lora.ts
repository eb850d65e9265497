import {
  adapterBudget,
  type BudgetDType,
  type CombinationMethod,
  combineAdapters,
  formatLoraBudget,
  type LoraAdapter,
  type LoraBudget,
  type LoraConfig,
  planAdapterMerge,
} from "@tunekit/lora";
import {
  extractAdapterFiles,
  mergeAdapterFile,
  readAdapterDir,
  writeAdapterDir,
} from "@tunekit/lora/node";
import { openSafetensorsFile } from "@tunekit/tensor/node";
import type { CommandSpec } from "../command";
import { choiceOption, integerOption, numberOption, stringOption, UsageError } from "../errors";
import { renderTable } from "../output";

/** The config fields worth showing, with patterns as plain objects. */
function configSummary(config: LoraConfig) {
  return {
    r: config.r,
    lora_alpha: config.lora_alpha,
    use_rslora: config.use_rslora,
    use_dora: config.use_dora,
    fan_in_fan_out: config.fan_in_fan_out,
    lora_bias: config.lora_bias,
    bias: config.bias,
    target_modules: config.target_modules,
    rank_pattern: Object.fromEntries(config.rank_pattern),
    alpha_pattern: Object.fromEntries(config.alpha_pattern),
    task_type: config.task_type,
    base_model_name_or_path: config.base_model_name_or_path,
    peft_version: config.extra.peft_version ?? null,
  };
}

function modulesSummary(adapter: LoraAdapter) {
  return adapter.modules.map((m) => ({
    name: m.name,
    kind: m.kind,
    r: m.r,
    alpha: m.alpha,
    scaling: m.scaling,
    shape: [m.b.rows, m.a.cols],
    dtype: m.dtype,
    dora: m.magnitude !== undefined,
    loraBias: m.bias !== undefined,
  }));
}

interface InspectResult {
  adapter: string;
  config: ReturnType<typeof configSummary>;
  modules: ReturnType<typeof modulesSummary>;
  budget: LoraBudget;
  base?: { path: string; parameters: number; trainablePercentOfModel: number };
  extraTensors: string[];
  warnings: string[];
}

const inspectCommand: CommandSpec = {
  path: ["lora", "inspect"],
  summary: "show a PEFT LoRA adapter: config, modules, ranks, scaling and parameter budget",
  usage: "lora inspect ADAPTER_DIR [--base BASE.safetensors] [--dtype F32|F16|BF16]",
  details: [
    "Reads ADAPTER_DIR/adapter_config.json and adapter_model.safetensors. The budget counts",
    "what the adapter trains (A: r × in, B: out × r, DoRA magnitudes, B's bias) against the",
    "frozen weights it adapts. With --base, every module is checked against the base model's",
    "weights (names, shapes, dtypes) and the model's total parameter count is reported.",
  ].join("\n"),
  options: {
    base: {
      type: "string",
      valueName: "BASE.safetensors",
      description: "the base model, to check the adapter fits it and count all its parameters",
    },
    dtype: {
      type: "string",
      valueName: "F32|F16|BF16",
      description: "storage type for the byte counts (default F32)",
    },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }) {
    const dtype = choiceOption<BudgetDType>(values, "dtype", ["F32", "F16", "BF16", "F64"], "F32");
    const adapter = await readAdapterDir(positionals[0]);
    const budget = adapterBudget(adapter, { dtype });
    const result: InspectResult = {
      adapter: positionals[0],
      config: configSummary(adapter.config),
      modules: modulesSummary(adapter),
      budget,
      extraTensors: [...adapter.extraTensors.keys()],
      warnings: [],
    };
    const basePath = stringOption(values, "base");
    if (basePath !== undefined) {
      const base = await openSafetensorsFile(basePath);
      try {
        const plan = planAdapterMerge(base, adapter);
        result.warnings.push(...plan.warnings);
        let parameters = 0;
        for (const name of base.names())
          parameters += base.info(name).shape.reduce((p, d) => p * d, 1);
        result.base = {
          path: basePath,
          parameters,
          trainablePercentOfModel: parameters === 0 ? 0 : (100 * budget.trainable) / parameters,
        };
      } finally {
        await base.close();
      }
    }
    return result;
  },
  table(result) {
    const r = result as InspectResult;
    const c = r.config;
    const lines = [
      `${r.adapter}: r = ${c.r}, lora_alpha = ${c.lora_alpha}${c.use_rslora ? ", rsLoRA" : ""}${c.use_dora ? ", DoRA" : ""}${c.fan_in_fan_out ? ", fan_in_fan_out" : ""}`,
      `target_modules: ${JSON.stringify(c.target_modules)}`,
    ];
    if (Object.keys(c.rank_pattern).length > 0)
      lines.push(`rank_pattern: ${JSON.stringify(c.rank_pattern)}`);
    if (Object.keys(c.alpha_pattern).length > 0)
      lines.push(`alpha_pattern: ${JSON.stringify(c.alpha_pattern)}`);
    lines.push(
      "",
      renderTable(
        r.modules.map((m) => ({
          module: m.name,
          kind: m.kind,
          r: m.r,
          alpha: m.alpha,
          scaling: m.scaling,
          dtype: m.dtype,
        })),
      ),
      "",
      formatLoraBudget(r.budget),
    );
    if (r.base !== undefined) {
      lines.push(
        `base: ${r.base.parameters.toLocaleString("en-US")} parameters; the adapter trains ${r.base.trainablePercentOfModel.toFixed(4)}% of them`,
      );
    }
    for (const w of r.warnings) lines.push(`warning: ${w}`);
    return lines.join("\n");
  },
};

const mergeCommand: CommandSpec = {
  path: ["lora", "merge"],
  summary: "merge a PEFT LoRA adapter into a base safetensors file (as peft's merge_and_unload)",
  usage:
    "lora merge --base BASE.safetensors --adapter ADAPTER_DIR --out MERGED.safetensors [--safe-merge]",
  details: [
    "Every adapted weight becomes W + s·B·A (DoRA: (m/‖W + ΔW‖)·(W + ΔW)); all other tensors are",
    "copied bit for bit. The base is streamed tensor by tensor, so memory stays near the",
    "largest tensor. The output appears only when complete.",
  ].join("\n"),
  options: {
    base: {
      type: "string",
      valueName: "BASE.safetensors",
      description: "the base model's weights",
    },
    adapter: { type: "string", valueName: "ADAPTER_DIR", description: "the PEFT adapter folder" },
    out: {
      type: "string",
      valueName: "MERGED.safetensors",
      description: "where to write the merged weights",
    },
    "safe-merge": {
      type: "boolean",
      description:
        "fail instead of writing if a merged value is NaN or infinite (peft's safe_merge)",
    },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, progress }) {
    const base = stringOption(values, "base", true);
    const adapterDir = stringOption(values, "adapter", true);
    const out = stringOption(values, "out", true);
    const started = performance.now();
    let bar: ReturnType<typeof progress> | undefined;
    let bytes = 0;
    const report = await mergeAdapterFile(base, adapterDir, out, {
      safeMerge: values["safe-merge"] === true,
      onProgress: ({ done, total, bytesDone }) => {
        bar ??= progress("merging", total);
        bar.update(done);
        bytes = bytesDone;
      },
    });
    bar?.done();
    const seconds = (performance.now() - started) / 1000;
    return {
      out,
      merged: report.merged,
      biases: report.biases,
      replaced: report.replaced,
      ignored: report.ignored,
      warnings: report.warnings,
      bytes,
      seconds,
    };
  },
  table(result) {
    const r = result as {
      out: string;
      merged: { module: string; baseKey: string }[];
      seconds: number;
      warnings: string[];
    };
    return [
      renderTable(r.merged.map((m) => ({ module: m.module, weight: m.baseKey }))),
      `wrote ${r.out} (${r.merged.length} modules merged in ${r.seconds.toFixed(2)} s)`,
      ...r.warnings.map((w) => `warning: ${w}`),
    ].join("\n");
  },
};

const extractCommand: CommandSpec = {
  path: ["lora", "extract"],
  summary: "extract a LoRA adapter from base and fine-tuned weights by truncated SVD",
  usage:
    "lora extract --base BASE.safetensors --tuned TUNED.safetensors --rank R --out ADAPTER_DIR [--energy E] [--split peft|balanced]",
  details: [
    "For every 2-D weight that changed, ΔW = tuned − base is approximated by its best rank-R",
    "factors (B = U·S, A = Vᵀ; --split balanced shares √S). With --energy E the rank per",
    "module is the smallest keeping E of ΔW's energy (at most R), written as rank_pattern.",
    "Every module gets scaling 1. Prints each module's reconstruction error.",
  ].join("\n"),
  options: {
    base: {
      type: "string",
      valueName: "BASE.safetensors",
      description: "the base model's weights",
    },
    tuned: {
      type: "string",
      valueName: "TUNED.safetensors",
      description: "the fine-tuned model's weights",
    },
    rank: {
      type: "string",
      valueName: "R",
      description: "the rank (the largest rank with --energy)",
    },
    energy: {
      type: "string",
      valueName: "E",
      description: "choose each module's rank to keep this fraction of ΔW's energy, in (0, 1]",
    },
    split: {
      type: "string",
      valueName: "peft|balanced",
      description: "how S is shared: B = U·S, A = Vᵀ (peft, default) or √S each (balanced)",
    },
    out: { type: "string", valueName: "ADAPTER_DIR", description: "the adapter folder to write" },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, progress }) {
    const base = stringOption(values, "base", true);
    const tuned = stringOption(values, "tuned", true);
    const out = stringOption(values, "out", true);
    const rank = integerOption(values, "rank", { min: 1 });
    if (rank === undefined) throw new UsageError("missing required option --rank");
    const energy = numberOption(values, "energy");
    if (energy !== undefined && !(energy > 0 && energy <= 1)) {
      throw new UsageError(`--energy must be in (0, 1], got ${energy}`);
    }
    const split = choiceOption(values, "split", ["peft", "balanced"] as const, "peft");
    let bar: ReturnType<typeof progress> | undefined;
    const { adapter, report } = await extractAdapterFiles(base, tuned, {
      rank,
      energy,
      split,
      onProgress: ({ done, total }) => {
        bar ??= progress("extracting", total);
        bar.update(done);
      },
    });
    bar?.done();
    await writeAdapterDir(out, adapter);
    return {
      out,
      config: configSummary(adapter.config),
      modules: report.filter((m) => m.rank > 0),
      unchanged: report.filter((m) => m.rank === 0).map((m) => m.module),
    };
  },
  table(result) {
    const r = result as {
      out: string;
      modules: { module: string; rank: number; relativeError: number; energyKept: number }[];
    };
    return [
      renderTable(
        r.modules.map((m) => ({
          module: m.module,
          rank: m.rank,
          "relative error": m.relativeError,
          "energy kept": m.energyKept,
        })),
      ),
      `wrote ${r.out}`,
    ].join("\n");
  },
};

function parseWeights(raw: string | undefined, count: number): number[] | undefined {
  if (raw === undefined) return undefined;
  const weights = raw.split(",").map((w) => Number(w.trim()));
  if (weights.some((w, i) => !Number.isFinite(w) || raw.split(",")[i].trim() === "")) {
    throw new UsageError(`--weights must be comma-separated numbers, got "${raw}"`);
  }
  if (weights.length !== count) {
    throw new UsageError(`--weights has ${weights.length} values but ${count} adapters were given`);
  }
  return weights;
}

const combineCommand: CommandSpec = {
  path: ["lora", "combine"],
  summary: "combine LoRA adapters into one (peft's add_weighted_adapter: cat, linear or svd)",
  usage:
    "lora combine --adapter DIR --adapter DIR [--weights 0.7,0.3] --method cat|linear|svd [--svd-rank R] --out DIR",
  details: [
    "cat: exact weighted sum Σ wᵢ·ΔWᵢ with rank Σ rᵢ. linear: A = Σ √(wᵢsᵢ)·Aᵢ, B = Σ √(wᵢsᵢ)·Bᵢ",
    "(peft's definition; it adds cross terms Bⱼ·Aᵢ, so it is not Σ wᵢ·ΔWᵢ unless the adapters",
    "share A or B). svd: Σ wᵢ·sᵢ·ΔWᵢ truncated to --svd-rank by SVD (peft scales each update",
    "twice; --svd-scaling single scales once). The config is the first adapter's with",
    "r = lora_alpha = the new rank.",
  ].join("\n"),
  options: {
    adapter: {
      type: "string",
      multiple: true,
      valueName: "DIR",
      description: "an adapter folder (repeat for each adapter, in order)",
    },
    weights: {
      type: "string",
      valueName: "W1,W2,…",
      description: "one weight per adapter (default 1 each)",
    },
    method: {
      type: "string",
      valueName: "cat|linear|svd",
      description: "how to combine (required)",
    },
    "svd-rank": {
      type: "string",
      valueName: "R",
      description: "svd: the new rank (default the largest source rank)",
    },
    "svd-scaling": {
      type: "string",
      valueName: "peft|single",
      description: "svd: peft's double scaling (default) or each update scaled once",
    },
    "no-rslora": {
      type: "boolean",
      description:
        "write use_rslora false (peft copies the first adapter's flag, which rescales the result)",
    },
    out: { type: "string", valueName: "DIR", description: "the adapter folder to write" },
  },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    const dirs = values.adapter;
    if (!Array.isArray(dirs) || dirs.length === 0)
      throw new UsageError("give at least one --adapter DIR");
    stringOption(values, "method", true);
    const method = choiceOption<CombinationMethod>(
      values,
      "method",
      ["cat", "linear", "svd"],
      "cat",
    );
    const out = stringOption(values, "out", true);
    const weights = parseWeights(stringOption(values, "weights"), dirs.length);
    const svdRank = integerOption(values, "svd-rank", { min: 1 });
    const svdScaling = choiceOption(values, "svd-scaling", ["peft", "single"] as const, "peft");
    if (method !== "svd" && (svdRank !== undefined || values["svd-scaling"] !== undefined)) {
      throw new UsageError("--svd-rank and --svd-scaling only apply to --method svd");
    }
    const adapters = [];
    for (const dir of dirs as string[]) adapters.push(await readAdapterDir(dir));
    const { adapter, warnings } = combineAdapters(adapters, {
      method,
      weights,
      svdRank,
      svdScaling,
      useRslora: values["no-rslora"] === true ? false : undefined,
    });
    await writeAdapterDir(out, adapter);
    return {
      out,
      method: adapters.length === 1 ? "linear" : method,
      weights: weights ?? adapters.map(() => 1),
      config: configSummary(adapter.config),
      modules: modulesSummary(adapter),
      warnings,
    };
  },
  table(result) {
    const r = result as {
      out: string;
      method: string;
      config: { r: number };
      modules: unknown[];
      warnings: string[];
    };
    return [
      `wrote ${r.out}: ${r.method}, r = ${r.config.r}, ${r.modules.length} modules`,
      ...r.warnings.map((w) => `warning: ${w}`),
    ].join("\n");
  },
};

/** `tunekit lora …`: inspect, merge, extract and combine PEFT LoRA adapters. */
export const loraCommands: CommandSpec[] = [
  inspectCommand,
  mergeCommand,
  extractCommand,
  combineCommand,
];
