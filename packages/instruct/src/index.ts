export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
export {
  type CsvOptions,
  createCsvParser,
  formatCsv,
  formatCsvRow,
  parseCsv,
} from "./csv";
export {
  createJsonArrayParser,
  createJsonRecordsParser,
  parseJsonArray,
} from "./json-array";
export { createJsonlParser, formatJsonl, type ParseTextOptions, parseJsonl } from "./jsonl";
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
export { controlledRounding, largestRemainder } from "./apportion";
export {
  fmix32,
  hashSequence,
  hashSequence53,
  hashString,
  hashString53,
  murmur3,
} from "./hash";
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
