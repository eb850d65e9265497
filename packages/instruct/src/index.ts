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
