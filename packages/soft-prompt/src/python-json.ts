/**
 * Serialises JSON the way Python's `json.dumps(value, indent=2, sort_keys=True)` does,
 * which is how PEFT writes `adapter_config.json`: keys sorted at every level, two-space
 * indent, `", "`-free separators with newlines, and (`ensure_ascii`) every character
 * outside printable ASCII escaped as `\uXXXX`.
 *
 * @param value - plain JSON data.
 * @returns the text, byte-for-byte what Python writes for the same data (integers and
 * strings; floats print in JavaScript's shortest form).
 */
export function pythonJsonDumps(value: unknown): string {
  return dump(value, "");
}

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    // Python escapes everything outside ' '..'~' (UTF-16 code units, like JavaScript).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function dump(value: unknown, indent: string): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "string") return quote(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + dump(item, inner)).join(",\n")}\n${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareCodePoints(a, b));
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${inner}${quote(k)}: ${dump(v, inner)}`).join(",\n")}\n${indent}}`;
  }
  throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
}

/** Python sorts strings by code point; JavaScript's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}
