import { createRng, TunekitError } from "../../../internal/shared/src/index";
import { controlledRounding, largestRemainder } from "./apportion";

/**
 * Where a record's stratum or group label comes from: a field name, or a function of
 * the record and its index.
 *
 * @example
 * ```ts
 * import type { KeySource } from "@tunekit/instruct";
 * const byTopic: KeySource<{ topic: string }> = "topic";
 * const byFirstWord: KeySource<{ text: string }> = (r) => r.text.split(" ")[0];
 * ```
 */
export type KeySource<T> = string | ((record: T, index: number) => unknown);

/**
 * Options of {@link planSplit} and {@link splitDataset}.
 *
 * @example
 * ```ts
 * import type { SplitOptions } from "@tunekit/instruct";
 * const byRatio: SplitOptions = { ratios: [0.8, 0.1, 0.1], seed: 42 };
 * const byCount: SplitOptions = { counts: ["rest", 100, 100], seed: 42 };
 * ```
 */
export interface SplitOptions {
  /**
   * The share of each split, non-negative and summing to 1. Default `[0.8, 0.1, 0.1]`.
   * Sizes are rounded by largest remainder ({@link largestRemainder}).
   */
  ratios?: readonly number[];
  /**
   * Exact sizes instead of ratios; one entry may be `"rest"` for whatever is left.
   * Without `"rest"` they must sum to the number of records.
   */
  counts?: readonly (number | "rest")[];
  /** Split names, one per ratio or count. Default `["train", "validation", "test"]`. */
  names?: readonly string[];
  /** Seed of the generator ({@link createRng}, xoshiro128**). Default 0. */
  seed?: number;
  /**
   * Order of records inside each split. `"input"` (default): as in the input, so a
   * split is stable and diffs cleanly; `"shuffled"`: in a seeded random order.
   */
  order?: "input" | "shuffled";
}

/**
 * The labels {@link planSplit} needs besides the record count: one stratum or group
 * label per record (strings; see {@link splitKey}).
 *
 * @example
 * ```ts
 * import type { SplitLabels } from "@tunekit/instruct";
 * const labels: SplitLabels = { strata: ["pos", "neg", "pos", "neg"] };
 * ```
 */
export interface SplitLabels {
  /** Stratum of each record: every stratum is shared out in the split ratios (±1 record). */
  strata?: readonly string[];
  /** Group of each record: a group never spans two splits. */
  groups?: readonly string[];
}

/**
 * What a split did, as plain data.
 *
 * @example
 * ```ts
 * import type { SplitReport } from "@tunekit/instruct";
 * const report: SplitReport = {
 *   seed: 1, total: 10, method: "random", sizes: { train: 8, validation: 1, test: 1 },
 *   targets: { train: 8, validation: 1, test: 1 },
 * };
 * ```
 */
export interface SplitReport {
  /** The seed used. */
  seed: number;
  /** Number of records split. */
  total: number;
  /** `random`, `stratified` or `grouped`. */
  method: "random" | "stratified" | "grouped";
  /** Records per split. */
  sizes: Record<string, number>;
  /** The sizes asked for (ratios rounded by largest remainder, or the counts). */
  targets: Record<string, number>;
  /** Stratified: records of each stratum per split. */
  strata?: Record<string, Record<string, number>>;
  /** Grouped: number of groups per split. */
  groups?: Record<string, number>;
}

/**
 * A split decided without the records themselves: `assignment[i]` is the index (into
 * `names`) of the split record `i` belongs to. Handy for streaming: decide from the
 * labels in one pass, route the records in a second.
 *
 * @example
 * ```ts
 * import { planSplit } from "@tunekit/instruct";
 * const plan = planSplit(5, {}, { ratios: [0.6, 0.4], names: ["train", "test"], seed: 3 });
 * plan.assignment.length; // 5
 * ```
 */
export interface SplitPlan {
  /** The split names, in order. */
  names: string[];
  /** For each record, the index of its split in `names`. */
  assignment: Uint8Array;
  /** Record indices of each split, in output order (see {@link SplitOptions.order}). */
  indices: number[][];
  /** Sizes, targets and per-stratum or per-group counts. */
  report: SplitReport;
}

const DEFAULT_NAMES = ["train", "validation", "test"];

function fail(message: string): never {
  throw new TunekitError("invalid_split", message);
}

function targetSizes(
  total: number,
  options: SplitOptions,
  names: readonly string[],
): { targets: number[]; weights: number[] } {
  if (options.counts !== undefined) {
    if (options.ratios !== undefined) fail("give ratios or counts, not both");
    const counts = options.counts;
    if (counts.length !== names.length) {
      fail(`${counts.length} counts for ${names.length} split names (${names.join(", ")})`);
    }
    let fixed = 0;
    let rest = -1;
    counts.forEach((c, i) => {
      if (c === "rest") {
        if (rest !== -1) fail('only one count may be "rest"');
        rest = i;
      } else if (!Number.isSafeInteger(c) || c < 0) {
        fail(`counts must be whole numbers ≥ 0 or "rest", got ${JSON.stringify(c)}`);
      } else {
        fixed += c;
      }
    });
    if (fixed > total || (rest === -1 && fixed !== total)) {
      fail(
        `counts sum to ${fixed} but there are ${total} records; make them sum to ${total} or use "rest" for one split`,
      );
    }
    const targets = counts.map((c) => (c === "rest" ? total - fixed : c));
    // With counts, a stratum's share of split k is targets[k] / total of it.
    return { targets, weights: total === 0 ? targets.map(() => 1) : targets };
  }
  const ratios = options.ratios ?? [0.8, 0.1, 0.1];
  if (ratios.length !== names.length) {
    fail(`${ratios.length} ratios for ${names.length} split names (${names.join(", ")})`);
  }
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (ratios.some((r) => !Number.isFinite(r) || r < 0) || Math.abs(sum - 1) > 1e-6) {
    fail(`ratios must be ≥ 0 and sum to 1, got ${ratios.join(", ")} (sum ${sum})`);
  }
  return { targets: largestRemainder(total, ratios), weights: [...ratios] };
}

function byLabel(labels: readonly string[]): Map<string, number[]> {
  const members = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = members.get(labels[i]);
    if (list) list.push(i);
    else members.set(labels[i], [i]);
  }
  return members;
}

/**
 * Decides a train/validation/test split from the number of records and, optionally,
 * their stratum or group labels. Deterministic: the same inputs and seed give the same
 * split on every platform. Each record lands in exactly one split.
 *
 * - **random**: the indices 0…n−1 are shuffled (Fisher–Yates with {@link createRng});
 *   the first `targets[0]` go to the first split, the next `targets[1]` to the second …
 * - **stratified** (`labels.strata`): strata in order of first appearance; each stratum's
 *   records are shuffled and shared out so that every stratum is within one record of its
 *   exact share in every split, and the split sizes still equal the targets
 *   ({@link controlledRounding}).
 * - **grouped** (`labels.groups`): the groups (in order of first appearance) are
 *   shuffled and laid end to end; a group goes to the split whose range holds the
 *   group's midpoint. No group spans two splits; a split's size differs from its target
 *   by at most about the largest group.
 *
 * @param total - the number of records.
 * @param labels - stratum or group label per record (not both).
 * @param options - ratios or counts, names, seed, order; see {@link SplitOptions}.
 * @returns the {@link SplitPlan}.
 * @throws {@link TunekitError} `invalid_split` for bad ratios, counts or labels.
 * @example
 * ```ts
 * import { planSplit } from "@tunekit/instruct";
 * const labels = { strata: ["a", "a", "a", "a", "b", "b", "b", "b", "b", "b"] };
 * const plan = planSplit(10, labels, { ratios: [0.5, 0.5], names: ["x", "y"], seed: 7 });
 * plan.report.strata; // { a: { x: 2, y: 2 }, b: { x: 3, y: 3 } }
 * ```
 */
export function planSplit(
  total: number,
  labels: SplitLabels = {},
  options: SplitOptions = {},
): SplitPlan {
  const names = [...(options.names ?? DEFAULT_NAMES)];
  const { seed = 0, order = "input" } = options;
  if (names.length === 0 || names.length > 255) fail("give between 1 and 255 split names");
  if (new Set(names).size !== names.length) fail(`split names repeat: ${names.join(", ")}`);
  if (!Number.isSafeInteger(total) || total < 0) fail(`record count must be ≥ 0, got ${total}`);
  const { strata, groups } = labels;
  if (strata && groups) {
    fail("stratify and group cannot be combined; choose one");
  }
  for (const [kind, list] of [
    ["strata", strata],
    ["groups", groups],
  ] as const) {
    if (list && list.length !== total) {
      fail(`${list.length} ${kind} labels for ${total} records`);
    }
  }
  const { targets, weights } = targetSizes(total, options, names);
  const rng = createRng(seed);
  const assignment = new Uint8Array(total);
  const named = (values: readonly number[]) =>
    Object.fromEntries(names.map((name, k) => [name, values[k]]));
  const report: SplitReport = {
    seed,
    total,
    method: strata ? "stratified" : groups ? "grouped" : "random",
    sizes: {},
    targets: named(targets),
  };

  if (strata) {
    const members = [...byLabel(strata)];
    const cells = controlledRounding(
      members.map(([, list]) => list.length),
      weights,
      targets,
    );
    report.strata = {};
    members.forEach(([label, list], s) => {
      rng.shuffle(list);
      let at = 0;
      for (let k = 0; k < names.length; k++) {
        for (let j = 0; j < cells[s][k]; j++) assignment[list[at++]] = k;
      }
      report.strata![label] = named(cells[s]);
    });
  } else if (groups) {
    const members = [...byLabel(groups).values()];
    const order = rng.shuffle(members.map((_, g) => g));
    let start = 0;
    for (const g of order) {
      const list = members[g];
      const middle = start + list.length / 2;
      let k = 0;
      let bound = targets[0];
      while (k < names.length - 1 && middle >= bound) bound += targets[++k];
      for (const i of list) assignment[i] = k;
      start += list.length;
    }
    const perSplit = new Array<number>(names.length).fill(0);
    for (const list of members) perSplit[assignment[list[0]]]++;
    report.groups = named(perSplit);
  } else {
    const permutation = rng.shuffle(Array.from({ length: total }, (_, i) => i));
    let at = 0;
    for (let k = 0; k < names.length; k++) {
      for (let j = 0; j < targets[k]; j++) assignment[permutation[at++]] = k;
    }
  }

  const indices: number[][] = names.map(() => []);
  for (let i = 0; i < total; i++) indices[assignment[i]].push(i);
  if (order === "shuffled") for (const list of indices) rng.shuffle(list);
  report.sizes = named(indices.map((list) => list.length));
  return { names, assignment, indices, report };
}

/**
 * Turns a record's field (or a function's result) into a split label: strings as they
 * are, other values as their JSON; a missing value is an error naming the record.
 *
 * @param record - the record.
 * @param index - its index (used in the error and passed to a function source).
 * @param source - a field name or a function.
 * @returns the label.
 * @throws {@link TunekitError} `missing_split_key` when the field is absent or null.
 * @example
 * ```ts
 * import { splitKey } from "@tunekit/instruct";
 * splitKey({ topic: "travel" }, 0, "topic"); // "travel"
 * splitKey({ label: 1 }, 0, "label"); // "1"
 * ```
 */
export function splitKey<T>(record: T, index: number, source: KeySource<T>): string {
  const value =
    typeof source === "function"
      ? source(record, index)
      : (record as Record<string, unknown>)[source];
  if (value === undefined || value === null) {
    const what = typeof source === "function" ? "the key function" : `field "${source}"`;
    throw new TunekitError(
      "missing_split_key",
      `record ${index} has no value for ${what}; fill it in or drop the record first`,
    );
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Options of {@link splitDataset}: {@link SplitOptions} plus where labels come from.
 *
 * @example
 * ```ts
 * import type { SplitDatasetOptions } from "@tunekit/instruct";
 * const options: SplitDatasetOptions<{ topic: string }> = { stratify: "topic", seed: 1 };
 * ```
 */
export interface SplitDatasetOptions<T> extends SplitOptions {
  /** Stratify by this field or function. */
  stratify?: KeySource<T>;
  /** Keep records with the same value of this field or function in one split. */
  group?: KeySource<T>;
}

/**
 * The records of each split, and the plan's report.
 *
 * @example
 * ```ts
 * import { splitDataset } from "@tunekit/instruct";
 * const { splits } = splitDataset([{ q: 1 }, { q: 2 }], { ratios: [0.5, 0.5], names: ["a", "b"] });
 * splits.a.length + splits.b.length; // 2
 * ```
 */
export interface SplitResult<T> {
  /** Split name → its records, in output order. */
  splits: Record<string, T[]>;
  /** Split name → the input indices of its records. */
  indices: Record<string, number[]>;
  /** See {@link SplitReport}. */
  report: SplitReport;
}

/**
 * Splits records into train/validation/test (or any named splits) by ratios or counts,
 * at random, stratified by a field, or grouped by a field; see {@link planSplit} for the
 * method and the guarantees.
 *
 * @param records - the records.
 * @param options - see {@link SplitDatasetOptions}; default ratios 0.8/0.1/0.1, seed 0.
 * @returns the records of each split and a report.
 * @throws {@link TunekitError} `invalid_split` or `missing_split_key`.
 * @example
 * ```ts
 * import { splitDataset } from "@tunekit/instruct";
 * const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, topic: i % 3 ? "chat" : "qa" }));
 * const { splits, report } = splitDataset(rows, { ratios: [0.8, 0.1, 0.1], stratify: "topic", seed: 42 });
 * console.log(report.sizes); // { train: 80, validation: 10, test: 10 }
 * ```
 */
export function splitDataset<T>(
  records: readonly T[],
  options: SplitDatasetOptions<T> = {},
): SplitResult<T> {
  const { stratify, group } = options;
  const labels: SplitLabels = {};
  if (stratify !== undefined) labels.strata = records.map((r, i) => splitKey(r, i, stratify));
  if (group !== undefined) labels.groups = records.map((r, i) => splitKey(r, i, group));
  const plan = planSplit(records.length, labels, options);
  const splits: Record<string, T[]> = {};
  const indices: Record<string, number[]> = {};
  plan.names.forEach((name, k) => {
    indices[name] = plan.indices[k];
    splits[name] = plan.indices[k].map((i) => records[i]);
  });
  return { splits, indices, report: plan.report };
}
