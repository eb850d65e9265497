export { TunekitError } from "@tunekit/tensor";
export {
  type OrderedJson,
  type PythonJsonOptions,
  parseOrderedJson,
  toPythonJson,
} from "../../../internal/shared/src/index";
export {
  type AdapterDType,
  adapterTensors,
  createLoraModule,
  type LoadAdapterOptions,
  type LoraAdapter,
  type LoraModule,
  type LoraModuleKind,
  loadAdapter,
  moduleLoraWeights,
  type SaveAdapterOptions,
  type SerializedAdapter,
  serializeAdapter,
} from "./adapter";
export {
  type DoraGradients,
  doraBackward,
  type LoraBackwardOptions,
  type LoraGradients,
  loraBackward,
} from "./backward";
export {
  adapterBudget,
  type BudgetDType,
  type BudgetModule,
  formatLoraBudget,
  type LoraBudget,
  type LoraBudgetOptions,
  loraBudget,
  type ModuleBudget,
} from "./budget";
export {
  type CombinationMethod,
  type CombineAdaptersOptions,
  type CombinedAdapter,
  combineAdapters,
} from "./combine";
export {
  baseMutatingInitWarning,
  checkRank,
  createLoraConfig,
  type LoraBiasMode,
  type LoraConfig,
  type LoraConfigInit,
  type ParseLoraConfigOptions,
  parseLoraConfig,
  serializeLoraConfig,
  unsupportedLoraFeatures,
} from "./config";
export { doraForward, doraWeightNorm, initDoraMagnitude, mergeDora, unmergeDora } from "./dora";
export {
  type ExtractAdapterOptions,
  type ExtractedAdapter,
  type ExtractedLora,
  type ExtractedModuleReport,
  type ExtractionInput,
  type ExtractLoraOptions,
  type ExtractSplit,
  extractAdapter,
  extractLora,
  extractLoraFromDelta,
} from "./extract";
export {
  type InitialLoraWeights,
  type InitLoraOptions,
  initEmbeddingLoraWeights,
  initLoraWeights,
} from "./init";
export {
  type AdapterKey,
  type AdapterTensorRole,
  adapterKey,
  baseKeyOfExtraTensor,
  baseWeightKey,
  PEFT_KEY_PREFIX,
  parseAdapterKey,
} from "./keys";
export {
  deltaWeight,
  type LoraForwardOptions,
  type LoraLayerOptions,
  type LoraWeights,
  loraForward,
  type MergeLoraOptions,
  mergeLora,
  unmergeLora,
} from "./layer";
export {
  type BaseCheckpoint,
  type MergeAdapterOptions,
  type MergePlan,
  type MergeProgress,
  type MergeReport,
  type MergeResult,
  type MergeTarget,
  type MergeTensorOptions,
  mergeAdapter,
  mergeBaseTensor,
  mergeReport,
  planAdapterMerge,
} from "./merge";
export {
  exactModulePattern,
  findPatternKey,
  type ModuleLoraSettings,
  resolveModuleSettings,
} from "./patterns";
export {
  type PythonRegexOptions,
  pythonReFullMatch,
  pythonReMatch,
  type TranslatedRegex,
  translatePythonRegex,
} from "./python-regex";
export { type LoraScalingOptions, loraScaling } from "./scaling";
export { isTargetModule, type TargetModuleOptions } from "./target-modules";
