// Writes the small model files the demo ships with: a tiny base model (an embedding table
// and two attention projections), a LoRA adapter for it, and a word-level tokenizer.
// Everything is drawn from seeded generators, so running this again gives the same bytes.
//   node --import tsx scripts/make-demo-assets.ts
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLoraConfig, createLoraModule, initLoraWeights } from "@tunekit/lora";
import { writeAdapterDir } from "@tunekit/lora/node";
import { randomNormal, tensorFromMatrix } from "@tunekit/tensor";
import { writeSafetensorsFile } from "@tunekit/tensor/node";

const out = join(import.meta.dirname, "..", "demo");
const hidden = 32;

// The vocabulary covers the words of the demo's task prompts, so TEXT-initialised soft
// prompts read back as those words.
const words = [
  "<pad>",
  "<s>",
  "</s>",
  "<unk>",
  "summarize",
  "the",
  "following",
  "conversation",
  "dialogue",
  "summary",
  "translate",
  "to",
  "french",
  "english",
  "sentence",
  "text",
  "classify",
  "sentiment",
  "of",
  "this",
  "review",
  "positive",
  "negative",
  "answer",
  "question",
  "about",
  "a",
  "short",
  "write",
  "title",
  "for",
  "topic",
  "train",
  "platform",
  "kettle",
  "refund",
  "meeting",
  "thursday",
  "heating",
  "engineer",
  "flight",
  "friday",
  "cake",
  "birthday",
  "printer",
  "shoes",
  "football",
  "library",
];
const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
const tokenizer = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: words.slice(0, 4).map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  })),
  normalizer: { type: "Lowercase" },
  pre_tokenizer: { type: "Whitespace" },
  post_processor: {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
    pair: [
      { SpecialToken: { id: "<s>", type_id: 0 } },
      { Sequence: { id: "A", type_id: 0 } },
      { Sequence: { id: "B", type_id: 1 } },
    ],
    special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
  },
  decoder: null,
  model: { type: "WordLevel", vocab, unk_token: "<unk>" },
};

const embeddings = randomNormal(words.length, hidden, { seed: 11 });
const qProj = randomNormal(hidden, hidden, { seed: 12, std: 0.1 });
const vProj = randomNormal(hidden, hidden, { seed: 13, std: 0.1 });

await mkdir(out, { recursive: true });
await writeFile(join(out, "tokenizer.json"), `${JSON.stringify(tokenizer, null, 2)}\n`);
await writeSafetensorsFile(join(out, "base.safetensors"), {
  "model.embed_tokens.weight": tensorFromMatrix(embeddings),
  "model.layers.0.self_attn.q_proj.weight": tensorFromMatrix(qProj),
  "model.layers.0.self_attn.v_proj.weight": tensorFromMatrix(vProj),
});

const config = createLoraConfig({
  r: 4,
  lora_alpha: 8,
  target_modules: ["q_proj", "v_proj"],
  task_type: "CAUSAL_LM",
  init_lora_weights: false,
});
const modules = ["q_proj", "v_proj"].map((name, i) => {
  // init false: both factors random (B is not zero), so the merge visibly changes W.
  const { a, b } = initLoraWeights(hidden, hidden, 4, { seed: 20 + i, init: false });
  return createLoraModule(config, `model.layers.0.self_attn.${name}`, { a, b });
});
await writeAdapterDir(join(out, "adapter"), { config, modules, extraTensors: new Map() });
console.log(`wrote demo assets to ${out}`);
