/**
 * Prompt tuning as HuggingFace PEFT does it: soft prompts (learned virtual-token
 * embeddings) for a frozen model — initialisation, prepending with masks and labels,
 * gradients, reading prompts through the vocabulary, task switching and PEFT adapter
 * files. Runs anywhere; file helpers are in `@tunekit/soft-prompt/node`.
 *
 * @packageDocumentation
 */
export { type Matrix, type MatrixData, type Rng, TunekitError } from "@tunekit/tensor";
export {
  ADAPTER_CONFIG_NAME,
  ADAPTER_WEIGHTS_NAME,
  formatPromptTuningConfig,
  PEFT_FORMAT_VERSION,
  PROMPT_EMBEDDINGS_KEY,
  type PromptTuningAdapter,
  type PromptTuningAdapterFiles,
  type PromptTuningConfig,
  parsePromptTuningConfig,
  promptTuningConfig,
  readPromptTuningAdapter,
  writePromptTuningAdapter,
} from "./adapter";
export { countParameters, type PromptBudget, type PromptBudgetInput, promptBudget } from "./budget";
export { embedTokens, type TokenIds } from "./embed";
export { EMBEDDING_KEYS, type FindEmbeddingKeyOptions, findEmbeddingKey } from "./embedding-key";
export { type PromptedInputGradients, softPromptGradient } from "./gradient";
export {
  fitInitTokenIds,
  initTextTokenIds,
  type PromptRandomSource,
  type PromptTuningInit,
  randomSoftPrompt,
  type SoftPromptSize,
  sampleVocabSoftPrompt,
  sampleVocabTokenIds,
  softPromptFromTokenIds,
  textSoftPrompt,
} from "./init";
export {
  type NearestTokensOptions,
  nearestTokens,
  type TokenNeighbour,
  type VirtualTokenNeighbours,
} from "./nearest";
export {
  type CausalLmBatch,
  type EmbeddingDtype,
  IGNORE_INDEX,
  type PrependOptions,
  type PrependSeq2SeqOptions,
  type PromptedCausalLmBatch,
  type PromptedSeq2SeqBatch,
  prependCausalLm,
  prependSeq2Seq,
  type Seq2SeqBatch,
} from "./prepend";
export {
  assertPromptFitsEmbeddings,
  type CreateSoftPromptOptions,
  createSoftPrompt,
  type SoftPrompt,
  submodulePrompt,
} from "./prompt";
export {
  type AddPromptOptions,
  type RegisteredPrompt,
  type RegistryPrependOptions,
  SoftPromptRegistry,
} from "./registry";
export { type LoadTokenizerOptions, loadTokenizer, type PromptTokenizer } from "./tokenizer";
