export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
export { controlledRounding, largestRemainder } from "./apportion";
export {
  applyChatTemplate,
  ChatTemplate,
  type ChatTemplateOptions,
  compileChatTemplate,
  type SelectChatTemplateOptions,
  type SpecialTokenValue,
  selectChatTemplate,
  specialTokenVariables,
  type TokenizerConfig,
} from "./chat-template";
export {
  type CsvOptions,
  createCsvParser,
  formatCsv,
  formatCsvRow,
  parseCsv,
} from "./csv";
export {
  type ContaminatedRecord,
  ContaminationIndex,
  type DecontaminateOptions,
  type DecontaminationOptions,
  type DecontaminationReport,
  decontaminate,
  type Overlap,
  overlapText,
} from "./decontaminate";
export {
  Deduplicator,
  type DedupOptions,
  type DedupRecordsOptions,
  type DedupReport,
  type DuplicateMatch,
  dedupRecords,
  recordText,
} from "./dedup";
export {
  buildFewShotPrompt,
  countCodePoints,
  type FewShotFormat,
  type FewShotOptions,
  type FewShotPrompt,
  FLAN_FEW_SHOT_FORMAT,
} from "./few-shot";
export {
  type AlpacaRecord,
  type AlpacaToMessagesOptions,
  alpacaToMessages,
  messagesToAlpaca,
} from "./formats/alpaca";
export { detectRecordFormat, type RecordFormat } from "./formats/detect";
export {
  alpacaToDolly,
  type DollyRecord,
  dollyToAlpaca,
  dollyToMessages,
  messagesToDolly,
} from "./formats/dolly";
export { type ChatMessage, type ChatRecord, checkMessages } from "./formats/messages";
export {
  type ConversationalPromptCompletion,
  messagesToPromptCompletion,
  type PromptCompletion,
  promptCompletionToMessages,
  toPromptCompletion,
} from "./formats/prompt-completion";
export {
  messagesToShareGpt,
  SHAREGPT_ROLES,
  type ShareGptRecord,
  type ShareGptTurn,
  shareGptToMessages,
} from "./formats/sharegpt";
export {
  fmix32,
  hashSequence,
  hashSequence53,
  hashString,
  hashString53,
  murmur3,
} from "./hash";
export {
  createJsonArrayParser,
  createJsonRecordsParser,
  parseJsonArray,
} from "./json-array";
export {
  createJsonlParser,
  formatJsonl,
  type JsonlParserOptions,
  type ParseTextOptions,
  parseJsonl,
  quoteJsonString,
  toJsonLine,
  type Utf8Decode,
} from "./jsonl";
export {
  estimateJaccard,
  jaccard,
  type LshBands,
  lshBands,
  MinHasher,
  MinHashLsh,
  type MinHashOptions,
  type ShingleOptions,
  shingleHashes,
} from "./minhash";
export {
  type MixedExample,
  type MixOptions,
  type MixPlan,
  type MixReport,
  type MixTaskReport,
  mixingRates,
  mixTasks,
  planMix,
} from "./mix";
export { normalizeText, type TextNormalization, wordsOf } from "./normalize-text";
export type { RecordLocation } from "./record-label";
export {
  DataFileError,
  type DataRecord,
  type ParsedItem,
  type ReadCounts,
  type RecordParser,
  RecordReader,
  type RecordReaderOptions,
  type RejectedLine,
  type SourcedRecord,
} from "./records";
export {
  type KeySource,
  planSplit,
  type SplitDatasetOptions,
  type SplitLabels,
  type SplitOptions,
  type SplitPlan,
  type SplitReport,
  type SplitResult,
  splitDataset,
  splitKey,
} from "./split";
export {
  type DatasetStats,
  type Distribution,
  datasetStats,
  distribution,
  escapeHtml,
  type FieldStats,
  type Histogram,
  percentile,
  renderHistogram,
  renderStatsHtml,
  renderStatsText,
  StatsCollector,
  type StatsOptions,
} from "./stats";
export {
  type AnswerOptionsMode,
  chooseTemplate,
  formatOptions,
  invertTemplate,
  lintTemplate,
  OPTIONS_PLACEHOLDER,
  type PromptTemplate,
  type RenderedExample,
  type RenderTemplateOptions,
  renderTemplate,
  type TemplateChoice,
  type TemplateCondition,
  type TemplateIssue,
  type TemplateLintReport,
  type TemplateRecord,
  type TemplateSet,
  templateApplies,
  templateFields,
  withoutOptions,
} from "./template";
export { ALPACA, ALPACA_INPUT, ALPACA_NO_INPUT } from "./templates/alpaca";
export { DIALOGSUM } from "./templates/dialogsum";
export { DOLLY, DOLLY_CONTEXT, DOLLY_NO_CONTEXT } from "./templates/dolly";
export {
  FLAN_NLI,
  FLAN_NLI_INVERTED,
  FLAN_QA,
  FLAN_QA_INVERTED,
  FLAN_SENTIMENT,
  FLAN_SENTIMENT_INVERTED,
  FLAN_SUMMARIZATION,
  FLAN_SUMMARIZATION_INVERTED,
  FLAN_TRANSLATION,
  FLAN_TRANSLATION_INVERTED,
} from "./templates/flan";
export { getTemplate, listTemplates } from "./templates/index";
export {
  IGNORE_INDEX,
  type LoadTokenizerOptions,
  loadTokenizer,
  type PadOptions,
  padExamples,
  type TextTokenizer,
  type TokenizedExample,
  type TokenizeOptions,
  type TokenizeResult,
  tokenizePromptCompletion,
  tokenizeText,
} from "./tokenize";
export { type TokenizeChatOptions, tokenizeChat } from "./tokenize-chat";
