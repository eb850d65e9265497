import { TunekitError } from "../../../internal/shared/src/index";
import type { DataRecord } from "./records";

/**
 * Equal-width bins over whole-number lengths: bin i holds the values from `edges[i]` to
 * `edges[i + 1] − 1`.
 *
 * @example
 * ```ts
 * import type { Histogram } from "@tunekit/instruct";
 * const h: Histogram = { edges: [0, 10, 20], counts: [3, 1] };
 * ```
 */
export interface Histogram {
  /** Bin edges, one more than bins. For integer lengths bin i covers edges[i] … edges[i+1]−1. */
  edges: number[];
  /** Values per bin. */
  counts: number[];
}

/**
 * Summary of a set of lengths.
 *
 * @example
 * ```ts
 * import type { Distribution } from "@tunekit/instruct";
 * const d: Distribution = {
 *   count: 2, min: 3, max: 5, mean: 4, p50: 4, p90: 4.8, p95: 4.9, p99: 4.98,
 *   histogram: { edges: [3, 4, 5, 6], counts: [1, 0, 1] },
 * };
 * ```
 */
export interface Distribution {
  /** Number of values. */
  count: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Arithmetic mean. */
  mean: number;
  /** Median (linear interpolation, as {@link percentile}). */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** Equal-width histogram. */
  histogram: Histogram;
}

/**
 * What a dataset holds under one field name.
 *
 * @example
 * ```ts
 * import type { FieldStats } from "@tunekit/instruct";
 * const f: FieldStats = { present: 10, missing: 0, empty: 1, types: { string: 10 } };
 * ```
 */
export interface FieldStats {
  /** Records with the field (any value, `null` included). */
  present: number;
  /** Records without it. */
  missing: number;
  /** Present but empty: `""` or `[]`. */
  empty: number;
  /** Value types: `string`, `number`, `boolean`, `null`, `array`, `object`. */
  types: Record<string, number>;
  /** String values: length in characters (Unicode code points, as Python's `len`). */
  chars?: Distribution;
  /** String values: words, as Python's `str.split()` counts them (whitespace runs). */
  words?: Distribution;
  /** String values: tokens, when a `tokenCount` callback was given. */
  tokens?: Distribution;
  /** Array values: number of items (turns of a conversation, say). */
  items?: Distribution;
}

/**
 * Statistics of a dataset.
 *
 * @example
 * ```ts
 * import type { DatasetStats } from "@tunekit/instruct";
 * const s: DatasetStats = { records: 0, fields: {} };
 * ```
 */
export interface DatasetStats {
  /** Records seen. */
  records: number;
  /** Per field, in order of first appearance. */
  fields: Record<string, FieldStats>;
}

/**
 * Options of {@link StatsCollector} and {@link datasetStats}.
 *
 * @example
 * ```ts
 * import type { StatsOptions } from "@tunekit/instruct";
 * const options: StatsOptions = { fields: ["dialogue", "summary"], bins: 10 };
 * ```
 */
export interface StatsOptions {
  /** Only these fields. Default: every field seen. */
  fields?: readonly string[];
  /** Histogram bins. Default 20. */
  bins?: number;
  /** Counts the tokens of a string value (e.g. with a tokenizer); enables `tokens`. */
  tokenCount?: (text: string, field: string) => number;
}

/**
 * The p-th percentile of sorted values by linear interpolation between closest ranks —
 * NumPy's default (`numpy.percentile(..., method="linear")`): rank h = (n − 1) · p / 100.
 *
 * @param sorted - values in ascending order (at least one).
 * @param p - the percentile, 0 to 100.
 * @returns the interpolated value.
 * @throws {@link TunekitError} `invalid_stats` for no values or p outside [0, 100].
 * @example
 * ```ts
 * import { percentile } from "@tunekit/instruct";
 * percentile([1, 2, 3, 4], 50); // 2.5
 * percentile([1, 2, 3, 4], 90); // 3.7
 * ```
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0 || !(p >= 0 && p <= 100)) {
    throw new TunekitError(
      "invalid_stats",
      `percentile needs values and 0 ≤ p ≤ 100 (got ${sorted.length} values, p = ${p})`,
    );
  }
  const rank = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
}

/**
 * Summarises lengths: count, min, max, mean, percentiles 50/90/95/99, and an equal-width
 * histogram whose bin width is a whole number (lengths are whole numbers).
 *
 * @param values - the lengths (any order; not modified).
 * @param bins - number of histogram bins at most. Default 20.
 * @returns the {@link Distribution}, or `undefined` for no values.
 * @example
 * ```ts
 * import { distribution } from "@tunekit/instruct";
 * distribution([5, 1, 3])?.p50; // 3
 * ```
 */
export function distribution(values: ArrayLike<number>, bins = 20): Distribution | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const min = sorted[0];
  const max = sorted[n - 1];
  const width = Math.max(1, Math.ceil((max - min + 1) / Math.max(1, bins)));
  const binCount = Math.max(1, Math.ceil((max - min + 1) / width));
  const edges = Array.from({ length: binCount + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(binCount).fill(0);
  for (let i = 0; i < n; i++)
    counts[Math.min(binCount - 1, Math.floor((sorted[i] - min) / width))]++;
  return {
    count: n,
    min,
    max,
    mean: sum / n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    histogram: { edges, counts },
  };
}

function countCodePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// Exactly the characters Python's str.isspace() accepts, which str.split() splits on
// (JavaScript's \s differs: it has U+FEFF and lacks U+001C–U+001F and U+0085).
const PY_WHITESPACE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001F are Python whitespace
  /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function countWords(text: string): number {
  let n = 0;
  for (const part of text.split(PY_WHITESPACE)) if (part.length > 0) n++;
  return n;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

interface FieldAccumulator {
  present: number;
  empty: number;
  types: Record<string, number>;
  chars: number[];
  words: number[];
  tokens: number[];
  items: number[];
}

/**
 * Accumulates {@link DatasetStats} one record at a time (for streams); call `result` at
 * the end, or at any point for the statistics so far.
 *
 * @example
 * ```ts
 * import { StatsCollector } from "@tunekit/instruct";
 * const stats = new StatsCollector({ fields: ["text"] });
 * stats.add({ text: "hello world" });
 * stats.result().fields.text.words?.max; // 2
 * ```
 */
export class StatsCollector {
  private readonly options: StatsOptions;
  private readonly only: Set<string> | undefined;
  private readonly fields = new Map<string, FieldAccumulator>();
  private records = 0;

  /**
   * @param options - see {@link StatsOptions}.
   */
  constructor(options: StatsOptions = {}) {
    this.options = options;
    this.only = options.fields ? new Set(options.fields) : undefined;
    for (const name of options.fields ?? []) this.field(name);
  }

  private field(name: string): FieldAccumulator {
    let acc = this.fields.get(name);
    if (!acc) {
      acc = { present: 0, empty: 0, types: {}, chars: [], words: [], tokens: [], items: [] };
      this.fields.set(name, acc);
    }
    return acc;
  }

  /**
   * Adds a record.
   *
   * @param record - the record.
   */
  add(record: DataRecord): void {
    this.records++;
    const { tokenCount } = this.options;
    for (const name of this.only ?? Object.keys(record)) {
      if (!Object.hasOwn(record, name) || record[name] === undefined) continue;
      const value = record[name];
      const acc = this.field(name);
      acc.present++;
      const type = typeOf(value);
      acc.types[type] = (acc.types[type] ?? 0) + 1;
      if (typeof value === "string") {
        if (value.length === 0) acc.empty++;
        acc.chars.push(countCodePoints(value));
        acc.words.push(countWords(value));
        if (tokenCount) acc.tokens.push(tokenCount(value, name));
      } else if (Array.isArray(value)) {
        if (value.length === 0) acc.empty++;
        acc.items.push(value.length);
      }
    }
  }

  /**
   * The statistics so far.
   *
   * @returns the {@link DatasetStats}.
   */
  result(): DatasetStats {
    const bins = this.options.bins ?? 20;
    const fields: Record<string, FieldStats> = {};
    for (const [name, acc] of this.fields) {
      const stats: FieldStats = {
        present: acc.present,
        missing: this.records - acc.present,
        empty: acc.empty,
        types: acc.types,
      };
      const chars = distribution(acc.chars, bins);
      if (chars) stats.chars = chars;
      const words = distribution(acc.words, bins);
      if (words) stats.words = words;
      const tokens = distribution(acc.tokens, bins);
      if (tokens) stats.tokens = tokens;
      const items = distribution(acc.items, bins);
      if (items) stats.items = items;
      fields[name] = stats;
    }
    return { records: this.records, fields };
  }
}

/**
 * Counts, field presence and length distributions of a dataset held in memory (see
 * {@link StatsCollector} for streams).
 *
 * @param records - the records.
 * @param options - see {@link StatsOptions}.
 * @returns the {@link DatasetStats}.
 * @example
 * ```ts
 * import { datasetStats } from "@tunekit/instruct";
 * const stats = datasetStats([{ q: "2+2?", a: "4" }, { q: "Name a colour." }]);
 * stats.fields.a.missing; // 1
 * ```
 */
export function datasetStats(
  records: Iterable<DataRecord>,
  options: StatsOptions = {},
): DatasetStats {
  const collector = new StatsCollector(options);
  for (const record of records) collector.add(record);
  return collector.result();
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/**
 * Draws a histogram as text for a terminal: one line per bin with its range, a bar of
 * block characters (eighth-block resolution) scaled to the largest bin, and the count.
 *
 * @param histogram - the histogram.
 * @param options - `width` of the longest bar in characters (default 40).
 * @returns the lines joined by `\n`.
 * @example
 * ```ts
 * import { renderHistogram } from "@tunekit/instruct";
 * console.log(renderHistogram({ edges: [0, 10, 20], counts: [4, 2] }, { width: 8 }));
 * // 0–9   │████████│ 4
 * // 10–19 │████    │ 2
 * ```
 */
export function renderHistogram(histogram: Histogram, options: { width?: number } = {}): string {
  const { width = 40 } = options;
  const { edges, counts } = histogram;
  const largest = Math.max(1, ...counts);
  const labels = counts.map((_, i) =>
    edges[i + 1] - edges[i] === 1 ? `${edges[i]}` : `${edges[i]}–${edges[i + 1] - 1}`,
  );
  const labelWidth = Math.max(0, ...labels.map((l) => l.length));
  return counts
    .map((count, i) => {
      const eighths = Math.round((count / largest) * width * 8);
      const bar = "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
      return `${labels[i].padEnd(labelWidth)} │${bar.padEnd(width)}│ ${count}`;
    })
    .join("\n");
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function distributionLines(label: string, d: Distribution, width: number): string[] {
  return [
    `  ${label}: min ${d.min}  p50 ${round(d.p50)}  mean ${round(d.mean)}  p90 ${round(d.p90)}  p95 ${round(d.p95)}  p99 ${round(d.p99)}  max ${d.max}`,
    ...renderHistogram(d.histogram, { width })
      .split("\n")
      .map((line) => `    ${line}`),
  ];
}

/**
 * Renders {@link DatasetStats} for a terminal: the record count, then per field its
 * presence, types and an ASCII histogram of each length distribution.
 *
 * @param stats - the statistics.
 * @param options - `width` of the histogram bars (default 40).
 * @returns the text.
 * @example
 * ```ts
 * import { datasetStats, renderStatsText } from "@tunekit/instruct";
 * console.log(renderStatsText(datasetStats([{ text: "a b c" }, { text: "d" }])));
 * ```
 */
export function renderStatsText(stats: DatasetStats, options: { width?: number } = {}): string {
  const { width = 40 } = options;
  const lines = [`records: ${stats.records}`];
  for (const [name, f] of Object.entries(stats.fields)) {
    const types = Object.entries(f.types)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ");
    lines.push(
      "",
      `${name}: present ${f.present}, missing ${f.missing}, empty ${f.empty}${types ? ` (${types})` : ""}`,
    );
    for (const key of ["chars", "words", "tokens", "items"] as const) {
      const d = f[key];
      if (d) lines.push(...distributionLines(key, d, width));
    }
  }
  return lines.join("\n");
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param text - any text.
 * @returns the text with `& < > " '` as entities.
 * @example
 * ```ts
 * import { escapeHtml } from "@tunekit/instruct";
 * escapeHtml('<b a="x">'); // "&lt;b a=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function svgBars(title: string, d: Distribution): string {
  const { edges, counts } = d.histogram;
  const chartWidth = 560;
  const chartHeight = 160;
  const left = 48;
  const bottom = 28;
  const barWidth = chartWidth / counts.length;
  const largest = Math.max(1, ...counts);
  const bars = counts
    .map((count, i) => {
      const h = (count / largest) * chartHeight;
      const x = left + i * barWidth;
      const range =
        edges[i + 1] - edges[i] === 1 ? `${edges[i]}` : `${edges[i]}–${edges[i + 1] - 1}`;
      return `<rect x="${x.toFixed(1)}" y="${(10 + chartHeight - h).toFixed(1)}" width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${range}: ${count}`)}</title></rect>`;
    })
    .join("");
  const axis = `<text x="${left}" y="${10 + chartHeight + 18}">${edges[0]}</text><text x="${left + chartWidth}" y="${10 + chartHeight + 18}" text-anchor="end">${edges[edges.length - 1] - 1}</text><text x="${left - 6}" y="18" text-anchor="end">${largest}</text><text x="${left - 6}" y="${10 + chartHeight}" text-anchor="end">0</text>`;
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${left + chartWidth + 8} ${10 + chartHeight + bottom}" width="${left + chartWidth + 8}" height="${10 + chartHeight + bottom}">${bars}${axis}</svg>`;
}

/**
 * Renders {@link DatasetStats} as a self-contained HTML page (inline CSS and SVG bar
 * charts, no scripts or external files). All dataset text (field names, types) is
 * escaped.
 *
 * @param stats - the statistics.
 * @param options - `title` of the page (default "Dataset statistics").
 * @returns the HTML document.
 * @example
 * ```ts
 * import { datasetStats, renderStatsHtml } from "@tunekit/instruct";
 * const html = renderStatsHtml(datasetStats([{ text: "a b" }]), { title: "train.jsonl" });
 * html.startsWith("<!doctype html>"); // true
 * ```
 */
export function renderStatsHtml(stats: DatasetStats, options: { title?: string } = {}): string {
  const title = options.title ?? "Dataset statistics";
  const sections = Object.entries(stats.fields).map(([name, f]) => {
    const types = Object.entries(f.types)
      .map(([t, n]) => `${escapeHtml(t)} ${n}`)
      .join(", ");
    const charts = (["chars", "words", "tokens", "items"] as const)
      .filter((key) => f[key])
      .map((key) => {
        const d = f[key]!;
        const summary = `min ${d.min} · p50 ${round(d.p50)} · mean ${round(d.mean)} · p90 ${round(d.p90)} · p95 ${round(d.p95)} · p99 ${round(d.p99)} · max ${d.max}`;
        return `<figure><figcaption><b>${key}</b> — ${summary}</figcaption>${svgBars(`${name} ${key}`, d)}</figure>`;
      })
      .join("");
    return `<section><h2>${escapeHtml(name)}</h2><p>present ${f.present} · missing ${f.missing} · empty ${f.empty}${types ? ` · ${types}` : ""}</p>${charts}</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:680px;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
figure{margin:1rem 0}figcaption{margin-bottom:.3rem}
svg{max-width:100%;height:auto}rect{fill:#4a7bd0}rect:hover{fill:#2a4f99}text{font-size:11px;fill:#555}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${stats.records} records · ${Object.keys(stats.fields).length} fields</p>
${sections.join("\n")}
</body>
</html>
`;
}
