// Node-only (Buffer): writes flat records as JSON lines straight into a byte buffer.
// Imported by node.ts only.
import { jsonStringBody } from "./jsonl";

function isFlatRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !("toJSON" in value);
}

/**
 * The most bytes {@link encodeFlatRecord} can need for `record` (an escaped UTF-16 unit
 * takes at most 3 bytes on this path), or -1 when the record is not flat (a plain object
 * whose values are strings, numbers, booleans, null or undefined).
 */
export function flatRecordBound(record: unknown): number {
  if (!isFlatRecord(record)) return -1;
  let bound = 3; // braces and the line feed
  for (const key of Object.keys(record)) {
    const value = record[key];
    switch (typeof value) {
      case "string":
        bound += 3 * value.length + 2;
        break;
      case "number":
      case "boolean":
        bound += 25;
        break;
      case "undefined":
      case "function":
      case "symbol":
        continue;
      default:
        if (value !== null) return -1;
        bound += 4;
    }
    bound += 3 * key.length + 4;
  }
  return bound;
}

// Records of one dataset repeat the same few keys: their encoded `"key":` bytes are kept.
const keyBytes = new Map<string, Buffer | null>();

function encodedKey(key: string): Buffer | null {
  let bytes = keyBytes.get(key);
  if (bytes === undefined) {
    const body = jsonStringBody(key);
    bytes = body === undefined ? null : Buffer.from(`"${body}":`, "utf8");
    if (keyBytes.size < 4096) keyBytes.set(key, bytes);
  }
  return bytes;
}

// Buffer#write's argument handling costs about as much as the encoding for short strings;
// Node's own Buffer#utf8Write (what write calls for "utf8") is used when present.
type Utf8Writer = Buffer & { utf8Write?: (text: string, offset: number) => number };
const hasUtf8Write = typeof (Buffer.prototype as Utf8Writer).utf8Write === "function";

export function writeUtf8(out: Buffer, text: string, at: number): number {
  return hasUtf8Write ? (out as Utf8Writer).utf8Write!(text, at) : out.write(text, at, "utf8");
}

function writeString(text: string, out: Buffer, at: number): number {
  const body = jsonStringBody(text);
  if (body === undefined) return -1;
  out[at++] = 0x22;
  at += writeUtf8(out, body, at);
  out[at++] = 0x22;
  return at;
}

/**
 * Writes a flat record plus a line feed at `at` — the same bytes as the UTF-8 of
 * `JSON.stringify(record) + "\n"` — and returns the end offset, or -1 when a string needs
 * `JSON.stringify` itself (control characters other than line feeds, surrogates). `out`
 * must have {@link flatRecordBound} bytes free.
 */
export function encodeFlatRecord(record: Record<string, unknown>, out: Buffer, at: number): number {
  out[at++] = 0x7b; // {
  let first = true;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const kind = typeof value;
    if (kind === "undefined" || kind === "function" || kind === "symbol") continue;
    if (!first) out[at++] = 0x2c; // ,
    first = false;
    const keyText = encodedKey(key);
    if (keyText === null) return -1;
    for (let i = 0; i < keyText.length; i++) out[at + i] = keyText[i];
    at += keyText.length;
    if (kind === "string") {
      at = writeString(value as string, out, at);
      if (at < 0) return -1;
    } else if (kind === "number") {
      at += out.write(Number.isFinite(value) ? String(value) : "null", at, "latin1");
    } else if (kind === "boolean") {
      at += out.write(value ? "true" : "false", at, "latin1");
    } else {
      at += out.write("null", at, "latin1");
    }
  }
  out[at++] = 0x7d; // }
  out[at++] = 0x0a;
  return at;
}
