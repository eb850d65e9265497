import packageJson from "../package.json" with { type: "json" };

/**
 * The version tag at the end of tunekit's BLEU, chrF and TER signatures, in the place where
 * sacrebleu writes its own version (`version:2.6.0`). It names this package and its
 * version, so a signature always says which implementation produced a score; the rest of
 * the signature is built exactly as sacrebleu 2.6.0 builds it.
 *
 * @example
 * ```ts
 * import { SIGNATURE_VERSION } from "@tunekit/metrics";
 * console.log(SIGNATURE_VERSION);  // e.g. "tunekit-metrics-0.1.0"
 * ```
 */
export const SIGNATURE_VERSION: string = `tunekit-metrics-${packageJson.version}`;

/**
 * The reference count of a corpus as a signature shows it: the count when every example
 * has the same number of references, else `"var"`.
 *
 * @internal
 */
export type ReferenceCount = number | "var";

/** @internal The {@link ReferenceCount} of a list of per-example reference lists. */
export function referenceCount(references: readonly (readonly string[])[]): ReferenceCount {
  if (references.length === 0) return 0;
  const first = references[0].length;
  for (const refs of references) if (refs.length !== first) return "var";
  return first;
}

/** @internal Combines the reference counts of two parts of a corpus. */
export function combineReferenceCounts(a: ReferenceCount, b: ReferenceCount): ReferenceCount {
  return a === b ? a : "var";
}

/**
 * @internal Joins signature fields as sacrebleu's `Signature.format()`: `name:value`
 * pairs separated by `|`, booleans as yes/no, the reference count first and the version
 * last.
 */
export function formatSignature(
  nrefs: ReferenceCount,
  fields: readonly (readonly [string, string | number | boolean])[],
): string {
  const parts = [`nrefs:${nrefs}`];
  for (const [name, value] of fields) {
    parts.push(`${name}:${typeof value === "boolean" ? (value ? "yes" : "no") : value}`);
  }
  parts.push(`version:${SIGNATURE_VERSION}`);
  return parts.join("|");
}

/**
 * @internal Python's `f"{value:.{digits}f}"`: like `toFixed`, except that an exact tie
 * rounds to the even digit (Python) rather than away from zero (JavaScript), so 0.125
 * gives "0.12" as in sacrebleu's `smooth:floor[0.12]`.
 */
export function formatFixed(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return rounded;
  const exact = Math.abs(value).toFixed(100);
  const cut = exact.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(exact.slice(cut))) return rounded;
  const kept = exact.slice(0, digits === 0 ? cut - 1 : cut);
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 1) return rounded;
  return value < 0 ? `-${kept}` : kept;
}
