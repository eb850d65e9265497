/** Formats a value for a table cell: numbers to at most 6 significant digits. */
function cell(value: unknown): string {
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Renders rows of plain objects as an aligned text table with a header line. */
export function renderTable(rows: Record<string, unknown>[], columns?: string[]): string {
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const body = rows.map((row) => names.map((name) => cell(row[name])));
  const widths = names.map((name, i) => Math.max(name.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(names), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/**
 * The generic table view of a result: an array of objects becomes rows; an object whose
 * values are objects becomes one row per key; any other object becomes key/value rows.
 */
export function genericTable(result: unknown): string {
  if (Array.isArray(result)) {
    return renderTable(result.map((r) => (typeof r === "object" && r ? r : { value: r })));
  }
  if (result && typeof result === "object") {
    const entries = Object.entries(result);
    if (
      entries.length > 0 &&
      entries.every(([, v]) => v && typeof v === "object" && !Array.isArray(v))
    ) {
      return renderTable(entries.map(([key, v]) => ({ name: key, ...(v as object) })));
    }
    return renderTable(entries.map(([key, value]) => ({ key, value })));
  }
  return cell(result);
}
