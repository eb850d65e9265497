/**
 * Where a record sits, for error messages: its position and/or its id.
 *
 * @example
 * ```ts
 * import type { RecordLocation } from "@tunekit/instruct";
 * const where: RecordLocation = { index: 41, id: "dev_41" };
 * ```
 */
export interface RecordLocation {
  /** The record's position in its source (0-based). */
  index?: number;
  /** The record's id. */
  id?: string | number;
}

/**
 * Names a record in an error message: `record 3, id "dev_3"`, `record 3`,
 * `record id "dev_3"` or `the record`. The id defaults to the record's own `id` field.
 */
export function describeRecord(record: unknown, where: RecordLocation = {}): string {
  const own =
    typeof record === "object" && record !== null
      ? (record as Record<string, unknown>).id
      : undefined;
  const id = where.id ?? (typeof own === "string" || typeof own === "number" ? own : undefined);
  const parts: string[] = [];
  if (where.index !== undefined) parts.push(`record ${where.index}`);
  if (id !== undefined) parts.push(`${parts.length ? "id" : "record id"} ${JSON.stringify(id)}`);
  return parts.length ? parts.join(", ") : "the record";
}
