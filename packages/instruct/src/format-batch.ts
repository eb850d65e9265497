// Node-only (Buffer): formats one batch of whole JSONL lines into prompt/completion lines.
// The same function runs in a worker thread (format-worker.ts) or in the calling thread;
// imported by node.ts and format-worker.ts only.
import { TunekitError } from "../../../internal/shared/src/index";
import { encodeFlatRecord, flatRecordBound, writeUtf8 } from "./json-line-bytes";
import { escapeQuotesAndLineFeeds, isBlank, parseLine, toJsonLine } from "./jsonl";
import {
  type AnswerOptionsMode,
  type PromptTemplate,
  renderTemplate,
  type TemplateSet,
} from "./template";

/** What every batch of one file is formatted with (plain data: it is sent to workers). */
export interface BatchSettings {
  template: PromptTemplate | TemplateSet;
  answerOptions: AnswerOptionsMode;
}

/** A line of a batch that gave no output line. `line` counts from 1 within the batch. */
export interface BatchReject {
  line: number;
  code: string;
  message: string;
  text: string;
}

/** The formatted batch: whole output lines, in input order. */
export interface BatchResult {
  /** UTF-8 JSON lines, each ending in a line feed. */
  bytes: Uint8Array;
  /** Input bytes the batch held. */
  inputBytes: number;
  records: number;
  /** Lines read (blank and rejected ones included). */
  lines: number;
  blankLines: number;
  rejected: BatchReject[];
}

const decoder = new TextDecoder("utf-8");

// What escapes a line's raw JSON text uses (see escapesOf): only `\n` and `\/`; also
// `\"` and `\\`; or others (`\t`, `\u…` …).
const LINE_FEEDS = 0;
const QUOTES = 1;
const ANY = 2;

/**
 * Which escapes a line's raw JSON text uses. A parsed string can hold a control
 * character, a lone surrogate, a quote or a backslash only through an escape: raw control
 * characters are not valid JSON, and text decoded from UTF-8 has no lone surrogate. So
 * when a line has only `\n`, `\/`, `\"` and `\\` escapes, its values need only those
 * characters escaped again, and the scan for the others can be skipped.
 */
function escapesOf(line: string): number {
  let escapes = LINE_FEEDS;
  for (let i = line.indexOf("\\"); i !== -1; i = line.indexOf("\\", i + 2)) {
    const next = line.charCodeAt(i + 1);
    if (next === 0x22 || next === 0x5c) escapes = QUOTES;
    else if (next !== 0x6e && next !== 0x2f) return ANY;
  }
  return escapes;
}

// Characters a pattern's literal text may hold for rendered text to need no more
// escaping than the record's values: no control character but the line feed, no quote,
// no backslash, no surrogate.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NOT_PLAIN = /[\u0000-\u0009\u000b-\u001f"\\\ud800-\udfff]/;

function plainTemplate(template: PromptTemplate | TemplateSet): boolean {
  const templates = "templates" in template ? template.templates : [template];
  return templates.every((t) => !NOT_PLAIN.test(t.input) && !NOT_PLAIN.test(t.target));
}

function decodeLine(bytes: Uint8Array, start: number, end: number): string {
  // Buffer#toString is faster than TextDecoder and gives one-byte strings for ASCII lines.
  return Buffer.isBuffer(bytes)
    ? bytes.toString("utf8", start, end)
    : decoder.decode(bytes.subarray(start, end));
}

/**
 * Formats whole lines (the last may lack its line feed). A line that is not a JSON
 * object, or that the template cannot render (a {@link TunekitError}), is returned in
 * `rejected`; any other error is thrown. `firstBatch` says whether a UTF-8 byte-order
 * mark may open the first line. `spare` is memory to write the output into when it is
 * large enough (a worker reuses the buffers it gets back, so memory stays flat).
 */
export function formatBatch(
  input: Uint8Array,
  settings: BatchSettings,
  firstBatch: boolean,
  spare?: ArrayBuffer,
): BatchResult {
  const { template, answerOptions } = settings;
  const renderOptions = { answerOptions };
  // Rendered text is the pattern's literals, the record's values, numbers and FLAN's
  // "OPTIONS:\n- " list: with plain literals, the line's escapes tell what it needs.
  const plain = plainTemplate(template);
  // Own memory (never the shared pool), so a worker can transfer it.
  const size = Math.max(1024, input.length + (input.length >> 2));
  let out =
    spare !== undefined && spare.byteLength >= size
      ? Buffer.from(spare)
      : Buffer.allocUnsafeSlow(size);
  let used = 0;
  let records = 0;
  let lines = 0;
  let blankLines = 0;
  const rejected: BatchReject[] = [];
  const makeRoom = (bytes: number) => {
    if (used + bytes <= out.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * out.length, used + bytes));
    out.copy(grown, 0, 0, used);
    out = grown;
  };
  let start = 0;
  while (start < input.length) {
    let end = input.indexOf(10, start);
    const next = end === -1 ? input.length : end + 1;
    if (end === -1) end = input.length;
    lines++;
    let text = decodeLine(input, start, end);
    start = next;
    if (firstBatch && lines === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (isBlank(text)) {
      blankLines++;
      continue;
    }
    const item = parseLine(text, lines);
    if (item.invalid !== undefined) {
      rejected.push({ line: lines, ...item.invalid });
      continue;
    }
    let pair: { prompt: string; completion: string };
    try {
      const { input: prompt, target: completion } = renderTemplate(
        template,
        item.record,
        renderOptions,
      );
      pair = { prompt, completion };
    } catch (error) {
      if (!TunekitError.isInstance(error)) throw error;
      rejected.push({ line: lines, code: error.code, message: error.message, text });
      continue;
    }
    records++;
    const escapes = plain ? escapesOf(text) : ANY;
    if (escapes !== ANY) {
      const quotes = escapes === QUOTES;
      // A UTF-16 unit takes at most 3 UTF-8 bytes, an escaped one 2.
      makeRoom(3 * (pair.prompt.length + pair.completion.length) + 32);
      used += writeUtf8(out, '{"prompt":"', used);
      used += writeUtf8(out, escapeQuotesAndLineFeeds(pair.prompt, quotes), used);
      used += writeUtf8(out, '","completion":"', used);
      used += writeUtf8(out, escapeQuotesAndLineFeeds(pair.completion, quotes), used);
      used += writeUtf8(out, '"}\n', used);
      continue;
    }
    makeRoom(flatRecordBound(pair));
    const encodedEnd = encodeFlatRecord(pair, out, used);
    if (encodedEnd >= 0) {
      used = encodedEnd;
    } else {
      // Control characters or lone surrogates: JSON.stringify's text (at most 6 bytes a unit).
      const line = `${toJsonLine(pair)}\n`;
      makeRoom(3 * line.length);
      used += out.write(line, used, "utf8");
    }
  }
  return {
    bytes: out.subarray(0, used),
    inputBytes: input.length,
    records,
    lines,
    blankLines,
    rejected,
  };
}
