export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
export { type AccuracyOptions, type AccuracyResult, accuracy, type Label } from "./accuracy";
export {
  addBleuStatistics,
  BLEU_SMOOTH_METHODS,
  type BleuOptions,
  type BleuResult,
  type BleuSmoothMethod,
  type BleuStatistics,
  bleuExampleStatistics,
  bleuFromStatistics,
  bleuStatistics,
  corpusBleu,
  sentenceBleu,
} from "./bleu";
export {
  type AggregateScore,
  BootstrapAggregator,
  type BootstrapOptions,
} from "./bootstrap";
export {
  addChrfStatistics,
  type ChrfOptions,
  type ChrfResult,
  type ChrfStatistics,
  chrfExampleStatistics,
  chrfFromStatistics,
  chrfStatistics,
  corpusChrf,
  sentenceChrf,
} from "./chrf";
export { type ExactMatchOptions, type ExactMatchResult, exactMatch } from "./exact-match";
export {
  type ModifiedPrecision,
  type ModifiedPrecisionOptions,
  modifiedPrecision,
} from "./modified-precision";
export { porterStem } from "./porter";
export {
  createRougeScorer,
  type DefaultRougeType,
  type RougeNType,
  type RougeOptions,
  type RougeScore,
  type RougeScorer,
  type RougeScores,
  type RougeType,
  rouge,
  type WordTokenizer,
} from "./rouge";
export { meanRougeScores, type RougeCorpusResult, rougeCorpus } from "./rouge-corpus";
export { SIGNATURE_VERSION } from "./sacrebleu-signature";
export {
  normalizeSquadAnswer,
  type SquadExampleScore,
  type SquadResult,
  type SquadScores,
  type SquadV2Options,
  type SquadV2Result,
  squad,
  squadV2,
} from "./squad";
export {
  addTerStatistics,
  corpusTer,
  sentenceTer,
  type TerOptions,
  type TerResult,
  type TerStatistics,
  terExampleStatistics,
  terFromStatistics,
} from "./ter";
export { tokenize13a } from "./tokenizers/13a";
export {
  BLEU_TOKENIZER_NAMES,
  type BleuTokenizerName,
  bleuTokenize,
} from "./tokenizers/bleu-tokenizers";
export { tokenizeChar } from "./tokenizers/char";
export { tokenizeIntl } from "./tokenizers/intl";
export { tokenizeNone } from "./tokenizers/none";
export { type RougeTokenizeOptions, rougeTokenize } from "./tokenizers/rouge";
export { type TercomTokenizeOptions, tokenizeTercom } from "./tokenizers/tercom";
export { type UnicodeTokenizeOptions, unicodeTokenize } from "./tokenizers/unicode";
export { isZhTokenizerChar, tokenizeZh } from "./tokenizers/zh";
