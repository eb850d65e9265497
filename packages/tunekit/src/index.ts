/**
 * tunekit: the umbrella of the tunekit packages. Each package is re-exported as a
 * namespace (`metrics`, `tensor`, `lora`, `softPrompt`, `instruct`), and the functions
 * people reach for most are also exported at the top level. Importing it runs nothing.
 *
 * @example
 * ```ts
 * import { metrics, rouge } from "tunekit";
 * rouge("the cat sat", "a cat sat").rouge1.fmeasure === metrics.rouge("the cat sat", "a cat sat").rouge1.fmeasure;
 * ```
 *
 * @packageDocumentation
 */
export * as instruct from "@tunekit/instruct";
export {
  applyChatTemplate,
  buildFewShotPrompt,
  getTemplate,
  mixTasks,
  renderTemplate,
  splitDataset,
} from "@tunekit/instruct";
export * as lora from "@tunekit/lora";
export {
  combineAdapters,
  deltaWeight,
  extractLora,
  loadAdapter,
  loraBudget,
  loraForward,
  loraScaling,
  mergeLora,
  unmergeLora,
} from "@tunekit/lora";
export * as metrics from "@tunekit/metrics";
export {
  corpusBleu,
  corpusChrf,
  corpusTer,
  modifiedPrecision,
  porterStem,
  rouge,
  rougeCorpus,
  sentenceBleu,
} from "@tunekit/metrics";
export * as softPrompt from "@tunekit/soft-prompt";
export {
  nearestTokens,
  prependCausalLm,
  SoftPromptRegistry,
  textSoftPrompt,
} from "@tunekit/soft-prompt";
export * as tensor from "@tunekit/tensor";
export {
  createRng,
  type Matrix,
  matmul,
  readSafetensors,
  svd,
  TunekitError,
  writeSafetensors,
} from "@tunekit/tensor";
