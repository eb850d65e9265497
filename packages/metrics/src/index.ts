export { createRng, type Rng, TunekitError } from "../../../internal/shared/src/index";
export {
  type AggregateScore,
  BootstrapAggregator,
  type BootstrapOptions,
} from "./bootstrap";
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
export { type RougeTokenizeOptions, rougeTokenize } from "./tokenizers/rouge";
export { type UnicodeTokenizeOptions, unicodeTokenize } from "./tokenizers/unicode";
