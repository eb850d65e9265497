import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildFewShotPrompt,
  createRng,
  getTemplate,
  type MixReport,
  mixTasks,
  renderTemplate,
  type SplitReport,
  splitDataset,
} from "@tunekit/instruct";
import { formatLoraBudget, loraBudget, loraForward } from "@tunekit/lora";
import { mergeAdapterFile, readAdapterDir } from "@tunekit/lora/node";
import { corpusBleu, modifiedPrecision, type RougeScore, rougeCorpus } from "@tunekit/metrics";
import {
  nearestTokens,
  prependCausalLm,
  SoftPromptRegistry,
  textSoftPrompt,
} from "@tunekit/soft-prompt";
import { readEmbeddingMatrix, readTokenizerFile } from "@tunekit/soft-prompt/node";
import { matmul, maxAbsDiff, randomNormal } from "@tunekit/tensor";
import { openSafetensorsFile } from "@tunekit/tensor/node";
import { findDemoAssets } from "./assets";
import { demoDialogues } from "./sample-data";

/** Everything the demo computed, as plain data (the `--format json` output). */
export interface DemoResult {
  data: {
    records: number;
    firstPrompt: string;
    firstTarget: string;
    split: SplitReport;
    fewShot: { shots: number; length: number; prompt: string };
    mix: MixReport;
  };
  evaluation: {
    rouge: Record<"rouge1" | "rouge2" | "rougeL" | "rougeLsum", RougeScore>;
    bleu: { score: number; precisions: number[]; bp: number; signature: string };
    clipping: {
      reference: string;
      cases: { prediction: string; order: number; precision: number; modifiedPrecision: number }[];
    };
  };
  lora: {
    budgetTable: string;
    budget: { frozen: number; trainable: number; reductionPercent: number };
    merge: {
      modules: string[];
      changed: { tensor: string; maxAbsChange: number }[];
      forwardVsMerged: number;
    };
  };
  softPrompt: {
    numVirtualTokens: number;
    initText: string;
    inputsEmbedsShape: [number, number];
    attentionMask: number[];
    labels: number[];
    nearest: { index: number; token: string | null; cosine: number }[];
    switching: { task: string; firstVirtualToken: string | null }[];
  };
}

/**
 * Runs the demo: the whole story of instruction fine-tuning on the shipped sample data —
 * format, split and few-shot prompts; ROUGE and BLEU with the clipping lesson; the LoRA
 * budget and a real adapter merge; a soft prompt prepended, read and switched.
 */
export async function runDemo(): Promise<DemoResult> {
  const assets = findDemoAssets();

  // 1. Instruction data.
  const template = getTemplate("dialogsum");
  const formatted = demoDialogues.map((record) => renderTemplate(template, record));
  const { splits, report: split } = splitDataset(demoDialogues, {
    ratios: [0.75, 0.125, 0.125],
    stratify: "topic",
    seed: 42,
  });
  const query = splits.test[0];
  const fewShot = buildFewShotPrompt(query, {
    template,
    exemplars: splits.train,
    shots: 2,
    rng: createRng(7),
    maxLength: 2000,
  });
  const topicTemplate = {
    name: "topic",
    input: "What is the topic of this conversation?\n\n{dialogue}",
    target: "{topic}",
  };
  const { report: mix } = mixTasks(
    {
      summarize: formatted,
      topic: demoDialogues.slice(0, 6).map((r) => renderTemplate(topicTemplate, r)),
    },
    { cap: 8, temperature: 1, seed: 3 },
  );

  // 2. Evaluation.
  const predictions = demoDialogues.map((r) => r.prediction);
  const references = demoDialogues.map((r) => r.summary);
  const rouge = rougeCorpus(predictions, references, {
    types: ["rouge1", "rouge2", "rougeL", "rougeLsum"],
    stemmer: true,
  }).mean;
  const bleu = corpusBleu(predictions, references);
  const reference = "It is cold outside";
  const clippingCases: [string, number][] = [
    ["cold cold cold cold", 1],
    ["outside cold it is", 1],
    ["outside cold it is", 2],
  ];
  const clipping = {
    reference,
    cases: clippingCases.map(([prediction, order]) => {
      const p = modifiedPrecision(prediction, reference, { order });
      return { prediction, order, precision: p.precision, modifiedPrecision: p.modifiedPrecision };
    }),
  };

  // 3. LoRA: the budget of the worked example, then a real adapter merged into a base file.
  const budget = loraBudget([{ name: "layer", outFeatures: 512, inFeatures: 64, r: 8 }]);
  const workDir = await mkdtemp(join(tmpdir(), "tunekit-demo-"));
  let merge: DemoResult["lora"]["merge"];
  try {
    const adapter = await readAdapterDir(assets.adapter);
    const mergedPath = join(workDir, "merged.safetensors");
    const report = await mergeAdapterFile(assets.base, adapter, mergedPath);
    const base = await openSafetensorsFile(assets.base);
    const merged = await openSafetensorsFile(mergedPath);
    try {
      const changed: { tensor: string; maxAbsChange: number }[] = [];
      for (const name of base.names()) {
        changed.push({
          tensor: name,
          maxAbsChange: maxAbsDiff(await base.matrix(name), await merged.matrix(name)),
        });
      }
      // The merged layer must compute what base + adapter computes: compare on random x.
      const module = adapter.modules[0];
      const key = `${module.name}.weight`;
      const x = randomNormal(3, module.a.cols, { seed: 5 });
      const viaAdapter = loraForward(x, await base.matrix(key), module);
      const viaMerged = matmul(x, await merged.matrix(key), { transposeB: true });
      merge = {
        modules: report.merged.map((m) => m.module),
        changed,
        forwardVsMerged: maxAbsDiff(viaAdapter, viaMerged),
      };
    } finally {
      await base.close();
      await merged.close();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  // 4. Soft prompts: initialise from text, prepend to a batch, read back, switch tasks.
  const { embeddings } = await readEmbeddingMatrix(assets.base);
  const tokenizer = await readTokenizerFile(assets.tokenizer);
  const initText = "summarize the following conversation";
  const summarize = textSoftPrompt(embeddings, tokenizer, initText, { numVirtualTokens: 6 });
  const inputIds = tokenizer.encode("the train platform");
  const batch = prependCausalLm(summarize, embeddings, {
    inputIds: [inputIds],
    attentionMask: [inputIds.map(() => 1)],
    labels: [inputIds],
  });
  const nearest = nearestTokens(summarize, embeddings, { tokenizer, topK: 1 }).map((v) => ({
    index: v.index,
    token: v.neighbours[0].token,
    cosine: v.neighbours[0].cosine,
  }));
  const registry = new SoftPromptRegistry(embeddings);
  registry.add("summarize", summarize);
  registry.add(
    "translate",
    textSoftPrompt(embeddings, tokenizer, "translate to french", { numVirtualTokens: 6 }),
  );
  const switching = ["summarize", "translate"].map((task) => {
    const entry = registry.switch(task);
    const read = nearestTokens(entry.prompt, embeddings, { tokenizer, topK: 1 });
    return { task, firstVirtualToken: read[1].neighbours[0].token };
  });

  return {
    data: {
      records: formatted.length,
      firstPrompt: formatted[0].input,
      firstTarget: formatted[0].target,
      split,
      fewShot: { shots: fewShot.exemplars.length, length: fewShot.length, prompt: fewShot.input },
      mix,
    },
    evaluation: {
      rouge: rouge as DemoResult["evaluation"]["rouge"],
      bleu: {
        score: bleu.score,
        precisions: bleu.precisions,
        bp: bleu.bp,
        signature: bleu.signature,
      },
      clipping,
    },
    lora: {
      budgetTable: formatLoraBudget(budget),
      budget: {
        frozen: budget.frozen,
        trainable: budget.trainable,
        reductionPercent: budget.reductionPercent,
      },
      merge,
    },
    softPrompt: {
      numVirtualTokens: summarize.numVirtualTokens,
      initText,
      inputsEmbedsShape: [batch.inputsEmbeds[0].rows, batch.inputsEmbeds[0].cols],
      attentionMask: batch.attentionMask?.[0] ?? [],
      labels: batch.labels?.[0] ?? [],
      nearest,
      switching,
    },
  };
}
